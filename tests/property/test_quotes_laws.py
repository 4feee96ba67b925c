"""Laws of check_quote, check_quote_change and applicable_promotions (Q1-Q17)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    BatchAction,
    LineKind,
    Offering,
    Promotion,
    Quote,
    QuoteChange,
    QuoteChannel,
    QuoteLine,
    QuoteStatus,
    ReasonCode,
    Recipient,
    RenewalPolicy,
    Subscription,
    applicable_promotions,
    check_quote,
    check_quote_change,
    plan_batches,
)
from renewal_rules.strategies import (
    dates,
    policies,
    portfolios,
    promotions,
    quotes,
)

C = ReasonCode
AS_OF = date(2027, 3, 1)
MIXING = {
    C.QUOTE_MIXES_RENEWAL_WITH_NEW,
    C.QUOTE_MIXED_CUSTOMERS,
    C.QUOTE_MIXED_CURRENCIES,
    C.QUOTE_MIXED_PARTNERS,
    C.QUOTE_MIXED_PURCHASE_METHODS,
}


def renewal_line(sub: Subscription) -> QuoteLine:
    return QuoteLine(
        kind=LineKind.RENEWAL,
        product=sub.product,
        quantity=sub.quantity,
        term=sub.pending_term or sub.term,  # Q20: unchanged
        currency=sub.currency,
        csn=sub.csn,
        subscription=sub,
    )


@st.composite
def group_quotes(draw: st.DrawFn) -> Quote:
    """A quote of renewal lines for one planned QUOTE batch, sendable on AS_OF."""
    subs = draw(portfolios(as_of=AS_OF, min_size=1, max_size=25))
    # Q20: auto-renew is turned off before quoting, so that changed lines
    # (the mutations below) give their own code only.
    subs = tuple(attrs.evolve(sub, auto_renew=False) for sub in subs)
    plan = plan_batches(subs, action=BatchAction.QUOTE, as_of=AS_OF)
    batch = draw(st.sampled_from(plan.batches)) if plan.batches else None
    members = batch.subscriptions if batch else ()
    channel = draw(st.sampled_from(QuoteChannel))
    count = draw(st.integers(0, 3))
    return Quote(
        id="Q-1",
        channel=channel,
        market="FR",
        lines=[renewal_line(sub) for sub in members[:10]],
        created_on=AS_OF,
        recipients=[Recipient(email=f"r{n}@example.com") for n in range(count)],
        expires_on=AS_OF + timedelta(days=draw(st.integers(0, 30))),
    )


class TestGroupQuotes:
    """A quote made from one plan group is never refused for mixing."""

    @given(group_quotes())
    def test_group_quote_is_sendable(self, quote: Quote) -> None:
        decision = check_quote(quote, as_of=AS_OF)
        assert not MIXING & set(decision.codes)
        if quote.lines:
            assert decision.allowed, decision.explain()
        else:
            assert decision.codes == (C.QUOTE_EMPTY,)


def _on_line(quote: Quote, index: int, **changes: Any) -> Quote:
    lines = list(quote.lines)
    lines[index % len(lines)] = attrs.evolve(lines[index % len(lines)], **changes)
    return attrs.evolve(quote, lines=lines)


Mutation = Callable[[Quote, int], Quote]
# Each mutation of a sendable self-service quote and the one code it adds.
MUTATIONS: dict[str, tuple[Mutation, ReasonCode]] = {
    "credit line": (
        lambda q, i: attrs.evolve(q, new_credit_line=True),
        C.CREDIT_LINE_NOT_SUPPORTED,
    ),
    "expired": (
        lambda q, i: attrs.evolve(
            q,
            created_on=AS_OF - timedelta(days=i + 1),
            expires_on=AS_OF - timedelta(days=1),
        ),
        C.QUOTE_EXPIRED,
    ),
    "too many recipients": (
        lambda q, i: attrs.evolve(
            q, recipients=[Recipient(email=f"x{n}@example.com") for n in range(5 + i)]
        ),
        C.TOO_MANY_RECIPIENTS,
    ),
    "invalid recipient": (
        lambda q, i: attrs.evolve(q, recipients=[Recipient(email=f"no-at-sign-{i}")]),
        C.INVALID_RECIPIENT,
    ),
    "duplicate recipient": (
        lambda q, i: attrs.evolve(
            q,
            recipients=[
                Recipient(email="a@example.com"),
                Recipient(email="A@example.com"),
            ],
        ),
        C.DUPLICATE_RECIPIENT,
    ),
    "added seats": (
        lambda q, i: _on_line(q, i, quantity=q.lines[i % len(q.lines)].quantity + 1),
        C.ADDING_SEATS_NOT_SUPPORTED,
    ),
    "success plan": (
        lambda q, i: _on_line(q, i, offering=Offering.SUCCESS_PLAN),
        C.OFFERING_NOT_SUPPORTED,
    ),
    "future start": (
        lambda q, i: _on_line(q, i, start_date=AS_OF + timedelta(days=1 + i)),
        C.FUTURE_START_DATE_NOT_SUPPORTED,
    ),
    "new line": (
        lambda q, i: attrs.evolve(
            q,
            lines=[
                *q.lines,
                attrs.evolve(q.lines[0], kind=LineKind.NEW, subscription=None),
            ],
        ),
        C.QUOTE_MIXES_RENEWAL_WITH_NEW,
    ),
}


class TestOneChangeOneReason:
    """Adding one reason-causing change to a sendable quote adds exactly its code."""

    @given(group_quotes(), st.sampled_from(sorted(MUTATIONS)), st.integers(0, 20))
    def test_mutation(self, quote: Quote, name: str, index: int) -> None:
        if not quote.lines:
            return
        quote = attrs.evolve(quote, channel=QuoteChannel.SELF_SERVICE)
        assert check_quote(quote, as_of=AS_OF)
        mutate, code = MUTATIONS[name]
        assert check_quote(mutate(quote, index), as_of=AS_OF).codes == (code,)

    @given(group_quotes(), st.integers(0, 20))
    def test_partner_quotes_ignore_the_self_service_exclusions(
        self, quote: Quote, index: int
    ) -> None:
        if not quote.lines:
            return
        quote = attrs.evolve(quote, channel=QuoteChannel.PARTNER)
        for name in ("credit line", "added seats", "success plan", "future start"):
            mutate, _ = MUTATIONS[name]
            assert check_quote(mutate(quote, index), as_of=AS_OF)


known_market_policies = policies()  # every market code resolves


class TestTotality:
    """check_quote answers every valid quote, deterministically."""

    @given(quotes(), dates(), known_market_policies)
    def test_never_raises_and_is_deterministic(
        self, quote: Quote, as_of: date, policy: RenewalPolicy
    ) -> None:
        first = check_quote(quote, as_of=as_of, policy=policy)
        assert first == check_quote(quote, as_of=as_of, policy=policy)
        assert first.allowed is (not first.reasons)
        for change in QuoteChange:
            decision = check_quote_change(quote, change, as_of=as_of, policy=policy)
            assert decision.allowed is (quote.status is QuoteStatus.DRAFT)

    @given(quotes(), dates())
    def test_partner_quotes_never_get_self_service_codes(
        self, quote: Quote, as_of: date
    ) -> None:
        partner = attrs.evolve(quote, channel=QuoteChannel.PARTNER)
        codes = set(check_quote(partner, as_of=as_of).codes)
        assert not codes & {
            C.CURRENCY_CHANGE_NOT_SUPPORTED,
            C.ADDING_SEATS_NOT_SUPPORTED,
            C.OFFERING_NOT_SUPPORTED,
            C.CREDIT_LINE_NOT_SUPPORTED,
            C.FUTURE_START_DATE_NOT_SUPPORTED,
        }


class TestPromotions:
    """Q16: a filter of the given promotions, in their order."""

    @given(quotes(), st.lists(promotions(), max_size=6), dates())
    def test_filter_in_order(
        self, quote: Quote, promos: list[Promotion], as_of: date
    ) -> None:
        result = applicable_promotions(quote, promos, as_of=as_of)
        remaining = iter(promos)
        assert all(any(p is q for q in remaining) for p in result)  # a subsequence
        for promo in result:
            assert promo.starts_on <= as_of <= promo.ends_on
            assert promo.markets is None or quote.market in promo.markets
        for promo in promos:
            unfiltered = (promo.markets, promo.products, promo.terms, promo.line_kinds)
            if unfiltered == (None,) * 4 and promo.starts_on <= as_of <= promo.ends_on:
                # Applies exactly when the quote has a line.
                assert (promo in result) is bool(quote.lines)
