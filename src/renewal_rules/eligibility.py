"""Rules about one subscription: eligibility, renewal mode, window and terms.

Rules E1-E4, T1-T2, A1-A4 and M1-M2 of the rule catalogue. Checks return a
:class:`~renewal_rules.Decision` listing every failing condition; transitions
(:func:`renew`, :func:`change_term`, :func:`enable_auto_renew`) return a new
:class:`~renewal_rules.Subscription` or raise
:class:`~renewal_rules.RuleViolation` with that decision.

Every reason about a subscription has the subscription's ``id`` as subject.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs

from renewal_rules import _validators as v
from renewal_rules._dates import add_months_anchored
from renewal_rules.decisions import (
    DateWindow,
    Decision,
    Reason,
    ReasonCode,
    RenewalMode,
    RenewalRequirement,
    RuleViolation,
    deferred_requirement,
    make_reason,
)
from renewal_rules.model import Subscription, SubscriptionKind, Term
from renewal_rules.policy import (
    DEFAULT_POLICY,
    Capability,
    RenewalPolicy,
    check_context,
)

__all__ = [
    "change_term",
    "check_enable_auto_renew",
    "check_manual_renewal",
    "check_renewal",
    "check_term_change",
    "enable_auto_renew",
    "next_term_end",
    "renew",
    "renewal_requirement",
    "renewal_window",
]


def _check_args(sub: object, as_of: object, policy: object) -> None:
    # Programming errors fail loudly, like bad input at construction.
    v.require("sub", sub, Subscription)
    check_context(as_of, policy)


def renewable_reasons(sub: Subscription, as_of: date) -> list[Reason]:
    """Return the E1 and E2 reasons of ``sub`` on ``as_of`` (both when both fail)."""
    reasons: list[Reason] = []
    if sub.kind is SubscriptionKind.TRIAL:
        reasons.append(make_reason(ReasonCode.TRIAL_NOT_RENEWABLE, sub.id))
    if as_of >= sub.term_end:
        reasons.append(make_reason(ReasonCode.SUBSCRIPTION_EXPIRED, sub.id))
    return reasons


def window_reasons(
    sub: Subscription, as_of: date, policy: RenewalPolicy
) -> list[Reason]:
    """Return the M1 reason when ``as_of`` is before the window opens.

    After ``term_end`` the window is closed too, but E2 (expired) says so with
    the right remedy; a "wait for the window" remedy would be wrong there.
    """
    opens_on = sub.term_end - timedelta(days=policy.renewal_window_days)
    if as_of < opens_on:
        return [
            make_reason(
                ReasonCode.OUTSIDE_RENEWAL_WINDOW, sub.id, (("opens_on", opens_on),)
            )
        ]
    return []


def capability_reasons(
    sub: Subscription, capability: Capability, policy: RenewalPolicy
) -> list[Reason]:
    """Return the A4 reason when the subscription's market lacks ``capability``."""
    if capability in policy.capabilities(sub.market):
        return []
    return [
        make_reason(
            ReasonCode.CAPABILITY_UNAVAILABLE, sub.id, (("capability", capability),)
        )
    ]


def payment_reasons(sub: Subscription, policy: RenewalPolicy) -> list[Reason]:
    """Return the A1/A2 payment reasons: present, recurring, valid, chargeable."""
    method = sub.payment_method
    if method is None:
        return [make_reason(ReasonCode.NO_PAYMENT_METHOD, sub.id)]
    reasons: list[Reason] = []
    if method.kind in policy.manual_payment_kinds:
        reasons.append(make_reason(ReasonCode.PAYMENT_METHOD_NOT_RECURRING, sub.id))
    if not method.valid:
        reasons.append(make_reason(ReasonCode.PAYMENT_METHOD_INVALID, sub.id))
    if method.expires_on is not None and method.expires_on < sub.term_end:
        reasons.append(
            make_reason(ReasonCode.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL, sub.id)
        )
    return reasons


def manual_renewal_reasons(
    sub: Subscription, as_of: date, policy: RenewalPolicy
) -> list[Reason]:
    """Return every reason of :func:`check_manual_renewal` (E1-E3, M1, M2)."""
    reasons = renewable_reasons(sub, as_of)
    reasons += window_reasons(sub, as_of, policy)
    reasons += capability_reasons(sub, Capability.MANUAL_RENEWAL, policy)
    return reasons


def enable_auto_renew_reasons(
    sub: Subscription, as_of: date, policy: RenewalPolicy
) -> list[Reason]:
    """Return every reason of :func:`check_enable_auto_renew` (A3)."""
    reasons = renewable_reasons(sub, as_of)
    reasons += payment_reasons(sub, policy)
    reasons += capability_reasons(sub, Capability.AUTO_RENEWAL, policy)
    return reasons


