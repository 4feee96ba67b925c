"""Seats: adding, reducing and their prices (P1-P3)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given

from renewal_rules import (
    Capability,
    InvalidInputError,
    InvalidTypeError,
    Market,
    PriceBasis,
    PurchaseMethod,
    ReasonCode,
    RenewalPolicy,
    Subscription,
    SubscriptionKind,
    Term,
    add_seats,
    check_add_seats,
    check_reduce_seats,
    price_basis,
    reduce_seats,
    renew,
    seats_price,
)
from renewal_rules.model import MAX_QUANTITY
from renewal_rules.strategies import subscriptions
from tests.factories import AS_OF, make_sub, monthly

C = ReasonCode


def test_seat_reasons() -> None:  # P2
    off = make_sub(id="S-3", auto_renew=False, purchase_method=PurchaseMethod.DIRECT)
    decision = check_add_seats(off, 1, as_of=AS_OF)
    assert [(r.code, r.subject) for r in decision.reasons] == [
        (ReasonCode.SEAT_CHANGE_NOT_ONLINE, "S-3"),
        (ReasonCode.SEAT_ADD_REQUIRES_AUTO_RENEW, "S-3"),
    ]


class TestSeatCounts:
    def test_a_price_needs_one_to_the_most_seats(self) -> None:  # P2
        sub = make_sub()
        assert seats_price(sub, 1, as_of=AS_OF, seat_price=10) > 0
        for count in (0, MAX_QUANTITY + 1):
            with pytest.raises(InvalidInputError) as caught:
                seats_price(sub, count, as_of=AS_OF, seat_price=10)
            assert caught.value.field == "count"


def test_worked_example() -> None:  # P2
    sub = make_sub(quantity=5, term_start=date(2027, 1, 1), term_end=date(2028, 1, 1))
    # 3 seats x 420 per year x 82 days / 365 = 20664/73
    assert seats_price(sub, 3, as_of=date(2027, 10, 11), seat_price=420) == Fraction(
        20664, 73
    )
    assert seats_price(sub, 3, as_of=sub.term_start, seat_price=420) == 1260


def test_a_leap_year_term_divides_by_366() -> None:  # P2
    sub = make_sub(term_start=date(2028, 1, 1), term_end=date(2029, 1, 1))
    assert seats_price(sub, 1, as_of=date(2028, 12, 31), seat_price=366) == 1


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


def test_pinned_pending_quantity() -> None:  # P3
    @given(subscriptions(quantity=5, pending_quantity=2))
    def draw(sub: Subscription) -> None:
        assert (sub.quantity, sub.pending_quantity) == (5, 2)

    draw()
