"""plan_alignment against a bare-Python baseline doing the same grouping and checks.

The baseline: the duplicate check, C1's conditions on each subscription
(every reason as a tuple of code, subject and params), grouping by
(CSN, term, payment kind), sorting the keys, each group's latest term end.
Both sides then read every reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from renewal_rules import (
    DEFAULT_POLICY,
    AlignmentPlan,
    Capability,
    PaymentKind,
    PurchaseMethod,
    Subscription,
    SubscriptionKind,
    plan_alignment,
)

BareReason = tuple[str, str, tuple[tuple[str, Any], ...]]
BareGroup = tuple[tuple[str, str, str], date, list[Subscription]]


def baseline(
    subs: list[Subscription], as_of: date
) -> tuple[list[BareGroup], list[tuple[Subscription, list[BareReason]]]]:
    """The same plan with tuples."""
    capabilities = DEFAULT_POLICY.capabilities
    align = Capability.ALIGN_PAYMENT_DATES
    groups: dict[tuple[str, Any, Any], list[Subscription]] = {}
    rejected: list[tuple[Subscription, list[BareReason]]] = []
    seen: set[str] = set()
    for sub in subs:
        sid = sub.id
        if sid in seen:
            rejected.append((sub, [("duplicate_subscription", sid, ())]))
            continue
        seen.add(sid)
        reasons: list[BareReason] = []
        if sub.kind is SubscriptionKind.TRIAL:
            reasons.append(("trial_not_renewable", sid, ()))
        if as_of >= sub.term_end:
            reasons.append(("subscription_expired", sid, ()))
        if sub.purchase_method is not PurchaseMethod.ONLINE:
            reasons.append(("alignment_not_online", sid, ()))
        method = sub.payment_method
        if method is not None and method.kind is PaymentKind.PAYPAL:
            reasons.append(("alignment_paypal", sid, ()))
        if sub.pending_term is not None:
            reasons.append(("alignment_term_pending", sid, ()))
        if method is None:
            reasons.append(("no_payment_method", sid, ()))
        if align not in capabilities(sub.market):
            reasons.append(("capability_unavailable", sid, (("capability", align),)))
        if reasons or method is None:
            rejected.append((sub, reasons))
            continue
        groups.setdefault((sub.csn, sub.term, method.kind), []).append(sub)
    result = [
        (
            (key[0], key[1].value, key[2].value),
            max(s.term_end for s in groups[key]),
            groups[key],
        )
        for key in sorted(groups, key=lambda k: (k[0], k[1].value, k[2].value))
    ]
    for _, bare in rejected:  # read as the library's reasons are read
        for code, subject, params in bare:  # noqa: B007
            pass
    return result, rejected


def library(subs: list[Subscription], as_of: date) -> AlignmentPlan:
    """``plan_alignment``, every reason of every rejection then read."""
    plan = plan_alignment(subs, as_of=as_of)
    for rejection in plan.rejected:
        for reason in rejection.reasons:
            reason.code, reason.subject, reason.params  # noqa: B018
    return plan