def check_renewal(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Decision:
    """Say whether ``sub`` can be renewed at all on ``as_of`` (E1, E2).

    A trial can never be renewed (``trial_not_renewable``) and an expired
    subscription, ``as_of >= term_end``, cannot be reactivated
    (``subscription_expired``); both are reported when both hold.
    """
    _check_args(sub, as_of, policy)
    return Decision.from_reasons(renewable_reasons(sub, as_of))


def renewal_window(
    sub: Subscription, *, policy: RenewalPolicy = DEFAULT_POLICY
) -> DateWindow:
    """Return the manual renewal window ``[term_end - 90 days, term_end)`` (M1).

    >>> from datetime import date
    >>> from renewal_rules import PurchaseMethod, Subscription, Term
    >>> sub = Subscription(
    ...     id="S-1", csn="5100001", product="ACD", term=Term.ANNUAL,
    ...     term_start=date(2026, 6, 30), term_end=date(2027, 6, 30),
    ...     currency="EUR", purchase_method=PurchaseMethod.ONLINE, market="FR",
    ... )
    >>> renewal_window(sub)
    DateWindow(opens_on=datetime.date(2027, 4, 1), closes_on=datetime.date(2027, 6, 30))
    """
    v.require("sub", sub, Subscription)
    v.require("policy", policy, RenewalPolicy)
    return DateWindow(
        opens_on=sub.term_end - timedelta(days=policy.renewal_window_days),
        closes_on=sub.term_end,
    )


def renewal_requirement(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> RenewalRequirement:
    """Say whether ``sub`` renews automatically, manually, or not at all (A1, A2, A4).

    ``NONE`` when E1 or E2 fails, with those reasons only. Otherwise
    ``AUTOMATIC`` exactly when auto-renew is on, a payment method is on file,
    its kind carries recurring charges, it is valid, it can be charged on
    ``term_end``, and the market offers automatic renewal; else ``MANUAL`` with
    every failing condition.

    The :class:`~renewal_rules.Reason` objects are built when ``reasons`` is
    first read; ``mode`` and :attr:`~renewal_rules.RenewalRequirement.codes`
    are read without building them.
    """
    # The hot path of nightly runs over millions of subscriptions: exact type
    # checks first (subclasses take the general check), and results built
    # from trusted parts, as the rules built every part themselves.
    if type(sub) is not Subscription:
        v.require("sub", sub, Subscription)
    if type(as_of) is not date or type(policy) is not RenewalPolicy:
        check_context(as_of, policy)
    end = sub.term_end
    memo = policy._memo
    shared = memo.get(end)
    if shared is None:
        shared = _shared_results(end, policy)
        if len(memo) < _MEMO_LIMIT:
            memo[end] = shared
    window, automatic = shared
    # Each failing condition sets a bit; the codes of every combination are
    # shared tuples, and the reasons are built when read.
    failed = 0
    if sub.kind is _TRIAL:
        failed = 1
    if as_of >= end:
        failed |= 2
    if failed:
        return deferred_requirement(
            _NONE, _NONE_CODES[failed], _NONE_PARAMS[failed], sub.id, window
        )
    if not sub.auto_renew:
        failed = 1
    method = sub.payment_method
    if method is None:
        failed |= 2
    else:
        if method.kind in policy.manual_payment_kinds:
            failed |= 4
        if not method.valid:
            failed |= 8
        if method.expires_on is not None and method.expires_on < end:
            failed |= 16
    if _AUTO not in policy.capabilities(sub.market):
        failed |= 32
    if not failed:
        return automatic
    return deferred_requirement(
        _MANUAL, _MANUAL_CODES[failed], _MANUAL_PARAMS[failed], sub.id, window
    )


def _shared_results(
    end: date, policy: RenewalPolicy
) -> tuple[DateWindow, RenewalRequirement]:
    """The window of a term ending on ``end``, and the AUTOMATIC requirement."""
    window = v.trusted(DateWindow, opens_on=end - policy.window, closes_on=end)
    automatic = v.trusted(
        RenewalRequirement, mode=RenewalMode.AUTOMATIC, reasons=(), window=window
    )
    return window, automatic


_MEMO_LIMIT = 1 << 16


_C = ReasonCode
_TRIAL = SubscriptionKind.TRIAL
_AUTO = Capability.AUTO_RENEWAL
_NONE = RenewalMode.NONE
_MANUAL = RenewalMode.MANUAL


def _by_bit(
    conditions: tuple[tuple[ReasonCode, tuple[tuple[str, Any], ...]], ...],
) -> tuple[tuple[tuple[ReasonCode, ...], ...], tuple[tuple[Any, ...], ...]]:
    """The codes and params of every combination of ``conditions``, by bit mask."""
    combinations = [
        [condition for bit, condition in enumerate(conditions) if mask >> bit & 1]
        for mask in range(1 << len(conditions))
    ]
    return (
        tuple(tuple(code for code, _ in failed) for failed in combinations),
        tuple(tuple(params for _, params in failed) for failed in combinations),
    )


# In the order reasons are reported: E1, E2; or auto-renew, the payment
# method (A1, A2) and the market (A4).
_NONE_CODES, _NONE_PARAMS = _by_bit(
    ((_C.TRIAL_NOT_RENEWABLE, ()), (_C.SUBSCRIPTION_EXPIRED, ()))
)
_MANUAL_CODES, _MANUAL_PARAMS = _by_bit(
    (
        (_C.AUTO_RENEW_OFF, ()),
        (_C.NO_PAYMENT_METHOD, ()),
        (_C.PAYMENT_METHOD_NOT_RECURRING, ()),
        (_C.PAYMENT_METHOD_INVALID, ()),
        (_C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL, ()),
        (_C.CAPABILITY_UNAVAILABLE, (("capability", _AUTO),)),
    )
)


def check_manual_renewal(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Decision:
    """Say whether ``sub`` can be renewed manually online on ``as_of`` (E1-E3, M1, M2).

    It must be renewable, ``as_of`` must be inside the window (the window's
    opening day included, ``term_end`` excluded), and the market must offer
    manual renewal.
    """
    _check_args(sub, as_of, policy)
    return Decision.from_reasons(manual_renewal_reasons(sub, as_of, policy))


def check_enable_auto_renew(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Decision:
    """Say whether automatic renewal can be turned on for ``sub`` (A3).

    It must be renewable, its payment method must meet A1 (present, recurring,
    valid, chargeable on ``term_end``), and the market must offer automatic
    renewal. Turning it on when it is already on is allowed.
    """
    _check_args(sub, as_of, policy)
    return Decision.from_reasons(enable_auto_renew_reasons(sub, as_of, policy))


def _next_term(sub: Subscription) -> Term:
    return sub.pending_term if sub.pending_term is not None else sub.term


def check_term_change(
    sub: Subscription,
    new_term: Term,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Decision:
    """Say whether the term of ``sub`` can change to ``new_term`` (T1).

    The market must offer term changes, the subscription must be renewable,
    and ``new_term`` must differ from the term the next renewal would use
    (``pending_term`` if set, else ``term``): asking for the current ``term``
    while another is pending cancels the pending change and is allowed.
    """
    _check_args(sub, as_of, policy)
    v.require("new_term", new_term, Term)
    reasons = renewable_reasons(sub, as_of)
    reasons += capability_reasons(sub, Capability.TERM_CHANGE, policy)
    if new_term is _next_term(sub):
        reasons.append(make_reason(ReasonCode.TERM_UNCHANGED, sub.id))
    return Decision.from_reasons(reasons)


def next_term_end(sub: Subscription) -> date:
    """Return the end of the term that follows the current one (T2, E4).

    The pending term applies, and the day is the anchor day clamped to the
    month, so a Jan 31 anchor never drifts:

    >>> from datetime import date
    >>> from renewal_rules import PurchaseMethod, Subscription, Term
    >>> sub = Subscription(
    ...     id="S-1", csn="5100001", product="ACD", term=Term.MONTHLY,
    ...     term_start=date(2027, 1, 31), term_end=date(2027, 2, 28),
    ...     currency="EUR", purchase_method=PurchaseMethod.ONLINE, market="FR",
    ...     anchor_day=31,
    ... )
    >>> next_term_end(sub)
    datetime.date(2027, 3, 31)
    """
    v.require("sub", sub, Subscription)
    return add_months_anchored(
        sub.term_end, _next_term(sub).months, anchor_day=sub.anchor_day
    )


def renew(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Subscription:
    """Record a renewal of ``sub`` made on ``as_of`` through any path (E4, T2).

    The new term starts at the old ``term_end`` and ends at
    :func:`next_term_end`; a pending term becomes the term; the anchor day
    never changes. The check is E1, E2 and ``as_of`` inside
    :func:`renewal_window`; no capability is checked (the caller checked the
    path).

    Raises:
        RuleViolation: the check failed; ``.decision`` lists every reason.
    """
    _check_args(sub, as_of, policy)
    reasons = renewable_reasons(sub, as_of)
    reasons += window_reasons(sub, as_of, policy)
    if reasons:
        raise RuleViolation(Decision.from_reasons(reasons))
    return attrs.evolve(
        sub,
        term=_next_term(sub),
        term_start=sub.term_end,
        term_end=next_term_end(sub),
        pending_term=None,
    )


def change_term(
    sub: Subscription,
    new_term: Term,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Subscription:
    """Schedule a term change for the next renewal (T1).

    Sets ``pending_term``, or clears it when ``new_term`` is the current term.

    Raises:
        RuleViolation: :func:`check_term_change` refused it.
    """
    decision = check_term_change(sub, new_term, as_of=as_of, policy=policy)
    if not decision:
        raise RuleViolation(decision)
    pending = None if new_term is sub.term else new_term
    return attrs.evolve(sub, pending_term=pending)


def enable_auto_renew(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Subscription:
    """Turn automatic renewal on (A3).

    Raises:
        RuleViolation: :func:`check_enable_auto_renew` refused it.
    """
    decision = check_enable_auto_renew(sub, as_of=as_of, policy=policy)
    if not decision:
        raise RuleViolation(decision)
    if sub.auto_renew:
        return sub
    return attrs.evolve(sub, auto_renew=True)
