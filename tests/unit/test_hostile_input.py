# mypy: disable-error-code="arg-type, call-overload"
"""Hostile input: every bad value is refused by name, nothing escapes or is coerced.

Each example of the audit (issue "One rule, one place") is a case below; a
Hypothesis test then feeds arbitrary values to every public constructor and
function, one argument at a time, and accepts only a valid result or an
``InvalidInputError`` / ``InvalidTypeError`` with a short message.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    DEFAULT_POLICY,
    POST_EXPIRY_POLICY,
    Account,
    AccountAction,
    Actor,
    AlignmentKey,
    Batch,
    BatchAction,
    Capability,
    DateWindow,
    Decision,
    GroupKey,
    InvalidInputError,
    InvalidTypeError,
    LateRenewalBasis,
    Market,
    PaymentKind,
    PaymentMethod,
    Promotion,
    PurchaseMethod,
    QuoteChange,
    Reason,
    ReasonCode,
    Recipient,
    Rejection,
    Remedy,
    RenewalMode,
    RenewalPolicy,
    RenewalRequirement,
    Role,
    StageDates,
    Subscription,
    Term,
    TimelineEvent,
    TimelineKind,
    UnknownMarketError,
    add_seats,
    align,
    alignment_price,
    applicable_promotions,
    auto_quote_date,
    change_term,
    check_add_seats,
    check_alignment,
    check_authority,
    check_batch,
    check_enable_auto_renew,
    check_manual_renewal,
    check_quote,
    check_quote_change,
    check_quote_payment,
    check_reduce_seats,
    check_renewal,
    check_term_change,
    enable_auto_renew,
    frames,
    group_key,
    has_access,
    lifecycle_stage,
    merge_plans,
    next_term_end,
    plan_alignment,
    plan_batches,
    plot,
    portfolio_timeline,
    price_basis,
    reduce_seats,
    reminder_dates,
    renew,
    renewal_codes,
    renewal_requirement,
    renewal_timeline,
    renewal_window,
    seats_price,
    stage_dates,
    strategies,
    to_records,
)
from renewal_rules.serde import from_dict, to_dict
from tests.factories import AS_OF, make_line, make_quote, make_sub
from tests.hostile import (
    ALSO_NAMED,
    BIG,
    HUGE_TEXT,
    QUOTE,
    REASON,
    SUB,
    BadRepr,
    Colour,
    Shouty,
    call_with_one_hostile_argument,
)

KEY = group_key(SUB)
WINDOW = DateWindow(opens_on=date(2027, 1, 31), closes_on=date(2027, 5, 1))
A = BatchAction.RENEW


# name, call, the field the error must name
CASES: list[tuple[str, Callable[[], object], str]] = [
    # dates at the ends of the supported range
    *(
        (f"{name}-as_of-{label}", call, "as_of")
        for label, day in (
            ("min", date.min),
            ("max", date.max),
            ("1899", date(1899, 12, 31)),
            ("9900", date(9900, 1, 1)),
        )
        for name, call in (
            ("requirement", lambda day=day: renewal_requirement(SUB, as_of=day)),
            ("plan", lambda day=day: plan_batches([SUB], action=A, as_of=day)),
            ("renew", lambda day=day: renew(SUB, as_of=day)),
            ("manual", lambda day=day: check_manual_renewal(SUB, as_of=day)),
            ("batch", lambda day=day: check_batch([SUB], action=A, as_of=day)),
            ("quote", lambda day=day: check_quote(QUOTE, as_of=day)),
            ("promotions", lambda day=day: applicable_promotions(QUOTE, [], as_of=day)),
        )
    ),
    ("sub-term-end-max", lambda: make_sub(term_end=date.max), "term_end"),
    ("sub-term-start-min", lambda: make_sub(term_start=date.min), "term_start"),
    (
        "card-expires-max",
        lambda: PaymentMethod(kind=PaymentKind.CARD, expires_on=date.max),
        "expires_on",
    ),
    ("quote-created-min", lambda: make_quote(created_on=date.min), "created_on"),
    (
        "promotion-ends-max",
        lambda: Promotion(code="P", starts_on=AS_OF, ends_on=date.max),
        "ends_on",
    ),
    (
        "renew-past-the-range",
        lambda: renew(
            make_sub(term_start=date(9898, 12, 31), term_end=date(9899, 12, 31)),
            as_of=date(9899, 12, 1),
        ),
        "term_end",
    ),
    (
        "window-days-huge",
        lambda: RenewalPolicy(renewal_window_days=4_000_000),
        "renewal_window_days",
    ),
    ("batch-limit-huge-int", lambda: RenewalPolicy(batch_limit=BIG), "batch_limit"),
    # messages built from safe previews
    ("quantity-5000-digits", lambda: make_sub(quantity=BIG), "quantity"),
    ("id-bad-repr", lambda: make_sub(id=BadRepr()), "id"),
    ("currency-1mb", lambda: make_sub(currency=HUGE_TEXT), "currency"),
    ("csn-1mb", lambda: make_sub(csn=HUGE_TEXT), "csn"),
    # wrong types named, not attrs' plain TypeError
    ("batch-key-str", lambda: Batch("x", [SUB]), "key"),
    ("rejection-subscription-str", lambda: Rejection("x", [REASON]), "subscription"),
    (
        "requirement-window-str",
        lambda: RenewalRequirement(RenewalMode.MANUAL, [REASON], "x"),
        "window",
    ),
    ("actor-unhashable-role", lambda: Actor(csn="1", roles=[["buyer"]]), "roles"),
    ("plan-none", lambda: plan_batches(None, action=A, as_of=AS_OF), "subs"),
    ("batch-none", lambda: check_batch(None, action=A, as_of=AS_OF), "subs"),
    (
        "promotions-none",
        lambda: applicable_promotions(QUOTE, None, as_of=AS_OF),
        "promotions",
    ),
    ("records-none", lambda: to_records(None), "results"),
    ("records-triple", lambda: to_records([("k", REASON, 1)]), "results[0]"),  # type: ignore[list-item]
    # no silent coercion
    ("actor-roles-dict", lambda: Actor(csn="1", roles={Role.BUYER: False}), "roles"),
    (
        "market-capabilities-dict",
        lambda: Market(code="FR", capabilities={}),
        "capabilities",
    ),
    ("plan-empty-str", lambda: plan_batches("", action=A, as_of=AS_OF), "subs"),
    ("batch-str", lambda: check_batch("S-1", action=A, as_of=AS_OF), "subs"),
    ("capabilities-none", lambda: DEFAULT_POLICY.capabilities(None), "code"),
    ("capabilities-unhashable", lambda: DEFAULT_POLICY.capabilities([]), "code"),
    (
        "reason-enum-subject",
        lambda: Reason(ReasonCode.AUTO_RENEW_OFF, Colour.RED),
        "subject",
    ),
    ("sub-id-str-subclass", lambda: make_sub(id=Shouty("  ")), "id"),
    ("sub-product-str-subclass", lambda: make_sub(product=Shouty("ACD")), "product"),
    ("sub-id-zero-width", lambda: make_sub(id="\u200b\u200b"), "id"),
    ("sub-id-nul", lambda: make_sub(id="\x00"), "id"),
    ("sub-id-bidi", lambda: make_sub(id="\u202e\u2066"), "id"),
    ("sub-csn-str-subclass", lambda: make_sub(csn=Shouty("51")), "csn"),
    ("sub-market-enum", lambda: make_sub(market=Colour.RED), "market"),
    ("batch-twice", lambda: Batch(KEY, [SUB, SUB]), "subscriptions[1]"),
    ("sub-datetime", lambda: make_sub(term_end=datetime(2027, 5, 1)), "term_end"),
    ("quote-lines-dict", lambda: make_quote(lines={"a": make_line()}), "lines"),
    ("recipient-str-subclass", lambda: Recipient(email=Shouty("a@b.c")), "email"),
    ("reason-missing-params", lambda: Reason(ReasonCode.BATCH_TOO_LARGE), "params"),
    (
        "reason-unknown-param",
        lambda: Reason(ReasonCode.BATCH_EMPTY, params={"colour": 1}),
        "params",
    ),
    (
        "reason-bool-param",
        lambda: Reason(ReasonCode.BATCH_TOO_LARGE, params={"size": True, "limit": 1}),
        "params.size",
    ),
    # serde names its own arguments and hides Python's words
    ("to-dict-object", lambda: to_dict(object()), "obj"),
    ("from-dict-unhashable", lambda: from_dict([], {}), "cls"),
]


@pytest.mark.parametrize(
    ("call", "field"), [pytest.param(c, f, id=n) for n, c, f in CASES]
)
def test_each_audit_case_is_refused_by_name(
    call: Callable[[], object], field: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        call()
    assert caught.value.field == field
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize(
    ("params", "why"),
    [
        (5, "a number is not pairs"),
        ((5,), "an item is not a pair"),
        (["ab"], "a two-letter string is not a pair"),
        ({("size", 1)}, "a set of pairs has no order to keep"),
        ((("size", 2), ("size", 1)), "a name given twice"),
    ],
)
def test_malformed_params_are_refused(params: object, why: str) -> None:
    # Mutation survivors of the params converter: each must stay refused.
    with pytest.raises(InvalidInputError, match="params"):
        Reason(ReasonCode.BATCH_TOO_LARGE, params=params)


def test_a_param_int_fits_in_64_bits() -> None:
    with pytest.raises(InvalidInputError, match="64-bit") as caught:
        Reason(ReasonCode.BATCH_TOO_LARGE, params={"size": BIG, "limit": 1})
    assert caught.value.field == "params.size"
    reason = Reason(ReasonCode.BATCH_TOO_LARGE, params={"size": 2**63 - 1, "limit": 1})
    assert str(2**63 - 1) in reason.message()
    with pytest.raises(InvalidInputError, match="64-bit"):
        TimelineEvent(
            on=AS_OF,
            kind=TimelineKind.REMINDER,
            subject="S-1",
            params={"days_before": -(2**63) - 1},
        )


def test_serde_does_not_leak_python_errors() -> None:
    with pytest.raises(InvalidInputError) as caught:
        from_dict(Subscription, {"id": BadRepr()})
    assert "RuntimeError" not in str(caught.value)
    assert "Attribute" not in str(caught.value)


def test_as_of_at_the_ends_of_the_range_is_accepted() -> None:
    far = make_sub(term_start=date(9898, 12, 31), term_end=date(9899, 12, 31))
    assert renewal_requirement(far, as_of=date(9899, 12, 31)).mode is RenewalMode.NONE
    assert next_term_end(far) == date(9900, 12, 31)  # a computed date may pass it
    early = make_sub(term_start=date(1900, 1, 1), term_end=date(1901, 1, 1))
    assert renewal_requirement(early, as_of=date(1900, 1, 1)).window.opens_on == date(
        1900, 10, 3
    )


# -- arbitrary values, one argument at a time -----------------------------------


# Each callable with its valid arguments; one of them is replaced at a time.
CALLS: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "Subscription": (
        make_sub,
        {
            "id": "S-1",
            "quantity": 1,
            "term_end": date(2027, 5, 1),
            "anchor_day": 1,
            "pending_term": None,
            "payment_method": None,
            "market": "FR",
            "kind": SUB.kind,
        },
    ),
    "PaymentMethod": (
        PaymentMethod,
        {"kind": PaymentKind.CARD, "expires_on": None, "valid": True},
    ),
    "Market": (Market, {"code": "FR", "capabilities": ()}),
    "Account": (Account, {"csn": "1", "managed": False}),
    "Actor": (Actor, {"csn": "1", "roles": ()}),
    "Recipient": (Recipient, {"email": "a@b.c", "company_contact": True}),
    "QuoteLine": (make_line, {"quantity": 1, "csn": "5100001", "start_date": None}),
    "Quote": (
        make_quote,
        {
            "id": "Q",
            "lines": (),
            "recipients": (),
            "expires_on": None,
            "created_on": AS_OF,
        },
    ),
    "Promotion": (
        Promotion,
        {
            "code": "P",
            "starts_on": AS_OF,
            "ends_on": AS_OF,
            "markets": None,
            "products": None,
        },
    ),
    "RenewalPolicy": (
        RenewalPolicy,
        {
            "renewal_window_days": 90,
            "batch_limit": 100,
            "markets": (),
            "manual_payment_kinds": (),
            "default_market": None,
        },
    ),
    "Reason": (
        Reason,
        {"code": ReasonCode.AUTO_RENEW_OFF, "subject": None, "params": ()},
    ),
    "DateWindow": (DateWindow, {"opens_on": AS_OF, "closes_on": AS_OF}),
    "RenewalRequirement": (
        RenewalRequirement,
        {"mode": RenewalMode.MANUAL, "reasons": (REASON,), "window": WINDOW},
    ),
    "GroupKey": (
        GroupKey,
        {"csn": "1", "currency": "EUR", "purchase_method": PurchaseMethod.ONLINE},
    ),
    "Batch": (Batch, {"key": KEY, "subscriptions": (SUB,)}),
    "Rejection": (Rejection, {"subscription": SUB, "reasons": (REASON,)}),
    "check_renewal": (
        lambda sub, as_of, policy: check_renewal(sub, as_of=as_of, policy=policy),
        {"sub": SUB, "as_of": AS_OF, "policy": DEFAULT_POLICY},
    ),
    "renewal_requirement": (
        lambda sub, as_of, policy: renewal_requirement(sub, as_of=as_of, policy=policy),
        {"sub": SUB, "as_of": AS_OF, "policy": DEFAULT_POLICY},
    ),
    "renewal_codes": (
        lambda sub, as_of, policy: renewal_codes(sub, as_of=as_of, policy=policy),
        {"sub": SUB, "as_of": AS_OF, "policy": DEFAULT_POLICY},
    ),
    "renewal_window": (
        lambda sub, policy: renewal_window(sub, policy=policy),
        {"sub": SUB, "policy": DEFAULT_POLICY},
    ),
    "check_manual_renewal": (
        lambda sub, as_of: check_manual_renewal(sub, as_of=as_of),
        {"sub": SUB, "as_of": AS_OF},
    ),
    "check_enable_auto_renew": (
        lambda sub, as_of: check_enable_auto_renew(sub, as_of=as_of),
        {"sub": SUB, "as_of": AS_OF},
    ),
    "check_term_change": (
        lambda sub, term, as_of: check_term_change(sub, term, as_of=as_of),
        {"sub": SUB, "term": Term.MONTHLY, "as_of": AS_OF},
    ),
    "change_term": (
        lambda sub, term, as_of: change_term(sub, term, as_of=as_of),
        {"sub": SUB, "term": Term.MONTHLY, "as_of": AS_OF},
    ),
    "renew": (lambda sub, as_of: renew(sub, as_of=as_of), {"sub": SUB, "as_of": AS_OF}),
    "enable_auto_renew": (
        lambda sub, as_of: enable_auto_renew(sub, as_of=as_of),
        {"sub": SUB, "as_of": AS_OF},
    ),
    "next_term_end": (next_term_end, {"sub": SUB}),
    "group_key": (group_key, {"sub": SUB}),
    "check_authority": (
        check_authority,
        {"actor": Actor(csn="1", roles=()), "account": Account(csn="1")},
    ),
    "check_batch": (
        lambda subs, action, as_of: check_batch(subs, action=action, as_of=as_of),
        {"subs": (SUB,), "action": A, "as_of": AS_OF},
    ),
    "plan_batches": (
        lambda subs, action, as_of: plan_batches(subs, action=action, as_of=as_of),
        {"subs": (SUB,), "action": A, "as_of": AS_OF},
    ),
    "merge_plans": (
        lambda plan: merge_plans(plan),  # noqa: PLW0108 - positional only
        {"plan": plan_batches([SUB], action=A, as_of=AS_OF)},
    ),
    "check_quote": (
        lambda quote, as_of: check_quote(quote, as_of=as_of),
        {"quote": QUOTE, "as_of": AS_OF},
    ),
    "check_quote_change": (
        lambda quote, change, as_of: check_quote_change(quote, change, as_of=as_of),
        {"quote": QUOTE, "change": QuoteChange.CANCEL, "as_of": AS_OF},
    ),
    "applicable_promotions": (
        lambda quote, promotions, as_of: applicable_promotions(
            quote, promotions, as_of=as_of
        ),
        {"quote": QUOTE, "promotions": (), "as_of": AS_OF},
    ),
    "to_records": (to_records, {"results": (REASON,)}),
    "explain": (REASON.explain, {"locale": "en"}),
    "message": (Remedy.ENABLE_AUTO_RENEW.message, {"locale": "en"}),
    "capabilities": (DEFAULT_POLICY.capabilities, {"code": "FR"}),
    "market": (DEFAULT_POLICY.market, {"code": "FR"}),
    "to_dict": (to_dict, {"obj": SUB}),
    "stage_dates": (
        lambda sub, policy, invoice_due_on: stage_dates(
            sub, policy=policy, invoice_due_on=invoice_due_on
        ),
        {"sub": SUB, "policy": POST_EXPIRY_POLICY, "invoice_due_on": None},
    ),
    "lifecycle_stage": (
        lambda sub, as_of, invoice_due_on: lifecycle_stage(
            sub, as_of=as_of, invoice_due_on=invoice_due_on
        ),
        {"sub": SUB, "as_of": AS_OF, "invoice_due_on": AS_OF},
    ),
    "has_access": (
        lambda sub, as_of: has_access(sub, as_of=as_of),
        {"sub": SUB, "as_of": AS_OF},
    ),
    "auto_quote_date": (
        lambda sub, policy: auto_quote_date(sub, policy=policy),
        {"sub": SUB, "policy": DEFAULT_POLICY},
    ),
    "check_quote_payment": (
        lambda quote, kind, amount_usd, portfolio: check_quote_payment(
            quote, kind, amount_usd=amount_usd, portfolio=portfolio
        ),
        {
            "quote": QUOTE,
            "kind": PaymentKind.CARD,
            "amount_usd": Decimal("25000.01"),
            "portfolio": (SUB,),
        },
    ),
    "reminder_dates": (
        lambda sub, policy: reminder_dates(sub, policy=policy),
        {"sub": SUB, "policy": DEFAULT_POLICY},
    ),
    "renewal_timeline": (
        lambda sub, start, end, policy: renewal_timeline(
            sub, start=start, end=end, policy=policy
        ),
        {
            "sub": SUB,
            "start": AS_OF,
            "end": date(2030, 1, 1),
            "policy": POST_EXPIRY_POLICY,
        },
    ),
    "portfolio_timeline": (
        lambda subs, start, end: portfolio_timeline(subs, start=start, end=end),
        {"subs": (SUB,), "start": AS_OF, "end": date(2029, 1, 1)},
    ),
    "RenewalPolicy-part-2": (
        RenewalPolicy,
        {
            "expired_stage_days": 15,
            "suspended_stage_days": dict.fromkeys(Term, 1),
            "late_renewal_basis": LateRenewalBasis.RENEWAL_DATE,
            "quote_days_after_expiry": 45,
            "reminder_days_before": (45, 30, 4),
            "invoice_payment_days": 30,
            "card_paypal_max_usd": 25000,
            "auto_quote_terms": (),
            "post_expiry_renewal": True,
        },
    ),
    "TimelineEvent": (
        TimelineEvent,
        {
            "on": AS_OF,
            "kind": TimelineKind.REMINDER,
            "subject": "S-1",
            "params": {"days_before": 4},
        },
    ),
    "check_alignment": (
        lambda sub, target, as_of: check_alignment(sub, target, as_of=as_of),
        {"sub": SUB, "target": SUB, "as_of": AS_OF},
    ),
    "align": (
        lambda sub, target, as_of: align(sub, target, as_of=as_of),
        {"sub": SUB, "target": SUB, "as_of": AS_OF},
    ),
    "alignment_price": (
        lambda sub, target, seat_price: alignment_price(
            sub, target, seat_price=seat_price
        ),
        {"sub": SUB, "target": SUB, "seat_price": 10},
    ),
    "plan_alignment": (
        lambda subs, as_of: plan_alignment(subs, as_of=as_of),
        {"subs": (SUB,), "as_of": AS_OF},
    ),
    "check_add_seats": (
        lambda sub, count, as_of: check_add_seats(sub, count, as_of=as_of),
        {"sub": SUB, "count": 1, "as_of": AS_OF},
    ),
    "add_seats": (
        lambda sub, count, as_of: add_seats(sub, count, as_of=as_of),
        {"sub": SUB, "count": 1, "as_of": AS_OF},
    ),
    "seats_price": (
        lambda sub, count, as_of, seat_price: seats_price(
            sub, count, as_of=as_of, seat_price=seat_price
        ),
        {"sub": SUB, "count": 1, "as_of": AS_OF, "seat_price": Decimal(1)},
    ),
    "check_reduce_seats": (
        lambda sub, new_quantity, as_of: check_reduce_seats(
            sub, new_quantity, as_of=as_of
        ),
        {"sub": SUB, "new_quantity": 1, "as_of": AS_OF},
    ),
    "reduce_seats": (
        lambda sub, new_quantity, as_of: reduce_seats(sub, new_quantity, as_of=as_of),
        {"sub": SUB, "new_quantity": 1, "as_of": AS_OF},
    ),
    "price_basis": (
        lambda sub, as_of, policy: price_basis(sub, as_of=as_of, policy=policy),
        {"sub": SUB, "as_of": AS_OF, "policy": DEFAULT_POLICY},
    ),
    "check_authority-action": (
        lambda actor, account, action: check_authority(actor, account, action=action),
        {
            "actor": Actor(csn="1", roles=()),
            "account": Account(csn="1"),
            "action": AccountAction.CHANGE_SEATS,
        },
    ),
    "AlignmentKey": (
        AlignmentKey,
        {"csn": "1", "term": Term.ANNUAL, "payment_kind": PaymentKind.CARD},
    ),
    "StageDates": (
        StageDates,
        {"expired_on": AS_OF, "suspended_on": AS_OF, "canceled_on": AS_OF},
    ),
    "from_dict": (from_dict, {"cls": Subscription, "data": to_dict(SUB)}),
}

# The doors of the extras: frames (pyarrow, pandas) and dask.
ROWS = frames.subscriptions_table([SUB])
EVENT = TimelineEvent(on=AS_OF, kind=TimelineKind.EXPIRED, subject="S-1")
LATER = date(2028, 1, 1)
CALLS |= {
    "frames.stages_table": (
        lambda data, as_of, policy: frames.stages_table(
            data, as_of=as_of, policy=policy
        ),
        {"data": ROWS, "as_of": AS_OF, "policy": DEFAULT_POLICY},
    ),
    "frames.requirements_table": (
        lambda data, as_of, policy: frames.requirements_table(
            data, as_of=as_of, policy=policy
        ),
        {"data": ROWS, "as_of": AS_OF, "policy": DEFAULT_POLICY},
    ),
    "frames.plan_table": (
        lambda data, action, as_of, policy, order_by: frames.plan_table(
            data, action=action, as_of=as_of, policy=policy, order_by=order_by
        ),
        {
            "data": ROWS,
            "action": A,
            "as_of": AS_OF,
            "policy": DEFAULT_POLICY,
            "order_by": "input_order",
        },
    ),
    "frames.timeline_table": (
        lambda data, start, end, policy: frames.timeline_table(
            data, start=start, end=end, policy=policy
        ),
        {
            "data": ROWS,
            "start": AS_OF,
            "end": date(2028, 1, 1),
            "policy": DEFAULT_POLICY,
        },
    ),
    "frames.partition_of": (frames.partition_of, {"csn": "5100001", "n": 4}),
    "frames.subscriptions_of": (frames.subscriptions_of, {"data": ROWS}),
    "frames.subscriptions_table": (frames.subscriptions_table, {"subs": [SUB]}),
    "frames.ddl": (frames.ddl, {"schema": frames.PLAN_SCHEMA}),
    "plot.calendar_counts": (
        lambda events, period: plot.calendar_counts(events, period=period),
        {"events": [EVENT], "period": "week"},
    ),
    "plot.plot_calendar": (
        lambda events, period, ax: plot.plot_calendar(events, period=period, ax=ax),
        {"events": [EVENT], "period": "month", "ax": None},
    ),
}


"""The fuzz table's argument name, then the names an error may give it."""


