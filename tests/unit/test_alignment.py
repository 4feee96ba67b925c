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
    PriceBasis,
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
    check_add_seats,
    check_alignment,
    check_authority,
    check_reduce_seats,
    next_term_end,
    plan_alignment,
    price_basis,
    reduce_seats,
    renew,
    seats_price,
    to_records,
)
from renewal_rules.strategies import subscriptions
from tests.factories import make_sub

C = ReasonCode
AS_OF = date(2027, 3, 1)
CARD = PaymentMethod(kind=PaymentKind.CARD)


def monthly(id: str, end: date, **fields: object) -> Subscription:
    start = end - timedelta(days=30)
    values: dict[str, object] = {
        "id": id,
        "term": Term.MONTHLY,
        "term_start": start,
        "term_end": end,
        "payment_method": CARD,
    }
    values.update(fields)
    return make_sub(**values)


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

    def test_worked_example(self) -> None:  # P2
        sub = make_sub(
            quantity=5, term_start=date(2027, 1, 1), term_end=date(2028, 1, 1)
        )
        # 3 seats x 420 per year x 82 days / 365 = 20664/73
        assert seats_price(
            sub, 3, as_of=date(2027, 10, 11), seat_price=420
        ) == Fraction(20664, 73)
        assert seats_price(sub, 3, as_of=sub.term_start, seat_price=420) == 1260

    def test_a_leap_year_term_divides_by_366(self) -> None:  # P2
        sub = make_sub(term_start=date(2028, 1, 1), term_end=date(2029, 1, 1))
        assert seats_price(sub, 1, as_of=date(2028, 12, 31), seat_price=366) == 1

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


class TestSeats:
    """P2, P3: add now (auto-renew on), reduce at the next renewal."""

    def test_add(self) -> None:  # P2
        sub = make_sub(quantity=2)
        assert check_add_seats(sub, 3, as_of=AS_OF)
        assert add_seats(sub, 3, as_of=AS_OF).quantity == 5
        off = make_sub(auto_renew=False, purchase_method=PurchaseMethod.DIRECT)
        assert check_add_seats(off, 1, as_of=AS_OF).codes == (
            C.SEAT_CHANGE_NOT_ONLINE,
            C.SEAT_ADD_REQUIRES_AUTO_RENEW,
        )
        no_market = RenewalPolicy(
            markets=[
                Market(code="FR", capabilities=set(Capability) - {Capability.ADD_SEATS})
            ]
        )
        assert check_add_seats(sub, 1, as_of=AS_OF, policy=no_market).codes == (
            C.CAPABILITY_UNAVAILABLE,
        )
        expired = check_add_seats(sub, 1, as_of=sub.term_end)
        assert expired.codes == (C.SUBSCRIPTION_EXPIRED,)

    def test_reduce(self) -> None:  # P3
        sub = make_sub(quantity=5)
        reduced = reduce_seats(sub, 3, as_of=AS_OF)
        assert (reduced.quantity, reduced.pending_quantity) == (5, 3)
        assert reduce_seats(reduced, 5, as_of=AS_OF).pending_quantity is None
        renewed = renew(reduced, as_of=AS_OF)
        assert (renewed.quantity, renewed.pending_quantity) == (3, None)
        trial = make_sub(kind=SubscriptionKind.TRIAL, quantity=2)
        assert check_reduce_seats(trial, 1, as_of=AS_OF).codes == (
            C.TRIAL_NOT_RENEWABLE,
        )

    @pytest.mark.parametrize("count", [0, -1, True, 1.0, None, 10**50])
    def test_bad_counts(self, count: object) -> None:  # P2, P3
        with pytest.raises(InvalidInputError):
            check_add_seats(make_sub(), count, as_of=AS_OF)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError):
            check_reduce_seats(make_sub(), count, as_of=AS_OF)  # type: ignore[arg-type]

    def test_reduction_above_quantity(self) -> None:  # P3
        with pytest.raises(InvalidInputError) as caught:
            check_reduce_seats(make_sub(quantity=2), 3, as_of=AS_OF)
        assert caught.value.field == "new_quantity"
        with pytest.raises(InvalidInputError) as caught:
            make_sub(quantity=2, pending_quantity=3)
        assert caught.value.field == "pending_quantity"
        with pytest.raises(InvalidTypeError):
            make_sub(pending_quantity=True)


class TestPriceBasis:
    """P1: the renewal price before term_end, for annual and three-year terms."""

    def test_basis(self) -> None:  # P1
        assert price_basis(make_sub(), as_of=AS_OF) is PriceBasis.RENEWAL
        assert price_basis(make_sub(), as_of=make_sub().term_end) is PriceBasis.NEW
        monthly_sub = monthly("S-1", date(2027, 3, 31))
        assert price_basis(monthly_sub, as_of=AS_OF) is PriceBasis.NEW
        to_annual = monthly("S-1", date(2027, 3, 31), pending_term=Term.ANNUAL)
        assert price_basis(to_annual, as_of=AS_OF) is PriceBasis.RENEWAL
        trial = make_sub(kind=SubscriptionKind.TRIAL)
        assert price_basis(trial, as_of=AS_OF) is PriceBasis.NEW


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


def test_pinned_pending_quantity() -> None:  # P3
    @given(subscriptions(quantity=5, pending_quantity=2))
    def draw(sub: Subscription) -> None:
        assert (sub.quantity, sub.pending_quantity) == (5, 2)

    draw()


def test_plans_round_trip_and_groups_validate() -> None:  # C1
    from renewal_rules import AlignmentPlan
    from renewal_rules.serde import from_dict, to_dict

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
