"""Exact answers: subjects, params, boundaries, orders and messages.

Each test pins a part of an answer that a mutation run found no test
reading (docs/testing.md): the subject of a reason, an event on the first
day of a span, the exact text of an error, the order of groups.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    DEFAULT_POLICY,
    Capability,
    Decision,
    InvalidInputError,
    InvalidTypeError,
    LifecycleStage,
    Market,
    PaymentKind,
    PaymentMethod,
    PurchaseMethod,
    Reason,
    ReasonCode,
    RenewalPolicy,
    StageDates,
    Subscription,
    Term,
    TermDays,
    TimelineKind,
    align,
    auto_quote_date,
    check_add_seats,
    check_alignment,
    check_quote,
    check_quote_payment,
    has_access,
    lifecycle_stage,
    plan_alignment,
    renewal_timeline,
    renewal_window,
    seats_price,
)
from renewal_rules.alignment import AlignmentGroup, AlignmentKey
from renewal_rules.errors import PREVIEW_CHARS, preview
from renewal_rules.model import MAX_QUANTITY
from renewal_rules.serde import SerdeError, from_dict
from renewal_rules.strategies import policies, subscriptions
from renewal_rules.timeline import event_param_types, portfolio_timeline
from tests.factories import AS_OF, make_line, make_quote, make_sub

C = ReasonCode


class TestPreview:
    """Messages quote at most PREVIEW_CHARS of a value: the exact edges."""

    def test_ints_strings_collections_and_reprs_at_their_edges(self) -> None:
        assert preview(2**256 - 1) == str(2**256 - 1)  # 256 bits: shown
        assert preview(2**256) == "int of 257 bits"
        edge = "x" * (PREVIEW_CHARS - 2)  # its repr has the two quotes
        assert preview(edge) == repr(edge)
        longer = "x" * (PREVIEW_CHARS - 1)  # its repr is one too long: cut
        assert preview(longer) == f"str: {repr(longer)[:PREVIEW_CHARS]}..."
        assert preview("x" * PREVIEW_CHARS).startswith("str: 'x")
        assert preview("x" * (PREVIEW_CHARS + 1)).startswith("str of length 81: ")
        assert preview(list(range(8))) == repr(list(range(8)))
        assert preview(list(range(9))) == "list of length 9"

        class Shown:
            def __init__(self, size: int) -> None:
                self.size = size

            def __repr__(self) -> str:
                return "r" * self.size

        assert preview(Shown(PREVIEW_CHARS)) == "r" * PREVIEW_CHARS
        assert preview(Shown(PREVIEW_CHARS + 1)) == f"Shown: {'r' * 80}..."


class TestSubjects:
    """Each reason names what it is about (API.md: ``subject``)."""

    def test_quote_reasons(self) -> None:  # Q20, Q21, Q22
        sub = make_sub(id="S-7", quantity=5)
        fewer = make_quote(lines=(make_line(subscription=sub, quantity=4),))
        conflict = check_quote(fewer, as_of=AS_OF)
        assert [(r.code, r.subject) for r in conflict.reasons] == [
            (C.AUTO_RENEW_CONFLICTS_WITH_QUOTE, "S-7")
        ]
        quote = make_quote(id="Q-9")
        over = check_quote_payment(quote, PaymentKind.CARD, amount_usd=25001)
        assert [(r.code, r.subject) for r in over.reasons] == [
            (C.AMOUNT_EXCEEDS_CARD_LIMIT, "Q-9")
        ]
        invoice = check_quote_payment(quote, PaymentKind.INVOICE, amount_usd=1)
        assert [(r.code, r.subject) for r in invoice.reasons] == [
            (C.PAY_BY_INVOICE_NOT_ESTABLISHED, "Q-9")
        ]

    def test_seat_reasons(self) -> None:  # P2
        off = make_sub(
            id="S-3", auto_renew=False, purchase_method=PurchaseMethod.DIRECT
        )
        decision = check_add_seats(off, 1, as_of=AS_OF)
        assert [(r.code, r.subject) for r in decision.reasons] == [
            (C.SEAT_CHANGE_NOT_ONLINE, "S-3"),
            (C.SEAT_ADD_REQUIRES_AUTO_RENEW, "S-3"),
        ]

    def test_alignment_reasons(self) -> None:  # C1
        sub = make_sub(id="S-4", payment_method=PaymentMethod(kind=PaymentKind.INVOICE))
        target = make_sub(id="S-5", term_end=date(2027, 6, 1))
        decision = check_alignment(sub, target, as_of=AS_OF)
        assert [(r.code, r.subject) for r in decision.reasons] == [
            (C.ALIGNMENT_PAYMENT_MISMATCH, "S-4")
        ]
        plan = plan_alignment([target, target], as_of=AS_OF)
        assert [
            [(r.code, r.subject) for r in rejection.reasons]
            for rejection in plan.rejected
        ] == [[(C.DUPLICATE_SUBSCRIPTION, "S-5")]]


class TestReasonParams:
    """A reason's params: checked against the catalogue, never crashing."""

    def test_a_name_given_twice_is_refused_whatever_its_values(self) -> None:
        with pytest.raises(InvalidInputError) as caught:
            Reason(C.BATCH_TOO_LARGE, None, (("size", 1), ("size", "x")))
        assert caught.value.field == "params"

    def test_a_date_param_given_as_text_is_a_type_error(self) -> None:
        with pytest.raises(InvalidTypeError) as caught:
            Reason(C.QUOTE_WINDOW_CLOSED, "Q-1", {"closes_on": "2027-01-01"})
        assert caught.value.field == "params.closes_on"

    def test_alignment_capability_params(self) -> None:  # C1, A4
        policy = RenewalPolicy(markets=[Market(code="FR", capabilities=())])
        sub = make_sub(
            id="S-4", purchase_method=PurchaseMethod.DIRECT, payment_method=None
        )
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


