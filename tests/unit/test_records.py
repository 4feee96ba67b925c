"""to_records: results as flat records for a DataFrame (B2, N3)."""

from __future__ import annotations

from datetime import date

import pytest

from renewal_rules import (
    BatchAction,
    Decision,
    InvalidTypeError,
    Reason,
    ReasonCode,
    RenewalPolicy,
    check_quote,
    plan_batches,
    renewal_requirement,
    to_records,
)
from tests.factories import AS_OF, make_quote, make_sub


def test_records_of_a_plan_cover_every_subscription() -> None:
    subs = [
        make_sub(),
        make_sub(id="S-2", term_end=date(2028, 5, 1), term_start=date(2027, 5, 1)),
    ]
    records = to_records([plan_batches(subs, action=BatchAction.RENEW, as_of=AS_OF)])
    assert records == [
        {"kind": "batched", "subscription": "S-1", "batch": 1, "position": 1, "csn": "5100001", "currency": "EUR", "purchase_method": "online", "codes": ""},
        {"kind": "rejected", "subscription": "S-2", "batch": 0, "position": 0, "csn": "5100001", "currency": "EUR", "purchase_method": "online", "codes": "outside_renewal_window"},
    ]  # fmt: skip


def test_records_name_batches_by_key_and_ordinal_across_parts() -> None:
    # Two customers, a batch limit of 1: each customer's batches count from 1,
    # so the records of two parts' plans concatenate without renumbering.
    policy = RenewalPolicy(batch_limit=1)
    subs = [
        make_sub(id=f"S-{n}", csn=csn)
        for n, csn in enumerate(["5100001", "5100002", "5100001", "5100002"])
    ]
    plan = plan_batches(subs, action=BatchAction.RENEW, as_of=AS_OF, policy=policy)
    whole = to_records([plan])
    parts = [
        record
        for csn in ("5100001", "5100002")
        for record in to_records(
            [
                plan_batches(
                    [s for s in subs if s.csn == csn],
                    action=BatchAction.RENEW,
                    as_of=AS_OF,
                    policy=policy,
                )
            ]
        )
    ]
    assert parts == whole
    assert [(r["subscription"], r["csn"], r["batch"]) for r in whole] == [
        ("S-0", "5100001", 1), ("S-2", "5100001", 2),
        ("S-1", "5100002", 1), ("S-3", "5100002", 2),
    ]  # fmt: skip


def test_records_of_decisions_reasons_and_rejections() -> None:
    decision = check_quote(make_quote(lines=()), as_of=AS_OF)
    plan = plan_batches(
        [make_sub(id="S-9", term_end=AS_OF, term_start=date(2026, 3, 1))],
        action=BatchAction.QUOTE,
        as_of=AS_OF,
    )
    reason = Reason(code=ReasonCode.BATCH_TOO_LARGE, params={"size": 101, "limit": 100})
    assert to_records([("Q-1", decision), plan.rejected[0], reason]) == [
        {"key": "Q-1", "kind": "decision", "allowed": False, "codes": "quote_empty", "subjects": "Q-1"},
        {"kind": "rejection", "subscription": "S-9", "codes": "subscription_expired", "subjects": "S-9"},
        {"kind": "reason", "code": "batch_too_large", "subject": None, "remedy": "split_batch", "param_limit": 100, "param_size": 101},
    ]  # fmt: skip
    no_remedy = to_records([Reason(code=ReasonCode.BATCH_EMPTY)])
    assert no_remedy[0]["remedy"] is None


def test_records_refuse_other_objects() -> None:
    with pytest.raises(InvalidTypeError, match="results"):
        to_records(["S-1"])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError) as caught:
        to_records([("S-1", make_sub(), "extra")])  # type: ignore[list-item]
    assert caught.value.field == "results[0]"
    assert caught.value.message == "expected a result or a (key, result) pair"
    assert caught.value.value == ("S-1", make_sub(), "extra")


def test_records_of_a_requirement_and_a_decision_with_several_reasons() -> None:
    requirement = renewal_requirement(
        make_sub(auto_renew=False, payment_method=None), as_of=AS_OF
    )
    decision = Decision.from_reasons(
        [
            Reason(code=ReasonCode.BATCH_EMPTY),
            Reason(code=ReasonCode.AUTO_RENEW_OFF, subject="S-1"),
        ]
    )
    assert to_records([requirement, decision]) == [
        {"kind": "requirement", "mode": "manual", "opens_on": date(2027, 1, 31), "closes_on": date(2027, 5, 1), "codes": "auto_renew_off;no_payment_method", "subjects": "S-1;S-1"},
        {"kind": "decision", "allowed": False, "codes": "batch_empty;auto_renew_off", "subjects": ";S-1"},
    ]  # fmt: skip


def test_records_of_timeline_events() -> None:  # N3
    from renewal_rules import renewal_timeline

    events = renewal_timeline(
        make_sub(auto_renew=False), start=date(2027, 3, 1), end=date(2027, 4, 28)
    )
    records = to_records(events)
    assert records[0] == {
        "kind": "event",
        "on": date(2027, 3, 17),
        "event": "reminder",
        "subject": "S-1",
        "param_days_before": 45,
    }
    assert [r["event"] for r in records] == [
        "reminder",
        "reminder",
        "auto_quote",
        "reminder",
    ]
