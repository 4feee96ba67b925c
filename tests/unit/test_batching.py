"""Example tests for B1-B4: batch checks and portfolio plans."""

from __future__ import annotations

from datetime import timedelta

import pytest

from renewal_rules import (
    Batch,
    BatchAction,
    BatchPlan,
    Capability,
    GroupKey,
    InvalidInputError,
    InvalidTypeError,
    Market,
    PaymentKind,
    PaymentMethod,
    PurchaseMethod,
    Reason,
    ReasonCode,
    Rejection,
    RenewalPolicy,
    Subscription,
    SubscriptionKind,
    check_batch,
    group_key,
    plan_batches,
)
from tests.factories import AS_OF, TERM_END, make_sub

C = ReasonCode
A = BatchAction


def many(count: int, **fields: object) -> list[Subscription]:
    return [make_sub(id=f"S-{i:03d}", **fields) for i in range(count)]


class TestSize:
    @pytest.mark.parametrize("action", list(BatchAction))
    def test_100_allowed_101_refused(self, action: BatchAction) -> None:  # B1, B2
        subs = many(101)
        assert check_batch(subs[:100], action=action, as_of=AS_OF)
        decision = check_batch(subs, action=action, as_of=AS_OF)
        assert decision.reasons == (
            Reason(code=C.BATCH_TOO_LARGE, params={"size": 101, "limit": 100}),
        )
        assert decision.reasons[0].subject is None
        assert decision.reasons[0].remedy == "split_batch"

    def test_limit_comes_from_the_policy(self) -> None:  # B1
        policy = RenewalPolicy(batch_limit=2)
        decision = check_batch(many(3), action=A.RENEW, as_of=AS_OF, policy=policy)
        assert dict(decision.reasons[0].params) == {"size": 3, "limit": 2}

    @pytest.mark.parametrize("action", list(BatchAction))
    def test_empty_batch(self, action: BatchAction) -> None:  # B4
        assert check_batch([], action=action, as_of=AS_OF).reasons == (
            Reason(code=C.BATCH_EMPTY),
        )

    def test_same_subscription_twice(self) -> None:  # B4
        sub = make_sub()
        decision = check_batch([sub, sub], action=A.RENEW, as_of=AS_OF)
        assert decision.reasons == (
            Reason(code=C.DUPLICATE_SUBSCRIPTION, subject="S-1"),
        )


class TestGroups:
    @pytest.mark.parametrize(
        "change",
        [
            {"csn": "5100002"},
            {"currency": "USD"},
            {"purchase_method": PurchaseMethod.DIRECT},
        ],
        ids=["csn", "currency", "purchase-method"],
    )
    @pytest.mark.parametrize("action", [A.RENEW, A.QUOTE])
    def test_mixing_keys_refused_for_renewals_and_quotes(
        self, action: BatchAction, change: dict[str, object]
    ) -> None:  # B3
        subs = [make_sub(id="S-1"), make_sub(id="S-2", **change)]
        decision = check_batch(subs, action=action, as_of=AS_OF)
        assert decision.reasons == (Reason(code=C.BATCH_MIXED_GROUPS),)

    def test_mixing_keys_allowed_for_auto_renew_activation(self) -> None:  # B1, B3
        subs = [
            make_sub(id="S-1"),
            make_sub(id="S-2", csn="5100002", currency="USD"),
            make_sub(
                id="S-3", purchase_method=PurchaseMethod.PARTNER, partner_csn="72"
            ),
        ]
        assert check_batch(subs, action=A.ENABLE_AUTO_RENEW, as_of=AS_OF)

    def test_group_key(self) -> None:  # B3
        sub = make_sub(purchase_method=PurchaseMethod.DIRECT)
        assert group_key(sub) == GroupKey(
            csn="5100001", currency="EUR", purchase_method=PurchaseMethod.DIRECT
        )

    def test_keys_order_by_csn_then_currency_then_purchase_method(self) -> None:  # B4
        keys = [
            GroupKey(csn="2", currency="EUR", purchase_method=PurchaseMethod.ONLINE),
            GroupKey(csn="1", currency="USD", purchase_method=PurchaseMethod.DIRECT),
            GroupKey(csn="1", currency="EUR", purchase_method=PurchaseMethod.PARTNER),
            GroupKey(csn="1", currency="EUR", purchase_method=PurchaseMethod.DIRECT),
        ]
        assert sorted(keys) == [keys[3], keys[2], keys[1], keys[0]]


