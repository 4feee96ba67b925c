"""What happens on which day, with no clock: reminders and the renewal timeline (N1-N3).

[`renewal_timeline`][renewal_rules.renewal_timeline] answers the question billing
systems answer with server-side test clocks: the dated events of a subscription's future
when the customer does nothing and automatic charges and invoices succeed. It
walks terms, not days, so decades of monthly terms stay fast.

>>> from datetime import date
>>> from renewal_rules import PurchaseMethod, Subscription, Term
>>> sub = Subscription(
...     id="S-1", csn="5100001", product="ACD", term=Term.ANNUAL,
...     term_start=date(2026, 6, 30), term_end=date(2027, 6, 30),
...     currency="EUR", purchase_method=PurchaseMethod.ONLINE, market="FR",
... )
>>> for event in renewal_timeline(sub, start=date(2027, 1, 1), end=date(2028, 1, 1)):
...     print(event.on, event.kind.value, dict(event.params))
2027-04-01 renewal_window_opens {}
2027-05-16 reminder {'days_before': 45}
2027-05-31 reminder {'days_before': 30}
2027-05-31 auto_quote {}
2027-06-26 reminder {'days_before': 4}
2027-06-30 expired {}
2027-07-15 access_removed {}
2027-08-14 canceled {}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import attrs

from renewal_rules import _html, _terms
from renewal_rules import _validators as v
from renewal_rules import conditions as cond
from renewal_rules.decisions import RenewalMode, _to_params
from renewal_rules.errors import InvalidInputError, InvalidTypeError
from renewal_rules.model import PaymentKind, Subscription, Term
from renewal_rules.policy import DEFAULT_POLICY, RenewalPolicy
from renewal_rules.quotes import auto_quote_on

__all__ = [
    "TimelineEvent",
    "TimelineKind",
    "portfolio_timeline",
    "reminder_dates",
    "renewal_timeline",
]


class TimelineKind(StrEnum):
    """What happens on a day of a timeline, in the order of events on one day."""

    RENEWAL_WINDOW_OPENS = "renewal_window_opens"
    REMINDER = "reminder"
    AUTO_QUOTE = "auto_quote"
    AUTO_RENEWAL = "auto_renewal"
    INVOICE_ISSUED = "invoice_issued"
    INVOICE_DUE = "invoice_due"
    EXPIRED = "expired"
    ACCESS_REMOVED = "access_removed"
    CANCELED = "canceled"


_ORDER = {kind: index for index, kind in enumerate(TimelineKind)}
_K = TimelineKind
# The params of each kind: names (sorted) and types.
_PARAMS: dict[TimelineKind, tuple[tuple[str, type[Any]], ...]] = {
    _K.REMINDER: (("days_before", int),),
    _K.AUTO_RENEWAL: (("term", Term), ("term_end", date)),
    _K.INVOICE_DUE: (("issued_on", date),),
}


def event_param_types(kind: object) -> dict[str, type[Any]]:
    """The params of events of ``kind``: name to type (none for others)."""
    return dict(_PARAMS.get(kind, ())) if isinstance(kind, TimelineKind) else {}


def _validate_params(instance: Any, _attribute: Any, value: Any) -> None:
    expected = _PARAMS.get(instance.kind, ())
    if type(value) is not tuple or tuple(
        p[0] if type(p) is tuple and len(p) == 2 else None for p in value
    ) != tuple(name for name, _ in expected):
        names = ", ".join(name for name, _ in expected) or "none"
        raise InvalidInputError("params", value, f"must be exactly: {names}")
    for (name, item), (_, kind) in zip(value, expected, strict=True):
        ok = isinstance(item, kind) if kind is Term else type(item) is kind
        if not ok:
            raise InvalidTypeError(
                f"params.{name}", item, f"expected {v.article(kind.__name__)}"
            )
        if kind is int:
            v.check_int64(f"params.{name}", item)


@attrs.frozen
class TimelineEvent:
    """One dated event of a timeline (N3).

    Attributes:
        on: the day it happens (may lie past the supported range: computed).
        kind: the [`TimelineKind`][renewal_rules.TimelineKind].
        subject: the subscription's id.
        params: sorted ``(name, value)`` pairs: ``days_before`` for a
            reminder; ``term`` and ``term_end`` (of the new term) for an
            automatic renewal; ``issued_on`` for an invoice's due date.
    """

    on: date = attrs.field(validator=v.computed_date)
    kind: TimelineKind = attrs.field(validator=v.enum_member(TimelineKind))
    subject: str = attrs.field(validator=v.text)
    params: tuple[tuple[str, Any], ...] = attrs.field(
        default=(), converter=_to_params, validator=_validate_params
    )

    @property
    def sort_key(self) -> tuple[date, int, str]:
        """The order of events: date, then kind (in its enum order), then subject."""
        return (self.on, _ORDER[self.kind], self.subject)


class Timeline(tuple[TimelineEvent, ...]):
    """A tuple of events that a notebook shows as a dated table."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, *, max_rows: int = _html.MAX_ROWS) -> str:
        """The events as HTML: their count by kind, then at most ``max_rows``."""
        limit = _html.check_max_rows(max_rows)
        rows = (
            (
                event.on.isoformat(),
                event.subject,
                event.kind.value,
                ", ".join(f"{name}={_shown(value)}" for name, value in event.params),
            )
            for event in self
        )
        kinds = _html.counts(event.kind.value for event in self)
        return _html.block(
            f"Timeline: {len(self):,} events" + (f" ({kinds})" if kinds else ""),
            _html.table(
                ("date", "subscription", "event", "details"),
                rows,
                count=len(self),
                max_rows=limit,
            ),
        )


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


