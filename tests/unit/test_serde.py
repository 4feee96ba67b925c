"""The JSON shape and its errors: every bad field reported with its path."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from renewal_rules import (
    Actor,
    BatchAction,
    Capability,
    Decision,
    InvalidInputError,
    InvalidTypeError,
    Market,
    Promotion,
    Reason,
    ReasonCode,
    RenewalPolicy,
    RenewalRequirement,
    StageDates,
    Subscription,
    Term,
    TimelineEvent,
    plan_batches,
    renewal_timeline,
    serde,
)
from renewal_rules.serde import SCHEMA_VERSION, SerdeError, from_dict, to_dict
from tests.factories import AS_OF, make_quote, make_sub


def errors_of(cls: type[Any], data: object) -> list[tuple[str, str]]:
    with pytest.raises(SerdeError) as caught:
        from_dict(cls, data)
    return list(caught.value.errors)


def test_shape_version_1_of_a_subscription() -> None:
    assert SCHEMA_VERSION == 1
    assert to_dict(make_sub()) == {
        "id": "S-1",
        "csn": "5100001",
        "product": "ACDLT",
        "term": "annual",
        "term_start": "2026-05-01",
        "term_end": "2027-05-01",
        "currency": "EUR",
        "purchase_method": "online",
        "market": "FR",
        "quantity": 1,
        "kind": "paid",
        "payment_method": {"kind": "card", "expires_on": "2030-01-31", "valid": True},
        "auto_renew": True,
        "partner_csn": None,
        "pending_term": None,
        "anchor_day": 1,
        "pending_quantity": None,
    }


def test_reason_params_are_an_object_and_round_trip() -> None:
    reason = Reason(
        code=ReasonCode.CAPABILITY_UNAVAILABLE,
        subject="S-1",
        params={"capability": Capability.AUTO_RENEWAL},
    )
    data = to_dict(Decision.from_reasons([reason]))
    assert data == {
        "allowed": False,
        "reasons": [
            {
                "code": "capability_unavailable",
                "subject": "S-1",
                "params": {"capability": "auto_renewal"},
            }
        ],
    }
    assert from_dict(Decision, data) == Decision.from_reasons([reason])


def test_plan_round_trip() -> None:
    subs = [
        make_sub(),
        make_sub(id="S-2", term_end=date(2028, 5, 1), term_start=date(2027, 5, 1)),
    ]
    plan = plan_batches(subs, action=BatchAction.RENEW, as_of=AS_OF)
    assert from_dict(type(plan), to_dict(plan)) == plan


def test_every_bad_field_is_reported_with_its_path() -> None:
    data = to_dict(make_sub())
    del data["id"]
    data.update(
        quantity="3",
        currency="eur",
        term_end="2027-13-01",
        term="yearly",
        auto_renew=1,
        colour="red",
        payment_method={"kind": "cheque", "expires_on": 20300131},
    )
    assert errors_of(Subscription, data) == [
        ("$.colour", "unknown field"),
        ("$.id", "is required"),
        ("$.term", '"yearly" is not a Term value'),
        ("$.term_end", '"2027-13-01" is not an ISO date (YYYY-MM-DD)'),
        ("$.currency", "must be an ISO 4217 code such as 'EUR'"),
        ("$.quantity", 'expected a JSON integer, got "3"'),
        ("$.payment_method.kind", '"cheque" is not a PaymentKind value'),
        ("$.payment_method.expires_on", "expected an ISO date string, got 20300131"),
        ("$.auto_renew", "expected a JSON boolean, got 1"),
    ]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"term_start": "2027-05-01"}, ("$.term_end", "must be after term_start")),
        ({"term_end": "2027-05-01T00:00"}, ("$.term_end", "\"2027-05-01T00:00\" is not an ISO date (YYYY-MM-DD)")),
        ({"term_end": "20270501"}, ("$.term_end", "\"20270501\" is not an ISO date (YYYY-MM-DD)")),
        ({"kind": 1}, ("$.kind", "expected a JSON string, got 1")),
        ({"id": 7}, ("$.id", "expected a JSON string, got 7")),
        ({"quantity": True}, ("$.quantity", "expected a JSON integer, got true")),
        ({"quantity": 0}, ("$.quantity", "must be at least 1")),
        ({"payment_method": []}, ("$.payment_method", "expected a JSON object, got array")),
    ],
)  # fmt: skip
def test_single_errors(change: dict[str, object], error: tuple[str, str]) -> None:
    assert errors_of(Subscription, {**to_dict(make_sub()), **change}) == [error]


def test_nested_collections_report_their_index() -> None:
    data = to_dict(make_quote())
    data["lines"][0]["quantity"] = 0
    data["lines"].append("line")
    data["recipients"] = [{"email": 3}]
    assert errors_of(type(make_quote()), data) == [
        ("$.lines[0].quantity", "must be at least 1"),
        ("$.lines[1]", "expected a JSON object, got string"),
        ("$.recipients[0].email", "expected a JSON string, got 3"),
    ]


def test_reason_params_errors() -> None:
    data = {"code": "batch_too_large", "params": {"size": "101", "colour": 1}}
    assert errors_of(Reason, data) == [
        ("$.params.size", 'expected a JSON integer, got "101"'),
        ("$.params.colour", "unknown reason param"),
    ]
    data = {
        "code": "batch_too_large",
        "params": {"colour": 1, "size": "x", "limit": "y"},
    }
    assert errors_of(Reason, data) == [
        ("$.params.colour", "unknown reason param"),
        ("$.params.size", 'expected a JSON integer, got "x"'),
        ("$.params.limit", 'expected a JSON integer, got "y"'),
    ]
    assert errors_of(Reason, {"code": "batch_empty", "params": [1]}) == [
        ("$.params", "expected a JSON object, got an array")
    ]


WINDOW = {"opens_on": "2027-01-01", "closes_on": "2027-04-01"}
PROMOTION = {"code": "P", "starts_on": "2027-01-01", "ends_on": "2027-02-01"}


@pytest.mark.parametrize(
    ("cls", "data", "error"),
    [
        (Market, {"code": "FR", "capabilities": "auto_renewal"}, ("$.capabilities", "expected a JSON array, got string")),
        (Market, {"code": "FR", "capabilities": {"auto_renewal": 1}}, ("$.capabilities", "expected a JSON array, got object")),
        (Market, {"code": "FR", "capabilities": None}, ("$.capabilities", "expected a JSON array, got null")),
        (Actor, {"csn": "5100001", "roles": "buyer"}, ("$.roles", "expected a JSON array, got string")),
        (RenewalPolicy, {"markets": {"code": "FR"}}, ("$.markets", "expected a JSON array, got object")),
        (Promotion, {**PROMOTION, "terms": "annual"}, ("$.terms", "expected a JSON array, got string")),
        (RenewalRequirement, {"mode": "manual", "reasons": None, "window": WINDOW}, ("$.reasons", "expected a JSON array, got null")),
        (Decision, {"allowed": False, "reasons": 1.5}, ("$.reasons", "expected a JSON array, got number")),
    ],
)  # fmt: skip
def test_only_a_json_array_becomes_a_tuple_or_a_set(
    cls: type[Any], data: dict[str, Any], error: tuple[str, str]
) -> None:
    # Neither a string's characters nor an object's keys are taken as items.
    assert errors_of(cls, data) == [error]


def test_python_values_that_are_not_json_are_named_by_type() -> None:
    # from_dict takes decoded JSON; a tuple from Python code is not an array.
    data = {"code": "FR", "capabilities": ("auto_renewal",)}
    assert errors_of(Market, data) == [
        ("$.capabilities", "expected a JSON array, got tuple")
    ]


def test_null_stays_allowed_where_the_field_is_optional() -> None:
    promotion = from_dict(
        Promotion, {**PROMOTION, "markets": None, "terms": ["annual"]}
    )
    assert promotion.markets is None
    assert promotion.terms == frozenset({Term.ANNUAL})


def test_a_top_level_that_is_not_an_object() -> None:
    assert errors_of(Subscription, [1]) == [("$", "expected a JSON object, got array")]


def test_unexpected_failures_are_still_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every known bad input has its own message; should cattrs itself fail
    # in a way nobody foresaw, the field is still named, never a traceback.
    from renewal_rules import serde

    def broken(value: object, type_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(serde, "_structure_field", broken)
    assert errors_of(Market, {"code": "FR"}) == [("$.code", "could not be read")]


def test_only_library_types() -> None:
    with pytest.raises(InvalidInputError, match="obj"):
        to_dict(object())
    with pytest.raises(InvalidInputError, match="cls"):
        from_dict(dict, {})


def test_serde_error_is_an_invalid_input_error_and_pickles() -> None:
    error = SerdeError([("$.id", "is required"), ("$.x", "unknown field")])
    assert isinstance(error, InvalidInputError)
    assert str(error) == "$.id: is required; $.x: unknown field"
    assert (error.field, error.value) == ("$", None)  # the whole document
    copy = pickle.loads(pickle.dumps(error))
    assert copy.errors == error.errors


class TestBoundedErrors:
    """An error list is short whatever the document (keys, counts, values)."""

    def test_a_key_that_is_not_a_plain_name_is_quoted(self) -> None:
        data = {**to_dict(make_sub()), "a.b": 1, "x y": 2, "": 3, "é": 4}
        assert errors_of(Subscription, data) == [
            ('$["a.b"]', "unknown field"),
            ('$["x y"]', "unknown field"),
            ('$[""]', "unknown field"),
            ('$["\\u00e9"]', "unknown field"),
        ]

    def test_a_long_key_is_shortened(self) -> None:
        data = {**to_dict(make_sub()), "k" * 1_000_000: 1}
        ((path, message),) = errors_of(Subscription, data)
        assert message == "unknown field"
        assert path == f'$[string of length 1000000: "{"k" * 80}"...]'

    def test_at_most_twenty_errors_then_their_count(self) -> None:
        data = {**to_dict(make_sub()), **{f"k{n}": n for n in range(10_000)}}
        errors = errors_of(Subscription, data)
        assert len(errors) == serde.MAX_ERRORS + 1 == 21
        assert errors[:2] == [("$.k0", "unknown field"), ("$.k1", "unknown field")]
        assert errors[-1] == ("$", "and 9980 more errors")
        with pytest.raises(SerdeError) as caught:
            from_dict(Subscription, data)
        assert len(str(caught.value)) < 1_000

    def test_json_words_for_json_values(self) -> None:
        data = {**to_dict(make_sub()), "id": None, "quantity": False, "term": None}
        assert errors_of(Subscription, data) == [
            ("$.id", "expected a JSON string, got null"),
            ("$.term", "expected a JSON string, got null"),
            ("$.quantity", "expected a JSON integer, got false"),
        ]

    def test_a_cls_compared_by_identity(self) -> None:
        np = pytest.importorskip("numpy")
        with pytest.raises(InvalidTypeError, match="cls"):
            from_dict(np.array([]), {})


def test_a_key_that_is_not_a_string_is_named_as_a_key() -> None:
    data: dict[Any, Any] = {**to_dict(make_sub()), 1: 2}
    assert errors_of(Subscription, data) == [("$[<key 1>]", "unknown field")]


class TestSerdeMessages:
    """What the JSON door says of a bad amount or a bad table of days."""

    def errors(self, cls: type[Any], data: dict[str, Any]) -> list[tuple[str, str]]:
        with pytest.raises(SerdeError) as caught:
            from_dict(cls, data)
        return list(caught.value.errors)

    def test_amounts(self) -> None:  # Q21
        base = {"code": "amount_exceeds_card_limit", "subject": "Q-1"}
        shape = "is not an amount (1 to 12 ASCII digits, then at most 6 decimal places)"
        for amount, message in (
            (1.5, "expected an amount as a decimal string, got 1.5"),
            (None, "expected an amount as a decimal string, got null"),
            ("abc", f'"abc" {shape}'),
            ("NaN", f'"NaN" {shape}'),
            ("\u0663", f'"\\u0663" {shape}'),  # ARABIC-INDIC DIGIT THREE
            ("\uff11\uff10", f'"\\uff11\\uff10" {shape}'),  # full-width digits
            ("1_000", f'"1_000" {shape}'),
            (" 1000 ", f'" 1000 " {shape}'),
            ("1e3", f'"1e3" {shape}'),
            ("1.1234567", f'"1.1234567" {shape}'),
            ("1000000000000", f'"1000000000000" {shape}'),
            ("1\n", f'"1\\n" {shape}'),
        ):
            data = {**base, "params": {"amount": amount, "limit": "1"}}
            assert self.errors(Reason, data) == [("$.params.amount", message)]
        data = {**base, "params": {"amount": "2.5", "limit": "1"}}
        assert from_dict(Reason, data).params == (
            ("amount", Decimal("2.5")),
            ("limit", Decimal(1)),
        )

    def test_a_policy_amount(self) -> None:  # Q21
        def limit(value: object) -> object:
            return from_dict(RenewalPolicy, {"card_paypal_max_usd": value})

        assert limit("999999999999.999999").card_paypal_max_usd == Decimal(  # type: ignore[attr-defined]
            "999999999999.999999"
        )
        assert limit(25000).card_paypal_max_usd == 25000  # type: ignore[attr-defined]
        for value, message in (
            (10**12, "must be less than 1000000000000"),
            (10**5000, "must be less than 1000000000000"),
            (-1, "must not be negative"),
            (12.5, "expected an amount (a JSON integer or a decimal string), got 12.5"),
            (True, "expected an amount (a JSON integer or a decimal string), got true"),
        ):
            assert self.errors(RenewalPolicy, {"card_paypal_max_usd": value}) == [
                ("$.card_paypal_max_usd", message)
            ]

    def test_term_days(self) -> None:  # G1
        errors = self.errors(RenewalPolicy, {"suspended_stage_days": [1]})
        assert errors == [
            ("$.suspended_stage_days", "expected a JSON object, got array")
        ]
        errors = self.errors(
            RenewalPolicy, {"suspended_stage_days": {"weekly": 1, "biweekly": 2}}
        )
        assert errors == [
            ("$.suspended_stage_days.weekly", "is not a Term value"),
            ("$.suspended_stage_days.biweekly", "is not a Term value"),
        ]

    def test_params_of_an_unknown_code(self) -> None:
        errors = self.errors(
            Reason, {"code": "nope", "subject": None, "params": {"a": 1}}
        )
        assert [path for path, _ in errors] == ["$.code", "$.params.a"]


def test_events_and_stage_dates_round_trip() -> None:  # N3
    for event in renewal_timeline(
        make_sub(), start=date(2027, 1, 1), end=date(2029, 1, 1)
    ):
        assert from_dict(TimelineEvent, to_dict(event)) == event
    stages = StageDates(expired_on=AS_OF, suspended_on=AS_OF, canceled_on=AS_OF)
    assert from_dict(StageDates, to_dict(stages)) == stages
    with pytest.raises(SerdeError):
        from_dict(
            TimelineEvent,
            {"on": "2027-05-01", "kind": "reminder", "subject": "S-1", "params": {}},
        )