class TestTimelineEdges:
    """N1-N3: the first day of a span is in it; the last supported day too."""

    def test_a_kind_without_params(self) -> None:
        assert event_param_types(TimelineKind.RENEWAL_WINDOW_OPENS) == {}
        assert event_param_types(TimelineKind.REMINDER) == {"days_before": int}
        assert event_param_types("reminder") == {}

    def test_the_window_and_the_quote_on_the_first_day(self) -> None:  # N1, Q19
        manual = make_sub(auto_renew=False)
        opens_on = renewal_window(manual).opens_on
        kinds = [
            e.kind
            for e in renewal_timeline(
                manual, start=opens_on, end=opens_on + timedelta(days=1)
            )
        ]
        assert TimelineKind.RENEWAL_WINDOW_OPENS in kinds
        quote_on = auto_quote_date(manual)
        assert quote_on is not None
        kinds = [
            e.kind
            for e in renewal_timeline(
                manual, start=quote_on, end=quote_on + timedelta(days=1)
            )
        ]
        assert TimelineKind.AUTO_QUOTE in kinds

    def test_a_window_and_a_quote_opening_on_term_start(self) -> None:  # N1, Q19
        # Events of a term are those from its start: a window (and an
        # automatic quote) opening on term_start is one, a day earlier not.
        manual = make_sub(auto_renew=False)  # 2026-05-01 to 2027-05-01
        start, end = date(2026, 4, 1), date(2026, 5, 2)
        length = (manual.term_end - manual.term_start).days
        on_start = attrs.evolve(
            DEFAULT_POLICY, renewal_window_days=length, auto_quote_days_before=length
        )
        events = renewal_timeline(manual, start=start, end=end, policy=on_start)
        assert [(e.on, e.kind) for e in events] == [
            (manual.term_start, TimelineKind.RENEWAL_WINDOW_OPENS),
            (manual.term_start, TimelineKind.AUTO_QUOTE),
        ]
        before = attrs.evolve(
            on_start, renewal_window_days=length + 1, auto_quote_days_before=length + 1
        )
        assert renewal_timeline(manual, start=start, end=end, policy=before) == ()

    def test_reminders_of_automatic_renewals_on_request(self) -> None:  # N2
        sub = make_sub()
        start, end = sub.term_start, sub.term_end
        assert not [
            e
            for e in renewal_timeline(sub, start=start, end=end)
            if e.kind is TimelineKind.REMINDER
        ]
        policy = attrs.evolve(DEFAULT_POLICY, remind_automatic=True)
        reminders = [
            e.on
            for e in renewal_timeline(sub, start=start, end=end, policy=policy)
            if e.kind is TimelineKind.REMINDER
        ]
        assert reminders == [
            sub.term_end - timedelta(days=n) for n in policy.reminder_days_before
        ]

    def test_a_renewal_ending_on_the_last_supported_day(self) -> None:  # N3
        sub = make_sub(
            term_start=date(9897, 12, 31),
            term_end=date(9898, 12, 31),
            anchor_day=31,
            payment_method=PaymentMethod(kind=PaymentKind.DIRECT_DEBIT),
        )
        policy = attrs.evolve(DEFAULT_POLICY, remind_automatic=True)
        events = renewal_timeline(
            sub, start=date(9898, 12, 1), end=date(9899, 12, 31), policy=policy
        )
        renewal = [e for e in events if e.kind is TimelineKind.AUTO_RENEWAL]
        assert [dict(e.params)["term_end"] for e in renewal] == [date(9899, 12, 31)]
        # The renewed term (to 9899-12-31) has its reminders too.
        assert [e.on for e in events if e.kind is TimelineKind.REMINDER][-1] == date(
            9899, 12, 27
        )

    def test_a_span_that_ends_before_it_starts(self) -> None:  # N3
        with pytest.raises(InvalidInputError) as caught:
            portfolio_timeline([], start=date(2027, 2, 1), end=date(2027, 1, 1))
        assert (caught.value.field, caught.value.value, caught.value.message) == (
            "end",
            date(2027, 1, 1),
            "must not be before start",
        )


