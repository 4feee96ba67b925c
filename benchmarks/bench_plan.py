"""plan_batches(RENEW) against a bare-Python baseline (run by run.py).

The baseline does the same work on the same objects: the duplicate check,
the same eligibility checks (paid, not expired, inside the window, market
capabilities), every reason of every rejected subscription as a tuple of
code, subject and params, dict grouping by key, sorted keys, and slicing into
batches of 100. Both sides then read every reason, as a user does.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from renewal_rules import (
    DEFAULT_POLICY,
    BatchAction,
    BatchPlan,
    Capability,
    Subscription,
    plan_batches,
)

Key = tuple[str, str, str]
BareReason = tuple[str, str, tuple[tuple[str, Any], ...]]


def baseline(
    subs: list[Subscription], as_of: date
) -> tuple[
    list[tuple[Key, list[Subscription]]], list[tuple[Subscription, list[BareReason]]]
]:
    """The same plan in plain Python: tuples and strings, no library objects."""
    window = timedelta(days=90)
    capabilities = DEFAULT_POLICY.capabilities
    needed = (Capability.MANUAL_RENEWAL, Capability.BATCH_MANUAL_RENEWAL)
    groups: dict[Key, list[Subscription]] = {}
    rejected: list[tuple[Subscription, list[BareReason]]] = []
    seen: set[str] = set()
    for sub in subs:
        sid = sub.id
        if sid in seen:
            rejected.append((sub, [("duplicate_subscription", sid, ())]))
            continue
        seen.add(sid)
        reasons: list[BareReason] = []
        if sub.kind == "trial":
            reasons.append(("trial_not_renewable", sid, ()))
        end = sub.term_end
        if as_of >= end:
            reasons.append(("subscription_expired", sid, ()))
        elif as_of < end - window:
            reasons.append(
                ("outside_renewal_window", sid, (("opens_on", end - window),))
            )
        caps = capabilities(sub.market)
        reasons.extend(
            ("capability_unavailable", sid, (("capability", cap),))
            for cap in needed
            if cap not in caps
        )
        if reasons:
            rejected.append((sub, reasons))
            continue
        groups.setdefault((sub.csn, sub.currency, sub.purchase_method), []).append(sub)
    batches: list[tuple[Key, list[Subscription]]] = []
    for key in sorted(groups):
        members = groups[key]
        batches.extend((key, members[i : i + 100]) for i in range(0, len(members), 100))
    for _, bare in rejected:  # read as the library's reasons are read
        for code, subject, params in bare:  # noqa: B007
            pass
    return batches, rejected


def library(subs: list[Subscription], as_of: date) -> BatchPlan:
    """``plan_batches(RENEW)``, every reason of every rejection then read."""
    plan = plan_batches(subs, action=BatchAction.RENEW, as_of=as_of)
    for rejection in plan.rejected:
        for reason in rejection.reasons:
            reason.code, reason.subject, reason.params  # noqa: B018
    return plan
