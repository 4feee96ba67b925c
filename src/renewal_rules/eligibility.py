"""Rules about one subscription: eligibility, renewal mode, window and terms.

Rules E1-E4, T1-T2, A1-A4 and M1-M2 of the rule catalogue. Checks return a
[`Decision`][renewal_rules.Decision] listing every failing condition; transitions
([`renew`][renewal_rules.renew], [`change_term`][renewal_rules.change_term],
[`enable_auto_renew`][renewal_rules.enable_auto_renew]) return a new
[`Subscription`][renewal_rules.Subscription] or raise
[`RuleViolation`][renewal_rules.RuleViolation] with that decision.

Every reason about a subscription has the subscription's ``id`` as subject.
"""

from __future__ import annotations

import functools
from datetime import date

import attrs

from renewal_rules import _terms
from renewal_rules import _validators as v
from renewal_rules import conditions as cond
from renewal_rules.catalog import ReasonCode
from renewal_rules.decisions import (
    DateWindow,
    Decision,
    RenewalMode,
    RenewalRequirement,
    RuleViolation,
    make_requirement,
)
from renewal_rules.model import LateRenewalBasis, Subscription, Term
from renewal_rules.policy import (
    DEFAULT_POLICY,
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
    "renewal_codes",
    "renewal_requirement",
    "renewal_window",
]


def _check_args(sub: object, as_of: object, policy: object) -> None:
    # Programming errors fail loudly, like bad input at construction.
    v.require("sub", sub, Subscription)
    check_context(as_of, policy)


def _check_fast(sub: object, as_of: object, policy: object) -> None:
    # The hot paths' argument checks: exact types first (one comparison
    # each); subclasses and bad values take the general check that names them.
    if type(sub) is not Subscription:
        v.require("sub", sub, Subscription)
    if type(as_of) is not date or type(policy) is not RenewalPolicy:
        check_context(as_of, policy)
    elif not _MIN_DATE <= as_of <= _MAX_DATE:
        v.check_as_of(as_of)


_decide = cond.decision


