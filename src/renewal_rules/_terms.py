"""The facts derived from one subscription, each computed here only (private).

The term the next renewal uses, that term's end, the manual window's first
day, the stage dates after expiry and the renewed subscription: every rule
family and every door reads them from here, so each is written once. The
predicates of the rules (is it a trial, is it over) are the conditions'
([`renewal_rules.conditions`][renewal_rules.conditions]); this module only computes
dates and values from a subscription whose fields are valid.

>>> from datetime import date
>>> from renewal_rules import PurchaseMethod, Subscription, Term
>>> sub = Subscription(
...     id="S-1", csn="5100001", product="ACD", term=Term.MONTHLY,
...     term_start=date(2027, 1, 31), term_end=date(2027, 2, 28),
...     currency="EUR", purchase_method=PurchaseMethod.ONLINE, market="FR",
...     anchor_day=31, pending_term=Term.ANNUAL,
... )
>>> next_term(sub), next_term_end(sub)
(<Term.ANNUAL: 'annual'>, datetime.date(2028, 2, 29))
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

from renewal_rules import _validators as v
from renewal_rules._dates import add_months_anchored
from renewal_rules.decisions import StageDates
from renewal_rules.model import Subscription, Term
from renewal_rules.policy import RenewalPolicy

__all__ = [
    "next_term",
    "next_term_end",
    "opens_on",
    "renewed",
    "skip_terms",
    "stage_dates",
]

DAY = timedelta(days=1)


def next_term(sub: Subscription) -> Term:
    """The term the next renewal uses: the pending term, else the term (T1)."""
    pending = sub.pending_term
    return sub.term if pending is None else pending


def next_term_end(sub: Subscription) -> date:
    """The end of the term after the current one: next term, anchor kept (T2)."""
    return _anchored(sub.term_end, next_term(sub).months, sub.anchor_day)


@functools.lru_cache(maxsize=4096)
def _anchored(start: date, months: int, anchor_day: int) -> date:
    # Bounded, keyed by immutable values: relativedelta costs microseconds,
    # and a timeline walk asks the same term end twice (the event, the
    # renewed term), a portfolio the same few hundred ends again and again.
    return add_months_anchored(start, months, anchor_day=anchor_day)


@functools.lru_cache(maxsize=4096)
def opens_on(term_end: date, days: int) -> date:
    """The first day of the manual window of a term ending on ``term_end`` (M1)."""
    # Bounded, keyed by immutable values, and free of any policy object: the
    # nightly runs ask for the same few hundred term ends a million times.
    return term_end - timedelta(days=days)


def stage_dates(
    sub: Subscription,
    policy: RenewalPolicy,
    invoice_due_on: date | None = None,
    *,
    trial: bool,
) -> StageDates:
    """The first days of the expired, suspended and canceled stages (G1, G6).

    The shutoff starts on ``term_end``, or the day after an open renewal
    invoice's ``invoice_due_on`` when that is earlier; a ``trial`` (E1, as
    the conditions say) has no shutoff: all three dates are ``term_end``.
    """
    end = sub.term_end
    if trial:
        return StageDates(expired_on=end, suspended_on=end, canceled_on=end)
    start = end
    if invoice_due_on is not None and invoice_due_on < end:  # G6
        start = invoice_due_on + DAY
    suspended_on = start + timedelta(days=policy.expired_stage_days)
    canceled_on = suspended_on + timedelta(days=policy.suspended_stage_days[sub.term])
    return StageDates(
        expired_on=start, suspended_on=suspended_on, canceled_on=canceled_on
    )


def renewed(sub: Subscription, *, start: date | None = None) -> Subscription:
    """``sub`` renewed (E4, T2, P3): the next term, pending changes applied.

    The new term starts on the old ``term_end`` and ends on
    `next_term_end`, anchor kept; with ``start`` (G4 under
    ``LateRenewalBasis.RENEWAL_DATE``) it starts on ``start`` instead,
    anchored on ``start.day``. A pending term and a pending quantity become
    the term and the quantity.

    Raises:
        InvalidInputError: the new term would end past the supported range
            (``term_end``).
    """
    term = next_term(sub)
    if start is None:
        start, anchor, end = sub.term_end, sub.anchor_day, next_term_end(sub)
    else:
        anchor = start.day
        end = _anchored(start, term.months, anchor)
    v.check_date("term_end", end)
    return _on_term(sub, term, start, end, anchor)


def _on_term(
    sub: Subscription, term: Term, start: date, end: date, anchor: int
) -> Subscription:
    # ``sub`` on the term [start, end): pending changes applied. Every field
    # comes from the validated subscription or is computed from it within
    # the supported range: no field validator could refuse one.
    return _build_subscription(
        sub.id,
        sub.csn,
        sub.product,
        term,
        start,
        end,
        sub.currency,
        sub.purchase_method,
        sub.market,
        sub.pending_quantity or sub.quantity,
        sub.kind,
        sub.payment_method,
        sub.auto_renew,
        sub.partner_csn,
        None,
        anchor,
        None,
    )


_build_subscription = v.builder(Subscription)


def skip_terms(sub: Subscription, bound: date) -> Subscription | None:
    """``sub`` renewed past every term ending before ``bound``, in constant time.

    ``sub`` has no pending change (each renewal then only moves the term by
    its length, anchor kept: T2), so term ``i`` after it ends on
    ``term_end`` moved ``i`` terms. Returns the first term ending on or
    after ``bound`` (``sub`` itself when it does), or ``None`` when that
    term would end past the supported range (where renewals stop).
    """
    if sub.term_end >= bound:
        return sub
    months, anchor, first = sub.term.months, sub.anchor_day, sub.term_end

    def end_of(index: int) -> date:  # the end of term ``index`` after ``sub``'s
        return add_months_anchored(first, index * months, anchor_day=anchor)

    # The last term ending before bound. Counted in whole terms of months,
    # term ``index`` ends in bound's month or before, and the next one in a
    # later month; in bound's month, on or after its day, it is one too far
    # (index > 0 then: term 0 ends before bound).
    index = ((bound.year - first.year) * 12 + bound.month - first.month) // months
    if end_of(index) >= bound:
        index -= 1
    start, end = end_of(index), end_of(index + 1)
    if end > v.MAX_DATE:
        return None
    return _on_term(sub, sub.term, start, end, anchor)
