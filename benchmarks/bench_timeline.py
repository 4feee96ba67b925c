"""portfolio_timeline over a portfolio and three years, against bare Python.

The baseline computes the same events (N1-N3 under DEFAULT_POLICY) with
tuples: per term, the mode on its last day (E1, A1, A2, A4), the notices of a
manual term, the automatic renewals (and invoices) term after term, the
stages after expiry; then one sort of the whole portfolio's events.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from renewal_rules import (
    DEFAULT_POLICY,
    PaymentKind,
    Subscription,
    SubscriptionKind,
    TimelineEvent,
    portfolio_timeline,
)

START = date(2027, 1, 1)
END = date(2030, 1, 1)
ORDER = {
    name: i
    for i, name in enumerate(
        (
            "renewal_window_opens",
            "reminder",
            "auto_quote",
            "auto_renewal",
            "invoice_issued",
            "invoice_due",
            "expired",
            "access_removed",
            "canceled",
        )
    )
}
BareEvent = tuple[date, str, str, tuple[tuple[str, Any], ...]]


def _walk(sub: Subscription, start: date, end: date) -> list[BareEvent]:
    policy = DEFAULT_POLICY
    manual_kinds = policy.manual_payment_kinds
    trial = sub.kind is SubscriptionKind.TRIAL
    method = sub.payment_method
    sid = sub.id
    term, pending = sub.term, sub.pending_term
    term_start, term_end, anchor = sub.term_start, sub.term_end, sub.anchor_day
    found: list[BareEvent] = []
    while term_start < end:
        automatic = (
            not trial
            and sub.auto_renew
            and method is not None
            and method.kind not in manual_kinds
            and method.valid
            and (method.expires_on is None or method.expires_on >= term_end)
        )
        events: list[BareEvent] = []
        if automatic:
            next_term = pending or term
            new_end = term_end + relativedelta(months=next_term.months, day=anchor)
            events.append(
                (
                    term_end,
                    "auto_renewal",
                    sid,
                    (("term", next_term), ("term_end", new_end)),
                )
            )
            if method is not None and method.kind is PaymentKind.INVOICE:
                due = term_end + timedelta(days=policy.invoice_payment_days)
                events.append((term_end, "invoice_issued", sid, ()))
                events.append((due, "invoice_due", sid, (("issued_on", term_end),)))
            found += [e for e in events if start <= e[0] < end]
            if term_end >= end:
                break
            term, pending = next_term, None
            term_start, term_end = term_end, new_end
            continue
        if not trial:
            for days in policy.reminder_days_before:
                on = term_end - timedelta(days=days)
                if on >= term_start:
                    events.append((on, "reminder", sid, (("days_before", days),)))
            opens_on = term_end - timedelta(days=policy.renewal_window_days)
            if opens_on >= term_start:
                events.append((opens_on, "renewal_window_opens", sid, ()))
            if not sub.auto_renew and term in policy.auto_quote_terms:
                on = term_end - timedelta(days=policy.auto_quote_days_before)
                if on >= term_start:
                    events.append((on, "auto_quote", sid, ()))
            suspended_on = term_end + timedelta(days=policy.expired_stage_days)
            canceled_on = suspended_on + timedelta(
                days=policy.suspended_stage_days[term]
            )
            events.append((term_end, "expired", sid, ()))
            events.append((suspended_on, "access_removed", sid, ()))
            events.append((canceled_on, "canceled", sid, ()))
        else:
            events.append((term_end, "canceled", sid, ()))
        found += [e for e in events if start <= e[0] < end]
        break
    return found


def baseline(subs: list[Subscription], start: date, end: date) -> list[BareEvent]:
    """The merged events as tuples, in the library's order."""
    merged = []
    for index, sub in enumerate(subs):
        merged += [(e[0], ORDER[e[1]], e[2], index, e) for e in _walk(sub, start, end)]
    merged.sort(key=lambda item: item[:4])
    return [item[4] for item in merged]


def library(
    subs: list[Subscription], start: date, end: date
) -> tuple[TimelineEvent, ...]:
    """``portfolio_timeline``, every event then read."""
    events = portfolio_timeline(subs, start=start, end=end)
    for event in events:
        event.on, event.kind, event.subject, event.params  # noqa: B018
    return events