# The walk's own parts are valid: skip re-validation (see
# _validators.builder); equal to TimelineEvent(on, kind, subject, params).
_event: Callable[
    [date, TimelineKind, str, tuple[tuple[str, Any], ...]], TimelineEvent
] = v.builder(TimelineEvent)


def _mode(sub: Subscription, policy: RenewalPolicy) -> RenewalMode:
    # N3: a term's mode is its requirement on its last day (A1, the same
    # conditions and mode as renewal_requirement, without building reasons).
    last_day = sub.term_end - _DAY
    failed = cond.failures(sub, last_day, policy, cond.AUTOMATIC)
    return cond.requirement_of(failed)[0]


def _renewed(sub: Subscription, new_end: date) -> Subscription | None:
    # The no-action future: what renew(sub, as_of=term_end - 1 day) records
    # (E4, T2, P3; new_end is next_term_end); None past the range.
    if new_end > v.MAX_DATE:
        return None
    return _terms.renewed(sub)


def _reminders(
    sub: Subscription, policy: RenewalPolicy, mode: RenewalMode
) -> list[tuple[date, int]]:
    # N2: for MANUAL, and for AUTOMATIC with remind_automatic; never before
    # the term starts.
    if mode is RenewalMode.NONE or (
        mode is RenewalMode.AUTOMATIC and not policy.remind_automatic
    ):
        return []
    found = [
        (sub.term_end - timedelta(days=days), days)
        for days in policy.reminder_days_before
    ]
    return sorted(item for item in found if item[0] >= sub.term_start)


def reminder_dates(
    sub: Subscription, *, policy: RenewalPolicy = DEFAULT_POLICY
) -> tuple[date, ...]:
    """Return the days reminders go out before ``term_end``, ascending (N2).

    None for a term whose renewal mode (on its last day) is ``NONE``; the
    reminders of ``policy.reminder_days_before`` for ``MANUAL``, and for
    ``AUTOMATIC`` only with ``policy.remind_automatic``; never a day before
    ``term_start``.
    """
    v.require("sub", sub, Subscription)
    v.require("policy", policy, RenewalPolicy)
    return tuple(on for on, _ in _reminders(sub, policy, _mode(sub, policy)))


Planned = tuple[date, TimelineKind, tuple[tuple[str, Any], ...]]


def _term_events(
    sub: Subscription, policy: RenewalPolicy
) -> tuple[list[Planned], date | None]:
    """The events of the current term, and the next term's end (None: the last)."""
    start, end = sub.term_start, sub.term_end
    mode = _mode(sub, policy)
    automatic = mode is RenewalMode.AUTOMATIC
    events: list[Planned] = (
        []  # the common case of a nightly portfolio: no reminder (N2)
        if automatic and not policy.remind_automatic
        else [
            (on, _K.REMINDER, (("days_before", days),))
            for on, days in _reminders(sub, policy, mode)
        ]
    )
    if automatic:  # A1, A5
        next_term = _terms.next_term(sub)
        new_end = _terms.next_term_end(sub)
        events.append(
            (end, _K.AUTO_RENEWAL, (("term", next_term), ("term_end", new_end)))
        )
        method = sub.payment_method
        if method is not None and method.kind is PaymentKind.INVOICE:
            due = end + timedelta(days=policy.invoice_payment_days)
            events.append((end, _K.INVOICE_ISSUED, ()))
            events.append((due, _K.INVOICE_DUE, (("issued_on", end),)))
        return events, new_end
    if mode is RenewalMode.MANUAL:  # N1, Q19
        opens_on = cond.window_of(sub, policy).opens_on
        if opens_on >= start:
            events.append((opens_on, _K.RENEWAL_WINDOW_OPENS, ()))
        quote_on = auto_quote_on(sub, policy)
        if quote_on is not None and quote_on >= start:
            events.append((quote_on, _K.AUTO_QUOTE, ()))
    stages = cond.stage_dates_of(sub, policy)  # G1: no customer action
    if stages.suspended_on > stages.expired_on:
        events.append((stages.expired_on, _K.EXPIRED, ()))
    if stages.canceled_on > stages.suspended_on:
        events.append((stages.suspended_on, _K.ACCESS_REMOVED, ()))
    events.append((stages.canceled_on, _K.CANCELED, ()))
    return events, None


