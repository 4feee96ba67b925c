"""Batch renewals: group keys, batch checks and portfolio planning (B1-B4).

A batch acts on 1 to ``policy.batch_limit`` subscriptions at once: turning
automatic renewal on (B1), renewing manually (B2), or putting renewals on a
quote. Manual renewals and quotes are formed per [`GroupKey`][renewal_rules.GroupKey]
(customer CSN, currency, purchase method; B3).
[`check_batch`][renewal_rules.check_batch] validates a batch a user selected;
[`plan_batches`][renewal_rules.plan_batches] splits a whole portfolio into valid batches
and says why every other subscription was left out (B4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from typing import Any

import attrs

from renewal_rules import _html, _partition
from renewal_rules import _validators as v
from renewal_rules import conditions as cond
from renewal_rules.decisions import Decision, Reason, ReasonCode, make_reason
from renewal_rules.errors import InvalidInputError
from renewal_rules.model import PurchaseMethod, Subscription
from renewal_rules.policy import (
    DEFAULT_POLICY,
    Capability,
    RenewalPolicy,
    check_context,
)

__all__ = [
    "Batch",
    "BatchAction",
    "BatchPlan",
    "GroupKey",
    "Rejection",
    "check_batch",
    "group_key",
    "merge_plans",
    "plan_batches",
]


class BatchAction(StrEnum):
    """What a batch does."""

    ENABLE_AUTO_RENEW = "enable_auto_renew"
    """Turn automatic renewal on (B1); each member passes A3."""
    RENEW = "renew"
    """Renew manually (B2); each member passes E1-E3, M1, M2."""
    QUOTE = "quote"
    """Put renewals on a quote (B3, Q15); each member is renewable and in window."""


@attrs.frozen(order=True)
class GroupKey:
    """The key that batch renewals and quotes are grouped by (B3).

    Keys order by CSN, then currency, then purchase method value.
    """

    csn: str = attrs.field(validator=v.csn)
    currency: str = attrs.field(validator=v.currency)
    purchase_method: PurchaseMethod = attrs.field(
        validator=v.enum_member(PurchaseMethod)
    )


def group_key(sub: Subscription) -> GroupKey:
    """Return the [`GroupKey`][renewal_rules.GroupKey] of ``sub`` (B3)."""
    v.require("sub", sub, Subscription)
    return GroupKey(
        csn=sub.csn, currency=sub.currency, purchase_method=sub.purchase_method
    )


def _validate_members_key(instance: Any, _attribute: Any, value: Any) -> None:
    key = instance.key
    for index, sub in enumerate(value):
        if (sub.csn, sub.currency, sub.purchase_method) != (
            key.csn,
            key.currency,
            key.purchase_method,
        ):
            raise InvalidInputError(
                f"subscriptions[{index}]", sub.id, "does not have the batch's key"
            )


def _validate_unique_ids(_instance: Any, _attribute: Any, value: Any) -> None:
    seen: set[str] = set()
    for index, sub in enumerate(value):
        if sub.id in seen:
            raise InvalidInputError(
                f"subscriptions[{index}]", sub.id, "is already in the batch (B4)"
            )
        seen.add(sub.id)


@attrs.frozen
class Batch:
    """One batch of a plan: subscriptions of one group key, in input order."""

    key: GroupKey = attrs.field(validator=v.instance_of(GroupKey))
    subscriptions: tuple[Subscription, ...] = attrs.field(
        converter=v.to_tuple,
        validator=[
            v.non_empty_tuple_of(Subscription),
            _validate_members_key,
            _validate_unique_ids,
        ],
    )


@attrs.frozen
class Rejection:
    """A subscription left out of a plan, with every reason why."""

    subscription: Subscription = attrs.field(validator=v.instance_of(Subscription))
    reasons: tuple[Reason, ...] = attrs.field(
        converter=v.to_tuple, validator=v.non_empty_tuple_of(Reason)
    )

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        """The codes of the reasons, in order."""
        return tuple(reason.code for reason in self.reasons)


make_rejection: Callable[[Subscription, tuple[Reason, ...]], Rejection] = v.builder(
    Rejection
)
"""Build a `Rejection` from checked parts (the plans' hot path).

A validated subscription and the rules' own non-empty reasons need no
re-validation (see `builder`)."""


@attrs.frozen
class BatchPlan:
    """The plan of a portfolio: valid batches, and the rejected subscriptions.

    Every input subscription appears exactly once, in one batch or among the
    rejected.
    """

    batches: tuple[Batch, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(Batch)
    )
    rejected: tuple[Rejection, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(Rejection)
    )

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, *, max_rows: int = _html.MAX_ROWS) -> str:
        """The plan as HTML: a summary, then at most ``max_rows`` of each table.

        A batch is numbered by its ordinal within its key, as
        [`to_records`][renewal_rules.to_records] and ``frames.plan_table`` name it.
        """
        limit = _html.check_max_rows(max_rows)
        ordinals = _partition.key_ordinals(batch.key for batch in self.batches)
        batches = _html.table(
            ("csn", "currency", "purchase method", "batch", "size", "subscriptions"),
            (
                (
                    batch.key.csn,
                    batch.key.currency,
                    batch.key.purchase_method.value,
                    n,
                    len(batch.subscriptions),
                    ", ".join(sub.id for sub in batch.subscriptions),
                )
                for n, batch in zip(ordinals, self.batches, strict=True)
            ),
            count=len(self.batches),
            max_rows=limit,
        )
        keys = len({batch.key for batch in self.batches})
        planned = sum(len(batch.subscriptions) for batch in self.batches)
        title = (
            f"Batch plan: {len(self.batches):,} batches of {keys:,} keys "
            f"({planned:,} subscriptions), {len(self.rejected):,} rejected"
        )
        return _html.block(title, batches, rejections_html(self.rejected, limit))


def rejections_html(rejected: tuple[Rejection, ...], max_rows: int) -> str:
    """The table of a plan's rejections: each subscription and its codes."""
    return _html.table(
        ("subscription", "codes"),
        ((r.subscription.id, ", ".join(c.value for c in r.codes)) for r in rejected),
        count=len(rejected),
        max_rows=max_rows,
    )


_QUOTE_CAPABILITIES = cond.capability(
    Capability.PARTNER_QUOTE, Capability.SELF_SERVICE_QUOTE
)
_QUOTE = BatchAction.QUOTE

# The conditions each action asks of a member (B1, B2, Q15): the action's own
# single-subscription check, then the market's batch capability.
_ASKED = {
    BatchAction.ENABLE_AUTO_RENEW: cond.ENABLE_AUTO_RENEW
    | cond.capability(Capability.BATCH_AUTO_RENEWAL),
    BatchAction.RENEW: cond.MANUAL_RENEWAL
    | cond.capability(Capability.BATCH_MANUAL_RENEWAL),
    BatchAction.QUOTE: cond.QUOTE_LINE | _QUOTE_CAPABILITIES,
}
_GROUPED_ACTIONS = frozenset({BatchAction.RENEW, BatchAction.QUOTE})


def _member_failures(
    sub: Subscription, as_of: date, policy: RenewalPolicy, action: BatchAction
) -> int:
    """The failing conditions of ``sub`` as a member of an ``action`` batch."""
    return member_mask(cond.failures(sub, as_of, policy, _ASKED[action]))


def member_mask(failed: int) -> int:
    """The failing member conditions that count, of those ``failed`` (B3, Q1).

    Either quote path will do: only both missing is a reason (one per missing
    capability). Other masks are kept as they are.
    """
    if failed & _QUOTE_CAPABILITIES != _QUOTE_CAPABILITIES:
        return failed & ~_QUOTE_CAPABILITIES
    return failed


def _check_context(action: object, as_of: object, policy: object) -> None:
    v.require("action", action, BatchAction)
    check_context(as_of, policy)


def check_batch(
    subs: Iterable[Subscription],
    *,
    action: BatchAction,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Decision:
    """Say whether ``subs`` form a valid batch for ``action`` (B1-B4).

    Batch-level reasons come first and have no subject: ``batch_empty``,
    ``batch_too_large`` (params ``size`` and ``limit``), and, for ``RENEW``
    and ``QUOTE`` only, ``batch_mixed_groups``. Then, in input order,
    ``duplicate_subscription`` for each repeated subscription and every reason
    of each member (the action's own check and the market's batch
    capability), each with the member's id as subject.
    """
    _check_context(action, as_of, policy)
    members = list(v.items("subs", subs))
    for index, sub in enumerate(members):
        v.require(f"subs[{index}]", sub, Subscription)
    if not members:
        return Decision.from_reasons([make_reason(ReasonCode.BATCH_EMPTY)])
    reasons: list[Reason] = []
    if len(members) > policy.batch_limit:
        reasons.append(
            make_reason(
                ReasonCode.BATCH_TOO_LARGE,
                None,
                (("limit", policy.batch_limit), ("size", len(members))),
            )
        )
    if action in _GROUPED_ACTIONS:
        keys = {(s.csn, s.currency, s.purchase_method) for s in members}
        if len(keys) > 1:
            reasons.append(make_reason(ReasonCode.BATCH_MIXED_GROUPS))
    seen: set[str] = set()
    for sub in members:
        if sub.id in seen:
            reasons.append(make_reason(ReasonCode.DUPLICATE_SUBSCRIPTION, sub.id))
            continue
        seen.add(sub.id)
        failed = _member_failures(sub, as_of, policy, action)
        reasons += cond.reasons(failed, sub, policy)
    return Decision.from_reasons(reasons)


def plan_batches(
    subs: Iterable[Subscription],
    *,
    action: BatchAction,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> BatchPlan:
    """Plan ``subs`` into valid batches for ``action`` (B1-B4).

    Every input subscription ends up exactly once: in one batch, or in
    ``rejected`` with all its reasons (a subscription id seen again is
    rejected with ``duplicate_subscription``). Eligible subscriptions are
    grouped by [`GroupKey`][renewal_rules.GroupKey] for every action, each group is
    split into consecutive batches of at most ``policy.batch_limit`` keeping input
    order, and groups come in key order (CSN, currency, purchase method), so the plan
    does not depend on the order of the input. Rejections keep input order.

    One pass over the input plus one sort of the distinct keys; ``subs`` may
    be any iterable, consumed once.
    """
    _check_context(action, as_of, policy)
    asked = _ASKED[action]
    failures = cond.failures
    groups: dict[tuple[str, str, PurchaseMethod], list[Subscription]] = {}
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for index, sub in enumerate(v.items("subs", subs)):
        if not isinstance(sub, Subscription):
            v.require(f"subs[{index}]", sub, Subscription)  # raises
        if sub.id in seen:
            reasons = [make_reason(ReasonCode.DUPLICATE_SUBSCRIPTION, sub.id)]
        else:
            seen.add(sub.id)
            failed = failures(sub, as_of, policy, asked)
            if failed and action is _QUOTE:
                failed = member_mask(failed)
            if not failed:
                key = (sub.csn, sub.currency, sub.purchase_method)
                group = groups.get(key)
                if group is None:
                    groups[key] = [sub]
                else:
                    group.append(sub)
                continue
            reasons = cond.reasons(failed, sub, policy)
        rejected.append(make_rejection(sub, tuple(reasons)))
    limit = policy.batch_limit
    batches: list[Batch] = []
    for key in sorted(groups):
        members = groups.pop(key)
        batch_key = GroupKey(csn=key[0], currency=key[1], purchase_method=key[2])
        batches.extend(
            _build_batch(batch_key, tuple(members[start : start + limit]))
            for start in range(0, len(members), limit)
        )
    return BatchPlan(batches=batches, rejected=rejected)


def merge_plans(*plans: BatchPlan) -> BatchPlan:
    """Merge plans of CSN-disjoint parts of a portfolio into the plan of the whole.

    ``plan_batches`` decomposes by CSN: a group key holds one CSN, so when no
    CSN (and no subscription id) spans two parts, merging the parts' plans
    gives exactly the batches of the whole portfolio's plan, in key order,
    and the same rejections (in the order of the parts, then of each part).

    >>> merge_plans() == BatchPlan(batches=(), rejected=())
    True
    """
    for index, plan in enumerate(plans):
        v.require(f"plans[{index}]", plan, BatchPlan)
    # Each plan's batches are in key order; a key's come from one part.
    batches = _partition.merge((plan.batches for plan in plans), key=_batch_key)
    rejected = [r for plan in plans for r in plan.rejected]
    return _build_plan(tuple(batches), tuple(rejected))


def _batch_key(batch: Batch) -> GroupKey:
    return batch.key


_build_batch = v.builder(Batch)
_build_plan = v.builder(BatchPlan)
