"""Laws of the single-subscription rules, over generated subscriptions."""

from __future__ import annotations

import calendar
import copy
import pickle
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from renewal_rules import (
    DEFAULT_POLICY,
    Capability,
    LateRenewalBasis,
    Reason,
    ReasonCode,
    RenewalMode,
    RenewalPolicy,
    RenewalRequirement,
    Subscription,
    SubscriptionKind,
    Term,
    change_term,
    check_enable_auto_renew,
    check_manual_renewal,
    check_renewal,
    check_term_change,
    next_term_end,
    renew,
    renewal_codes,
    renewal_requirement,
    renewal_window,
    stage_dates,
)
from renewal_rules.strategies import dates, policies, subscriptions

as_ofs = dates(date(2019, 1, 1), date(2042, 12, 31))


class TestRenewalMode:
    """AUTOMATIC exactly when there are no reasons; NONE exactly when E1/E2 fail."""

    @given(subscriptions(), as_ofs, policies())
    def test_mode_agrees_with_the_other_checks(
        self, sub: Subscription, as_of: date, policy: RenewalPolicy
    ) -> None:
        requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
        renewable = check_renewal(sub, as_of=as_of, policy=policy)
        activation = check_enable_auto_renew(sub, as_of=as_of, policy=policy)
        assert (requirement.mode is RenewalMode.AUTOMATIC) is (not requirement.reasons)
        if not renewable:
            assert requirement.mode is RenewalMode.NONE
            assert requirement.reasons == renewable.reasons
        elif as_of >= sub.term_end:  # G3: post-expiry, see TestRequirementOracle
            assert policy.post_expiry_renewal
        else:
            # A1 is A3 plus "auto-renew is on".
            expected = activation.codes
            if not sub.auto_renew:
                expected = (ReasonCode.AUTO_RENEW_OFF, *expected)
            assert tuple(r.code for r in requirement.reasons) == expected
        assert requirement.window == renewal_window(sub, policy=policy)

    @given(subscriptions(), as_ofs, policies())
    def test_every_reason_concerns_the_subscription(
        self, sub: Subscription, as_of: date, policy: RenewalPolicy
    ) -> None:
        requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
        assert all(reason.subject == sub.id for reason in requirement.reasons)


def oracle_codes(
    sub: Subscription, as_of: date, policy: RenewalPolicy
) -> tuple[RenewalMode, list[ReasonCode]]:
    """A1, A2, A4 read straight from RULES.md, independently of the library."""
    codes = []
    if sub.kind is SubscriptionKind.TRIAL:
        codes.append(ReasonCode.TRIAL_NOT_RENEWABLE)
    if as_of >= sub.term_end and policy.post_expiry_renewal:  # G3, G4
        canceled_on = stage_dates(sub, policy=policy).canceled_on
        if as_of >= canceled_on:
            return RenewalMode.NONE, [*codes, ReasonCode.SUBSCRIPTION_CANCELED]
        if (
            policy.late_renewal_basis is LateRenewalBasis.ANNIVERSARY
            and next_term_end(sub) <= as_of
        ):
            return RenewalMode.NONE, [ReasonCode.LATE_RENEWAL_TERM_ELAPSED]
        return RenewalMode.MANUAL, [ReasonCode.RENEWAL_DATE_PASSED]
    if as_of >= sub.term_end:
        codes.append(ReasonCode.SUBSCRIPTION_EXPIRED)
    if codes:
        return RenewalMode.NONE, codes
    if not sub.auto_renew:
        codes.append(ReasonCode.AUTO_RENEW_OFF)
    method = sub.payment_method
    if method is None:
        codes.append(ReasonCode.NO_PAYMENT_METHOD)
    else:
        if method.kind in policy.manual_payment_kinds:
            codes.append(ReasonCode.PAYMENT_METHOD_NOT_RECURRING)
        if not method.valid:
            codes.append(ReasonCode.PAYMENT_METHOD_INVALID)
        if method.expires_on is not None and method.expires_on < sub.term_end:
            codes.append(ReasonCode.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL)
    if Capability.AUTO_RENEWAL not in policy.market(sub.market).capabilities:
        codes.append(ReasonCode.CAPABILITY_UNAVAILABLE)
    return (RenewalMode.MANUAL if codes else RenewalMode.AUTOMATIC), codes


READS: dict[str, Callable[[RenewalRequirement], object]] = {
    "codes": lambda r: r.codes,
    "reasons": lambda r: r.reasons,
    "hash": hash,
    "repr": repr,
    "pickle": lambda r: pickle.loads(pickle.dumps(r)),
    "explain": lambda r: r.explain("fr"),
}


class TestRequirementOracle:
    """A1, A2, A4: the fast path answers what the rule text says, however read."""

    @given(subscriptions(), as_ofs, policies(), st.sampled_from(sorted(READS)))
    def test_same_requirement_whatever_is_read(
        self, sub: Subscription, as_of: date, policy: RenewalPolicy, read: str
    ) -> None:
        requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
        mode, codes = oracle_codes(sub, as_of, policy)
        assert requirement.mode is mode
        assert list(requirement.codes) == codes
        # A validated twin built from the same parts is equal in every way.
        twin = RenewalRequirement(
            mode=requirement.mode,
            reasons=[
                Reason(code=r.code, subject=r.subject, params=r.params)
                for r in requirement.reasons
            ],
            window=renewal_window(sub, policy=policy),
        )
        assert READS[read](requirement) == READS[read](twin)
        assert requirement == twin