class TestMembers:
    def test_window_edge_inside_a_batch(self) -> None:  # B2, M1
        inside = make_sub(id="S-IN", term_end=AS_OF + timedelta(days=90))
        outside = make_sub(id="S-OUT", term_end=AS_OF + timedelta(days=91))
        assert check_batch([inside], action=A.RENEW, as_of=AS_OF)
        decision = check_batch([inside, outside], action=A.RENEW, as_of=AS_OF)
        assert decision.reasons == (
            Reason(
                code=C.OUTSIDE_RENEWAL_WINDOW,
                subject="S-OUT",
                params={"opens_on": AS_OF + timedelta(days=1)},
            ),
        )

    def test_member_reasons_carry_their_subject(self) -> None:  # B1
        subs = [
            make_sub(id="S-OK"),
            make_sub(id="S-TRIAL", kind=SubscriptionKind.TRIAL),
            make_sub(
                id="S-ALIPAY", payment_method=PaymentMethod(kind=PaymentKind.ALIPAY)
            ),
        ]
        decision = check_batch(subs, action=A.ENABLE_AUTO_RENEW, as_of=AS_OF)
        assert [(r.code, r.subject) for r in decision.reasons] == [
            (C.TRIAL_NOT_RENEWABLE, "S-TRIAL"),
            (C.PAYMENT_METHOD_NOT_RECURRING, "S-ALIPAY"),
        ]

    def test_every_failing_condition_batch_and_members(self) -> None:  # B1-B4
        subs = [
            *many(100),
            make_sub(id="S-X", currency="USD", kind=SubscriptionKind.TRIAL),
        ]
        decision = check_batch(subs, action=A.RENEW, as_of=AS_OF)
        assert decision.codes == (
            C.BATCH_TOO_LARGE,
            C.BATCH_MIXED_GROUPS,
            C.TRIAL_NOT_RENEWABLE,
        )

    def test_renew_needs_the_batch_manual_capability(self) -> None:  # B2, A4
        policy = RenewalPolicy(
            markets=[Market(code="FR", capabilities={Capability.MANUAL_RENEWAL})]
        )
        decision = check_batch([make_sub()], action=A.RENEW, as_of=AS_OF, policy=policy)
        assert decision.reasons == (
            Reason(
                code=C.CAPABILITY_UNAVAILABLE,
                subject="S-1",
                params={"capability": Capability.BATCH_MANUAL_RENEWAL},
            ),
        )

    def test_auto_renew_needs_the_batch_auto_capability(self) -> None:  # B1, A4
        policy = RenewalPolicy(
            markets=[Market(code="FR", capabilities={Capability.AUTO_RENEWAL})]
        )
        decision = check_batch(
            [make_sub()], action=A.ENABLE_AUTO_RENEW, as_of=AS_OF, policy=policy
        )
        assert decision.codes == (C.CAPABILITY_UNAVAILABLE,)
        assert dict(decision.reasons[0].params)["capability"] == "batch_auto_renewal"

    @pytest.mark.parametrize(
        "capabilities",
        [{Capability.PARTNER_QUOTE}, {Capability.SELF_SERVICE_QUOTE}],
        ids=["partner", "self-service"],
    )
    def test_quote_needs_either_quote_capability(
        self, capabilities: set[Capability]
    ) -> None:  # B3, Q1
        policy = RenewalPolicy(markets=[Market(code="FR", capabilities=capabilities)])
        assert check_batch([make_sub()], action=A.QUOTE, as_of=AS_OF, policy=policy)
        none = RenewalPolicy(markets=[Market(code="FR", capabilities=())])
        decision = check_batch([make_sub()], action=A.QUOTE, as_of=AS_OF, policy=none)
        # Pinned reading (API.md): one reason per missing quote capability.
        assert [dict(r.params)["capability"] for r in decision.reasons] == [
            Capability.PARTNER_QUOTE,
            Capability.SELF_SERVICE_QUOTE,
        ]
        assert decision.codes == (C.CAPABILITY_UNAVAILABLE,) * 2
        plan = plan_batches([make_sub()], action=A.QUOTE, as_of=AS_OF, policy=none)
        assert plan.rejected[0].reasons == decision.reasons

    def test_quote_needs_renewable_in_window(self) -> None:  # B3, Q15
        expired = make_sub(
            id="S-E", term_end=AS_OF, term_start=AS_OF - timedelta(days=365)
        )
        early = make_sub(id="S-W", term_end=AS_OF + timedelta(days=100))
        decision = check_batch([expired, early], action=A.QUOTE, as_of=AS_OF)
        assert [(r.code, r.subject) for r in decision.reasons] == [
            (C.SUBSCRIPTION_EXPIRED, "S-E"),
            (C.OUTSIDE_RENEWAL_WINDOW, "S-W"),
        ]

    def test_manual_renewal_ignores_the_payment_method(self) -> None:  # B2
        sub = make_sub(payment_method=None, auto_renew=False)
        assert check_batch([sub], action=A.RENEW, as_of=AS_OF)

    def test_arguments_are_type_checked(self) -> None:
        with pytest.raises(InvalidTypeError, match="action"):
            check_batch([make_sub()], action="renew", as_of=AS_OF)  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match=r"subs\[1\]"):
            check_batch([make_sub(), "S-2"], action=A.RENEW, as_of=AS_OF)  # type: ignore[list-item]
        with pytest.raises(InvalidTypeError, match=r"subs\[0\]"):
            plan_batches(["S-1"], action=A.RENEW, as_of=AS_OF)  # type: ignore[list-item]