@pytest.mark.parametrize("name", sorted(CALLS))
@given(data=st.data())
def test_arbitrary_values_give_a_result_or_a_named_error(
    name: str, data: st.DataObject
) -> None:
    call_with_one_hostile_argument(*CALLS[name], data)


def test_every_public_callable_is_fuzzed() -> None:
    import renewal_rules

    public = {
        name
        for name in renewal_rules.__all__
        if callable(getattr(renewal_rules, name))
        and not isinstance(getattr(renewal_rules, name), type)
    }
    constructors = {
        name
        for name in renewal_rules.__all__
        if isinstance(getattr(renewal_rules, name), type)
        and hasattr(getattr(renewal_rules, name), "__attrs_attrs__")
    }
    assert public <= set(CALLS), public - set(CALLS)
    missing = (
        constructors
        - set(CALLS)
        - {
            "Decision",
            "BatchPlan",
            "Market",
            "AlignmentGroup",
            "AlignmentPlan",
        }
    )
    assert {"QuoteLine", "Quote", "Subscription"} <= set(CALLS)
    assert not missing - {"QuoteLine", "Quote", "Subscription"}, missing


def test_every_frames_function_is_fuzzed() -> None:
    # (renewal_rules.dask's are fuzzed in tests/unit/test_dask.py.)
    for module in (frames, plot):
        public = {
            f"{module.__name__.rsplit('.', 1)[1]}.{name}"
            for name in module.__all__
            if inspect.isroutine(getattr(module, name))
        }
        assert public <= set(CALLS), public - set(CALLS)


