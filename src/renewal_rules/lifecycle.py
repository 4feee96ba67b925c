"""Life after expiry: stages, their dates and access (G1, G2, G6).

An expired subscription goes ``EXPIRED`` (15 days, access kept), then
``SUSPENDED`` (15 days for a monthly term, 30 otherwise; no access), then
``CANCELED``. The stages exist whatever the policy; ``post_expiry_renewal``
only decides whether one may still renew in them (G3, in
[`renewal_rules.conditions`][renewal_rules.conditions]). An open, unpaid renewal invoice
starts the shutoff the day after its due date when that is earlier (G6).

>>> from datetime import date
>>> from renewal_rules import PurchaseMethod, Subscription, Term
>>> sub = Subscription(
...     id="S-1", csn="5100001", product="ACD", term=Term.ANNUAL,
...     term_start=date(2026, 6, 30), term_end=date(2027, 6, 30),
...     currency="EUR", purchase_method=PurchaseMethod.ONLINE, market="FR",
... )
>>> dates = stage_dates(sub)
>>> print(dates.expired_on, dates.suspended_on, dates.canceled_on)
2027-06-30 2027-07-15 2027-08-14
>>> lifecycle_stage(sub, as_of=date(2027, 7, 15))
<LifecycleStage.SUSPENDED: 'suspended'>
"""

from __future__ import annotations

from datetime import date

from renewal_rules import _validators as v
from renewal_rules.conditions import stage_dates_of
from renewal_rules.decisions import StageDates
from renewal_rules.model import LifecycleStage, Subscription
from renewal_rules.policy import DEFAULT_POLICY, RenewalPolicy, check_context

__all__ = ["has_access", "lifecycle_stage", "stage_dates"]


def _check(sub: object, policy: object, invoice_due_on: object) -> None:
    v.require("sub", sub, Subscription)
    v.require("policy", policy, RenewalPolicy)
    if invoice_due_on is not None:
        v.check_date("invoice_due_on", invoice_due_on)


def stage_dates(
    sub: Subscription,
    *,
    policy: RenewalPolicy = DEFAULT_POLICY,
    invoice_due_on: date | None = None,
) -> StageDates:
    """Return the first days of the expired, suspended and canceled stages (G1, G6).

    ``expired_on = s``, ``suspended_on = s + expired_stage_days``,
    ``canceled_on = suspended_on + suspended_stage_days[term]``, where ``s``
    is ``term_end``, or ``min(term_end, invoice_due_on + 1 day)`` for an open
    renewal invoice. For a trial all three are ``term_end`` (and
    ``invoice_due_on`` is ignored).
    """
    _check(sub, policy, invoice_due_on)
    return stage_dates_of(sub, policy, invoice_due_on)


def lifecycle_stage(
    sub: Subscription,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
    invoice_due_on: date | None = None,
) -> LifecycleStage:
    """Return the stage of ``sub`` on ``as_of`` (G1, G6).

    ``ACTIVE`` before the shutoff starts, then ``EXPIRED``, ``SUSPENDED`` and
    ``CANCELED`` from the dates of [`stage_dates`][renewal_rules.stage_dates]. A trial
    is ``ACTIVE`` before ``term_end`` and ``CANCELED`` from it.
    """
    _check(sub, policy, invoice_due_on)
    check_context(as_of, policy)
    dates = stage_dates_of(sub, policy, invoice_due_on)
    if as_of >= dates.canceled_on:
        return LifecycleStage.CANCELED
    if as_of >= dates.suspended_on:
        return LifecycleStage.SUSPENDED
    if as_of >= dates.expired_on:
        return LifecycleStage.EXPIRED
    return LifecycleStage.ACTIVE


def has_access(
    sub: Subscription,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
    invoice_due_on: date | None = None,
) -> bool:
    """Say whether the customer can use ``sub`` on ``as_of`` (G2).

    True while ``ACTIVE`` or ``EXPIRED``, false once ``SUSPENDED`` or
    ``CANCELED``; per subscription, never per account.
    """
    stage = lifecycle_stage(
        sub, as_of=as_of, policy=policy, invoice_due_on=invoice_due_on
    )
    return stage in _WITH_ACCESS


_WITH_ACCESS = frozenset({LifecycleStage.ACTIVE, LifecycleStage.EXPIRED})