class TestCodesDoor:
    """renewal_codes answers renewal_requirement's mode and codes (A1)."""

    @given(subscriptions(), as_ofs, policies())
    def test_same_mode_and_codes(
        self, sub: Subscription, as_of: date, policy: RenewalPolicy
    ) -> None:
        requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
        assert renewal_codes(sub, as_of=as_of, policy=policy) == (
            requirement.mode,
            requirement.codes,
        )


class TestWindow:
    """M1: a renewable subscription renews manually exactly inside its window."""

    @given(subscriptions(kind=SubscriptionKind.PAID), st.integers(-200, 200))
    def test_manual_renewal_exactly_in_window(
        self, sub: Subscription, days: int
    ) -> None:
        as_of = sub.term_end + timedelta(days=days)
        window = renewal_window(sub)
        assert window.closes_on - window.opens_on == timedelta(days=90)
        assert bool(check_manual_renewal(sub, as_of=as_of)) is (as_of in window)


def nth_term_end(first_end: date, months: int, anchor_day: int) -> date:
    """The oracle: straight from the first term end, never step by step."""
    moved = first_end + relativedelta(months=months)
    last = calendar.monthrange(moved.year, moved.month)[1]
    return moved.replace(day=min(anchor_day, last))


class TestNoDrift:
    """E4, T2: renewing N times equals computing the N-th term end directly."""

    @given(
        subscriptions(kind=SubscriptionKind.PAID, pending_term=None), st.integers(1, 40)
    )
    def test_n_renewals(self, sub: Subscription, n: int) -> None:
        current = sub
        for k in range(1, n + 1):
            current = renew(current, as_of=current.term_end - timedelta(days=1))
            expected = nth_term_end(sub.term_end, k * sub.term.months, sub.anchor_day)
            assert current.term_end == expected
            assert current.anchor_day == sub.anchor_day

    @given(subscriptions(kind=SubscriptionKind.PAID))
    def test_renew_moves_exactly_one_term(self, sub: Subscription) -> None:
        renewed = renew(sub, as_of=sub.term_end - timedelta(days=1))
        assert renewed.term_start == sub.term_end
        assert renewed.term_end == next_term_end(sub)
        assert renewed.term == (sub.pending_term or sub.term)
        assert renewed.pending_term is None
        assert renewed.anchor_day == sub.anchor_day
        # Nothing else changes.
        assert (renewed.id, renewed.csn, renewed.currency, renewed.quantity) == (
            sub.id,
            sub.csn,
            sub.currency,
            sub.pending_quantity or sub.quantity,  # P3
        )
        assert renewed.pending_quantity is None


class TestTermChange:
    """T1: an allowed change is what the next renewal uses."""

    @given(subscriptions(kind=SubscriptionKind.PAID), st.sampled_from(Term))
    def test_change_then_renew(self, sub: Subscription, new_term: Term) -> None:
        as_of = sub.term_end - timedelta(days=1)
        decision = check_term_change(sub, new_term, as_of=as_of)
        assert bool(decision) is (new_term is not (sub.pending_term or sub.term))
        assume(decision)
        changed = change_term(sub, new_term, as_of=as_of)
        assert renew(changed, as_of=as_of).term is new_term


class TestPurity:
    """Rules never mutate their inputs, and equal inputs give equal answers."""

    @given(subscriptions(), as_ofs, policies(), st.sampled_from(Term))
    def test_determinism_and_no_mutation(
        self, sub: Subscription, as_of: date, policy: RenewalPolicy, term: Term
    ) -> None:
        twin_sub, twin_policy = copy.deepcopy(sub), copy.deepcopy(policy)
        assert twin_sub is not sub
        calls: list[Callable[[Subscription, RenewalPolicy], object]] = [
            lambda s, p: check_renewal(s, as_of=as_of, policy=p),
            lambda s, p: renewal_requirement(s, as_of=as_of, policy=p),
            lambda s, p: check_manual_renewal(s, as_of=as_of, policy=p),
            lambda s, p: check_enable_auto_renew(s, as_of=as_of, policy=p),
            lambda s, p: check_term_change(s, term, as_of=as_of, policy=p),
            lambda s, p: renewal_window(s, policy=p),
        ]
        for call in calls:
            assert call(sub, policy) == call(twin_sub, twin_policy)
        assert sub == twin_sub
        assert policy == twin_policy

    @given(subscriptions(kind=SubscriptionKind.TRIAL), as_ofs)
    def test_trials_never_renew(self, sub: Subscription, as_of: date) -> None:  # E1
        assert ReasonCode.TRIAL_NOT_RENEWABLE in check_renewal(sub, as_of=as_of).codes
        assert renewal_requirement(sub, as_of=as_of).mode is RenewalMode.NONE
        assert not check_enable_auto_renew(sub, as_of=as_of, policy=DEFAULT_POLICY)
