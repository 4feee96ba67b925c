"""plan_batches(RENEW) against a bare-Python baseline (run by run.py).

The baseline does the same work on the same objects: the same eligibility
checks (paid, not expired, inside the window, market capabilities), the
reason-code strings of every rejected subscription, dict grouping by key,
sorted keys, and slicing into batches of 100.
"""

from __future__ import annotations

from datetime import date, timedelta

from renewal_rules import (
    DEFAULT_POLICY,
    BatchAction,
    BatchPlan,
    Capability,
    Subscription,
    plan_batches,
)

Key = tuple[str, str, str]


def baseline(
    subs: list[Subscription], as_of: date
) -> tuple[list[tuple[Key, list[Subscription]]], list[tuple[Subscription, list[str]]]]:
    """The same plan in plain Python: tuples and strings, no library objects."""
    window = timedelta(days=90)
    capabilities = DEFAULT_POLICY.capabilities
    needed = (Capability.MANUAL_RENEWAL, Capability.BATCH_MANUAL_RENEWAL)
    groups: dict[Key, list[Subscription]] = {}
    rejected: list[tuple[Subscription, list[str]]] = []
    seen: set[str] = set()
    for sub in subs:
        if sub.id in seen:
            rejected.append((sub, ["duplicate_subscription"]))
            continue
        seen.add(sub.id)
        codes = []
        if sub.kind == "trial":
            codes.append("trial_not_renewable")
        if as_of >= sub.term_end:
            codes.append("subscription_expired")
        elif as_of < sub.term_end - window:
            codes.append("outside_renewal_window")
        caps = capabilities(sub.market)
        codes.extend("capability_unavailable" for cap in needed if cap not in caps)
        if codes:
            rejected.append((sub, codes))
            continue
        groups.setdefault((sub.csn, sub.currency, sub.purchase_method), []).append(sub)
    batches: list[tuple[Key, list[Subscription]]] = []
    for key in sorted(groups):
        members = groups[key]
        batches.extend((key, members[i : i + 100]) for i in range(0, len(members), 100))
    return batches, rejected


def library(subs: list[Subscription], as_of: date) -> BatchPlan:
    return plan_batches(subs, action=BatchAction.RENEW, as_of=as_of)
