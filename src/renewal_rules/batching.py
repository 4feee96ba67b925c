"""Batch renewals: group keys, batch checks and portfolio planning (B1-B4).

A batch acts on 1 to ``policy.batch_limit`` subscriptions at once: turning
automatic renewal on (B1), renewing manually (B2), or putting renewals on a
quote. Manual renewals and quotes are formed per :class:`GroupKey` (customer
CSN, currency, purchase method; B3). :func:`check_batch` validates a batch a
user selected; :func:`plan_batches` splits a whole portfolio into valid
batches and says why every other subscription was left out (B4).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import attrs

from renewal_rules import _validators as v
from renewal_rules.decisions import Decision, Reason, ReasonCode, make_reason
from renewal_rules.eligibility import payment_reasons, renewable_reasons
from renewal_rules.errors import InvalidInputError
from renewal_rules.model import PurchaseMethod, Subscription, SubscriptionKind
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
    """Return the :class:`GroupKey` of ``sub`` (B3)."""
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


@attrs.frozen
class Batch:
    """One batch of a plan: subscriptions of one group key, in input order."""

    key: GroupKey = attrs.field(validator=attrs.validators.instance_of(GroupKey))
    subscriptions: tuple[Subscription, ...] = attrs.field(
        converter=v.to_tuple,
        validator=[v.non_empty_tuple_of(Subscription), _validate_members_key],
    )


@attrs.frozen
class Rejection:
    """A subscription left out of a plan, with every reason why."""

    subscription: Subscription = attrs.field(
        validator=attrs.validators.instance_of(Subscription)
    )
    reasons: tuple[Reason, ...] = attrs.field(
        converter=v.to_tuple, validator=v.non_empty_tuple_of(Reason)
    )


_new = object.__new__
_set = object.__setattr__


def _rejection(sub: Subscription, reasons: tuple[Reason, ...]) -> Rejection:
    # The plan's hot path: a validated subscription and the rules' own
    # non-empty reasons need no re-validation (see _validators.trusted).
    rejection: Rejection = _new(Rejection)
    _set(rejection, "subscription", sub)
    _set(rejection, "reasons", reasons)
    return rejection


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
        from renewal_rules._html import plan_html

        return plan_html(self)


# The capabilities each action needs, in the order reasons report them: the
# single-subscription check's own capability first, then the batch one.
_NEEDED = {
    BatchAction.ENABLE_AUTO_RENEW: (
        Capability.AUTO_RENEWAL,
        Capability.BATCH_AUTO_RENEWAL,
    ),
    BatchAction.RENEW: (Capability.MANUAL_RENEWAL, Capability.BATCH_MANUAL_RENEWAL),
}
_QUOTE_CAPABILITIES = frozenset(
    {Capability.PARTNER_QUOTE, Capability.SELF_SERVICE_QUOTE}
)
_GROUPED_ACTIONS = frozenset({BatchAction.RENEW, BatchAction.QUOTE})


class _MemberRules:
    """The member check of one action, prepared once for a whole batch or plan.

    ``reasons(sub)`` gives exactly the reasons of the action's own
    single-subscription check followed by the batch capability:
    :func:`check_enable_auto_renew` for ``ENABLE_AUTO_RENEW``,
    :func:`check_manual_renewal` for ``RENEW``, and E1, E2, M1 for ``QUOTE``.
    ``eligible(sub)`` is a fast, allocation-free "no reasons" for the common
    case. Market capabilities are resolved once per market code.
    """

    __slots__ = ("_last_end", "_missing", "action", "as_of", "policy", "window")

    def __init__(self, action: BatchAction, as_of: date, policy: RenewalPolicy) -> None:
        self.action = action
        self.as_of = as_of
        self.policy = policy
        self.window = timedelta(days=policy.renewal_window_days)
        # In window exactly when as_of < term_end <= as_of + window.
        self._last_end = as_of + self.window
        self._missing: dict[str, tuple[Capability, ...]] = {}

    def missing(self, market: str) -> tuple[Capability, ...]:
        """The capabilities the action needs that ``market`` lacks."""
        found = self._missing.get(market)
        if found is None:
            offered = self.policy.capabilities(market)
            if self.action is BatchAction.QUOTE:
                # Either quote path will do; name the one a customer opens
                # from the account, where renewals are grouped into quotes.
                found = (
                    (Capability.SELF_SERVICE_QUOTE,)
                    if _QUOTE_CAPABILITIES.isdisjoint(offered)
                    else ()
                )
            else:
                found = tuple(c for c in _NEEDED[self.action] if c not in offered)
            self._missing[market] = found
        return found

    def eligible(self, sub: Subscription) -> bool:
        """Say quickly whether ``sub`` has no reason at all."""
        end = sub.term_end
        if sub.kind is not SubscriptionKind.PAID or self.as_of >= end:
            return False
        if self.action is BatchAction.ENABLE_AUTO_RENEW:
            method = sub.payment_method
            if (
                method is None
                or not method.valid
                or method.kind in self.policy.manual_payment_kinds
                or (method.expires_on is not None and method.expires_on < end)
            ):
                return False
        elif end > self._last_end:
            return False
        missing = self._missing.get(sub.market)
        return not (self.missing(sub.market) if missing is None else missing)

    def reasons(self, sub: Subscription) -> list[Reason]:
        """Every reason ``sub`` cannot be a member, each with its id as subject."""
        reasons = renewable_reasons(sub, self.as_of)
        if self.action is BatchAction.ENABLE_AUTO_RENEW:
            reasons += payment_reasons(sub, self.policy)
        elif sub.term_end > self._last_end:
            opens_on = sub.term_end - self.window
            reasons.append(
                make_reason(
                    ReasonCode.OUTSIDE_RENEWAL_WINDOW, sub.id, (("opens_on", opens_on),)
                )
            )
        missing = self.missing(sub.market)
        if missing:
            reasons.extend(
                make_reason(
                    ReasonCode.CAPABILITY_UNAVAILABLE, sub.id, (("capability", c),)
                )
                for c in missing
            )
        return reasons


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
    members = list(subs)
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
    rules = _MemberRules(action, as_of, policy)
    seen: set[str] = set()
    for sub in members:
        if sub.id in seen:
            reasons.append(make_reason(ReasonCode.DUPLICATE_SUBSCRIPTION, sub.id))
            continue
        seen.add(sub.id)
        reasons += rules.reasons(sub)
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
    grouped by :class:`GroupKey` for every action, each group is split into
    consecutive batches of at most ``policy.batch_limit`` keeping input order,
    and groups come in key order (CSN, currency, purchase method), so the plan
    does not depend on the order of the input. Rejections keep input order.

    One pass over the input plus one sort of the distinct keys; ``subs`` may
    be any iterable, consumed once.
    """
    _check_context(action, as_of, policy)
    rules = _MemberRules(action, as_of, policy)
    eligible = rules.eligible
    reasons_of = rules.reasons
    groups: dict[tuple[str, str, PurchaseMethod], list[Subscription]] = {}
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for index, sub in enumerate(subs):
        if not isinstance(sub, Subscription):
            v.require(f"subs[{index}]", sub, Subscription)  # raises
        if sub.id in seen:
            reasons = [make_reason(ReasonCode.DUPLICATE_SUBSCRIPTION, sub.id)]
        else:
            seen.add(sub.id)
            if eligible(sub):
                key = (sub.csn, sub.currency, sub.purchase_method)
                group = groups.get(key)
                if group is None:
                    groups[key] = [sub]
                else:
                    group.append(sub)
                continue
            reasons = reasons_of(sub)
        rejected.append(_rejection(sub, tuple(reasons)))
    limit = policy.batch_limit
    batches: list[Batch] = []
    for key in sorted(groups):
        members = groups.pop(key)
        batch_key = GroupKey(csn=key[0], currency=key[1], purchase_method=key[2])
        batches.extend(
            v.trusted(
                Batch,
                key=batch_key,
                subscriptions=tuple(members[start : start + limit]),
            )
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
    # A stable sort: each key's batches come from one part, in their order.
    batches = sorted((b for plan in plans for b in plan.batches), key=lambda b: b.key)
    rejected = [r for plan in plans for r in plan.rejected]
    return v.trusted(BatchPlan, batches=tuple(batches), rejected=tuple(rejected))