class TestSeatCounts:
    def test_a_price_needs_one_to_the_most_seats(self) -> None:  # P2
        sub = make_sub()
        assert seats_price(sub, 1, as_of=AS_OF, seat_price=10) > 0
        for count in (0, MAX_QUANTITY + 1):
            with pytest.raises(InvalidInputError) as caught:
                seats_price(sub, count, as_of=AS_OF, seat_price=10)
            assert caught.value.field == "count"


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


class TestHTML:
    """The notebook views, whole: headers, rows and sections."""

    def test_an_alignment_plan(self) -> None:
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

    def test_a_timeline(self) -> None:
        sub = make_sub(id="S-1")
        events = renewal_timeline(sub, start=AS_OF, end=date(2027, 6, 1))
        html = events._repr_html_()  # type: ignore[attr-defined]
        head = "<th>date</th><th>subscription</th><th>event</th><th>details</th>"
        assert head in html
        assert (
            "<td>2027-05-01</td><td>S-1</td><td>auto_renewal</td>"
            "<td>term=annual, term_end=2028-05-01</td>"
        ) in html


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


@given(subscriptions(), policies(), st.integers(-400, 400), st.integers(-30, 400))
def test_access_is_the_stage(
    sub: Subscription, policy: RenewalPolicy, day: int, due: int
) -> None:  # G2, G6
    as_of = sub.term_end + timedelta(days=day)
    invoice_due_on = sub.term_end + timedelta(days=due)
    stage = lifecycle_stage(
        sub, as_of=as_of, policy=policy, invoice_due_on=invoice_due_on
    )
    assert has_access(
        sub, as_of=as_of, policy=policy, invoice_due_on=invoice_due_on
    ) is (stage in {LifecycleStage.ACTIVE, LifecycleStage.EXPIRED})


def test_access_follows_the_invoice_due_date_and_the_policy() -> None:  # G2, G6
    # An open renewal invoice due 60 days before term_end starts the
    # shutoff the day after: 10 days before term_end the subscription is
    # already suspended, unless the policy's expired stage is long.
    sub = make_sub()
    as_of = sub.term_end - timedelta(days=10)
    due = sub.term_end - timedelta(days=60)
    assert has_access(sub, as_of=as_of)
    assert not has_access(sub, as_of=as_of, invoice_due_on=due)
    long = attrs.evolve(DEFAULT_POLICY, expired_stage_days=300)
    assert has_access(sub, as_of=as_of, policy=long, invoice_due_on=due)


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


def test_stage_dates_out_of_order() -> None:  # G1
    with pytest.raises(InvalidInputError) as caught:
        StageDates(
            expired_on=date(2027, 1, 2),
            suspended_on=date(2027, 1, 1),
            canceled_on=date(2027, 1, 3),
        )
    assert (caught.value.field, caught.value.value, caught.value.message) == (
        "suspended_on",
        date(2027, 1, 1),
        "must lie from expired_on through canceled_on",
    )


def test_a_decision_from_what_is_not_reasons() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        Decision.from_reasons(42)  # type: ignore[arg-type]
    assert caught.value.field == "reasons"


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


def test_an_enum_param_given_an_unhashable_value() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        Reason(C.CAPABILITY_UNAVAILABLE, "S-1", {"capability": []})
    assert caught.value.field == "params.capability"


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