class TestPlan:
    def test_groups_split_and_order(self) -> None:  # B3, B4
        usd = [make_sub(id=f"U-{i:03d}", currency="USD") for i in range(3)]
        eur = [make_sub(id=f"E-{i:03d}") for i in range(205)]
        plan = plan_batches([*usd, *eur], action=A.RENEW, as_of=AS_OF)
        assert [(b.key.currency, len(b.subscriptions)) for b in plan.batches] == [
            ("EUR", 100),
            ("EUR", 100),
            ("EUR", 5),
            ("USD", 3),
        ]
        assert [s.id for b in plan.batches[:3] for s in b.subscriptions] == [
            s.id for s in eur
        ]
        assert plan.rejected == ()

    def test_rejections_carry_all_their_reasons(self) -> None:  # B4
        trial_too_early = make_sub(
            id="S-T",
            kind=SubscriptionKind.TRIAL,
            term_end=TERM_END + timedelta(days=60),
            term_start=TERM_END + timedelta(days=60) - timedelta(days=365),
        )
        plan = plan_batches([make_sub(), trial_too_early], action=A.RENEW, as_of=AS_OF)
        assert [len(b.subscriptions) for b in plan.batches] == [1]
        assert plan.rejected == (
            Rejection(
                subscription=trial_too_early,
                reasons=(
                    Reason(code=C.TRIAL_NOT_RENEWABLE, subject="S-T"),
                    Reason(
                        code=C.OUTSIDE_RENEWAL_WINDOW,
                        subject="S-T",
                        params={
                            "opens_on": trial_too_early.term_end - timedelta(days=90)
                        },
                    ),
                ),
            ),
        )

    def test_a_repeated_id_is_rejected_the_second_time(self) -> None:  # B4
        first, again = make_sub(), make_sub(quantity=3)
        plan = plan_batches([first, again], action=A.RENEW, as_of=AS_OF)
        assert plan.batches[0].subscriptions == (first,)
        assert plan.rejected == (
            Rejection(
                subscription=again,
                reasons=(Reason(code=C.DUPLICATE_SUBSCRIPTION, subject="S-1"),),
            ),
        )

    def test_auto_renew_plans_group_by_key_too(self) -> None:  # B1, B4
        subs = [make_sub(id="S-1", csn="52"), make_sub(id="S-2", csn="51")]
        plan = plan_batches(subs, action=A.ENABLE_AUTO_RENEW, as_of=AS_OF)
        assert [b.key.csn for b in plan.batches] == ["51", "52"]

    def test_empty_portfolio(self) -> None:  # B4
        assert plan_batches([], action=A.QUOTE, as_of=AS_OF) == BatchPlan(
            batches=(), rejected=()
        )

    def test_accepts_any_iterable(self) -> None:  # B4
        plan = plan_batches(iter(many(3)), action=A.RENEW, as_of=AS_OF)
        assert len(plan.batches[0].subscriptions) == 3


class TestResultValidation:
    def test_batch_refuses_a_foreign_member(self) -> None:
        key = GroupKey(
            csn="5100001", currency="EUR", purchase_method=PurchaseMethod.ONLINE
        )
        assert Batch(key=key, subscriptions=[make_sub()]).subscriptions == (make_sub(),)
        with pytest.raises(InvalidInputError, match=r"subscriptions\[0\]"):
            Batch(key=key, subscriptions=[make_sub(currency="USD")])
        with pytest.raises(InvalidInputError, match="subscriptions"):
            Batch(key=key, subscriptions=[])

    def test_rejection_needs_reasons(self) -> None:
        with pytest.raises(InvalidInputError, match="reasons"):
            Rejection(subscription=make_sub(), reasons=())

    def test_group_key_is_validated(self) -> None:
        with pytest.raises(InvalidInputError, match="currency"):
            GroupKey(csn="51", currency="eur", purchase_method=PurchaseMethod.ONLINE)
        with pytest.raises(InvalidTypeError, match="sub"):
            group_key("S-1")  # type: ignore[arg-type]


