"""Decisions that explain themselves: reason codes, remedies, messages.

A business "no" is a value: rules return a [`Decision`][renewal_rules.Decision] whose
[`Reason`][renewal_rules.Reason] objects carry a stable
[`ReasonCode`][renewal_rules.ReasonCode], the ``subject`` they concern and the
``params`` that fill the message. Messages are rendered on demand, in English or French,
from a catalog keyed by code.

>>> from renewal_rules import Reason, ReasonCode
>>> reason = Reason(code=ReasonCode.BATCH_TOO_LARGE, params={"size": 101, "limit": 100})
>>> reason.params
(('limit', 100), ('size', 101))
>>> reason.remedy
<Remedy.SPLIT_BATCH: 'split_batch'>
>>> print(reason.message("fr"))
Le lot contient 101 abonnements ; 100 au maximum sont autorisés.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

import attrs

from renewal_rules import _html
from renewal_rules import _validators as v
from renewal_rules.catalog import (
    CAPABILITY_WORDS,
    PHRASES,
    ROWS,
    ReasonCode,
    Remedy,
    locale_index,
)
from renewal_rules.errors import (
    InvalidInputError,
    InvalidTypeError,
    RenewalRulesError,
    preview,
)
from renewal_rules.model import Capability

__all__ = [
    "DateWindow",
    "Decision",
    "Reason",
    "ReasonCode",
    "Remedy",
    "RenewalMode",
    "RenewalRequirement",
    "RuleViolation",
    "StageDates",
]


class RenewalMode(StrEnum):
    """How a subscription renews (A1)."""

    AUTOMATIC = "automatic"
    MANUAL = "manual"
    NONE = "none"


def _phrase(name: str, locale: str) -> str:
    return PHRASES[name][locale_index(locale)]


def _to_params(value: Any) -> Any:
    # Normalise the container only (a mapping, or a list or tuple of pairs,
    # in any order) into pairs sorted by name; anything else is left as is
    # for the validator to refuse with the field's name.
    if isinstance(value, Mapping):
        pairs: Any = list(value.items())
    elif type(value) in (tuple, list):
        pairs = [tuple(p) if type(p) is list else p for p in value]
    else:
        return value
    if all(type(p) is tuple and len(p) == 2 and type(p[0]) is str for p in pairs):
        return tuple(sorted(pairs, key=lambda pair: pair[0]))
    return tuple(pairs)  # the validator names what is wrong


def _is_param_value(value: object, kind: type[Any]) -> bool:
    # Exact where a subclass changes the meaning: a bool is not a count and
    # a datetime is not a calendar day. An enum's value as a plain str, or
    # an int amount, is the same value (equal and hashed alike), so it is
    # kept as given, not converted.
    if kind is int or kind is date:
        return type(value) is kind
    if kind is str:
        return type(value) is str
    if kind is Decimal:
        return type(value) is int or (type(value) is Decimal and value.is_finite())
    if issubclass(kind, Enum) and type(value) is str:
        return value in kind._value2member_map_
    return isinstance(value, kind)


def _validate_params(instance: Any, _attribute: Any, value: Any) -> None:
    if type(value) is not tuple:
        raise InvalidTypeError(
            "params", value, "expected a mapping or (name, value) pairs"
        )
    names: list[str] = []
    for pair in value:
        if not (type(pair) is tuple and len(pair) == 2 and type(pair[0]) is str):
            raise InvalidTypeError("params", value, "expected (name, value) pairs")
        names.append(pair[0])
    row = ROWS[instance.code]  # attrs has validated ``code``, the field before
    for index, name in enumerate(names):
        if name in names[:index]:
            raise InvalidInputError("params", value, f"names {name!r} twice")
    if tuple(names) != row.param_names:
        expected = ", ".join(row.param_names) or "none"
        raise InvalidInputError(
            "params", tuple(names), f"must be exactly: {expected} (for {row.code})"
        )
    for (name, item), (_, kind) in zip(value, row.params, strict=True):
        if not _is_param_value(item, kind):
            raise InvalidTypeError(
                f"params.{name}", item, f"expected {v.article(kind.__name__)}"
            )
        if kind is Decimal:
            v.check_amount(f"params.{name}", item)
        elif kind is int:
            v.check_int64(f"params.{name}", item)


@attrs.frozen
class Reason:
    """One reason a rule said no.

    Attributes:
        code: the stable [`ReasonCode`][renewal_rules.ReasonCode].
        subject: the id of the subscription, quote or quote line it concerns,
            or ``None`` for a reason about a whole batch.
        params: the values the message needs, as a mapping or ``(name, value)``
            pairs; stored as a tuple of pairs sorted by name. The names and
            types are exactly those of the code's row in
            `renewal_rules.catalog.ROWS`.
    """

    code: ReasonCode = attrs.field(validator=v.enum_member(ReasonCode))
    subject: str | None = attrs.field(default=None, validator=v.optional(v.text))
    params: tuple[tuple[str, Any], ...] = attrs.field(
        default=(), converter=_to_params, validator=_validate_params
    )

    @property
    def remedy(self) -> Remedy | None:
        """The [`Remedy`][renewal_rules.Remedy] for this reason's code, or ``None``."""
        return ROWS[self.code].remedy

    def message(self, locale: str = "en") -> str:
        """Render the reason as a sentence in ``locale`` (``"en"`` or ``"fr"``).

        Raises:
            InvalidInputError: (a ``ValueError``) for an unknown locale.
        """
        template = ROWS[self.code].template(locale)
        index = locale_index(locale)
        return template.format_map(
            {name: _show(value, index) for name, value in self.params}
        )

    def explain(self, locale: str = "en") -> str:
        """Render the subject, the message and the remedy on one line."""
        parts = [f"[{self.subject}] " if self.subject is not None else ""]
        parts.append(self.message(locale))
        remedy = self.remedy
        if remedy is not None:
            parts.append(remedy_text(remedy, locale))
        return "".join(parts)


