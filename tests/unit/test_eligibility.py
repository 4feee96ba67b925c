"""Example tests for E1-E4, T1-T2, A1-A4 and M1-M2, each citing its rule."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from renewal_rules import (
    Capability,
    DateWindow,
    InvalidTypeError,
    Market,
    PaymentKind,
    PaymentMethod,
    Reason,
    ReasonCode,
    RenewalMode,
    RenewalPolicy,
    RuleViolation,
    SubscriptionKind,
    Term,
    change_term,
    check_enable_auto_renew,
    check_manual_renewal,
    check_renewal,
    check_term_change,
    enable_auto_renew,
    next_term_end,
    renew,
    renewal_requirement,
    renewal_window,
)
from tests.factories import AS_OF, TERM_END, make_sub

C = ReasonCode


def only_market(*capabilities: Capability) -> RenewalPolicy:
    return RenewalPolicy(markets=[Market(code="FR", capabilities=capabilities)])


class TestEligibility:
    def test_a_paid_subscription_before_term_end_can_renew(self) -> None:
        assert check_renewal(make_sub(), as_of=AS_OF)

    def test_trial_cannot_renew(self) -> None:  # E1
        decision = check_renewal(make_sub(kind=SubscriptionKind.TRIAL), as_of=AS_OF)
        assert decision.reasons == (Reason(code=C.TRIAL_NOT_RENEWABLE, subject="S-1"),)
        assert decision.reasons[0].remedy == "convert_trial"

    def test_expired_on_term_end(self) -> None:  # E2
        decision = check_renewal(make_sub(), as_of=TERM_END)
        assert decision.codes == (C.SUBSCRIPTION_EXPIRED,)
        assert decision.reasons[0].remedy == "purchase_new"

    def test_expired_after_term_end(self) -> None:  # E2
        assert check_renewal(
            make_sub(), as_of=TERM_END + timedelta(days=400)
        ).codes == (C.SUBSCRIPTION_EXPIRED,)

    def test_renewable_the_day_before_term_end(self) -> None:  # E3
        assert check_renewal(make_sub(), as_of=TERM_END - timedelta(days=1))
        assert check_manual_renewal(make_sub(), as_of=TERM_END - timedelta(days=1))

    def test_expired_trial_reports_both(self) -> None:  # E1, E2
        decision = check_renewal(make_sub(kind=SubscriptionKind.TRIAL), as_of=TERM_END)
        assert decision.codes == (C.TRIAL_NOT_RENEWABLE, C.SUBSCRIPTION_EXPIRED)

    def test_as_of_must_be_a_date(self) -> None:
        with pytest.raises(InvalidTypeError, match="as_of"):
            check_renewal(make_sub(), as_of=datetime(2027, 3, 1))
        with pytest.raises(InvalidTypeError, match="as_of"):
            check_renewal(make_sub(), as_of="2027-03-01")  # type: ignore[arg-type]

    def test_arguments_are_type_checked(self) -> None:
        with pytest.raises(InvalidTypeError, match="sub"):
            check_renewal("S-1", as_of=AS_OF)  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="policy"):
            check_renewal(make_sub(), as_of=AS_OF, policy=None)  # type: ignore[arg-type]


class TestRenewalMode:
    def test_healthy_subscription_renews_automatically(self) -> None:  # A1
        requirement = renewal_requirement(make_sub(), as_of=AS_OF)
        assert requirement.mode is RenewalMode.AUTOMATIC
        assert requirement.reasons == ()
        assert requirement.window == DateWindow(
            opens_on=TERM_END - timedelta(days=90), closes_on=TERM_END
        )

    def test_automatic_with_a_fresh_policy(self) -> None:  # A1
        requirement = renewal_requirement(
            make_sub(), as_of=AS_OF, policy=RenewalPolicy()
        )
        assert requirement.reasons == ()
        assert requirement.mode is RenewalMode.AUTOMATIC

    def test_auto_renew_off_needs_manual(self) -> None:  # A1
        requirement = renewal_requirement(make_sub(auto_renew=False), as_of=AS_OF)
        assert requirement.mode is RenewalMode.MANUAL
        assert requirement.reasons == (Reason(code=C.AUTO_RENEW_OFF, subject="S-1"),)

    def test_no_payment_method(self) -> None:  # A1
        requirement = renewal_requirement(make_sub(payment_method=None), as_of=AS_OF)
        assert requirement.mode is RenewalMode.MANUAL
        assert [r.code for r in requirement.reasons] == [C.NO_PAYMENT_METHOD]

    @pytest.mark.parametrize(
        "kind",
        [PaymentKind.ALIPAY, PaymentKind.CONVENIENCE_STORE, PaymentKind.BANK_TRANSFER],
    )
    def test_manual_payment_kinds(self, kind: PaymentKind) -> None:  # A2
        sub = make_sub(payment_method=PaymentMethod(kind=kind))
        requirement = renewal_requirement(sub, as_of=AS_OF)
        assert requirement.mode is RenewalMode.MANUAL
        assert [r.code for r in requirement.reasons] == [C.PAYMENT_METHOD_NOT_RECURRING]
        assert requirement.reasons[0].remedy == "renew_manually"

    @pytest.mark.parametrize(
        "kind", [PaymentKind.CARD, PaymentKind.PAYPAL, PaymentKind.DIRECT_DEBIT]
    )
    def test_recurring_payment_kinds(self, kind: PaymentKind) -> None:  # A2
        sub = make_sub(payment_method=PaymentMethod(kind=kind))
        assert renewal_requirement(sub, as_of=AS_OF).mode is RenewalMode.AUTOMATIC

    def test_manual_payment_kinds_are_configurable(self) -> None:  # A2
        policy = RenewalPolicy(manual_payment_kinds={PaymentKind.PAYPAL})
        alipay = make_sub(payment_method=PaymentMethod(kind=PaymentKind.ALIPAY))
        paypal = make_sub(payment_method=PaymentMethod(kind=PaymentKind.PAYPAL))
        assert (
            renewal_requirement(alipay, as_of=AS_OF, policy=policy).mode
            is RenewalMode.AUTOMATIC
        )
        assert (
            renewal_requirement(paypal, as_of=AS_OF, policy=policy).mode
            is RenewalMode.MANUAL
        )

    def test_invalid_payment_method(self) -> None:  # A1
        sub = make_sub(payment_method=PaymentMethod(kind=PaymentKind.CARD, valid=False))
        requirement = renewal_requirement(sub, as_of=AS_OF)
        assert [r.code for r in requirement.reasons] == [C.PAYMENT_METHOD_INVALID]
        assert requirement.reasons[0].remedy == "update_payment_method"

    def test_card_expiring_the_day_before_term_end(self) -> None:  # A1
        card = PaymentMethod(
            kind=PaymentKind.CARD, expires_on=TERM_END - timedelta(days=1)
        )
        requirement = renewal_requirement(make_sub(payment_method=card), as_of=AS_OF)
        assert requirement.mode is RenewalMode.MANUAL
        assert [r.code for r in requirement.reasons] == [
            C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL
        ]

    def test_card_expiring_on_term_end_can_still_be_charged(self) -> None:  # A1
        card = PaymentMethod(kind=PaymentKind.CARD, expires_on=TERM_END)
        assert renewal_requirement(make_sub(payment_method=card), as_of=AS_OF).mode is (
            RenewalMode.AUTOMATIC
        )

    def test_market_without_auto_renewal(self) -> None:  # A4
        policy = only_market(Capability.MANUAL_RENEWAL)
        requirement = renewal_requirement(make_sub(), as_of=AS_OF, policy=policy)
        assert requirement.mode is RenewalMode.MANUAL
        assert requirement.reasons == (
            Reason(
                code=C.CAPABILITY_UNAVAILABLE,
                subject="S-1",
                params={"capability": Capability.AUTO_RENEWAL},
            ),
        )
        assert dict(requirement.reasons[0].params)["capability"] == "auto_renewal"

    def test_every_failing_condition_is_reported(self) -> None:  # A1
        card = PaymentMethod(
            kind=PaymentKind.ALIPAY, valid=False, expires_on=date(2027, 1, 1)
        )
        sub = make_sub(auto_renew=False, payment_method=card)
        requirement = renewal_requirement(sub, as_of=AS_OF, policy=only_market())
        assert [r.code for r in requirement.reasons] == [
            C.AUTO_RENEW_OFF,
            C.PAYMENT_METHOD_NOT_RECURRING,
            C.PAYMENT_METHOD_INVALID,
            C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL,
            C.CAPABILITY_UNAVAILABLE,
        ]

    def test_trial_has_mode_none_with_e1_reasons_only(self) -> None:  # A1, E1
        sub = make_sub(
            kind=SubscriptionKind.TRIAL, auto_renew=False, payment_method=None
        )
        requirement = renewal_requirement(sub, as_of=AS_OF)
        assert requirement.mode is RenewalMode.NONE
        assert [r.code for r in requirement.reasons] == [C.TRIAL_NOT_RENEWABLE]

    def test_expired_trial_has_mode_none_with_both(self) -> None:  # A1, E1, E2
        sub = make_sub(kind=SubscriptionKind.TRIAL, payment_method=None)
        requirement = renewal_requirement(sub, as_of=TERM_END)
        assert requirement.mode is RenewalMode.NONE
        assert [r.code for r in requirement.reasons] == [
            C.TRIAL_NOT_RENEWABLE,
            C.SUBSCRIPTION_EXPIRED,
        ]

    def test_expired_has_mode_none(self) -> None:  # A1, E2
        requirement = renewal_requirement(make_sub(auto_renew=False), as_of=TERM_END)
        assert requirement.mode is RenewalMode.NONE
        assert [r.code for r in requirement.reasons] == [C.SUBSCRIPTION_EXPIRED]


def _every_combination() -> list[tuple[dict[str, bool], tuple[ReasonCode, ...]]]:
    """Each set of failing E1/E2/A1/A2/A4 conditions, with the codes it gives."""
    cases = []
    for (
        trial,
        expired,
        off,
        missing,
        manual,
        invalid,
        expiring,
        no_auto,
    ) in itertools.product((False, True), repeat=8):
        if missing and (manual or invalid or expiring):
            continue  # without a method there is nothing else to find wrong
        flags = {
            "trial": trial, "expired": expired, "off": off, "missing": missing,
            "manual": manual, "invalid": invalid, "expiring": expiring,
            "no_auto": no_auto,
        }  # fmt: skip
        none = [C.TRIAL_NOT_RENEWABLE] * trial + [C.SUBSCRIPTION_EXPIRED] * expired
        manual_codes = (
            [C.AUTO_RENEW_OFF] * off
            + [C.NO_PAYMENT_METHOD] * missing
            + [C.PAYMENT_METHOD_NOT_RECURRING] * manual
            + [C.PAYMENT_METHOD_INVALID] * invalid
            + [C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL] * expiring
            + [C.CAPABILITY_UNAVAILABLE] * no_auto
        )
        cases.append((flags, tuple(none or manual_codes)))
    return cases


@pytest.mark.parametrize(
    ("flags", "codes"),
    _every_combination(),
    ids=lambda value: (
        "-".join(k for k, on in value.items() if on) or "none"
        if isinstance(value, dict)
        else ""
    ),
)
def test_every_combination_of_failing_conditions(  # A1, A2, A4, E1, E2
    flags: dict[str, bool], codes: tuple[ReasonCode, ...]
) -> None:
    method = PaymentMethod(
        kind=PaymentKind.ALIPAY if flags["manual"] else PaymentKind.CARD,
        valid=not flags["invalid"],
        expires_on=date(2027, 1, 1) if flags["expiring"] else date(2030, 1, 31),
    )
    sub = make_sub(
        kind=SubscriptionKind.TRIAL if flags["trial"] else SubscriptionKind.PAID,
        auto_renew=not flags["off"],
        payment_method=None if flags["missing"] else method,
    )
    policy = only_market() if flags["no_auto"] else only_market(*Capability)
    as_of = TERM_END if flags["expired"] else AS_OF
    requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
    assert requirement.codes == codes
    assert [r.code for r in requirement.reasons] == list(codes)
    assert all(r.subject == "S-1" for r in requirement.reasons)
    assert [dict(r.params) for r in requirement.reasons] == [
        {"capability": Capability.AUTO_RENEWAL}
        if code is C.CAPABILITY_UNAVAILABLE
        else {}
        for code in codes
    ]
    expected_mode = (
        RenewalMode.NONE
        if flags["trial"] or flags["expired"]
        else RenewalMode.MANUAL
        if codes
        else RenewalMode.AUTOMATIC
    )
    assert requirement.mode is expected_mode


class TestManualRenewal:
    def test_window_opens_90_days_before_term_end(self) -> None:  # M1
        assert renewal_window(make_sub()) == DateWindow(
            opens_on=date(2027, 1, 31), closes_on=TERM_END
        )

    def test_open_on_day_minus_90(self) -> None:  # M1
        assert check_manual_renewal(make_sub(), as_of=TERM_END - timedelta(days=90))

    def test_closed_on_day_minus_91(self) -> None:  # M1
        decision = check_manual_renewal(make_sub(), as_of=TERM_END - timedelta(days=91))
        assert decision.reasons == (
            Reason(
                code=C.OUTSIDE_RENEWAL_WINDOW,
                subject="S-1",
                params={"opens_on": TERM_END - timedelta(days=90)},
            ),
        )
        assert decision.reasons[0].remedy == "wait_for_window"
        assert "2027-01-31" in decision.explain()

    def test_window_length_comes_from_the_policy(self) -> None:  # M1
        policy = RenewalPolicy(renewal_window_days=30)
        assert renewal_window(
            make_sub(), policy=policy
        ).opens_on == TERM_END - timedelta(days=30)
        assert not check_manual_renewal(
            make_sub(), as_of=TERM_END - timedelta(days=31), policy=policy
        )

    def test_closed_on_term_end_reports_expiry_not_the_window(self) -> None:  # M1, E2
        decision = check_manual_renewal(make_sub(), as_of=TERM_END)
        assert decision.codes == (C.SUBSCRIPTION_EXPIRED,)

    def test_market_without_manual_renewal(self) -> None:  # M2
        policy = only_market(Capability.AUTO_RENEWAL)
        decision = check_manual_renewal(make_sub(), as_of=AS_OF, policy=policy)
        assert decision.reasons == (
            Reason(
                code=C.CAPABILITY_UNAVAILABLE,
                subject="S-1",
                params={"capability": Capability.MANUAL_RENEWAL},
            ),
        )

    def test_manual_renewal_does_not_need_a_payment_method(self) -> None:  # M1
        sub = make_sub(
            auto_renew=False, payment_method=PaymentMethod(kind=PaymentKind.ALIPAY)
        )
        assert check_manual_renewal(sub, as_of=AS_OF)

    def test_trial_outside_window_reports_every_condition(self) -> None:  # E1, M1, M2
        sub = make_sub(kind=SubscriptionKind.TRIAL)
        decision = check_manual_renewal(
            sub, as_of=TERM_END - timedelta(days=200), policy=only_market()
        )
        assert decision.codes == (
            C.TRIAL_NOT_RENEWABLE,
            C.OUTSIDE_RENEWAL_WINDOW,
            C.CAPABILITY_UNAVAILABLE,
        )


class TestEnableAutoRenew:
    def test_allowed_with_a_chargeable_card(self) -> None:  # A3
        assert check_enable_auto_renew(make_sub(auto_renew=False), as_of=AS_OF)

    def test_allowed_when_already_on(self) -> None:  # A3
        sub = make_sub(auto_renew=True)
        assert check_enable_auto_renew(sub, as_of=AS_OF)
        assert enable_auto_renew(sub, as_of=AS_OF) == sub

    def test_turns_it_on(self) -> None:  # A3
        result = enable_auto_renew(make_sub(auto_renew=False), as_of=AS_OF)
        assert result.auto_renew is True
        assert result == make_sub(auto_renew=True)

    def test_refused_for_every_failing_condition(self) -> None:  # A3
        sub = make_sub(
            auto_renew=False,
            kind=SubscriptionKind.TRIAL,
            payment_method=PaymentMethod(
                kind=PaymentKind.BANK_TRANSFER, valid=False, expires_on=date(2027, 1, 1)
            ),
        )
        decision = check_enable_auto_renew(sub, as_of=AS_OF, policy=only_market())
        assert decision.codes == (
            C.TRIAL_NOT_RENEWABLE,
            C.PAYMENT_METHOD_NOT_RECURRING,
            C.PAYMENT_METHOD_INVALID,
            C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL,
            C.CAPABILITY_UNAVAILABLE,
        )
        with pytest.raises(RuleViolation) as caught:
            enable_auto_renew(sub, as_of=AS_OF, policy=only_market())
        assert caught.value.decision == decision

    def test_refused_without_payment_method(self) -> None:  # A3
        decision = check_enable_auto_renew(make_sub(payment_method=None), as_of=AS_OF)
        assert decision.codes == (C.NO_PAYMENT_METHOD,)

    def test_refused_when_expired(self) -> None:  # A3, E2
        assert check_enable_auto_renew(make_sub(), as_of=TERM_END).codes == (
            C.SUBSCRIPTION_EXPIRED,
        )

    def test_payment_reasons_name_the_subscription(self) -> None:  # A3
        bad = PaymentMethod(
            kind=PaymentKind.CARD, valid=False, expires_on=date(2027, 1, 1)
        )
        decision = check_enable_auto_renew(make_sub(payment_method=bad), as_of=AS_OF)
        assert decision.reasons == (
            Reason(code=C.PAYMENT_METHOD_INVALID, subject="S-1"),
            Reason(code=C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL, subject="S-1"),
        )
        none = check_enable_auto_renew(make_sub(payment_method=None), as_of=AS_OF)
        assert none.reasons == (Reason(code=C.NO_PAYMENT_METHOD, subject="S-1"),)

    def test_card_expiring_before_renewal(self) -> None:  # A3
        card = PaymentMethod(
            kind=PaymentKind.CARD, expires_on=TERM_END - timedelta(days=1)
        )
        decision = check_enable_auto_renew(make_sub(payment_method=card), as_of=AS_OF)
        assert decision.codes == (C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL,)
        on_term_end = PaymentMethod(kind=PaymentKind.CARD, expires_on=TERM_END)
        assert check_enable_auto_renew(
            make_sub(payment_method=on_term_end), as_of=AS_OF
        )


class TestTerms:
    def test_change_sets_a_pending_term(self) -> None:  # T1
        changed = change_term(make_sub(), Term.MONTHLY, as_of=AS_OF)
        assert changed.pending_term is Term.MONTHLY
        assert changed.term is Term.ANNUAL
        assert changed.term_end == TERM_END

    def test_same_term_is_refused(self) -> None:  # T1
        decision = check_term_change(make_sub(), Term.ANNUAL, as_of=AS_OF)
        assert decision.reasons == (Reason(code=C.TERM_UNCHANGED, subject="S-1"),)

    def test_same_term_in_a_market_without_term_change_reports_both(
        self,
    ) -> None:  # T1
        decision = check_term_change(
            make_sub(),
            Term.ANNUAL,
            as_of=AS_OF,
            policy=only_market(Capability.AUTO_RENEWAL),
        )
        assert set(decision.codes) == {C.CAPABILITY_UNAVAILABLE, C.TERM_UNCHANGED}

    def test_pending_term_again_is_refused(self) -> None:  # T1
        sub = make_sub(pending_term=Term.THREE_YEAR)
        assert check_term_change(sub, Term.THREE_YEAR, as_of=AS_OF).codes == (
            C.TERM_UNCHANGED,
        )

    def test_current_term_cancels_a_pending_change(self) -> None:  # T1
        sub = make_sub(pending_term=Term.THREE_YEAR)
        assert check_term_change(sub, Term.ANNUAL, as_of=AS_OF)
        assert change_term(sub, Term.ANNUAL, as_of=AS_OF).pending_term is None

    def test_market_without_term_change(self) -> None:  # T1
        decision = check_term_change(
            make_sub(),
            Term.MONTHLY,
            as_of=AS_OF,
            policy=only_market(Capability.AUTO_RENEWAL),
        )
        assert decision.reasons == (
            Reason(
                code=C.CAPABILITY_UNAVAILABLE,
                subject="S-1",
                params={"capability": Capability.TERM_CHANGE},
            ),
        )
        with pytest.raises(RuleViolation):
            change_term(
                make_sub(),
                Term.MONTHLY,
                as_of=AS_OF,
                policy=only_market(Capability.AUTO_RENEWAL),
            )

    def test_trial_and_expired_cannot_change_term(self) -> None:  # T1, E1, E2
        trial = make_sub(kind=SubscriptionKind.TRIAL)
        assert check_term_change(trial, Term.MONTHLY, as_of=TERM_END).codes == (
            C.TRIAL_NOT_RENEWABLE,
            C.SUBSCRIPTION_EXPIRED,
        )

    def test_term_change_is_not_limited_to_the_window(self) -> None:  # T1
        assert check_term_change(make_sub(), Term.MONTHLY, as_of=date(2026, 6, 1))

    def test_new_term_must_be_a_term(self) -> None:
        with pytest.raises(InvalidTypeError, match="new_term"):
            check_term_change(make_sub(), "monthly", as_of=AS_OF)  # type: ignore[arg-type]

    def test_renew_applies_the_pending_term(self) -> None:  # T1, E4
        sub = change_term(make_sub(), Term.MONTHLY, as_of=AS_OF)
        renewed = renew(sub, as_of=AS_OF)
        assert renewed.term is Term.MONTHLY
        assert renewed.pending_term is None
        assert (renewed.term_start, renewed.term_end) == (TERM_END, date(2027, 6, 1))


class TestAnchoredDates:
    """T2: term ends follow calendar months from an anchor day that never drifts."""

    def test_jan_31_monthly_chain(self) -> None:
        sub = make_sub(
            term=Term.MONTHLY, term_start=date(2026, 12, 31), term_end=date(2027, 1, 31)
        )
        ends = []
        for as_of in (date(2027, 1, 30), date(2027, 2, 27), date(2027, 3, 30)):
            sub = renew(sub, as_of=as_of)
            ends.append(sub.term_end)
        assert ends == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
        assert sub.anchor_day == 31

    def test_jan_31_monthly_in_a_leap_year(self) -> None:
        sub = make_sub(
            term=Term.MONTHLY, term_start=date(2027, 12, 31), term_end=date(2028, 1, 31)
        )
        assert next_term_end(sub) == date(2028, 2, 29)

    def test_feb_29_annual_anchor(self) -> None:
        sub = make_sub(term_start=date(2027, 2, 28), term_end=date(2028, 2, 29))
        first = renew(sub, as_of=date(2028, 2, 1))
        assert first.term_end == date(2029, 2, 28)
        assert first.anchor_day == 29
        later = first
        for year in (2030, 2031, 2032):
            later = renew(later, as_of=later.term_end - timedelta(days=1))
            assert later.term_end == date(year, 2, 29 if year == 2032 else 28)

    def test_three_year_term(self) -> None:
        sub = make_sub(term=Term.THREE_YEAR, term_start=date(2024, 5, 1))
        assert next_term_end(sub) == date(2030, 5, 1)


class TestRenew:
    def test_new_term_starts_at_the_old_term_end(self) -> None:  # E4
        renewed = renew(make_sub(), as_of=AS_OF)
        assert renewed.term_start == TERM_END
        assert renewed.term_end == date(2028, 5, 1)
        assert renewed.anchor_day == 1

    def test_early_renewal_keeps_the_anniversary(self) -> None:  # E4
        early = renew(make_sub(), as_of=TERM_END - timedelta(days=90))
        late = renew(make_sub(), as_of=TERM_END - timedelta(days=1))
        assert early == late

    def test_refused_outside_the_window(self) -> None:  # M1
        with pytest.raises(RuleViolation) as caught:
            renew(make_sub(), as_of=TERM_END - timedelta(days=91))
        assert caught.value.decision.codes == (C.OUTSIDE_RENEWAL_WINDOW,)

    def test_refused_on_term_end(self) -> None:  # E2
        with pytest.raises(RuleViolation) as caught:
            renew(make_sub(), as_of=TERM_END)
        assert caught.value.decision.codes == (C.SUBSCRIPTION_EXPIRED,)

    def test_refused_for_a_trial(self) -> None:  # E1
        with pytest.raises(RuleViolation) as caught:
            renew(make_sub(kind=SubscriptionKind.TRIAL), as_of=AS_OF)
        assert caught.value.decision.codes == (C.TRIAL_NOT_RENEWABLE,)

    def test_no_capability_is_checked(self) -> None:  # E4
        assert (
            renew(make_sub(), as_of=AS_OF, policy=only_market()).term_start == TERM_END
        )


def test_window_and_next_term_end_check_their_arguments() -> None:
    with pytest.raises(InvalidTypeError, match="sub"):
        renewal_window("S-1")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="policy"):
        renewal_window(make_sub(), policy="default")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="sub"):
        next_term_end(None)  # type: ignore[arg-type]


def test_the_policy_holds_no_hidden_state() -> None:  # A1
    # A frozen policy is its fields plus what they determine: asking it
    # questions never changes it (no memo inside a frozen value).
    policy = RenewalPolicy()
    before = {
        slot: getattr(policy, slot) for slot in _slots(policy) if slot != "__weakref__"
    }
    for n in range(3):
        sub = make_sub(
            id=f"S-{n}",
            term_end=TERM_END + timedelta(days=n),
            term_start=date(2026, 5, 1),
        )
        renewal_requirement(sub, as_of=AS_OF, policy=policy)
    after = {
        slot: getattr(policy, slot) for slot in _slots(policy) if slot != "__weakref__"
    }
    assert before == after
    assert not any("memo" in slot for slot in _slots(policy))


def _slots(value: object) -> tuple[str, ...]:
    slots: tuple[str, ...] = vars(type(value))["__slots__"]
    return slots
