"""Decisions that explain themselves: reason codes, remedies, messages.

A business "no" is a value: rules return a :class:`Decision` whose
:class:`Reason` objects carry a stable :class:`ReasonCode`, the ``subject``
they concern and the ``params`` that fill the message. Messages are rendered on
demand, in English or French, from a catalog keyed by code.

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

from collections.abc import Hashable, Iterable, Mapping
from datetime import date
from enum import StrEnum
from itertools import repeat
from typing import Any

import attrs

from renewal_rules import _messages
from renewal_rules import _validators as v
from renewal_rules.errors import InvalidInputError, InvalidTypeError, RenewalRulesError

__all__ = [
    "DateWindow",
    "Decision",
    "Reason",
    "ReasonCode",
    "Remedy",
    "RenewalMode",
    "RenewalRequirement",
    "RuleViolation",
]


class ReasonCode(StrEnum):
    """Why a rule said no. Values are stable: a code is never renamed."""

    TRIAL_NOT_RENEWABLE = "trial_not_renewable"
    SUBSCRIPTION_EXPIRED = "subscription_expired"
    AUTO_RENEW_OFF = "auto_renew_off"
    NO_PAYMENT_METHOD = "no_payment_method"
    PAYMENT_METHOD_NOT_RECURRING = "payment_method_not_recurring"
    PAYMENT_METHOD_INVALID = "payment_method_invalid"
    PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL = "payment_method_expires_before_renewal"
    CAPABILITY_UNAVAILABLE = "capability_unavailable"
    OUTSIDE_RENEWAL_WINDOW = "outside_renewal_window"
    TERM_UNCHANGED = "term_unchanged"
    ACTOR_NOT_IN_ACCOUNT = "actor_not_in_account"
    ROLE_NOT_PERMITTED = "role_not_permitted"
    BATCH_EMPTY = "batch_empty"
    BATCH_TOO_LARGE = "batch_too_large"
    BATCH_MIXED_GROUPS = "batch_mixed_groups"
    DUPLICATE_SUBSCRIPTION = "duplicate_subscription"
    QUOTE_EMPTY = "quote_empty"
    QUOTE_MIXES_RENEWAL_WITH_NEW = "quote_mixes_renewal_with_new"
    QUOTE_MIXED_CUSTOMERS = "quote_mixed_customers"
    QUOTE_MIXED_CURRENCIES = "quote_mixed_currencies"
    QUOTE_MIXED_PARTNERS = "quote_mixed_partners"
    QUOTE_MIXED_PURCHASE_METHODS = "quote_mixed_purchase_methods"
    LINE_SUBSCRIPTION_MISSING = "line_subscription_missing"
    CURRENCY_CHANGE_NOT_SUPPORTED = "currency_change_not_supported"
    ADDING_SEATS_NOT_SUPPORTED = "adding_seats_not_supported"
    OFFERING_NOT_SUPPORTED = "offering_not_supported"
    CREDIT_LINE_NOT_SUPPORTED = "credit_line_not_supported"
    FUTURE_START_DATE_NOT_SUPPORTED = "future_start_date_not_supported"
    TOO_MANY_RECIPIENTS = "too_many_recipients"
    INVALID_RECIPIENT = "invalid_recipient"
    DUPLICATE_RECIPIENT = "duplicate_recipient"
    QUOTE_EXPIRED = "quote_expired"
    ADDRESS_LOCKED_AFTER_SENDING = "address_locked_after_sending"
    CANCELLATION_NOT_SELF_SERVICE = "cancellation_not_self_service"

    @property
    def remedy(self) -> Remedy | None:
        """What the user can do about it, or ``None``."""
        return _REMEDIES.get(self)


class Remedy(StrEnum):
    """What a user can do about a reason."""

    CONVERT_TRIAL = "convert_trial"
    PURCHASE_NEW = "purchase_new"
    ENABLE_AUTO_RENEW = "enable_auto_renew"
    ADD_PAYMENT_METHOD = "add_payment_method"
    UPDATE_PAYMENT_METHOD = "update_payment_method"
    RENEW_MANUALLY = "renew_manually"
    WAIT_FOR_WINDOW = "wait_for_window"
    SPLIT_BATCH = "split_batch"
    CREATE_NEW_QUOTE = "create_new_quote"
    CONTACT_PARTNER = "contact_partner"
    CONTACT_ADMIN = "contact_admin"

    def message(self, locale: str = "en") -> str:
        """Render the remedy as a sentence in ``locale`` (``"en"`` or ``"fr"``)."""
        return _catalog(_messages.REMEDY_MESSAGES, locale)[self.value]


_C = ReasonCode
_R = Remedy
_REMEDIES: dict[ReasonCode, Remedy] = {
    _C.TRIAL_NOT_RENEWABLE: _R.CONVERT_TRIAL,
    _C.SUBSCRIPTION_EXPIRED: _R.PURCHASE_NEW,
    _C.AUTO_RENEW_OFF: _R.ENABLE_AUTO_RENEW,
    _C.NO_PAYMENT_METHOD: _R.ADD_PAYMENT_METHOD,
    _C.PAYMENT_METHOD_NOT_RECURRING: _R.RENEW_MANUALLY,
    _C.PAYMENT_METHOD_INVALID: _R.UPDATE_PAYMENT_METHOD,
    _C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL: _R.UPDATE_PAYMENT_METHOD,
    _C.OUTSIDE_RENEWAL_WINDOW: _R.WAIT_FOR_WINDOW,
    _C.ACTOR_NOT_IN_ACCOUNT: _R.CONTACT_ADMIN,
    _C.ROLE_NOT_PERMITTED: _R.CONTACT_ADMIN,
    _C.BATCH_TOO_LARGE: _R.SPLIT_BATCH,
    _C.BATCH_MIXED_GROUPS: _R.SPLIT_BATCH,
    _C.QUOTE_EXPIRED: _R.CREATE_NEW_QUOTE,
    _C.ADDRESS_LOCKED_AFTER_SENDING: _R.CREATE_NEW_QUOTE,
    _C.CANCELLATION_NOT_SELF_SERVICE: _R.CONTACT_PARTNER,
    _C.CURRENCY_CHANGE_NOT_SUPPORTED: _R.CONTACT_PARTNER,
    _C.ADDING_SEATS_NOT_SUPPORTED: _R.CONTACT_PARTNER,
    _C.OFFERING_NOT_SUPPORTED: _R.CONTACT_PARTNER,
    _C.CREDIT_LINE_NOT_SUPPORTED: _R.CONTACT_PARTNER,
    _C.FUTURE_START_DATE_NOT_SUPPORTED: _R.CONTACT_PARTNER,
}


class RenewalMode(StrEnum):
    """How a subscription renews (A1)."""

    AUTOMATIC = "automatic"
    MANUAL = "manual"
    NONE = "none"


def _catalog(catalogs: dict[str, dict[str, str]], locale: str) -> dict[str, str]:
    try:
        return catalogs[locale]
    except (KeyError, TypeError):
        raise InvalidInputError(
            "locale", locale, f"must be one of {', '.join(_messages.LOCALES)}"
        ) from None


def _to_params(value: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> Any:
    # Normalise the container only (a mapping or pairs, in any order); the
    # validator refuses anything else with the field's name.
    if isinstance(value, tuple) and all(
        isinstance(pair, tuple) and len(pair) == 2 for pair in value
    ):
        pairs = value
    elif isinstance(value, Mapping):
        pairs = tuple(value.items())
    elif isinstance(value, list):
        pairs = tuple(tuple(pair) if isinstance(pair, list) else pair for pair in value)
    else:
        return value
    try:
        return tuple(sorted(pairs, key=lambda pair: pair[0]))
    except (TypeError, IndexError, KeyError):
        return pairs  # the validator names what is wrong


def _validate_params(_inst: object, _attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple):
        raise InvalidTypeError(
            "params", value, "expected a mapping or (name, value) pairs"
        )
    names: set[str] = set()
    for pair in value:
        if not (
            isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)
        ):
            raise InvalidTypeError("params", value, "expected (name, value) pairs")
        if pair[0] in names:
            raise InvalidInputError("params", value, f"names {pair[0]!r} twice")
        names.add(pair[0])
        if not isinstance(pair[1], Hashable):
            raise InvalidTypeError(
                f"params.{pair[0]}", pair[1], "expected a hashable value"
            )


def _optional_subject(_inst: object, _attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidTypeError("subject", value, "expected a str or None")


@attrs.frozen
class Reason:
    """One reason a rule said no.

    Attributes:
        code: the stable :class:`ReasonCode`.
        subject: the id of the subscription, quote or quote line it concerns,
            or ``None`` for a reason about a whole batch.
        params: the values the message needs, as a mapping or ``(name, value)``
            pairs; stored as a tuple of pairs sorted by name.
    """

    code: ReasonCode = attrs.field(validator=v.enum_member(ReasonCode))
    subject: str | None = attrs.field(default=None, validator=_optional_subject)
    params: tuple[tuple[str, Any], ...] = attrs.field(
        default=(), converter=_to_params, validator=_validate_params
    )

    @property
    def remedy(self) -> Remedy | None:
        """The :class:`Remedy` for this reason's code, or ``None``."""
        return _REMEDIES.get(self.code)

    def message(self, locale: str = "en") -> str:
        """Render the reason as a sentence in ``locale`` (``"en"`` or ``"fr"``).

        Raises:
            InvalidInputError: (a ``ValueError``) for an unknown locale.
        """
        template = _catalog(_messages.REASON_MESSAGES, locale)[self.code.value]
        return template.format_map({name: _show(value) for name, value in self.params})

    def explain(self, locale: str = "en") -> str:
        """Render the subject, the message and the remedy on one line."""
        parts = [f"[{self.subject}] " if self.subject is not None else ""]
        parts.append(self.message(locale))
        remedy = self.remedy
        if remedy is not None:
            label = _catalog(_messages.PHRASES, locale)["remedy"]
            parts.append(f" {label} {remedy.message(locale)}")
        return "".join(parts)


