"""Batch renewals: group keys, batch checks and portfolio planning (B1-B4).

A batch acts on 1 to ``policy.batch_limit`` subscriptions at once: turning
automatic renewal on (B1), renewing manually (B2), or putting renewals on a
quote. Manual renewals and quotes are formed per :class:`GroupKey` (customer
CSN, currency, purchase method; B3). :func:`check_batch` validates a batch a
user selected; :func:`plan_batches` splits a whole portfolio into valid
batches and says why every other subscription was left out (B4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import attrs

from renewal_rules import _validators as v
from renewal_rules.decisions import Decision, Reason, ReasonCode, make_reason
from renewal_rules.eligibility import (
    capability_reasons,
    enable_auto_renew_reasons,
    manual_renewal_reasons,
    renewable_reasons,
    window_reasons,
)
from renewal_rules.errors import InvalidInputError, InvalidTypeError
from renewal_rules.model import PurchaseMethod, Subscription, SubscriptionKind
from renewal_rules.policy import DEFAULT_POLICY, Capability, RenewalPolicy

__all__ = [
    "Batch",
    "BatchAction",
    "BatchPlan",
    "GroupKey",
    "Rejection",
    "check_batch",
    "group_key",
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


@attrs.frozen(kw_only=True, order=True)
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
    if not isinstance(sub, Subscription):
        raise InvalidTypeError("sub", sub, "expected a Subscription")
    return GroupKey(
        csn=sub.csn, currency=sub.currency, purchase_method=sub.purchase_method
    )


def _validate_members(instance: Any, _attribute: Any, value: Any) -> None:
    v.tuple_of(Subscription)(instance, _attribute, value)
    if not value:
        raise InvalidInputError("subscriptions", value, "must not be empty")
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


@attrs.frozen(kw_only=True)
class Batch:
    """One batch of a plan: subscriptions of one group key, in input order."""

    key: GroupKey = attrs.field(validator=attrs.validators.instance_of(GroupKey))
    subscriptions: tuple[Subscription, ...] = attrs.field(
        converter=v.to_tuple, validator=_validate_members
    )


def _validate_rejection_reasons(_inst: Any, attribute: Any, value: Any) -> None:
    v.tuple_of(Reason)(_inst, attribute, value)
    if not value:
        raise InvalidInputError("reasons", value, "must not be empty")


@attrs.frozen(kw_only=True)
class Rejection:
    """A subscription left out of a plan, with every reason why."""

    subscription: Subscription = attrs.field(
        validator=attrs.validators.instance_of(Subscription)
    )
    reasons: tuple[Reason, ...] = attrs.field(
        converter=v.to_tuple, validator=_validate_rejection_reasons
    )


@attrs.frozen(kw_only=True)
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


_BATCH_CAPABILITY = {
    BatchAction.ENABLE_AUTO_RENEW: Capability.BATCH_AUTO_RENEWAL,
    BatchAction.RENEW: Capability.BATCH_MANUAL_RENEWAL,
}
_QUOTE_CAPABILITIES = frozenset(
    {Capability.PARTNER_QUOTE, Capability.SELF_SERVICE_QUOTE}
)
_GROUPED_ACTIONS = frozenset({BatchAction.RENEW, BatchAction.QUOTE})


def _member_reasons(
    sub: Subscription, action: BatchAction, as_of: date, policy: RenewalPolicy
) -> list[Reason]:
    """Every reason ``sub`` cannot be part of a batch doing ``action``."""
    if action is BatchAction.ENABLE_AUTO_RENEW:
        reasons = enable_auto_renew_reasons(sub, as_of, policy)
    elif action is BatchAction.RENEW:
        reasons = manual_renewal_reasons(sub, as_of, policy)
    else:
        reasons = renewable_reasons(sub, as_of)
        reasons += window_reasons(sub, as_of, policy)
        if _QUOTE_CAPABILITIES.isdisjoint(policy.capabilities(sub.market)):
            # Either quote path will do; name the one a customer opens
            # from the account, where renewals are grouped into quotes.
            reasons += capability_reasons(sub, Capability.SELF_SERVICE_QUOTE, policy)
        return reasons
    return reasons + capability_reasons(sub, _BATCH_CAPABILITY[action], policy)


def _check_context(action: object, as_of: object, policy: object) -> None:
    if not isinstance(action, BatchAction):
        raise InvalidTypeError("action", action, "expected a BatchAction member")
    if type(as_of) is not date:
        raise InvalidTypeError("as_of", as_of, "expected a datetime.date")
    if not isinstance(policy, RenewalPolicy):
        raise InvalidTypeError("policy", policy, "expected a RenewalPolicy")


def _subscription_at(index: int, sub: object) -> Subscription:
    if not isinstance(sub, Subscription):
        raise InvalidTypeError(f"subs[{index}]", sub, "expected a Subscription")
    return sub


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
    members = [_subscription_at(index, sub) for index, sub in enumerate(subs)]
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
        reasons += _member_reasons(sub, action, as_of, policy)
    return Decision.from_reasons(reasons)


def _eligibility_test(
    action: BatchAction, as_of: date, policy: RenewalPolicy
) -> Callable[[Subscription], bool]:
    """A fast yes for the common eligible case; ``False`` means "look closer".

    It must never say yes to a subscription that :func:`_member_reasons`
    refuses (a property test holds it to that).
    """
    paid = SubscriptionKind.PAID
    markets_ok: dict[str, bool] = {}

    if action is BatchAction.ENABLE_AUTO_RENEW:
        needed = frozenset({Capability.AUTO_RENEWAL, Capability.BATCH_AUTO_RENEWAL})
        manual_kinds = policy.manual_payment_kinds

        def market_ok(code: str) -> bool:
            return needed <= policy.capabilities(code)

        def eligible(sub: Subscription) -> bool:
            method = sub.payment_method
            end = sub.term_end
            if (
                sub.kind is not paid
                or as_of >= end
                or method is None
                or not method.valid
                or method.kind in manual_kinds
                or (method.expires_on is not None and method.expires_on < end)
            ):
                return False
            ok = markets_ok.get(sub.market)
            if ok is None:
                ok = markets_ok[sub.market] = market_ok(sub.market)
            return ok

        return eligible

    # RENEW and QUOTE: renewable and inside the window, as_of < term_end <=
    # as_of + window, plus the market's capabilities.
    last_end = as_of + timedelta(days=policy.renewal_window_days)
    if action is BatchAction.RENEW:
        renew_needed = frozenset(
            {Capability.MANUAL_RENEWAL, Capability.BATCH_MANUAL_RENEWAL}
        )

        def market_ok(code: str) -> bool:
            return renew_needed <= policy.capabilities(code)

    else:

        def market_ok(code: str) -> bool:
            return not _QUOTE_CAPABILITIES.isdisjoint(policy.capabilities(code))

    def in_window(sub: Subscription) -> bool:
        if sub.kind is not paid or not as_of < sub.term_end <= last_end:
            return False
        ok = markets_ok.get(sub.market)
        if ok is None:
            ok = markets_ok[sub.market] = market_ok(sub.market)
        return ok

    return in_window


def _rejection(sub: Subscription, reasons: list[Reason]) -> Rejection:
    # Built from a validated subscription and the rules' own reasons.
    rejection = object.__new__(Rejection)
    object.__setattr__(rejection, "subscription", sub)
    object.__setattr__(rejection, "reasons", tuple(reasons))
    return rejection


def _batch(key: GroupKey, members: tuple[Subscription, ...]) -> Batch:
    # The plan built these members from their keys: skip re-validating a
    # million subscriptions one by one, keep the object identical in shape.
    batch = object.__new__(Batch)
    object.__setattr__(batch, "key", key)
    object.__setattr__(batch, "subscriptions", members)
    return batch


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
    eligible = _eligibility_test(action, as_of, policy)
    groups: dict[tuple[str, str, PurchaseMethod], list[Subscription]] = {}
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for index, sub in enumerate(subs):
        if not isinstance(sub, Subscription):
            raise InvalidTypeError(f"subs[{index}]", sub, "expected a Subscription")
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
            reasons = _member_reasons(sub, action, as_of, policy)
            if not reasons:  # the fast test is conservative: look closer
                key = (sub.csn, sub.currency, sub.purchase_method)
                groups.setdefault(key, []).append(sub)
                continue
        rejected.append(_rejection(sub, reasons))
    limit = policy.batch_limit
    batches: list[Batch] = []
    for key in sorted(groups):
        members = groups.pop(key)
        batch_key = GroupKey(csn=key[0], currency=key[1], purchase_method=key[2])
        batches.extend(
            _batch(batch_key, tuple(members[start : start + limit]))
            for start in range(0, len(members), limit)
        )
    return BatchPlan(batches=batches, rejected=rejected)
