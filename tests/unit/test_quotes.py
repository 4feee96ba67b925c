"""Example tests for Q1-Q17, each with the smallest change that flips it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from renewal_rules import (
    POST_EXPIRY_POLICY,
    Capability,
    InvalidInputError,
    InvalidTypeError,
    LineKind,
    Market,
    Offering,
    PaymentKind,
    PaymentMethod,
    Promotion,
    PurchaseMethod,
    Quote,
    QuoteChange,
    QuoteChannel,
    QuoteStatus,
    Reason,
    ReasonCode,
    Recipient,
    RenewalPolicy,
    SubscriptionKind,
    Term,
    applicable_promotions,
    auto_quote_date,
    check_quote,
    check_quote_change,
    check_quote_payment,
)
from renewal_rules._email import is_valid_email
from tests.factories import AS_OF, TERM_END, make_line, make_quote, make_sub

C = ReasonCode
P = POST_EXPIRY_POLICY
END = date(2027, 5, 1)
MANUAL = make_sub(auto_renew=False)
PARTNER = QuoteChannel.PARTNER
SELF = QuoteChannel.SELF_SERVICE


def codes(quote: Quote, **kwargs: object) -> list[ReasonCode]:
    return list(check_quote(quote, as_of=kwargs.pop("as_of", AS_OF), **kwargs).codes)  # type: ignore[arg-type]


def recipients(count: int, *, company: bool = True) -> tuple[Recipient, ...]:
    domain = "example.com" if company else "other.example"
    return tuple(
        Recipient(email=f"r{n}@{domain}", company_contact=company) for n in range(count)
    )


def test_the_factory_quote_is_valid() -> None:
    assert check_quote(make_quote(), as_of=AS_OF)
    assert check_quote(make_quote(channel=PARTNER), as_of=AS_OF)


class TestChannels:
    @pytest.mark.parametrize(
        ("channel", "capability"),
        [(SELF, Capability.SELF_SERVICE_QUOTE), (PARTNER, Capability.PARTNER_QUOTE)],
    )
    def test_channel_is_a_market_capability(
        self, channel: QuoteChannel, capability: Capability
    ) -> None:  # Q1
        others = set(Capability) - {capability}
        policy = RenewalPolicy(markets=[Market(code="FR", capabilities=others)])
        decision = check_quote(make_quote(channel=channel), as_of=AS_OF, policy=policy)
        assert decision.reasons == (
            Reason(
                code=C.CAPABILITY_UNAVAILABLE,
                subject="Q-1",
                params={"capability": capability},
            ),
        )
        policy = RenewalPolicy(markets=[Market(code="FR", capabilities={capability})])
        assert check_quote(make_quote(channel=channel), as_of=AS_OF, policy=policy)


class TestRecipients:
    def test_partner_5_extra_contacts_allowed_6_refused(self) -> None:  # Q2
        five = recipients(5, company=False)
        assert check_quote(make_quote(channel=PARTNER, recipients=five), as_of=AS_OF)
        six = recipients(6, company=False)
        decision = check_quote(make_quote(channel=PARTNER, recipients=six), as_of=AS_OF)
        assert decision.reasons == (
            Reason(
                code=C.TOO_MANY_RECIPIENTS,
                subject="Q-1",
                params={"count": 6, "limit": 5},
            ),
        )

    def test_partner_any_number_of_company_contacts(self) -> None:  # Q2
        many = recipients(30) + recipients(5, company=False)
        assert check_quote(make_quote(channel=PARTNER, recipients=many), as_of=AS_OF)

    def test_self_service_4_allowed_5_refused(self) -> None:  # Q3
        assert check_quote(make_quote(recipients=recipients(4)), as_of=AS_OF)
        decision = check_quote(make_quote(recipients=recipients(5)), as_of=AS_OF)
        assert decision.reasons == (
            Reason(
                code=C.TOO_MANY_RECIPIENTS,
                subject="Q-1",
                params={"count": 5, "limit": 4},
            ),
        )

    def test_self_service_counts_company_contacts_too(self) -> None:  # Q3
        assert codes(
            make_quote(recipients=recipients(3) + recipients(2, company=False))
        ) == [C.TOO_MANY_RECIPIENTS]

    @pytest.mark.parametrize("channel", [SELF, PARTNER])
    def test_invalid_address(self, channel: QuoteChannel) -> None:  # Q3, Q2
        bad = (Recipient(email="buyer@example"), Recipient(email="ok@example.com"))
        decision = check_quote(make_quote(channel=channel, recipients=bad), as_of=AS_OF)
        assert decision.reasons == (
            Reason(
                code=C.INVALID_RECIPIENT,
                subject="Q-1",
                params={"email": "buyer@example"},
            ),
        )

    @pytest.mark.parametrize("channel", [SELF, PARTNER])
    def test_duplicate_ignoring_case(self, channel: QuoteChannel) -> None:  # Q3, Q2
        twice = (
            Recipient(email="Buyer@Example.com"),
            Recipient(email="buyer@example.COM"),
        )
        decision = check_quote(
            make_quote(channel=channel, recipients=twice), as_of=AS_OF
        )
        assert decision.reasons == (
            Reason(
                code=C.DUPLICATE_RECIPIENT,
                subject="Q-1",
                params={"email": "buyer@example.COM"},
            ),
        )

    def test_a_quote_may_have_no_recipient_yet(self) -> None:  # Q3
        assert check_quote(make_quote(recipients=()), as_of=AS_OF)


class TestEmailSyntax:
    @pytest.mark.parametrize(
        "address",
        [
            "a@b.co",
            "first.last+tag@sub.example.org",
            "o'neil@example.ie",
            "x@xn--p1ai.xn--p1ai",
            "a@mail.2024.example",
            "a" * 64 + "@example.com",
            "a@" + "b" * 63 + ".com",
            "a@" + ("b" * 60 + ".") * 4 + "x" * 8,  # 254 characters, the most
        ],
    )
    def test_valid(self, address: str) -> None:  # Q3
        assert is_valid_email(address)

    @pytest.mark.parametrize(
        "address",
        [
            "", "plain", "@example.com", "a@", "a@@example.com", "a@b@example.com",
            ".a@example.com", "a.@example.com", "a..b@example.com", "a b@example.com",
            "a@example", "a@-example.com", "a@example-.com", "a@exa_mple.com",
            "a@example..com", "a@example.123", "é@example.com",
            "a@" + "b" * 64 + ".com", "a" * 65 + "@example.com",
            "a@" + "b." * 130 + "com", "a@b.example.123",
            "a@" + ("b" * 60 + ".") * 4 + "x" * 9,  # 255 characters
        ],
    )  # fmt: skip
    def test_invalid(self, address: str) -> None:  # Q3
        assert not is_valid_email(address)

    def test_a_100000_character_address_is_refused_in_milliseconds(self) -> None:  # Q3
        hostile = "a" * 50_000 + "@" + "a." * 25_000
        quote = make_quote(recipients=(Recipient(email=hostile),))
        start = time.perf_counter()
        decision = check_quote(quote, as_of=AS_OF)
        assert time.perf_counter() - start < 0.05
        assert decision.codes == (C.INVALID_RECIPIENT,)

    def test_long_inputs_take_linear_time(self) -> None:  # Q3
        # Inputs under the length cap, shaped to hurt a backtracking regex.
        for hostile in ("a." * 120 + "@", "a@" + "a-" * 120 + "!", "-" * 250 + "@a.b"):
            start = time.perf_counter()
            assert not is_valid_email(hostile)
            assert time.perf_counter() - start < 0.01


class TestLines:
    def test_empty_quote(self) -> None:  # Q4
        assert codes(make_quote(lines=())) == [C.QUOTE_EMPTY]

    @pytest.mark.parametrize("kind", [LineKind.RENEWAL, LineKind.CO_TERM])
    def test_line_without_subscription(self, kind: LineKind) -> None:  # Q4, Q15
        line = make_line(kind=kind, subscription=None)
        decision = check_quote(make_quote(lines=(line,)), as_of=AS_OF)
        assert decision.reasons == (
            Reason(code=C.LINE_SUBSCRIPTION_MISSING, subject="Q-1/lines[0]"),
        )

    def test_new_lines_need_no_subscription(self) -> None:  # Q4
        new = make_line(kind=LineKind.NEW, subscription=None)
        co_term = make_line(kind=LineKind.CO_TERM)
        assert check_quote(make_quote(lines=(new, co_term)), as_of=AS_OF)

    @pytest.mark.parametrize("other", [LineKind.NEW, LineKind.CO_TERM])
    def test_renewal_cannot_mix_with_new_or_co_term(
        self, other: LineKind
    ) -> None:  # Q5
        lines = (make_line(), make_line(kind=other, subscription=make_sub(id="S-2")))
        assert codes(make_quote(lines=lines)) == [C.QUOTE_MIXES_RENEWAL_WITH_NEW]
        assert codes(make_quote(lines=lines, channel=PARTNER)) == [
            C.QUOTE_MIXES_RENEWAL_WITH_NEW
        ]

    def test_same_partner_on_every_line(self) -> None:  # Q6
        one = make_line(partner_csn="7200001")
        same = make_line(subscription=make_sub(id="S-2"), partner_csn="7200001")
        other = make_line(subscription=make_sub(id="S-3"), partner_csn="7200002")
        missing = make_line(subscription=make_sub(id="S-4"))
        assert check_quote(make_quote(lines=(one, same)), as_of=AS_OF)
        assert codes(make_quote(lines=(one, other))) == [C.QUOTE_MIXED_PARTNERS]
        assert codes(make_quote(lines=(one, missing))) == [C.QUOTE_MIXED_PARTNERS]

    def test_one_customer_csn(self) -> None:  # Q7
        other = make_line(subscription=make_sub(id="S-2"), csn="5100002")
        assert codes(make_quote(lines=(make_line(), other))) == [
            C.QUOTE_MIXED_CUSTOMERS
        ]

    def test_one_currency(self) -> None:  # Q7
        usd = make_sub(id="S-2", currency="USD")
        other = make_line(subscription=usd, currency="USD")
        assert codes(make_quote(lines=(make_line(), other), channel=PARTNER)) == [
            C.QUOTE_MIXED_CURRENCIES
        ]

    def test_one_purchase_method_across_renewal_lines(self) -> None:  # Q7, B3
        direct = make_sub(id="S-2", purchase_method=PurchaseMethod.DIRECT)
        lines = (make_line(), make_line(subscription=direct))
        assert codes(make_quote(lines=lines)) == [C.QUOTE_MIXED_PURCHASE_METHODS]


class TestSelfServiceExclusions:
    """Q8-Q12 refuse self-service quotes; partner quotes are not concerned."""

    def test_currency_change(self) -> None:  # Q8
        quote = make_quote(lines=(make_line(currency="USD"),))
        decision = check_quote(quote, as_of=AS_OF)
        assert decision.reasons == (
            Reason(code=C.CURRENCY_CHANGE_NOT_SUPPORTED, subject="S-1"),
        )
        assert decision.reasons[0].remedy == "contact_partner"
        assert check_quote(
            make_quote(lines=(make_line(currency="USD"),), channel=PARTNER), as_of=AS_OF
        )

    def test_11_seats_versus_10(self) -> None:  # Q9
        sub = make_sub(quantity=10, auto_renew=False)  # no Q20 conflict
        assert check_quote(
            make_quote(lines=(make_line(subscription=sub, quantity=10),)), as_of=AS_OF
        )
        assert check_quote(
            make_quote(lines=(make_line(subscription=sub, quantity=9),)), as_of=AS_OF
        )
        more = make_quote(lines=(make_line(subscription=sub, quantity=11),))
        assert codes(more) == [C.ADDING_SEATS_NOT_SUPPORTED]
        assert check_quote(make_quote(lines=more.lines, channel=PARTNER), as_of=AS_OF)

    @pytest.mark.parametrize("offering", [Offering.SUCCESS_PLAN, Offering.VALUE_BASED])
    def test_success_plans_and_value_based(self, offering: Offering) -> None:  # Q10
        quote = make_quote(lines=(make_line(offering=offering),))
        assert codes(quote) == [C.OFFERING_NOT_SUPPORTED]
        assert check_quote(make_quote(lines=quote.lines, channel=PARTNER), as_of=AS_OF)

    def test_new_line_of_credit(self) -> None:  # Q11
        decision = check_quote(make_quote(new_credit_line=True), as_of=AS_OF)
        assert decision.reasons == (
            Reason(code=C.CREDIT_LINE_NOT_SUPPORTED, subject="Q-1"),
        )
        assert check_quote(
            make_quote(new_credit_line=True, channel=PARTNER), as_of=AS_OF
        )

    def test_start_date_today_versus_tomorrow(self) -> None:  # Q12
        today = make_quote(lines=(make_line(start_date=AS_OF),))
        tomorrow = make_quote(lines=(make_line(start_date=AS_OF + timedelta(days=1)),))
        assert check_quote(today, as_of=AS_OF)
        assert codes(tomorrow) == [C.FUTURE_START_DATE_NOT_SUPPORTED]
        assert check_quote(
            make_quote(lines=tomorrow.lines, channel=PARTNER), as_of=AS_OF
        )

    def test_exclusions_on_a_new_line_name_the_line(self) -> None:  # Q10, Q12
        line = make_line(
            kind=LineKind.NEW,
            subscription=None,
            offering=Offering.VALUE_BASED,
            start_date=AS_OF + timedelta(days=3),
        )
        decision = check_quote(make_quote(lines=(line,)), as_of=AS_OF)
        assert [(r.code, r.subject) for r in decision.reasons] == [
            (C.OFFERING_NOT_SUPPORTED, "Q-1/lines[0]"),
            (C.FUTURE_START_DATE_NOT_SUPPORTED, "Q-1/lines[0]"),
        ]


class TestRenewalLines:
    @pytest.mark.parametrize("channel", [SELF, PARTNER])
    def test_trial_subscription(self, channel: QuoteChannel) -> None:  # Q15, E1
        trial = make_sub(id="S-T", kind=SubscriptionKind.TRIAL)
        decision = check_quote(
            make_quote(channel=channel, lines=(make_line(subscription=trial),)),
            as_of=AS_OF,
        )
        assert decision.reasons == (Reason(code=C.TRIAL_NOT_RENEWABLE, subject="S-T"),)

    def test_expired_subscription(self) -> None:  # Q15, E2
        quote = make_quote(lines=(make_line(),), expires_on=None)
        expired = check_quote(quote, as_of=TERM_END)
        assert expired.reasons == (Reason(code=C.SUBSCRIPTION_EXPIRED, subject="S-1"),)
        assert check_quote(quote, as_of=TERM_END - timedelta(days=1))

    def test_outside_the_window(self) -> None:  # Q15, M1
        quote = make_quote(created_on=TERM_END - timedelta(days=100), expires_on=None)
        decision = check_quote(quote, as_of=TERM_END - timedelta(days=91))
        assert decision.reasons == (
            Reason(
                code=C.OUTSIDE_RENEWAL_WINDOW,
                subject="S-1",
                params={"opens_on": TERM_END - timedelta(days=90)},
            ),
        )
        assert check_quote(quote, as_of=TERM_END - timedelta(days=90))

    def test_every_reason_in_one_pass(self) -> None:  # Q1-Q17
        trial = make_sub(
            id="S-T", kind=SubscriptionKind.TRIAL, currency="USD", auto_renew=False
        )
        quote = make_quote(
            lines=(
                make_line(subscription=trial, currency="EUR", quantity=2),
                make_line(kind=LineKind.NEW, subscription=None, csn="5100009"),
            ),
            recipients=(*recipients(4), Recipient(email="bad")),
            new_credit_line=True,
            expires_on=AS_OF,
        )
        decision = check_quote(quote, as_of=AS_OF + timedelta(days=1))
        assert [(r.code, r.subject) for r in decision.reasons] == [
            (C.QUOTE_EXPIRED, "Q-1"),
            (C.TOO_MANY_RECIPIENTS, "Q-1"),
            (C.INVALID_RECIPIENT, "Q-1"),
            (C.QUOTE_MIXES_RENEWAL_WITH_NEW, "Q-1"),
            (C.QUOTE_MIXED_CUSTOMERS, "Q-1"),
            (C.CREDIT_LINE_NOT_SUPPORTED, "Q-1"),
            (C.CURRENCY_CHANGE_NOT_SUPPORTED, "S-T"),
            (C.ADDING_SEATS_NOT_SUPPORTED, "S-T"),
            (C.TRIAL_NOT_RENEWABLE, "S-T"),
        ]

    def test_quote_level_reasons_name_the_quote(self) -> None:  # Q4-Q7, Q17
        lines = (
            make_line(partner_csn="72"),
            make_line(
                subscription=make_sub(id="S-2", purchase_method=PurchaseMethod.DIRECT)
            ),
            make_line(kind=LineKind.NEW, subscription=None, csn="52", currency="USD"),
        )
        empty = check_quote(make_quote(lines=()), as_of=AS_OF)
        mixed = check_quote(make_quote(channel=PARTNER, lines=lines), as_of=AS_OF)
        assert [(r.code, r.subject) for r in empty.reasons] == [(C.QUOTE_EMPTY, "Q-1")]
        assert [(r.code, r.subject) for r in mixed.reasons] == [
            (C.QUOTE_MIXES_RENEWAL_WITH_NEW, "Q-1"),
            (C.QUOTE_MIXED_CUSTOMERS, "Q-1"),
            (C.QUOTE_MIXED_CURRENCIES, "Q-1"),
            (C.QUOTE_MIXED_PARTNERS, "Q-1"),
            (C.QUOTE_MIXED_PURCHASE_METHODS, "Q-1"),
        ]


class TestExpiry:
    def test_valid_through_expires_on(self) -> None:  # Q17
        quote = make_quote(expires_on=AS_OF + timedelta(days=5))
        assert check_quote(quote, as_of=AS_OF + timedelta(days=5))
        decision = check_quote(quote, as_of=AS_OF + timedelta(days=6))
        assert decision.reasons == (Reason(code=C.QUOTE_EXPIRED, subject="Q-1"),)
        assert decision.reasons[0].remedy == "create_new_quote"

    def test_expires_on_today_versus_yesterday(self) -> None:  # Q17
        assert check_quote(make_quote(expires_on=AS_OF), as_of=AS_OF)
        yesterday = make_quote(
            created_on=AS_OF - timedelta(days=3), expires_on=AS_OF - timedelta(days=1)
        )
        assert codes(yesterday) == [C.QUOTE_EXPIRED]

    def test_expiring_before_creation_is_bad_input(self) -> None:  # Q17
        with pytest.raises(InvalidInputError, match="expires_on"):
            make_quote(expires_on=AS_OF - timedelta(days=1))
        assert make_quote(expires_on=AS_OF).expires_on == AS_OF


class TestChanges:
    @pytest.mark.parametrize("change", list(QuoteChange))
    @pytest.mark.parametrize("channel", [SELF, PARTNER])
    def test_a_draft_may_change(
        self, change: QuoteChange, channel: QuoteChannel
    ) -> None:  # Q13, Q14
        assert check_quote_change(make_quote(channel=channel), change, as_of=AS_OF)

    @pytest.mark.parametrize(
        "status", [QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteStatus.CANCELLED]
    )
    @pytest.mark.parametrize("channel", [SELF, PARTNER])
    def test_address_locked_after_sending(
        self, status: QuoteStatus, channel: QuoteChannel
    ) -> None:  # Q13
        decision = check_quote_change(
            make_quote(status=status, channel=channel),
            QuoteChange.UPDATE_ADDRESS,
            as_of=AS_OF,
        )
        assert decision.reasons == (
            Reason(code=C.ADDRESS_LOCKED_AFTER_SENDING, subject="Q-1"),
        )
        assert decision.reasons[0].remedy == "create_new_quote"

    @pytest.mark.parametrize(
        "status", [QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteStatus.CANCELLED]
    )
    @pytest.mark.parametrize("channel", [SELF, PARTNER])
    def test_cancellation_after_sending(
        self, status: QuoteStatus, channel: QuoteChannel
    ) -> None:  # Q14
        decision = check_quote_change(
            make_quote(status=status, channel=channel), QuoteChange.CANCEL, as_of=AS_OF
        )
        assert decision.reasons == (
            Reason(code=C.CANCELLATION_NOT_SELF_SERVICE, subject="Q-1"),
        )
        assert decision.reasons[0].remedy == "contact_partner"

    def test_change_must_be_a_member(self) -> None:
        with pytest.raises(InvalidTypeError, match="change"):
            check_quote_change(make_quote(), "cancel", as_of=AS_OF)  # type: ignore[arg-type]


class TestPromotions:
    def promo(self, **fields: object) -> Promotion:
        values: dict[str, object] = {
            "code": "SPRING",
            "starts_on": AS_OF - timedelta(days=10),
            "ends_on": AS_OF + timedelta(days=10),
        }
        values.update(fields)
        return Promotion(**values)  # type: ignore[arg-type]

    def test_dates_are_inclusive(self) -> None:  # Q16
        quote = make_quote()
        first_day = self.promo(starts_on=AS_OF)
        last_day = self.promo(ends_on=AS_OF)
        assert applicable_promotions(quote, [first_day, last_day], as_of=AS_OF) == (
            first_day,
            last_day,
        )
        assert (
            applicable_promotions(quote, [first_day], as_of=AS_OF - timedelta(days=1))
            == ()
        )
        assert (
            applicable_promotions(quote, [last_day], as_of=AS_OF + timedelta(days=1))
            == ()
        )

    def test_markets(self) -> None:  # Q16
        quote = make_quote()
        assert applicable_promotions(
            quote, [self.promo(markets={"FR", "DE"})], as_of=AS_OF
        )
        assert (
            applicable_promotions(quote, [self.promo(markets={"DE"})], as_of=AS_OF)
            == ()
        )

    def test_a_line_must_match_products_terms_and_kinds(self) -> None:  # Q16
        quote = make_quote(
            channel=PARTNER,
            lines=(
                make_line(),
                make_line(
                    subscription=make_sub(id="S-2"), product="RVT", term=Term.MONTHLY
                ),
            ),
        )
        match_second = self.promo(
            products={"RVT"}, terms={Term.MONTHLY}, line_kinds={LineKind.RENEWAL}
        )
        # Product of one line and term of the other: no single line matches.
        crossed = self.promo(products={"RVT"}, terms={Term.ANNUAL})
        new_only = self.promo(line_kinds={LineKind.NEW})
        assert applicable_promotions(
            quote, [crossed, match_second, new_only], as_of=AS_OF
        ) == (match_second,)

    def test_a_filtered_promotion_does_not_stop_the_next(self) -> None:  # Q16
        over = self.promo(code="OVER", ends_on=AS_OF - timedelta(days=1))
        elsewhere = self.promo(code="DE", markets={"DE"})
        valid = self.promo(code="OK")
        assert applicable_promotions(make_quote(), [over, valid], as_of=AS_OF) == (
            valid,
        )
        assert applicable_promotions(make_quote(), [elsewhere, valid], as_of=AS_OF) == (
            valid,
        )

    def test_order_is_kept_and_empty_quotes_match_nothing(self) -> None:  # Q16
        promos = [self.promo(code=f"P{n}") for n in range(3)]
        assert applicable_promotions(
            make_quote(), reversed(promos), as_of=AS_OF
        ) == tuple(reversed(promos))
        assert applicable_promotions(make_quote(lines=()), promos, as_of=AS_OF) == ()

    def test_bad_promotions(self) -> None:  # Q16
        with pytest.raises(InvalidInputError, match="ends_on"):
            self.promo(ends_on=AS_OF - timedelta(days=11))
        with pytest.raises(InvalidTypeError, match="terms"):
            self.promo(terms={"annual"})
        with pytest.raises(InvalidTypeError, match=r"promotions\[0\]"):
            applicable_promotions(make_quote(), ["SPRING"], as_of=AS_OF)  # type: ignore[list-item]


class TestQuoteModel:
    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda: make_quote(channel="self_service"), "channel"),
            (lambda: make_quote(created_on=datetime(2027, 3, 1)), "created_on"),
            (lambda: make_quote(lines=[make_line(), "line"]), "lines"),
            (lambda: make_quote(recipients="a@example.com"), "recipients"),
            (lambda: make_quote(market="fra"), "market"),
            (lambda: make_quote(new_credit_line=None), "new_credit_line"),
            (lambda: make_line(quantity=0), "quantity"),
            (lambda: make_line(kind="renewal"), "kind"),
            (lambda: make_line(offering="standard"), "offering"),
            (lambda: make_line(csn="C-1"), "csn"),
            (lambda: make_line(start_date=datetime(2027, 3, 1)), "start_date"),
            (lambda: make_line(subscription="S-1"), "subscription"),
            (lambda: Recipient(email=None), "email"),  # type: ignore[arg-type]
            (
                lambda: Recipient(
                    email="a@example.com",
                    company_contact="yes",  # type: ignore[arg-type]
                ),
                "company_contact",
            ),
        ],
    )
    def test_bad_input_is_refused(
        self, build: Callable[[], object], field: str
    ) -> None:
        with pytest.raises((InvalidInputError, InvalidTypeError)) as caught:
            build()
        assert caught.value.field == field

    def test_lines_and_recipients_are_tuples(self) -> None:
        quote = make_quote(
            lines=[make_line()], recipients=[Recipient(email="a@example.com")]
        )
        assert isinstance(quote.lines, tuple)
        assert isinstance(quote.recipients, tuple)


def test_quote_functions_check_their_arguments() -> None:
    with pytest.raises(InvalidTypeError, match="quote"):
        check_quote("Q-1", as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="quote"):
        applicable_promotions("Q-1", [], as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="as_of"):
        applicable_promotions(make_quote(), [], as_of="2027-03-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="policy"):
        check_quote(make_quote(), as_of=AS_OF, policy=None)  # type: ignore[arg-type]


def test_quote_reasons() -> None:  # Q20, Q21, Q22
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
