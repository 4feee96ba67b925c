"""The field checks: what each refuses, in the words it uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from renewal_rules import (
    InvalidInputError,
    InvalidTypeError,
    RenewalPolicy,
    plan_alignment,
)
from tests.factories import AS_OF, make_sub


class TestValidatorMessages:
    """The leaves of validation: field, value and message, exactly."""

    def test_a_date_out_of_the_supported_range(self) -> None:
        with pytest.raises(InvalidInputError) as caught:
            make_sub(term_start=date(1899, 12, 31))
        assert (caught.value.field, caught.value.value, caught.value.message) == (
            "term_start",
            date(1899, 12, 31),
            "must be from 1900-01-01 through 9899-12-31",
        )

    def test_a_collection_that_is_not_one(self) -> None:
        with pytest.raises(InvalidTypeError) as caught:
            plan_alignment("S-1", as_of=AS_OF)  # type: ignore[arg-type]
        assert (caught.value.field, caught.value.value, caught.value.message) == (
            "subs",
            "S-1",
            "expected a collection (list or tuple)",
        )

    def test_an_iterable_that_fails(self) -> None:
        def failing() -> Any:
            yield make_sub()
            raise RuntimeError

        subs = failing()
        with pytest.raises(InvalidInputError) as caught:
            plan_alignment(subs, as_of=AS_OF)
        assert (caught.value.field, caught.value.value, caught.value.message) == (
            "subs",
            subs,
            "could not be iterated",
        )

    def test_pending_seats_above_the_current_ones(self) -> None:  # P3
        with pytest.raises(InvalidInputError) as caught:
            make_sub(quantity=2, pending_quantity=3)
        assert (caught.value.field, caught.value.value, caught.value.message) == (
            "pending_quantity",
            3,
            "must not be above quantity (2)",
        )

    def test_amounts_from_zero(self) -> None:  # P2, Q21
        assert RenewalPolicy(card_paypal_max_usd=0).card_paypal_max_usd == 0
        zero = Decimal(0)
        assert RenewalPolicy(card_paypal_max_usd=zero).card_paypal_max_usd == zero
        with pytest.raises(InvalidInputError) as caught:
            RenewalPolicy(card_paypal_max_usd=Decimal("-0.01"))
        assert (caught.value.field, caught.value.value, caught.value.message) == (
            "card_paypal_max_usd",
            Decimal("-0.01"),
            "must not be negative",
        )
