"""Aligned dates, seats, price basis, purchaser-only actions (C1-C3, P1-P3, R3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    Account,
    AccountAction,
    Actor,
    Capability,
    InvalidInputError,
    InvalidTypeError,
    Market,
    PaymentKind,
    PaymentMethod,
    PurchaseMethod,
    ReasonCode,
    RenewalPolicy,
    Role,
    RuleViolation,
    Subscription,
    SubscriptionKind,
    Term,
    add_seats,
    align,
    alignment_price,
    check_alignment,
    check_authority,
    check_reduce_seats,
    next_term_end,
    plan_alignment,
    reduce_seats,
    renew,
    seats_price,
    to_records,
)
from renewal_rules.alignment import AlignmentGroup, AlignmentKey
from renewal_rules.serde import from_dict
from renewal_rules.strategies import subscriptions
from tests.factories import AS_OF, make_sub, monthly

C = ReasonCode
CARD = PaymentMethod(kind=PaymentKind.CARD)


class TestCheckAlignment:
    """C1, C2: every failing condition, on each subscription and on the pair."""

    def test_allowed(self) -> None:  # C1
        sub, target = (
            monthly("S-1", date(2027, 3, 10)),
            monthly("S-2", date(2027, 3, 31)),
        )
        assert check_alignment(sub, target, as_of=AS_OF)

    def test_every_reason(self) -> None:  # C1, C2
        sub = monthly(
            "S-1",
            date(2027, 3, 31),
            purchase_method=PurchaseMethod.PARTNER,
            partner_csn="7200001",
            payment_method=PaymentMethod(kind=PaymentKind.PAYPAL),
            pending_term=Term.ANNUAL,
            kind=SubscriptionKind.TRIAL,
        )
        target = make_sub(
            id="S-2", csn="999", payment_method=None, term_end=date(2027, 3, 31),
            term_start=date(2026, 3, 31),
        )  # fmt: skip
        decision = check_alignment(sub, target, as_of=AS_OF)
        assert [(r.code, r.subject) for r in decision.reasons] == [
            (C.TRIAL_NOT_RENEWABLE, "S-1"),
            (C.ALIGNMENT_NOT_ONLINE, "S-1"),
            (C.ALIGNMENT_PAYPAL, "S-1"),
            (C.ALIGNMENT_TERM_PENDING, "S-1"),
            (C.NO_PAYMENT_METHOD, "S-2"),
            (C.ALIGNMENT_MIXED_CUSTOMERS, "S-1"),
            (C.ALIGNMENT_TERM_MISMATCH, "S-1"),
            (C.ALIGNMENT_TARGET_NOT_LATER, "S-1"),
        ]

    def test_expired_market_and_payment_kind(self) -> None:  # C1
        sub = monthly("S-1", AS_OF)  # expired on AS_OF, whatever the switch
        target = monthly(
            "S-2",
            date(2027, 3, 31),
            payment_method=PaymentMethod(kind=PaymentKind.INVOICE),
        )
        policy = RenewalPolicy(markets=[Market(code="FR", capabilities=())])
        codes = check_alignment(sub, target, as_of=AS_OF, policy=policy).codes
        assert codes == (
            C.SUBSCRIPTION_EXPIRED,
            C.CAPABILITY_UNAVAILABLE,
            C.CAPABILITY_UNAVAILABLE,
            C.ALIGNMENT_PAYMENT_MISMATCH,
        )

    def test_align_on_a_month_end_anchor(self) -> None:  # C2, T2
        sub = monthly("S-1", date(2027, 1, 10))
        target = make_sub(
            id="S-2", term=Term.MONTHLY, term_start=date(2026, 12, 31),
            term_end=date(2027, 1, 31), payment_method=CARD,
        )  # fmt: skip
        aligned = align(sub, target, as_of=date(2027, 1, 5))
        assert (aligned.term_start, aligned.term_end) == (
            sub.term_start,
            date(2027, 1, 31),
        )
        ends = []
        current = aligned
        for _ in range(3):
            current = renew(current, as_of=current.term_end - timedelta(days=1))
            ends.append(current.term_end)
        assert ends == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
        with pytest.raises(RuleViolation):
            align(target, sub, as_of=date(2027, 1, 5))


class TestPrices:
    """C3, P2: exact fractions, rounded by the caller."""

    def test_alignment_price(self) -> None:  # C3
        sub = make_sub(
            quantity=2, term_start=date(2027, 1, 1), term_end=date(2028, 1, 1)
        )
        target = make_sub(
            id="S-2", term_start=date(2027, 2, 1), term_end=date(2028, 2, 1)
        )
        price = alignment_price(sub, target, seat_price=Decimal("365.00"))
        assert price == Fraction(2 * 365 * 31, 365)

    @pytest.mark.parametrize(
        "price",
        [Decimal("999999999999.999999"), Decimal("0.000001"), 10**12 - 1],
    )
    def test_the_largest_and_finest_amounts_stay_small(  # C3, P2
        self, price: Decimal | int
    ) -> None:
        sub = make_sub(
            quantity=10**9, term_start=date(1900, 1, 1), term_end=date(9899, 1, 1)
        )
        target = make_sub(
            id="S-2", term_start=date(1900, 1, 1), term_end=date(9899, 2, 1)
        )
        for found in (
            seats_price(sub, 10**9, as_of=date(1900, 1, 1), seat_price=price),
            alignment_price(sub, target, seat_price=price),
        ):
            # Bounded by the inputs' digits, not by an exponent.
            assert len(str(found.numerator)) + len(str(found.denominator)) < 60
        assert seats_price(sub, 1, as_of=AS_OF, seat_price=Decimal("1.5000000")) == (
            seats_price(sub, 1, as_of=AS_OF, seat_price=Decimal("1.5"))
        )

    @pytest.mark.parametrize(
        "price",
        [
            1.5, True, Decimal("NaN"), -1, Decimal(-1), "1",
            10**12, Decimal("1E+100000000"), Decimal("1E-100000000"),
            Decimal("1E+999999999"), Decimal("0.0000001"),
        ],
    )  # fmt: skip
    def test_bad_prices(self, price: object) -> None:  # C3, P2
        with pytest.raises(InvalidInputError) as caught:
            seats_price(make_sub(), 1, as_of=AS_OF, seat_price=price)  # type: ignore[arg-type]
        assert caught.value.field == "seat_price"
        with pytest.raises(InvalidInputError):
            alignment_price(make_sub(), make_sub(), seat_price=price)  # type: ignore[arg-type]

    @given(
        subscriptions(kind=SubscriptionKind.PAID),
        st.integers(0, 400),
        st.integers(0, 400),
        st.integers(1, 10),
    )
    def test_prices_are_additive(
        self, sub: Subscription, a: int, b: int, n: int
    ) -> None:  # C3
        def target_at(days: int) -> Subscription:
            end = sub.term_end + timedelta(days=days)
            return make_sub(id="T", term_start=end - timedelta(days=30), term_end=end)

        whole = alignment_price(sub, target_at(a + b), seat_price=n)
        first = alignment_price(sub, target_at(a), seat_price=n)
        assert whole - first == Fraction(
            sub.quantity * n * b, (sub.term_end - sub.term_start).days
        )


class TestAuthority:
    """R3: seats and alignment need the purchaser, managed or not."""

    @pytest.mark.parametrize("managed", [True, False])
    @pytest.mark.parametrize(
        "action", [AccountAction.CHANGE_SEATS, AccountAction.ALIGN_PAYMENT_DATES]
    )
    def test_purchaser_only(self, managed: bool, action: AccountAction) -> None:  # R3
        account = Account(csn="51", managed=managed)
        for role in Role:
            actor = Actor(csn="51", roles={role})
            allowed = role in (Role.CONTRACT_MANAGER, Role.BUYER)
            assert bool(check_authority(actor, account, action=action)) is allowed
        outsider = Actor(csn="52", roles={Role.BUYER})
        assert check_authority(outsider, account, action=action).codes == (
            C.ACTOR_NOT_IN_ACCOUNT,
        )
        with pytest.raises(InvalidTypeError):
            check_authority(outsider, account, action="renew")  # type: ignore[arg-type]


class TestPlanAlignment:
    """C1: every subscription grouped once, or rejected with its reasons."""

    def test_groups_in_key_order(self) -> None:  # C1
        subs = [
            monthly("S-3", date(2027, 3, 20), csn="5100002"),
            monthly("S-1", date(2027, 3, 10)),
            monthly("S-2", date(2027, 3, 25)),
            monthly("S-4", date(2027, 3, 12), payment_method=None),
            monthly("S-1", date(2027, 3, 11)),
        ]
        plan = plan_alignment(subs, as_of=AS_OF)
        assert [[s.id for s in g.subscriptions] for g in plan.groups] == [
            ["S-1", "S-2"],
            ["S-3"],
        ]
        assert plan.groups[0].renews_on == date(2027, 3, 25)
        assert [(r.subscription.id, r.codes) for r in plan.rejected] == [
            ("S-4", (C.NO_PAYMENT_METHOD,)),
            ("S-1", (C.DUPLICATE_SUBSCRIPTION,)),
        ]
        records = to_records([plan])
        assert [r["kind"] for r in records] == ["aligned"] * 3 + ["rejected"] * 2
        # Groups are named by key and ordinal within the key; 0 when rejected.
        card, monthly_, late = "card", "monthly", date(2027, 3, 25)
        aligned = {"kind": "aligned", "term": monthly_, "codes": ""}
        rejected = {
            "kind": "rejected", "group": 0, "csn": "5100001", "term": monthly_,
            "payment_kind": None, "renews_on": None,
        }  # fmt: skip
        assert records == [
            {**aligned, "subscription": "S-1", "group": 1, "csn": "5100001",
             "payment_kind": card, "renews_on": late},
            {**aligned, "subscription": "S-2", "group": 1, "csn": "5100001",
             "payment_kind": card, "renews_on": late},
            {**aligned, "subscription": "S-3", "group": 1, "csn": "5100002",
             "payment_kind": card, "renews_on": date(2027, 3, 20)},
            {**rejected, "subscription": "S-4", "codes": "no_payment_method"},
            {**rejected, "subscription": "S-1", "codes": "duplicate_subscription"},
        ]  # fmt: skip
        assert "Alignment plan: 2 groups, 2 rejected" in plan._repr_html_()

    @given(
        st.lists(subscriptions(), max_size=12, unique_by=lambda s: s.id), st.randoms()
    )
    def test_partition_and_order(
        self, subs: list[Subscription], random: object
    ) -> None:  # C1
        plan = plan_alignment(subs, as_of=AS_OF)
        placed = [s.id for g in plan.groups for s in g.subscriptions]
        rejected = [r.subscription.id for r in plan.rejected]
        assert sorted(placed + rejected) == sorted(s.id for s in subs)
        shuffled = list(subs)
        random.shuffle(shuffled)  # type: ignore[attr-defined]
        other = plan_alignment(shuffled, as_of=AS_OF)
        assert [g.key for g in other.groups] == [g.key for g in plan.groups]
        assert [set(g.subscriptions) for g in other.groups] == [
            set(g.subscriptions) for g in plan.groups
        ]
        for group in plan.groups:
            for sub in group.subscriptions:
                if sub.term_end < group.renews_on:
                    target = max(group.subscriptions, key=lambda s: s.term_end)
                    aligned = align(sub, target, as_of=AS_OF)
                    assert next_term_end(aligned) == next_term_end(target)

    @given(subscriptions(), st.integers(1, 5))
    def test_a_pending_reduction_never_changes_the_quantity(
        self, sub: Subscription, n: int
    ) -> None:  # P3
        if not check_reduce_seats(sub, min(n, sub.quantity), as_of=AS_OF):
            return
        reduced = reduce_seats(sub, min(n, sub.quantity), as_of=AS_OF)
        assert reduced.quantity == sub.quantity


def test_refused_transitions_raise_with_their_decision() -> None:  # P2, P3, C1
    trial = make_sub(kind=SubscriptionKind.TRIAL, quantity=2)
    with pytest.raises(RuleViolation) as caught:
        add_seats(trial, 1, as_of=AS_OF)
    assert C.TRIAL_NOT_RENEWABLE in caught.value.decision.codes
    with pytest.raises(RuleViolation):
        reduce_seats(trial, 1, as_of=AS_OF)


def test_a_group_holds_only_its_key() -> None:  # C1
    from renewal_rules import AlignmentGroup, AlignmentKey

    key = AlignmentKey(csn="5100001", term=Term.ANNUAL, payment_kind=PaymentKind.PAYPAL)
    with pytest.raises(InvalidInputError) as caught:
        AlignmentGroup(key=key, renews_on=AS_OF, subscriptions=[make_sub()])
    assert caught.value.field == "subscriptions[0]"


def test_plans_round_trip_and_groups_validate() -> None:  # C1
    from renewal_rules import AlignmentPlan
    from renewal_rules.serde import to_dict

    subs = [monthly("S-1", date(2027, 3, 10)), monthly("S-2", date(2027, 3, 25))]
    plan = plan_alignment(
        [*subs, monthly("S-3", date(2027, 3, 12), payment_method=None)], as_of=AS_OF
    )
    assert from_dict(AlignmentPlan, to_dict(plan)) == plan
    from renewal_rules import AlignmentGroup, AlignmentKey

    key = AlignmentKey(csn="5100001", term=Term.MONTHLY, payment_kind=PaymentKind.CARD)
    with pytest.raises(InvalidInputError):
        AlignmentGroup(
            key=key,
            renews_on=AS_OF,
            subscriptions=[monthly("S-4", date(2027, 3, 12), payment_method=None)],
        )


def test_alignment_reasons() -> None:  # C1
    sub = make_sub(id="S-4", payment_method=PaymentMethod(kind=PaymentKind.INVOICE))
    target = make_sub(id="S-5", term_end=date(2027, 6, 1))
    decision = check_alignment(sub, target, as_of=AS_OF)
    assert [(r.code, r.subject) for r in decision.reasons] == [
        (C.ALIGNMENT_PAYMENT_MISMATCH, "S-4")
    ]
    plan = plan_alignment([target, target], as_of=AS_OF)
    assert [
        [(r.code, r.subject) for r in rejection.reasons] for rejection in plan.rejected
    ] == [[(C.DUPLICATE_SUBSCRIPTION, "S-5")]]


def test_alignment_capability_params() -> None:  # C1, A4
    policy = RenewalPolicy(markets=[Market(code="FR", capabilities=())])
    sub = make_sub(id="S-4", purchase_method=PurchaseMethod.DIRECT, payment_method=None)
    target = make_sub(id="S-5", term_end=date(2027, 6, 1))
    decision = check_alignment(sub, target, as_of=AS_OF, policy=policy)
    assert [(r.code, r.params) for r in decision.reasons if r.subject == "S-4"] == [
        (C.ALIGNMENT_NOT_ONLINE, ()),
        (C.NO_PAYMENT_METHOD, ()),
        (
            C.CAPABILITY_UNAVAILABLE,
            (("capability", Capability.ALIGN_PAYMENT_DATES),),
        ),
    ]


class TestAlignmentPlan:
    def test_groups_in_key_order_whatever_the_input_order(self) -> None:  # C1
        monthly = make_sub(
            id="S-1", term=Term.MONTHLY, term_start=date(2027, 2, 15),
            term_end=date(2027, 3, 15),
        )  # fmt: skip
        annual = make_sub(id="S-2")
        plan = plan_alignment([monthly, annual], as_of=AS_OF)
        assert [g.key.term for g in plan.groups] == [Term.ANNUAL, Term.MONTHLY]

    def test_align_takes_the_targets_anchor_day(self) -> None:  # C2
        sub = make_sub(id="S-1", term_end=date(2027, 4, 10))
        target = make_sub(id="S-2", term_end=date(2027, 4, 30), anchor_day=31)
        aligned = align(sub, target, as_of=AS_OF)
        assert (aligned.term_end, aligned.anchor_day) == (date(2027, 4, 30), 31)

    def test_a_group_member_with_another_key(self) -> None:
        key = AlignmentKey(
            csn="5100001", term=Term.MONTHLY, payment_kind=PaymentKind.CARD
        )
        with pytest.raises(InvalidInputError) as caught:
            AlignmentGroup(
                key=key, renews_on=AS_OF, subscriptions=(make_sub(id="S-8"),)
            )
        assert (caught.value.field, caught.value.value, caught.value.message) == (
            "subscriptions[0]",
            "S-8",
            "does not have the group's key",
        )

    def test_a_member_that_is_not_a_subscription(self) -> None:
        with pytest.raises(InvalidTypeError) as caught:
            plan_alignment([make_sub(), 42], as_of=AS_OF)  # type: ignore[list-item]
        assert (caught.value.field, caught.value.value) == ("subs[1]", 42)


def test_an_alignment_plan() -> None:
    plan = plan_alignment([make_sub(id="S-1"), make_sub(id="S-1")], as_of=AS_OF)
    html = plan._repr_html_()
    assert "<th>csn</th><th>term</th><th>payment</th><th>group</th>" in html
    assert "<th>renews on</th><th>subscriptions</th>" in html
    assert "<td>5100001</td><td>annual</td><td>card</td><td>1</td>" in html
    assert "<td>2027-05-01</td><td>S-1</td>" in html
    assert "duplicate_subscription" in html
    two = plan_alignment(
        [make_sub(id="S-1"), make_sub(id="S-2")], as_of=AS_OF
    )._repr_html_()
    assert "<td>S-1, S-2</td>" in two