class TestPlanEdges:
    """The plan's fast path agrees with the member checks at every edge."""

    def test_term_end_on_the_last_day_the_window_reaches(self) -> None:  # B2, M1
        edge = make_sub(
            term_end=AS_OF + timedelta(days=90), term_start=AS_OF - timedelta(days=275)
        )
        beyond = make_sub(
            id="S-2",
            term_end=AS_OF + timedelta(days=91),
            term_start=AS_OF - timedelta(days=274),
        )
        plan = plan_batches([edge, beyond], action=A.RENEW, as_of=AS_OF)
        assert [s.id for b in plan.batches for s in b.subscriptions] == ["S-1"]
        assert [r.subscription.id for r in plan.rejected] == ["S-2"]

    def test_renew_ignores_payment_but_not_the_window(self) -> None:  # B2
        far = make_sub(
            term_end=AS_OF + timedelta(days=200), term_start=AS_OF - timedelta(days=165)
        )
        unpaid = make_sub(
            id="S-2", payment_method=PaymentMethod(kind=PaymentKind.ALIPAY)
        )
        plan = plan_batches([far, unpaid], action=A.RENEW, as_of=AS_OF)
        assert [s.id for b in plan.batches for s in b.subscriptions] == ["S-2"]
        assert plan.rejected[0].reasons[0].code is C.OUTSIDE_RENEWAL_WINDOW

    def test_enable_auto_renew_checks_payment_not_the_window(self) -> None:  # B1, A3
        far = make_sub(
            term_end=AS_OF + timedelta(days=200), term_start=AS_OF - timedelta(days=165)
        )
        on_term_end = make_sub(
            id="S-2",
            payment_method=PaymentMethod(kind=PaymentKind.CARD, expires_on=TERM_END),
        )
        alipay = make_sub(
            id="S-3", payment_method=PaymentMethod(kind=PaymentKind.ALIPAY)
        )
        expiring = make_sub(
            id="S-4",
            payment_method=PaymentMethod(
                kind=PaymentKind.CARD, expires_on=TERM_END - timedelta(days=1)
            ),
        )
        plan = plan_batches(
            [far, on_term_end, alipay, expiring],
            action=A.ENABLE_AUTO_RENEW,
            as_of=AS_OF,
        )
        assert [s.id for b in plan.batches for s in b.subscriptions] == ["S-1", "S-2"]
        assert [(r.subscription.id, r.reasons[0].code) for r in plan.rejected] == [
            ("S-3", C.PAYMENT_METHOD_NOT_RECURRING),
            ("S-4", C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL),
        ]

    def test_members_after_a_duplicate_are_still_checked(self) -> None:  # B4
        sub = make_sub()
        trial = make_sub(id="S-T", kind=SubscriptionKind.TRIAL)
        decision = check_batch([sub, sub, trial], action=A.RENEW, as_of=AS_OF)
        assert decision.codes == (C.DUPLICATE_SUBSCRIPTION, C.TRIAL_NOT_RENEWABLE)

    def test_markets_are_resolved_for_each_code(self) -> None:  # A4, B2
        policy = RenewalPolicy(
            markets=[Market(code="CN", capabilities={Capability.MANUAL_RENEWAL})]
        )
        subs = [make_sub(), make_sub(id="S-CN", market="CN"), make_sub(id="S-FR2")]
        plan = plan_batches(subs, action=A.RENEW, as_of=AS_OF, policy=policy)
        assert [s.id for b in plan.batches for s in b.subscriptions] == ["S-1", "S-FR2"]
        assert plan.rejected[0].reasons == (
            Reason(
                code=C.CAPABILITY_UNAVAILABLE,
                subject="S-CN",
                params={"capability": Capability.BATCH_MANUAL_RENEWAL},
            ),
        )


def test_a_batch_names_the_subscription_listed_twice() -> None:  # B4
    sub = make_sub()
    with pytest.raises(InvalidInputError) as caught:
        Batch(group_key(sub), [sub, make_sub(id="S-2"), sub])
    assert caught.value.field == "subscriptions[2]"
    assert caught.value.value == "S-1"
    assert caught.value.message == "is already in the batch (B4)"
