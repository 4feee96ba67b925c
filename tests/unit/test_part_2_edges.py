"""The edges of Part 2: values, the read-only term mapping, JSON (G1, N3, Q21)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from renewal_rules import (
    POST_EXPIRY_POLICY,
    InvalidInputError,
    InvalidTypeError,
    PaymentKind,
    PaymentMethod,
    RenewalPolicy,
    StageDates,
    Term,
    TermDays,
    TimelineEvent,
    TimelineKind,
    renewal_timeline,
)
from renewal_rules.serde import SerdeError, from_dict, to_dict
from renewal_rules.timeline import event_param_types
from tests.factories import make_sub

DAY = date(2027, 5, 1)


def test_stage_dates_are_ordered() -> None:  # G1
    with pytest.raises(InvalidInputError):
        StageDates(expired_on=DAY, suspended_on=date(2027, 4, 1), canceled_on=DAY)


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


def test_events_and_stage_dates_round_trip() -> None:  # N3
    for event in renewal_timeline(
        make_sub(), start=date(2027, 1, 1), end=date(2029, 1, 1)
    ):
        assert from_dict(TimelineEvent, to_dict(event)) == event
    stages = StageDates(expired_on=DAY, suspended_on=DAY, canceled_on=DAY)
    assert from_dict(StageDates, to_dict(stages)) == stages
    with pytest.raises(SerdeError):
        from_dict(
            TimelineEvent,
            {"on": "2027-05-01", "kind": "reminder", "subject": "S-1", "params": {}},
        )


def test_event_params_follow_their_kind() -> None:  # N3
    assert event_param_types("reminder") == {}
    assert event_param_types(TimelineKind.INVOICE_DUE) == {"issued_on": date}
    with pytest.raises(InvalidTypeError):
        TimelineEvent(
            on=DAY,
            kind=TimelineKind.REMINDER,
            subject="S-1",
            params={"days_before": "4"},
        )


def test_a_timeline_stops_at_the_end_of_the_supported_range() -> None:  # N3
    card = PaymentMethod(kind=PaymentKind.CARD)
    far = make_sub(
        term_start=date(9898, 6, 30), term_end=date(9899, 6, 30), payment_method=card
    )
    events = renewal_timeline(far, start=date(9899, 1, 1), end=date(9899, 12, 31))
    # Renewed once on 9899-06-30; the term after would end past 9899-12-31.
    assert [(e.on, e.kind) for e in events] == [
        (date(9899, 6, 30), TimelineKind.AUTO_RENEWAL)
    ]
    assert dict(events[0].params)["term_end"] == date(9900, 6, 30)


def test_term_days_show_and_pickle() -> None:  # G1
    import pickle

    days = TermDays({Term.MONTHLY: 1, Term.ANNUAL: 2, Term.THREE_YEAR: 3})
    assert repr(days) == "TermDays({'monthly': 1, 'annual': 2, 'three_year': 3})"
    assert pickle.loads(pickle.dumps(days)) == days
    assert pickle.loads(pickle.dumps(POST_EXPIRY_POLICY)) == POST_EXPIRY_POLICY
