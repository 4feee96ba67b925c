"""RenewalPolicy: its fields, their refusals, and its term days (G1, B1, Q21)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from renewal_rules import (
    POST_EXPIRY_POLICY,
    InvalidInputError,
    InvalidTypeError,
    RenewalPolicy,
    Term,
    TermDays,
)
from renewal_rules.serde import SerdeError, from_dict, to_dict


class TestTermDays:
    """G1: the days of the suspended stage, one count per term."""

    def test_refusals_name_the_policy_field(self) -> None:
        good = dict.fromkeys(Term, 1)
        cases: list[tuple[Any, type[InvalidInputError], str, str]] = [
            ([1], InvalidTypeError, "suspended_stage_days", "expected a mapping"),
            (
                {Term.MONTHLY: 1},
                InvalidInputError,
                "suspended_stage_days",
                "must map every Term, and only them",
            ),
            (
                {**dict.fromkeys(list(Term)[1:], 1), "monthly": 1},
                InvalidTypeError,
                "suspended_stage_days",
                "keys must be Term members",
            ),
            (
                {**good, None: 1},
                InvalidTypeError,
                "suspended_stage_days",
                "keys must be Term members",
            ),
            (
                {**good, Term.MONTHLY: -1},
                InvalidInputError,
                "suspended_stage_days.monthly",
                "must be at least 0",
            ),
            (
                {**good, Term.ANNUAL: 3661},
                InvalidInputError,
                "suspended_stage_days.annual",
                "must be at most 3660",
            ),
        ]
        for days, kind, field, message in cases:
            with pytest.raises(kind) as caught:
                TermDays(days)
            assert (caught.value.field, caught.value.message) == (field, message)
            if kind is InvalidTypeError and "keys" in message:
                assert caught.value.value in days
            elif field == "suspended_stage_days":
                assert caught.value.value == days
        assert TermDays({**good, Term.ANNUAL: 3660})[Term.ANNUAL] == 3660
        assert TermDays({**good, Term.ANNUAL: 0})[Term.ANNUAL] == 0

    def test_a_key_that_is_not_a_term(self) -> None:
        with pytest.raises(KeyError) as caught:
            TermDays(dict.fromkeys(Term, 1))["monthly"]  # type: ignore[index]
        assert caught.value.args == ("monthly",)


@pytest.mark.parametrize(
    ("fields", "kind", "field", "value", "message"),
    [
        (
            {"reminder_days_before": 5},
            InvalidTypeError,
            "reminder_days_before",
            5,
            "expected a list or tuple of day counts",
        ),
        (
            {"reminder_days_before": (0,)},
            InvalidInputError,
            "reminder_days_before",
            0,
            "must be at least 1",
        ),
        (
            {"reminder_days_before": (3661,)},
            InvalidInputError,
            "reminder_days_before",
            3661,
            "must be at most 3660",
        ),
        (
            {"reminder_days_before": (5, 5)},
            InvalidInputError,
            "reminder_days_before",
            (5, 5),
            "must be distinct",
        ),
        (
            {"card_paypal_max_usd": -1},
            InvalidInputError,
            "card_paypal_max_usd",
            -1,
            "must not be negative",
        ),
        (
            {"card_paypal_max_usd": 1.5},
            InvalidTypeError,
            "card_paypal_max_usd",
            1.5,
            "expected a Decimal or an int",
        ),
        (
            {"card_paypal_max_usd": Decimal("Infinity")},
            InvalidInputError,
            "card_paypal_max_usd",
            Decimal("Infinity"),
            "must be a finite amount",
        ),
        (
            {"suspended_stage_days": [1]},
            InvalidTypeError,
            "suspended_stage_days",
            [1],
            "expected a TermDays",
        ),
    ],
)
def test_policy_refusals(
    fields: dict[str, Any],
    kind: type[InvalidInputError],
    field: str,
    value: object,
    message: str,
) -> None:  # N2, Q21, G1
    with pytest.raises(kind) as caught:
        RenewalPolicy(**fields)
    assert type(caught.value) is kind
    assert (caught.value.field, caught.value.value, caught.value.message) == (
        field,
        value,
        message,
    )
    assert RenewalPolicy(reminder_days_before=(3660, 1)).reminder_days_before == (
        3660,
        1,
    )


def test_term_days_are_read_only_and_complete() -> None:  # G1
    days = POST_EXPIRY_POLICY.suspended_stage_days
    assert dict(days) == {Term.MONTHLY: 15, Term.ANNUAL: 30, Term.THREE_YEAR: 30}
    with pytest.raises(AttributeError):
        days._days = (1, 2, 3)
    with pytest.raises(KeyError):
        days["monthly"]  # type: ignore[index]
    assert days != dict(days)
    assert hash(days) == hash(TermDays(dict(days)))
    with pytest.raises(InvalidTypeError):
        TermDays([15, 30, 30])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        RenewalPolicy(suspended_stage_days=dict.fromkeys(Term, True))


def test_policy_round_trips_with_part_2_fields() -> None:  # G1, Q21
    policy = RenewalPolicy(
        post_expiry_renewal=True,
        card_paypal_max_usd=Decimal("1000.50"),
        suspended_stage_days={Term.MONTHLY: 1, Term.ANNUAL: 2, Term.THREE_YEAR: 3},
        reminder_days_before=(7,),
    )
    data = to_dict(policy)
    assert data["card_paypal_max_usd"] == "1000.50"
    assert data["suspended_stage_days"] == {"monthly": 1, "annual": 2, "three_year": 3}
    assert from_dict(RenewalPolicy, data) == policy
    as_int = RenewalPolicy(card_paypal_max_usd=500)
    assert from_dict(RenewalPolicy, to_dict(as_int)) == as_int


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("card_paypal_max_usd", 1.5),
        ("card_paypal_max_usd", "abc"),
        ("card_paypal_max_usd", "NaN"),
        ("suspended_stage_days", {"weekly": 1}),
        ("suspended_stage_days", [1, 2, 3]),
    ],
)
def test_bad_part_2_policy_fields_are_named(field: str, value: object) -> None:
    with pytest.raises(SerdeError) as caught:
        from_dict(RenewalPolicy, {field: value})
    assert any(path.startswith(f"$.{field}") for path, _ in caught.value.errors)


def test_term_days_show_and_pickle() -> None:  # G1
    import pickle

    days = TermDays({Term.MONTHLY: 1, Term.ANNUAL: 2, Term.THREE_YEAR: 3})
    assert repr(days) == "TermDays({'monthly': 1, 'annual': 2, 'three_year': 3})"
    assert pickle.loads(pickle.dumps(days)) == days
    assert pickle.loads(pickle.dumps(POST_EXPIRY_POLICY)) == POST_EXPIRY_POLICY