def make_reason(
    code: ReasonCode,
    subject: str | None = None,
    params: tuple[tuple[str, Any], ...] = (),
) -> Reason:
    """Build a :class:`Reason` from trusted parts, skipping validation.

    For the rules' fast path only: ``code`` is a member, ``subject`` a string
    that a validated model already holds, and ``params`` pairs already
    sorted by name. The result equals ``Reason(code=..., ...)``.
    """
    reason: Reason = _new(Reason)
    _set_code(reason, code)
    _set_subject(reason, subject)
    _set_params(reason, params)
    return reason


# The slots' own setters: the cheapest way to fill a frozen slotted instance.
_new = object.__new__
_set_code = Reason.__dict__["code"].__set__
_set_subject = Reason.__dict__["subject"].__set__
_set_params = Reason.__dict__["params"].__set__


def _show(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_validate_reasons = v.tuple_of(Reason)


@attrs.frozen
class Decision:
    """The answer of a rule: allowed, or refused with every reason.

    The invariant ``allowed == (not reasons)`` is checked at construction;
    build decisions from reasons with :meth:`from_reasons`.

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
        reasons = tuple(reasons)
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
        from renewal_rules._html import decision_html

        return decision_html(self)

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
    phrases = _catalog(_messages.PHRASES, locale)
    if not reasons:
        return phrases[allowed]
    lines = [phrases[refused]]
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

    opens_on: date = attrs.field(validator=v.instance_of_date)
    closes_on: date = attrs.field(validator=v.instance_of_date)

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


class _Deferred:
    # A slot outside the attrs fields (so outside eq, hash, repr, pickling
    # and serialisation) for the parts of reasons not built yet.
    __slots__ = ("_pending",)


@attrs.frozen
class RenewalRequirement(_Deferred):
    """How a subscription will renew, and why not automatically.

    :func:`~renewal_rules.renewal_requirement` builds the :class:`Reason`
    objects when ``reasons`` is first read (a nightly run over millions of
    subscriptions often reads ``mode`` or :attr:`codes` only); they are then
    kept, and the requirement is equal, hashed, shown and pickled like one
    built with every reason.

    Attributes:
        mode: :attr:`RenewalMode.AUTOMATIC` exactly when ``reasons`` is empty;
            :attr:`RenewalMode.NONE` when it cannot renew at all (E1, E2).
        reasons: why it is not automatic (``MANUAL``) or cannot renew (``NONE``).
        window: the manual renewal window (M1).
    """

    mode: RenewalMode = attrs.field(validator=v.enum_member(RenewalMode))
    reasons: tuple[Reason, ...] = attrs.field(
        converter=v.to_tuple, validator=_validate_reasons
    )
    window: DateWindow = attrs.field(validator=attrs.validators.instance_of(DateWindow))

    def __attrs_post_init__(self) -> None:
        if (self.mode is RenewalMode.AUTOMATIC) == bool(self.reasons):
            raise InvalidInputError(
                "mode", self.mode, "must be AUTOMATIC exactly when there are no reasons"
            )

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        """The codes of the reasons, in order (read without building them)."""
        try:
            codes: tuple[ReasonCode, ...] = _get_pending(self)[0]
        except AttributeError:
            return tuple(reason.code for reason in self.reasons)
        return codes

    def _repr_html_(self) -> str:
        from renewal_rules._html import requirement_html

        return requirement_html(self)

    def explain(self, locale: str = "en") -> str:
        """Render the mode and the reasons in ``locale``."""
        return _explain(
            self.reasons, locale, allowed="automatic", refused=self.mode.value
        )


_get_pending = _Deferred.__dict__["_pending"].__get__
_set_pending = _Deferred.__dict__["_pending"].__set__
_set_req_mode = RenewalRequirement.__dict__["mode"].__set__
_set_req_reasons = RenewalRequirement.__dict__["reasons"].__set__
_set_req_window = RenewalRequirement.__dict__["window"].__set__


class _DeferredReasons:
    """The ``reasons`` slot of :class:`RenewalRequirement`, read through.

    The fast path stores ``None`` there (never a valid value) and the parts
    of the reasons in ``_pending``; the first read builds the tuple and
    stores it in the slot.
    """

    __slots__ = ("_get", "_set", "slot")

    def __init__(self, slot: Any) -> None:
        self.slot = slot
        self._get = slot.__get__
        self._set = slot.__set__

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self.slot
        reasons = self._get(instance)
        if reasons is None:
            try:
                codes, params, subject = _get_pending(instance)
            except AttributeError:
                # Not deferred: ``reasons=None`` given to the constructor,
                # whose validator is about to refuse it by name.
                return None
            if len(codes) == 1:  # the common case, without an iterator
                reasons = (make_reason(codes[0], subject, params[0]),)
            else:
                reasons = tuple(map(make_reason, codes, repeat(subject), params))
            # Two threads may both build it: equal tuples, either may stay.
            self._set(instance, reasons)
        return reasons

    def __set__(self, instance: object, value: Any) -> None:
        self._set(instance, value)


# attrs made ``reasons`` a plain slot; reads now go through the wrapper
# (through setattr: mypy would hold an assignment to the field's type).
setattr(  # noqa: B010
    RenewalRequirement, "reasons", _DeferredReasons(RenewalRequirement.reasons)
)


def deferred_requirement(
    mode: RenewalMode,
    codes: tuple[ReasonCode, ...],
    params: tuple[tuple[tuple[str, Any], ...], ...],
    subject: str,
    window: DateWindow,
) -> RenewalRequirement:
    """Build a non-automatic requirement whose reasons are built when read.

    For the rules' fast path only, from trusted parts: ``codes`` is not
    empty, ``params[i]`` are the sorted params of ``codes[i]``, and both are
    best shared between results. ``reasons`` will equal
    ``tuple(Reason(c, subject, p) for c, p in zip(codes, params))``.
    """
    requirement: RenewalRequirement = _new(RenewalRequirement)
    _set_req_mode(requirement, mode)
    _set_req_reasons(requirement, None)
    _set_req_window(requirement, window)
    _set_pending(requirement, (codes, params, subject))
    return requirement


class RuleViolation(RenewalRulesError):  # noqa: N818 - the name is API.md's
    """Raised by a transition (``renew``, ...) whose check refused it.

    Attributes:
        decision: the refusing :class:`Decision`, with every reason.
    """

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.explain())
        self.decision = decision

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.decision,))
