"""Seats and the price basis (P1-P3).

Seats are added at once, prorated to the renewal date (P2); a reduction is
recorded now and applied at the next renewal (P3). Prices are exact
`fractions.Fraction` values that the caller rounds; taxes and fees
are the caller's too.

>>> from datetime import date
>>> from fractions import Fraction
>>> from renewal_rules import PurchaseMethod, Subscription, Term
>>> sub = Subscription(
...     id="S-1", csn="5100001", product="ACD", term=Term.ANNUAL,
...     term_start=date(2027, 1, 1), term_end=date(2028, 1, 1),
...     currency="EUR", purchase_method=PurchaseMethod.ONLINE, market="FR",
... )
>>> seats_price(sub, 3, as_of=date(2027, 10, 11), seat_price=420)
Fraction(20664, 73)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs

from renewal_rules import _terms
from renewal_rules import _validators as v
from renewal_rules import conditions as cond
from renewal_rules.decisions import Decision, RuleViolation
from renewal_rules.model import (
    MAX_QUANTITY,
    PriceBasis,
    Subscription,
)
from renewal_rules.policy import (
    DEFAULT_POLICY,
    RenewalPolicy,
    check_amount,
    check_context,
)

__all__ = [
    "add_seats",
    "check_add_seats",
    "check_reduce_seats",
    "price_basis",
    "reduce_seats",
    "seats_price",
]


def _check(sub: object, as_of: object, policy: object) -> None:
    v.require("sub", sub, Subscription)
    check_context(as_of, policy)


def check_add_seats(
    sub: Subscription,
    count: int,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Decision:
    """Say whether ``count`` seats can be added to ``sub`` on ``as_of`` (P2).

    A paid, active subscription bought online, with auto-renew on
    (``seat_add_requires_auto_renew``), in a market offering ``add_seats``.
    ``count`` is an ``int`` of at least 1 (bad input otherwise).
    """
    _check(sub, as_of, policy)
    v.check_int("count", count, 1, MAX_QUANTITY)
    return cond.decision(sub, as_of, policy, cond.ADD_SEATS)


def add_seats(
    sub: Subscription,
    count: int,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Subscription:
    """Add ``count`` seats now; ``term_end`` is unchanged (P2).

    Raises:
        RuleViolation: [`check_add_seats`][renewal_rules.check_add_seats] refused it.
    """
    decision = check_add_seats(sub, count, as_of=as_of, policy=policy)
    if not decision:
        raise RuleViolation(decision)
    return attrs.evolve(sub, quantity=sub.quantity + count)


def _price(
    quantity: int, seat_price: Decimal | int, days: int, term_days: int
) -> Fraction:
    return Fraction(quantity) * Fraction(seat_price) * days / term_days


def seats_price(
    sub: Subscription, count: int, *, as_of: date, seat_price: Decimal | int
) -> Fraction:
    """The prorated price of adding ``count`` seats on ``as_of`` (P2).

    ``count * seat_price * (term_end - as_of) days / current term days``:
    the day of ``as_of`` is paid for. ``seat_price`` is per seat per term, a
    non-negative ``Decimal`` or ``int``.
    """
    v.require("sub", sub, Subscription)
    v.check_int("count", count, 1, MAX_QUANTITY)
    v.check_as_of(as_of)
    price = check_amount("seat_price", seat_price)
    term_days = (sub.term_end - sub.term_start).days
    return _price(count, price, (sub.term_end - as_of).days, term_days)


def check_reduce_seats(
    sub: Subscription,
    new_quantity: int,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Decision:
    """Say whether ``sub`` can renew with ``new_quantity`` seats (P3).

    A paid, active subscription bought online; ``new_quantity`` is an
    ``int`` with ``1 <= new_quantity <= quantity`` (bad input otherwise).
    """
    _check(sub, as_of, policy)
    v.check_int("new_quantity", new_quantity, 1, sub.quantity)
    return cond.decision(sub, as_of, policy, cond.REDUCE_SEATS)


def reduce_seats(
    sub: Subscription,
    new_quantity: int,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Subscription:
    """Schedule ``new_quantity`` seats for the next renewal (P3).

    Sets ``pending_quantity``, or clears it when ``new_quantity`` is the
    current quantity; ``renew`` applies it.

    Raises:
        RuleViolation: [`check_reduce_seats`][renewal_rules.check_reduce_seats] refused
            it.
    """
    decision = check_reduce_seats(sub, new_quantity, as_of=as_of, policy=policy)
    if not decision:
        raise RuleViolation(decision)
    pending = None if new_quantity == sub.quantity else new_quantity
    return attrs.evolve(sub, pending_quantity=pending)


def price_basis(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> PriceBasis:
    """The price basis of a renewal of ``sub`` recorded on ``as_of`` (P1).

    ``RENEWAL`` when recorded before ``term_end`` and the term renewed into
    (pending term applied) is in ``policy.renewal_price_terms``; otherwise
    ``NEW`` (a trial too).
    """
    _check(sub, as_of, policy)
    if (
        not cond.is_trial(sub)
        and not cond.is_over(sub, as_of)
        and _terms.next_term(sub) in policy.renewal_price_terms
    ):
        return PriceBasis.RENEWAL
    return PriceBasis.NEW
