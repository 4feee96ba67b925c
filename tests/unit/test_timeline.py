"""Quotes after expiry, reminders and the renewal timeline (Q18-Q22, N1-N3)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import pytest

from renewal_rules import (
    DEFAULT_POLICY,
    InvalidInputError,
    InvalidTypeError,
    PaymentKind,
    PaymentMethod,
    ReasonCode,
    RenewalPolicy,
    SubscriptionKind,
    Term,
    TimelineEvent,
    TimelineKind,
    auto_quote_date,
    check_quote,
    portfolio_timeline,
    reminder_dates,
    renewal_timeline,
    renewal_window,
    timeline,
)
from renewal_rules.timeline import event_param_types
from tests.factories import AS_OF, make_line, make_quote, make_sub

C = ReasonCode
K = TimelineKind
END = date(2027, 5, 1)
MANUAL = make_sub(auto_renew=False)


def kinds(events: tuple[TimelineEvent, ...]) -> list[tuple[date, TimelineKind]]:
    return [(event.on, event.kind) for event in events]


class TestAutoRenewConflict:
    """Q20: a changed renewal line of an auto-renewing subscription (any switch)."""

    def test_changed_term_or_quantity(self) -> None:  # Q20
        sub = make_sub(quantity=5)
        same = make_quote(lines=(make_line(subscription=sub),))
        assert check_quote(same, as_of=date(2027, 3, 1))
        fewer = make_quote(lines=(make_line(subscription=sub, quantity=4),))
        assert check_quote(fewer, as_of=date(2027, 3, 1)).codes == (
            C.AUTO_RENEW_CONFLICTS_WITH_QUOTE,
        )
        longer = make_quote(lines=(make_line(subscription=sub, term=Term.THREE_YEAR),))
        assert (
            C.AUTO_RENEW_CONFLICTS_WITH_QUOTE
            in check_quote(longer, as_of=date(2027, 3, 1)).codes
        )
        pending = make_sub(pending_term=Term.THREE_YEAR)
        as_pending = make_quote(
            lines=(make_line(subscription=pending, term=Term.THREE_YEAR),)
        )
        assert check_quote(as_pending, as_of=date(2027, 3, 1))
        off = make_sub(quantity=5, auto_renew=False)
        fewer_off = make_quote(lines=(make_line(subscription=off, quantity=4),))
        assert check_quote(fewer_off, as_of=date(2027, 3, 1))


class TestReminders:
    """N2: 45, 30 and 4 days before, for manual renewals."""

    def test_manual(self) -> None:  # N2
        assert reminder_dates(MANUAL) == tuple(
            END - timedelta(days=d) for d in (45, 30, 4)
        )

    def test_automatic_only_when_asked(self) -> None:  # N2
        automatic = make_sub()
        assert reminder_dates(automatic) == ()
        assert (
            len(reminder_dates(automatic, policy=RenewalPolicy(remind_automatic=True)))
            == 3
        )

    def test_none_for_trials(self) -> None:  # N2
        assert reminder_dates(make_sub(kind=SubscriptionKind.TRIAL)) == ()

    def test_a_monthly_term_gets_only_the_reminders_after_its_start(self) -> None:  # N2
        monthly = make_sub(
            auto_renew=False, term=Term.MONTHLY, term_start=date(2027, 4, 1)
        )
        assert reminder_dates(monthly) == (
            END - timedelta(days=30),
            END - timedelta(days=4),
        )


class TestTimeline:
    """N1-N3: the no-action future, by term."""

    def test_manual_term(self) -> None:  # N1, N2, N3, Q19, G1
        events = renewal_timeline(MANUAL, start=date(2027, 1, 1), end=date(2028, 1, 1))
        assert kinds(events) == [
            (date(2027, 1, 31), K.RENEWAL_WINDOW_OPENS),
            (date(2027, 3, 17), K.REMINDER),
            (date(2027, 4, 1), K.REMINDER),
            (date(2027, 4, 1), K.AUTO_QUOTE),
            (date(2027, 4, 27), K.REMINDER),
            (END, K.EXPIRED),
            (date(2027, 5, 16), K.ACCESS_REMOVED),
            (date(2027, 6, 15), K.CANCELED),
        ]
        assert events[1].params == (("days_before", 45),)

    def test_automatic_terms_by_invoice(self) -> None:  # A1, A5, N3
        invoice = make_sub(payment_method=PaymentMethod(kind=PaymentKind.INVOICE))
        events = renewal_timeline(invoice, start=date(2027, 1, 1), end=date(2028, 6, 1))
        assert kinds(events) == [
            (END, K.AUTO_RENEWAL),
            (END, K.INVOICE_ISSUED),
            (date(2027, 5, 31), K.INVOICE_DUE),
            (date(2028, 5, 1), K.AUTO_RENEWAL),
            (date(2028, 5, 1), K.INVOICE_ISSUED),
            (date(2028, 5, 31), K.INVOICE_DUE),
        ]
        assert dict(events[0].params) == {
            "term": Term.ANNUAL,
            "term_end": date(2028, 5, 1),
        }
        assert dict(events[2].params) == {"issued_on": END}

    def test_a_trial_is_canceled(self) -> None:  # N3, E1
        trial = make_sub(kind=SubscriptionKind.TRIAL)
        events = renewal_timeline(trial, start=date(2027, 1, 1), end=date(2028, 1, 1))
        assert kinds(events) == [(END, K.CANCELED)]

    def test_monthly_notices_never_before_the_term_starts(self) -> None:  # N1, N3
        monthly = make_sub(
            auto_renew=False, term=Term.MONTHLY, term_start=date(2027, 4, 1)
        )
        events = renewal_timeline(monthly, start=date(2027, 1, 1), end=date(2028, 1, 1))
        assert K.RENEWAL_WINDOW_OPENS not in {e.kind for e in events}
        assert all(e.on >= monthly.term_start for e in events)

    def test_a_card_expiring_ends_the_automatic_chain(self) -> None:  # N3, A1
        card = PaymentMethod(kind=PaymentKind.CARD, expires_on=date(2028, 6, 1))
        sub = make_sub(payment_method=card)
        events = renewal_timeline(sub, start=date(2027, 1, 1), end=date(2031, 1, 1))
        assert [e.kind for e in events][:1] == [K.AUTO_RENEWAL]
        assert events[-1].kind is K.CANCELED
        assert events[-1].on == date(2029, 6, 15)

    def test_bad_span(self) -> None:  # N3
        with pytest.raises(InvalidInputError) as caught:
            renewal_timeline(MANUAL, start=date(2028, 1, 1), end=date(2027, 1, 1))
        assert caught.value.field == "end"
        with pytest.raises(InvalidInputError):
            renewal_timeline(MANUAL, start=date(1, 1, 1), end=date(2027, 1, 1))
        with pytest.raises(InvalidTypeError):
            portfolio_timeline(None, start=END, end=END)  # type: ignore[arg-type]

    def test_portfolio_order(self) -> None:  # N3
        a = make_sub(id="S-B", auto_renew=False)
        b = make_sub(id="S-A", auto_renew=False)
        merged = portfolio_timeline(
            [a, b], start=date(2027, 1, 1), end=date(2027, 2, 1)
        )
        assert [(e.on, e.subject) for e in merged] == [
            (date(2027, 1, 31), "S-A"),
            (date(2027, 1, 31), "S-B"),
        ]

    @pytest.mark.parametrize(
        ("kind", "params", "field", "message"),
        [
            (K.REMINDER, {}, "params", "must be exactly: days_before"),
            (K.EXPIRED, {"days_before": 3}, "params", "must be exactly: none"),
            (K.AUTO_RENEWAL, {"term_end": END}, "params", "must be exactly: term, term_end"),
            (K.REMINDER, {"days_before": True}, "params.days_before", "expected an int"),
            (K.AUTO_RENEWAL, {"term": "annual", "term_end": END}, "params.term", "expected a Term"),
            (K.INVOICE_DUE, {"issued_on": "2027-05-01"}, "params.issued_on", "expected a date"),
        ],
    )  # fmt: skip
    def test_event_params_are_checked_by_kind(
        self, kind: TimelineKind, params: dict[str, object], field: str, message: str
    ) -> None:  # N3
        with pytest.raises(InvalidInputError) as caught:
            TimelineEvent(on=END, kind=kind, subject="S-1", params=params)
        assert caught.value.field == field
        assert caught.value.message == message
        assert caught.value.value == (
            tuple(sorted(params.items())) if field == "params" else params[field[7:]]
        )

    def test_events_are_values(self) -> None:  # N3
        with pytest.raises(InvalidInputError):
            TimelineEvent(on=END, kind=K.REMINDER, subject="S-1")
        event = TimelineEvent(on=END, kind=K.CANCELED, subject="S-1")
        assert event.sort_key == (END, 8, "S-1")
        html = renewal_timeline(
            MANUAL, start=date(2027, 1, 1), end=date(2028, 1, 1)
        )._repr_html_()  # type: ignore[attr-defined]
        assert "<td>2027-06-15</td>" in html
        assert "Timeline: 8 events" in html


class TestTermsBeforeStart:
    """N3: the terms before ``start`` are skipped, not walked."""

    def test_twenty_monthly_subscriptions_from_1900_walk_a_year_each(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        walked: list[object] = []
        term_events = timeline._term_events

        def counted(sub: Any, policy: Any) -> Any:
            walked.append(sub)
            return term_events(sub, policy)

        monkeypatch.setattr(timeline, "_term_events", counted)
        subs = [
            make_sub(
                id=f"S-{n}",
                term=Term.MONTHLY,
                term_start=date(1900, 1, n + 1),
                term_end=date(1900, 2, n + 1),
                auto_renew=True,
                payment_method=PaymentMethod(kind=PaymentKind.CARD),
            )
            for n in range(20)
        ]
        events = portfolio_timeline(
            subs, start=date(9899, 1, 1), end=date(9899, 12, 31)
        )
        assert len(events) == 240
        assert {e.kind for e in events} == {K.AUTO_RENEWAL}
        # Each: its first term, then the twelve (or thirteen) of the span.
        assert len(walked) <= 20 * 14


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


def test_a_timeline() -> None:
    sub = make_sub(id="S-1")
    events = renewal_timeline(sub, start=AS_OF, end=date(2027, 6, 1))
    html = events._repr_html_()  # type: ignore[attr-defined]
    head = "<th>date</th><th>subscription</th><th>event</th><th>details</th>"
    assert head in html
    assert (
        "<td>2027-05-01</td><td>S-1</td><td>auto_renewal</td>"
        "<td>term=annual, term_end=2028-05-01</td>"
    ) in html


def test_event_params_follow_their_kind() -> None:  # N3
    assert event_param_types("reminder") == {}
    assert event_param_types(TimelineKind.INVOICE_DUE) == {"issued_on": date}
    with pytest.raises(InvalidTypeError):
        TimelineEvent(
            on=END,
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