def test_a_valid_window_ignores_the_hostile_day_type() -> None:
    with pytest.raises(InvalidTypeError):
        _ = datetime(2027, 1, 1) in WINDOW
    assert (AS_OF + timedelta(days=1)) in DateWindow(
        opens_on=AS_OF, closes_on=AS_OF + timedelta(days=2)
    )


class Exploding:
    """An iterable whose iterator fails half-way."""

    def __iter__(self) -> Any:
        yield SUB
        raise RuntimeError("boom")


def test_an_iterable_that_fails_is_bad_input() -> None:
    with pytest.raises(InvalidInputError, match="could not be iterated") as caught:
        plan_batches(Exploding(), action=A, as_of=AS_OF)
    assert caught.value.field == "subs"


def test_decisions_take_any_iterable_of_reasons() -> None:
    assert Decision.from_reasons(r for r in [REASON]).reasons == (REASON,)
    with pytest.raises(InvalidTypeError):
        Decision.from_reasons(None)


def test_validators_say_what_they_check() -> None:
    shown = {
        repr(field.validator)
        for cls in (Subscription, Reason, Batch, RenewalPolicy)
        for field in attrs.fields(cls)
        if field.validator is not None
    }
    assert "<validator: a str with a visible character>" in shown
    assert any("an int from 1 to" in text for text in shown)
    assert any("a Subscription" in text for text in shown)
    assert any(", <validator: not empty>, " in text for text in shown)