def remedy_text(remedy: Remedy, locale: str) -> str:
    """``" Remedy: <its sentence>"``, as `Reason.explain` ends with it."""
    return f" {_phrase('remedy', locale)} {remedy.message(locale)}"


make_reason: Callable[..., Reason] = v.builder(Reason)
"""Build a [`Reason`][renewal_rules.Reason] from trusted parts, skipping validation:
``make_reason(code, subject=None, params=())``.

For the rules only: ``code`` is a member, ``subject`` a string that a
validated model already holds, and ``params`` the pairs of the code's
catalogue row, sorted by name. The result equals ``Reason(code, ...)``
(a property test holds every rule's reasons to that)."""


def _show(value: object, locale: int) -> str:
    if isinstance(value, Capability):
        return CAPABILITY_WORDS[value][locale]
    if isinstance(value, date):
        return value.isoformat()
    if type(value) is int:
        # A count too long to print in full is described (errors.preview);
        # the others, up to 256 bits, preview prints whole.
        return preview(value)
    return str(value)


def _reason_rows(reasons: Iterable[Reason]) -> list[tuple[object, ...]]:
    return [
        (
            reason.subject or "",
            reason.code.value,
            reason.message("en"),
            reason.remedy.value if reason.remedy else "",
        )
        for reason in reasons
    ]


def _reasons_table(reasons: tuple[Reason, ...]) -> str:
    if not reasons:
        return ""
    return _html.table(_html.REASON_HEADERS, _reason_rows(reasons), count=len(reasons))


_validate_reasons = attrs.validators.deep_iterable(
    member_validator=v.instance_of(Reason), iterable_validator=v.exact_tuple
)


@attrs.frozen
class Decision:
    """The answer of a rule: allowed, or refused with every reason.

    The invariant ``allowed == (not reasons)`` is checked at construction;
    build decisions from reasons with `from_reasons`.

    >>> decision = Decision.from_reasons([])
    >>> bool(decision), decision.explain()
    (True, 'Allowed.')

    Attributes:
        allowed: ``True`` exactly when ``reasons`` is empty.
        reasons: every failing condition, in a deterministic order.
    """

    allowed: bool = attrs.field(validator=v.strict_bool)
    reasons: tuple[Reason, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=_validate_reasons
    )

    def __attrs_post_init__(self) -> None:
        if self.allowed == bool(self.reasons):
            raise InvalidInputError(
                "allowed",
                self.allowed,
                "must be True exactly when there are no reasons",
            )

    @classmethod
    def from_reasons(cls, reasons: Iterable[Reason]) -> Decision:
        """Return the decision for ``reasons``: allowed when there are none."""
        if type(reasons) is list or type(reasons) is tuple:
            reasons = tuple(reasons)
        else:
            reasons = tuple(v.items("reasons", reasons))
        if not reasons:
            return ALLOWED
        return cls(allowed=False, reasons=reasons)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        """The codes of the reasons, in order."""
        return tuple(reason.code for reason in self.reasons)

    def _repr_html_(self) -> str:
        status = "allowed" if self.allowed else "refused"
        return _html.block(f"Decision: {status}", _reasons_table(self.reasons))

    def explain(self, locale: str = "en") -> str:
        """Render the decision in ``locale``: one line per reason, with remedies.

        Raises:
            InvalidInputError: (a ``ValueError``) for an unknown locale.
        """
        return _explain(self.reasons, locale)


def _explain(
    reasons: tuple[Reason, ...],
    locale: str,
    *,
    allowed: str = "allowed",
    refused: str = "refused",
) -> str:
    if not reasons:
        return _phrase(allowed, locale)
    lines = [_phrase(refused, locale)]
    lines.extend(f"- {reason.explain(locale)}" for reason in reasons)
    return "\n".join(lines)


ALLOWED = Decision(allowed=True)
"""The one allowed decision (decisions are values: equal ones are shared)."""


