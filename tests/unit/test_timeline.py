"""Quotes after expiry, reminders and the renewal timeline (Q18-Q22, N1-N3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from renewal_rules import (
    POST_EXPIRY_POLICY,
    Capability,
    InvalidInputError,
    InvalidTypeError,
    LineKind,
    Market,
    PaymentKind,
    PaymentMethod,
    QuoteChannel,
    ReasonCode,
    RenewalPolicy,
    SubscriptionKind,
    Term,
    TimelineEvent,
    TimelineKind,
    auto_quote_date,
    check_quote,
    check_quote_payment,
    portfolio_timeline,
    reminder_dates,
    renewal_timeline,
    timeline,
)
from tests.factories import make_line, make_quote, make_sub

C = ReasonCode
K = TimelineKind
P = POST_EXPIRY_POLICY
END = date(2027, 5, 1)
MANUAL = make_sub(auto_renew=False)


def kinds(events: tuple[TimelineEvent, ...]) -> list[tuple[date, TimelineKind]]:
    return [(event.on, event.kind) for event in events]


class TestQuoteWindowAfterExpiry:
    """Q18: with the switch on, quotes until min(term_end + 45 days, canceled_on)."""

    def quote(self, sub: object) -> object:
        line = make_line(subscription=sub, kind=LineKind.RENEWAL)
        return make_quote(
            channel=QuoteChannel.PARTNER,
            lines=(line,),
            recipients=(),
            expires_on=None,
            created_on=date(2027, 1, 1),
        )

    def test_days_44_and_45(self) -> None:  # Q18
        quote = self.quote(MANUAL)
        day44, day45 = END + timedelta(days=44), END + timedelta(days=45)
        assert check_quote(quote, as_of=day44, policy=P)  # type: ignore[arg-type]
        decision = check_quote(quote, as_of=day45, policy=P)  # type: ignore[arg-type]
        assert decision.codes == (C.SUBSCRIPTION_CANCELED,)

    def test_closed_before_canceled(self) -> None:  # Q18
        policy = RenewalPolicy(post_expiry_renewal=True, quote_days_after_expiry=10)
        quote = self.quote(MANUAL)
        assert check_quote(quote, as_of=END + timedelta(days=9), policy=policy)  # type: ignore[arg-type]
        closed = check_quote(quote, as_of=END + timedelta(days=10), policy=policy)  # type: ignore[arg-type]
        assert [(r.code, dict(r.params)) for r in closed.reasons] == [
            (C.QUOTE_WINDOW_CLOSED, {"closes_on": END + timedelta(days=10)})
        ]

    def test_switch_off_is_q15(self) -> None:  # Q15, Q18
        quote = self.quote(MANUAL)
        assert check_quote(quote, as_of=END).codes == (C.SUBSCRIPTION_EXPIRED,)  # type: ignore[arg-type]


class TestAutoQuote:
    """Q19: annual and three-year terms with auto-renew off, 30 days before."""

    def test_dates(self) -> None:  # Q19
        assert auto_quote_date(MANUAL) == END - timedelta(days=30)
        assert auto_quote_date(make_sub()) is None  # auto-renew on
        monthly = make_sub(
            auto_renew=False,
            term=Term.MONTHLY,
            term_start=date(2027, 4, 1),
        )
        assert auto_quote_date(monthly) is None
        trial = make_sub(auto_renew=False, kind=SubscriptionKind.TRIAL)
        assert auto_quote_date(trial) is None
        no_quotes = RenewalPolicy(
            markets=[Market(code="FR", capabilities={Capability.MANUAL_RENEWAL})]
        )
        assert auto_quote_date(MANUAL, policy=no_quotes) is None


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


class TestQuotePayment:
    """Q21, Q22: the card limit and pay by invoice on self-service quotes."""

    def test_card_limit(self) -> None:  # Q21
        quote = make_quote()
        assert check_quote_payment(quote, PaymentKind.CARD, amount_usd=25000)
        over = check_quote_payment(
            quote, PaymentKind.PAYPAL, amount_usd=Decimal("25000.01")
        )
        assert [(r.code, dict(r.params)) for r in over.reasons] == [
            (
                C.AMOUNT_EXCEEDS_CARD_LIMIT,
                {"amount": Decimal("25000.01"), "limit": Decimal(25000)},
            )
        ]
        assert check_quote_payment(
            quote, PaymentKind.DIRECT_DEBIT, amount_usd=Decimal("99999")
        )

    def test_pay_by_invoice_needs_an_invoiced_subscription(self) -> None:  # Q22
        quote = make_quote()
        refused = check_quote_payment(quote, PaymentKind.INVOICE, amount_usd=1)
        assert refused.codes == (C.PAY_BY_INVOICE_NOT_ESTABLISHED,)
        invoiced = make_sub(
            id="S-9", payment_method=PaymentMethod(kind=PaymentKind.INVOICE)
        )
        assert check_quote_payment(
            quote, PaymentKind.INVOICE, amount_usd=1, portfolio=[invoiced]
        )
        other = make_sub(
            id="S-8",
            csn="999",
            payment_method=PaymentMethod(kind=PaymentKind.INVOICE),
        )
        assert not check_quote_payment(
            quote, PaymentKind.INVOICE, amount_usd=1, portfolio=[other]
        )
        partner = make_quote(channel=QuoteChannel.PARTNER, recipients=())
        assert check_quote_payment(partner, PaymentKind.INVOICE, amount_usd=1)

    @pytest.mark.parametrize(
        "amount", [1.5, True, Decimal("NaN"), Decimal(-1), -1, "10", None]
    )
    def test_bad_amounts(self, amount: object) -> None:  # Q21
        with pytest.raises(InvalidInputError) as caught:
            check_quote_payment(make_quote(), PaymentKind.CARD, amount_usd=amount)  # type: ignore[arg-type]
        assert caught.value.field == "amount_usd"


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