def check_renewal(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Decision:
    """Say whether ``sub`` can be renewed at all on ``as_of`` (E1, E2).

    A trial can never be renewed (``trial_not_renewable``) and an expired
    subscription, ``as_of >= term_end``, cannot be reactivated
    (``subscription_expired``); both are reported when both hold.
    """
    _check_args(sub, as_of, policy)
    return _decide(sub, as_of, policy, cond.RENEWABLE)


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
    return cond.window_of(sub, policy)


def renewal_requirement(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> RenewalRequirement:
    """Say whether ``sub`` renews automatically, manually, or not at all (A1, A2, A4).

    ``NONE`` when E1 or E2 fails, with those reasons only. Otherwise
    ``AUTOMATIC`` exactly when auto-renew is on, a payment method is on file,
    its kind carries recurring charges, it is valid, it can be charged on
    ``term_end``, and the market offers automatic renewal; else ``MANUAL`` with
    every failing condition.
    """
    # The hot path of nightly runs over millions of subscriptions: exact type
    # checks first (subclasses and bad values take the general check).
    _check_fast(sub, as_of, policy)
    window = _window_of(sub, policy)
    failed = _failures(sub, as_of, policy, _ASKED)
    if not failed:
        return _automatic(window)
    mode, failed = _mode_of(failed)
    return make_requirement(mode, tuple(_reasons(failed, sub, policy)), window)


def renewal_codes(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> tuple[RenewalMode, tuple[ReasonCode, ...]]:
    """The mode and reason codes of `renewal_requirement`, without its objects.

    The door for nightly runs over millions of subscriptions that read the
    mode and the codes only: the same conditions (A1, A2, A4; E1, E2, G3,
    G4) and the same answer as ``renewal_requirement(sub, ...)``'s ``mode``
    and ``codes``, with no [`Reason`][renewal_rules.Reason] or window built.

    >>> from datetime import date
    >>> from renewal_rules import PurchaseMethod, Subscription, Term
    >>> sub = Subscription(
    ...     id="S-1", csn="5100001", product="ACD", term=Term.ANNUAL,
    ...     term_start=date(2026, 6, 30), term_end=date(2027, 6, 30),
    ...     currency="EUR", purchase_method=PurchaseMethod.ONLINE, market="FR",
    ... )
    >>> mode, codes = renewal_codes(sub, as_of=date(2027, 3, 1))
    >>> mode.value, [code.value for code in codes]
    ('manual', ['auto_renew_off', 'no_payment_method'])
    """
    _check_fast(sub, as_of, policy)
    mode, failed = _mode_of(_failures(sub, as_of, policy, _ASKED))
    return mode, cond.codes_of(failed)


@functools.lru_cache(maxsize=4096)
def _automatic(window: DateWindow) -> RenewalRequirement:
    # Equal automatic answers are one shared value (bounded, keyed by an
    # immutable window).
    return RenewalRequirement(mode=RenewalMode.AUTOMATIC, reasons=(), window=window)


_failures = cond.failures
_mode_of = cond.requirement_of
_reasons = cond.reasons
_window_of = cond.window_of
_ASKED = cond.AUTOMATIC
_MIN_DATE = v.MIN_DATE
_MAX_DATE = v.MAX_DATE


def check_manual_renewal(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Decision:
    """Say whether ``sub`` can be renewed manually online on ``as_of`` (E1-E3, M1, M2).

    It must be renewable, ``as_of`` must be inside the window (the window's
    opening day included, ``term_end`` excluded), and the market must offer
    manual renewal.
    """
    _check_args(sub, as_of, policy)
    return _decide(sub, as_of, policy, cond.MANUAL_RENEWAL)


def check_enable_auto_renew(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Decision:
    """Say whether automatic renewal can be turned on for ``sub`` (A3).

    It must be renewable, its payment method must meet A1 (present, recurring,
    valid, chargeable on ``term_end``), and the market must offer automatic
    renewal. Turning it on when it is already on is allowed.
    """
    _check_args(sub, as_of, policy)
    return _decide(sub, as_of, policy, cond.ENABLE_AUTO_RENEW)


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
    failed = cond.term_change_failures(sub, new_term, as_of, policy)
    return Decision.from_reasons(cond.reasons(failed, sub, policy))


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
    return _terms.next_term_end(sub)


def renew(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Subscription:
    """Record a renewal of ``sub`` made on ``as_of`` through any path (E4, T2).

    The new term starts at the old ``term_end`` and ends at
    [`next_term_end`][renewal_rules.next_term_end]; a pending term becomes the term; the
    anchor day never changes. The check is E1, E2 and ``as_of`` inside
    [`renewal_window`][renewal_rules.renewal_window]; no capability is checked (the
    caller checked the path).

    Raises:
        RuleViolation: the check failed; ``.decision`` lists every reason.
    """
    _check_args(sub, as_of, policy)
    decision = _decide(sub, as_of, policy, cond.RENEW)
    if not decision:
        raise RuleViolation(decision)
    return _renewed(sub, as_of, policy)


def _renewed(sub: Subscription, as_of: date, policy: RenewalPolicy) -> Subscription:
    # E4, T2, P3; G4: a late renewal under RENEWAL_DATE starts on ``as_of``.
    if (
        cond.is_over(sub, as_of)
        and policy.late_renewal_basis is LateRenewalBasis.RENEWAL_DATE
    ):
        return _terms.renewed(sub, start=as_of)
    return _terms.renewed(sub)


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
        RuleViolation: [`check_term_change`][renewal_rules.check_term_change] refused
            it.
    """
    decision = check_term_change(sub, new_term, as_of=as_of, policy=policy)
    if not decision:
        raise RuleViolation(decision)
    pending = None if new_term is sub.term else new_term
    return attrs.evolve(sub, pending_term=pending)


def enable_auto_renew(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Subscription:
    """Turn automatic renewal on (A3; G5 with the post-expiry switch on).

    With ``post_expiry_renewal`` on and ``as_of >= term_end``, turning it on
    is a renewal on ``as_of``: the renewed subscription (G4 dates) is
    returned, with auto-renew on.

    Raises:
        RuleViolation:
            [`check_enable_auto_renew`][renewal_rules.check_enable_auto_renew] refused
            it.
    """
    decision = check_enable_auto_renew(sub, as_of=as_of, policy=policy)
    if not decision:
        raise RuleViolation(decision)
    if cond.is_over(sub, as_of):  # G5: after term_end, turning it on renews
        return attrs.evolve(_renewed(sub, as_of, policy), auto_renew=True)
    if sub.auto_renew:
        return sub
    return attrs.evolve(sub, auto_renew=True)
