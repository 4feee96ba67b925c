"""Life after expiry, the post-expiry switch and pay by invoice (G1-G6, A5)."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    DEFAULT_POLICY,
    POST_EXPIRY_POLICY,
    BatchAction,
    InvalidInputError,
    InvalidTypeError,
    LateRenewalBasis,
    LifecycleStage,
    PaymentKind,
    PaymentMethod,
    ReasonCode,
    RenewalMode,
    RenewalPolicy,
    RuleViolation,
    Subscription,
    SubscriptionKind,
    Term,
    check_batch,
    check_enable_auto_renew,
    check_manual_renewal,
    check_renewal,
    check_term_change,
    enable_auto_renew,
    has_access,
    lifecycle_stage,
    plan_batches,
    renew,
    renewal_requirement,
    renewal_window,
    stage_dates,
)
from renewal_rules.strategies import policies, subscriptions
from tests.factories import make_sub

C = ReasonCode
S = LifecycleStage
P = POST_EXPIRY_POLICY
END = date(2027, 5, 1)
ANNUAL = make_sub(auto_renew=False, term_end=END)
MONTHLY = make_sub(
    auto_renew=False, term=Term.MONTHLY, term_start=date(2027, 4, 1), term_end=END
)


def day(n: int) -> date:
    return END + timedelta(days=n)


class TestStages:
    """G1, G2: Expired 15 days, Suspended 30 (15 monthly), then Canceled."""

    @pytest.mark.parametrize(
        ("sub", "n", "stage"),
        [
            (ANNUAL, -1, S.ACTIVE),
            (ANNUAL, 0, S.EXPIRED),
            (ANNUAL, 14, S.EXPIRED),
            (ANNUAL, 15, S.SUSPENDED),
            (ANNUAL, 44, S.SUSPENDED),
            (ANNUAL, 45, S.CANCELED),
            (MONTHLY, 14, S.EXPIRED),
            (MONTHLY, 15, S.SUSPENDED),
            (MONTHLY, 29, S.SUSPENDED),
            (MONTHLY, 30, S.CANCELED),
        ],
    )
    def test_each_stage_begins_on_its_day(
        self, sub: object, n: int, stage: LifecycleStage
    ) -> None:  # G1, G2
        assert lifecycle_stage(sub, as_of=day(n)) is stage  # type: ignore[arg-type]
        expected = stage in (S.ACTIVE, S.EXPIRED)
        assert has_access(sub, as_of=day(n)) is expected  # type: ignore[arg-type]

    def test_stage_dates(self) -> None:  # G1
        dates = stage_dates(ANNUAL)
        assert (dates.expired_on, dates.suspended_on, dates.canceled_on) == (
            END,
            day(15),
            day(45),
        )
        assert stage_dates(MONTHLY).canceled_on == day(30)

    def test_a_trial_is_canceled_on_term_end(self) -> None:  # G1
        trial = make_sub(kind=SubscriptionKind.TRIAL)
        dates = stage_dates(trial, invoice_due_on=date(2027, 3, 1))  # ignored
        assert dates.expired_on == dates.suspended_on == dates.canceled_on == END
        assert lifecycle_stage(trial, as_of=day(-1)) is S.ACTIVE
        assert lifecycle_stage(trial, as_of=END) is S.CANCELED
        assert not has_access(trial, as_of=END)

    def test_an_unpaid_invoice_starts_the_shutoff_the_day_after_it_is_due(
        self,
    ) -> None:  # G6
        due = date(2027, 3, 10)
        assert stage_dates(ANNUAL, invoice_due_on=due).expired_on == date(2027, 3, 11)
        stage_on_due = lifecycle_stage(ANNUAL, as_of=due, invoice_due_on=due)
        assert stage_on_due is S.ACTIVE
        assert (
            lifecycle_stage(ANNUAL, as_of=due + timedelta(days=1), invoice_due_on=due)
            is S.EXPIRED
        )
        later = stage_dates(ANNUAL, invoice_due_on=day(10))  # after term_end
        assert later.expired_on == END

    def test_stage_lengths_are_policy(self) -> None:  # G1
        policy = RenewalPolicy(
            expired_stage_days=0, suspended_stage_days=dict.fromkeys(Term, 0)
        )
        dates = stage_dates(ANNUAL, policy=policy)
        assert dates.expired_on == dates.canceled_on == END

    def test_bad_arguments(self) -> None:
        with pytest.raises(InvalidTypeError):
            stage_dates("S-1")  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError) as caught:
            lifecycle_stage(ANNUAL, as_of=END, invoice_due_on=date(1800, 1, 1))
        assert caught.value.field == "invoice_due_on"
        with pytest.raises(InvalidInputError):
            RenewalPolicy(suspended_stage_days={Term.ANNUAL: 30})
        with pytest.raises(InvalidInputError):
            RenewalPolicy(expired_stage_days=3661)
        with pytest.raises(InvalidInputError):
            RenewalPolicy(reminder_days_before=(4, 4))
        with pytest.raises(InvalidInputError):
            RenewalPolicy(reminder_days_before=(0,))


class TestPostExpirySwitch:
    """G3: with the switch on, renewable until canceled_on; off, E2 as before."""

    def test_switch_off_is_part_1(self) -> None:  # E2, G3
        assert check_renewal(ANNUAL, as_of=END).codes == (C.SUBSCRIPTION_EXPIRED,)
        assert renewal_window(ANNUAL).closes_on == END
        assert DEFAULT_POLICY.post_expiry_renewal is False

    def test_renewable_until_canceled(self) -> None:  # G3
        assert check_renewal(ANNUAL, as_of=day(44), policy=P)
        assert check_renewal(ANNUAL, as_of=day(45), policy=P).codes == (
            C.SUBSCRIPTION_CANCELED,
        )
        assert renewal_window(ANNUAL, policy=P).closes_on == day(45)
        assert check_manual_renewal(ANNUAL, as_of=day(44), policy=P)

    def test_requirement_after_term_end(self) -> None:  # G3
        requirement = renewal_requirement(ANNUAL, as_of=day(0), policy=P)
        assert requirement.mode is RenewalMode.MANUAL
        assert [(r.code, dict(r.params)) for r in requirement.reasons] == [
            (C.RENEWAL_DATE_PASSED, {"canceled_on": day(45)})
        ]
        canceled = renewal_requirement(ANNUAL, as_of=day(45), policy=P)
        assert canceled.mode is RenewalMode.NONE
        assert canceled.codes == (C.SUBSCRIPTION_CANCELED,)

    def test_a_trial_is_canceled_from_term_end(self) -> None:  # E1, G3
        trial = make_sub(kind=SubscriptionKind.TRIAL)
        assert check_renewal(trial, as_of=END, policy=P).codes == (
            C.TRIAL_NOT_RENEWABLE,
            C.SUBSCRIPTION_CANCELED,
        )

    def test_renew_late_keeps_the_anniversary(self) -> None:  # G4, E4
        renewed = renew(ANNUAL, as_of=day(20), policy=P)
        assert (renewed.term_start, renewed.term_end) == (END, date(2028, 5, 1))

    def test_renew_late_on_the_renewal_date(self) -> None:  # G4
        policy = RenewalPolicy(
            post_expiry_renewal=True, late_renewal_basis=LateRenewalBasis.RENEWAL_DATE
        )
        renewed = renew(ANNUAL, as_of=day(20), policy=policy)
        assert (renewed.term_start, renewed.term_end) == (day(20), date(2028, 5, 21))
        assert renewed.anchor_day == 21

    def test_a_monthly_term_into_february_is_refused_late(self) -> None:  # G4
        jan = make_sub(
            auto_renew=False,
            term=Term.MONTHLY,
            term_start=date(2026, 12, 31),
            term_end=date(2027, 1, 31),
        )
        # The next term would end on Feb 28; the shutoff lasts to Mar 2.
        assert check_manual_renewal(jan, as_of=date(2027, 2, 27), policy=P)
        late = check_manual_renewal(jan, as_of=date(2027, 2, 28), policy=P)
        assert late.codes == (C.LATE_RENEWAL_TERM_ELAPSED,)
        requirement = renewal_requirement(jan, as_of=date(2027, 2, 28), policy=P)
        assert requirement.mode is RenewalMode.NONE
        assert requirement.codes == (C.LATE_RENEWAL_TERM_ELAPSED,)
        with pytest.raises(RuleViolation):
            renew(jan, as_of=date(2027, 2, 28), policy=P)
        assert check_renewal(jan, as_of=date(2027, 2, 28), policy=P)

    def test_turning_auto_renew_on_late_is_a_renewal(self) -> None:  # G5
        on = enable_auto_renew(ANNUAL, as_of=day(10), policy=P)
        assert on.auto_renew
        assert (on.term_start, on.term_end) == (END, date(2028, 5, 1))
        # From term_end itself: the day the paid term no longer covers.
        on = enable_auto_renew(ANNUAL, as_of=day(0), policy=P)
        assert (on.term_start, on.term_end) == (END, date(2028, 5, 1))
        before = enable_auto_renew(ANNUAL, as_of=day(-1), policy=P)
        assert (before.term_start, before.term_end) == (
            ANNUAL.term_start,
            ANNUAL.term_end,
        )

    def test_the_card_is_charged_on_the_later_of_as_of_and_term_end(
        self,
    ) -> None:  # G5, A1
        card = PaymentMethod(kind=PaymentKind.CARD, expires_on=day(5))
        sub = make_sub(payment_method=card, auto_renew=False)
        assert check_enable_auto_renew(sub, as_of=day(5), policy=P)
        assert check_enable_auto_renew(sub, as_of=day(6), policy=P).codes == (
            C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL,
        )
        assert check_enable_auto_renew(sub, as_of=day(-1), policy=P)

    def test_batches_and_term_changes_follow(self) -> None:  # G3, B2
        assert check_batch([ANNUAL], action=BatchAction.RENEW, as_of=day(3), policy=P)
        plan = plan_batches([ANNUAL], action=BatchAction.RENEW, as_of=day(3), policy=P)
        assert len(plan.batches) == 1
        assert check_term_change(ANNUAL, Term.MONTHLY, as_of=day(3), policy=P)
        assert not check_term_change(ANNUAL, Term.MONTHLY, as_of=day(3))


class TestPayByInvoice:
    """A5: pay by invoice carries recurring renewals."""

    def test_invoice_is_recurring(self) -> None:  # A5
        invoice = PaymentMethod(kind=PaymentKind.INVOICE)
        sub = make_sub(payment_method=invoice)
        assert renewal_requirement(sub, as_of=date(2027, 3, 1)).mode is (
            RenewalMode.AUTOMATIC
        )
        assert PaymentKind.INVOICE.value == "pay_by_invoice"
        assert PaymentKind.INVOICE not in DEFAULT_POLICY.manual_payment_kinds


@given(subscriptions(), policies(), st.integers(-400, 400), st.integers(-30, 400))
def test_access_is_the_stage(
    sub: Subscription, policy: RenewalPolicy, day: int, due: int
) -> None:  # G2, G6
    as_of = sub.term_end + timedelta(days=day)
    invoice_due_on = sub.term_end + timedelta(days=due)
    stage = lifecycle_stage(
        sub, as_of=as_of, policy=policy, invoice_due_on=invoice_due_on
    )
    assert has_access(
        sub, as_of=as_of, policy=policy, invoice_due_on=invoice_due_on
    ) is (stage in {LifecycleStage.ACTIVE, LifecycleStage.EXPIRED})


def test_access_follows_the_invoice_due_date_and_the_policy() -> None:  # G2, G6
    # An open renewal invoice due 60 days before term_end starts the
    # shutoff the day after: 10 days before term_end the subscription is
    # already suspended, unless the policy's expired stage is long.
    sub = make_sub()
    as_of = sub.term_end - timedelta(days=10)
    due = sub.term_end - timedelta(days=60)
    assert has_access(sub, as_of=as_of)
    assert not has_access(sub, as_of=as_of, invoice_due_on=due)
    long = attrs.evolve(DEFAULT_POLICY, expired_stage_days=300)
    assert has_access(sub, as_of=as_of, policy=long, invoice_due_on=due)