def _check_span(start: object, end: object) -> None:
    v.check_date("start", start)
    v.check_date("end", end)
    if end < start:  # type: ignore[operator]
        raise InvalidInputError("end", end, "must not be before start")


def _walk(
    sub: Subscription, start: date, end: date, policy: RenewalPolicy
) -> list[Planned]:
    """The events of ``sub`` on ``[start, end)``, in the order the terms give."""
    found: list[Planned] = []
    current: Subscription | None = sub
    while current is not None and current.term_start < end:
        events, new_end = _term_events(current, policy)
        found += [event for event in events if start <= event[0] < end]
        if new_end is None or current.term_end >= end:
            break
        current = _renewed(current, new_end)
        if current is not None and current.term_end < start:
            current = _skip(current, start, policy)
    return found


def _skip(sub: Subscription, start: date, policy: RenewalPolicy) -> Subscription | None:
    # A renewed term (no pending change) of an AUTOMATIC chain, before
    # ``start``: the terms whose every event falls before ``start`` are
    # skipped by arithmetic. Only the card's expiry can make a later term
    # MANUAL (A1: it expires before that term's end), so the skipped terms
    # end on or before it; an invoice's due date (A5) is a term's last event.
    method = sub.payment_method
    bound = start
    if method is not None and method.kind is PaymentKind.INVOICE:
        bound -= timedelta(days=policy.invoice_payment_days)
    if method is not None and method.expires_on is not None:
        bound = min(bound, method.expires_on + _DAY)
    return _terms.skip_terms(sub, bound)


def renewal_timeline(
    sub: Subscription,
    *,
    start: date,
    end: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> tuple[TimelineEvent, ...]:
    """Return the events of ``sub``'s no-action future on ``[start, end)`` (N1-N3).

    For an ``AUTOMATIC`` term: reminders (only with ``remind_automatic``),
    ``AUTO_RENEWAL`` on ``term_end`` (paid by invoice: ``INVOICE_ISSUED``
    then, ``INVOICE_DUE`` ``invoice_payment_days`` later), and the next term
    follows. For a ``MANUAL`` term: ``RENEWAL_WINDOW_OPENS``, reminders,
    ``AUTO_QUOTE``, then ``EXPIRED``, ``ACCESS_REMOVED`` (for stages that last
    a day or more) and ``CANCELED``, where the timeline ends; a trial gives
    ``CANCELED`` on ``term_end``. A term's notices dated before its
    ``term_start`` are not emitted. Events are sorted by date, then kind
    ([`TimelineKind`][renewal_rules.TimelineKind] order).

    Raises:
        InvalidInputError: ``end`` is before ``start``, or a date is outside
            the supported range.
    """
    v.require("sub", sub, Subscription)
    _check_span(start, end)
    v.require("policy", policy, RenewalPolicy)
    subject = sub.id
    planned = sorted(
        (on, _ORDER[kind], n, kind, params)
        for n, (on, kind, params) in enumerate(_walk(sub, start, end, policy))
    )
    return Timeline(
        _event(on, kind, subject, params) for on, _, _, kind, params in planned
    )


def portfolio_timeline(
    subs: Iterable[Subscription],
    *,
    start: date,
    end: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> tuple[TimelineEvent, ...]:
    """Merge the timelines of ``subs``: by date, kind, subject, then input order."""
    _check_span(start, end)
    v.require("policy", policy, RenewalPolicy)
    merged: list[tuple[date, int, str, int, int, TimelineKind, Any]] = []
    for index, sub in enumerate(v.items("subs", subs)):
        v.require(f"subs[{index}]", sub, Subscription)
        subject = sub.id
        merged += [
            (on, _ORDER[kind], subject, index, n, kind, params)
            for n, (on, kind, params) in enumerate(_walk(sub, start, end, policy))
        ]
    merged.sort()  # date, kind, subject, input order (then the walk's order)
    return Timeline(
        _event(on, kind, subject, params)
        for on, _, subject, _, _, kind, params in merged
    )


_DAY = timedelta(days=1)