@attrs.frozen
class DateWindow:
    """A half-open range of dates ``[opens_on, closes_on)``.

    >>> from datetime import date
    >>> window = DateWindow(opens_on=date(2027, 1, 1), closes_on=date(2027, 4, 1))
    >>> date(2027, 1, 1) in window, date(2027, 4, 1) in window
    (True, False)
    """

    opens_on: date = attrs.field(validator=v.computed_date)
    closes_on: date = attrs.field(validator=v.computed_date)

    def __attrs_post_init__(self) -> None:
        if self.closes_on < self.opens_on:
            raise InvalidInputError(
                "closes_on", self.closes_on, "must not be before opens_on"
            )

    def __contains__(self, day: object) -> bool:
        # A datetime is a date subclass but not a calendar day: refuse it
        # rather than compare it loosely.
        if type(day) is not date:
            raise InvalidTypeError("day", day, "expected a datetime.date")
        return self.opens_on <= day < self.closes_on

    @property
    def last_day(self) -> date | None:
        """The window's last day (``closes_on`` is the first day after it).

        ``None`` for a window of no day (``opens_on == closes_on``).

        >>> from datetime import date
        >>> DateWindow(opens_on=date(2027, 1, 1), closes_on=date(2027, 4, 1)).last_day
        datetime.date(2027, 3, 31)
        """
        if self.closes_on == self.opens_on:
            return None
        return self.closes_on - timedelta(days=1)

    def describe(self, locale: str = "en") -> str:
        """The window's days in words, its last day included.

        >>> from datetime import date
        >>> window = DateWindow(opens_on=date(2027, 1, 1), closes_on=date(2027, 4, 1))
        >>> window.describe(), window.describe("fr")
        ('2027-01-01 to 2027-03-31', 'du 2027-01-01 au 2027-03-31')
        """
        last = self.last_day
        if last is None:
            return _phrase("window_empty", locale)
        return _phrase("window", locale).format(
            first=self.opens_on.isoformat(), last=last.isoformat()
        )


@attrs.frozen
class StageDates:
    """The first days of the stages after expiry (G1, G6).

    A subscription is ``EXPIRED`` on ``[expired_on, suspended_on)``,
    ``SUSPENDED`` on ``[suspended_on, canceled_on)`` and ``CANCELED`` from
    ``canceled_on``. A stage that lasts no day has equal bounds.
    """

    expired_on: date = attrs.field(validator=v.computed_date)
    suspended_on: date = attrs.field(validator=v.computed_date)
    canceled_on: date = attrs.field(validator=v.computed_date)

    def __attrs_post_init__(self) -> None:
        if not self.expired_on <= self.suspended_on <= self.canceled_on:
            raise InvalidInputError(
                "suspended_on",
                self.suspended_on,
                "must lie from expired_on through canceled_on",
            )


@attrs.frozen
class RenewalRequirement:
    """How a subscription will renew, and why not automatically.

    Attributes:
        mode: `RenewalMode.AUTOMATIC` exactly when ``reasons`` is empty;
            `RenewalMode.NONE` when it cannot renew at all (E1, E2).
        reasons: why it is not automatic (``MANUAL``) or cannot renew (``NONE``).
        window: the manual renewal window (M1).
    """

    mode: RenewalMode = attrs.field(validator=v.enum_member(RenewalMode))
    reasons: tuple[Reason, ...] = attrs.field(
        converter=v.to_tuple, validator=_validate_reasons
    )
    window: DateWindow = attrs.field(validator=v.instance_of(DateWindow))

    def __attrs_post_init__(self) -> None:
        if (self.mode is RenewalMode.AUTOMATIC) == bool(self.reasons):
            raise InvalidInputError(
                "mode", self.mode, "must be AUTOMATIC exactly when there are no reasons"
            )

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        """The codes of the reasons, in order."""
        return tuple(reason.code for reason in self.reasons)

    def _repr_html_(self) -> str:
        note = f" (manual window {self.window.describe()})"
        return _html.block(
            f"Renewal mode: {self.mode.value}", _reasons_table(self.reasons), note=note
        )

    def explain(self, locale: str = "en") -> str:
        """Render the mode and the reasons in ``locale``."""
        return _explain(
            self.reasons, locale, allowed="automatic", refused=self.mode.value
        )


make_requirement: Callable[
    [RenewalMode, tuple[Reason, ...], DateWindow], RenewalRequirement
] = v.builder(RenewalRequirement)
"""Build a `RenewalRequirement` from checked parts (see `make_reason`).

For [`renewal_requirement`][renewal_rules.renewal_requirement] only, whose parts are the
rules' own: the result equals ``RenewalRequirement(mode, reasons, window)``."""


class RuleViolation(RenewalRulesError):  # noqa: N818 - the name is API.md's
    """Raised by a transition (``renew``, ...) whose check refused it.

    Attributes:
        decision: the refusing [`Decision`][renewal_rules.Decision], with every reason.
    """

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.explain())
        self.decision = decision

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.decision,))