def test_previews_of_long_collections_give_their_length() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        make_sub(id=list(range(1000)))
    assert "list of length 1000" in str(caught.value)


def test_offered_bits_refuse_what_capabilities_refuse() -> None:
    with pytest.raises(InvalidTypeError):
        DEFAULT_POLICY.offered_bits([])
    with pytest.raises(InvalidTypeError):
        DEFAULT_POLICY.offered_bits(None)
    closed = RenewalPolicy(default_market=None)
    with pytest.raises(UnknownMarketError):
        closed.offered_bits("FR")
    assert DEFAULT_POLICY.offered_bits("FR") == (1 << len(Capability)) - 1


def test_the_reasons_strategy_checks_its_argument() -> None:
    from hypothesis.errors import InvalidArgument

    from renewal_rules.strategies import reasons

    with pytest.raises(InvalidArgument):
        reasons(code="batch_empty")


@given(strategies.reasons(code=ReasonCode.BATCH_TOO_LARGE))
def test_a_pinned_code_gives_reasons_of_that_code(reason: Reason) -> None:
    assert reason.code is ReasonCode.BATCH_TOO_LARGE


def _takes_policy() -> list[str]:
    import inspect

    import renewal_rules

    return sorted(
        name
        for name in renewal_rules.__all__
        if inspect.isfunction(getattr(renewal_rules, name))
        and "policy" in inspect.signature(getattr(renewal_rules, name)).parameters
    )


@pytest.mark.parametrize("name", _takes_policy())
def test_a_function_that_takes_a_policy_checks_it(name: str) -> None:
    # Every function (and every wrapper over a check: add_seats, align,
    # has_access) hands its policy on or checks it: a bad one is refused by
    # name, never replaced by the default.
    import renewal_rules

    function = getattr(renewal_rules, name)
    _, valid = CALLS[name]
    # The table's lambdas may name an argument otherwise (term: new_term).
    names = {key: ALSO_NAMED.get(key, (key,))[0] for key in valid}
    arguments = {names[key]: value for key, value in valid.items()}
    with pytest.raises(InvalidTypeError) as caught:
        function(**{**arguments, "policy": POLICY_LOOKALIKE})
    assert caught.value.field == "policy"


POLICY_LOOKALIKE = attrs.evolve  # a callable, not a RenewalPolicy
