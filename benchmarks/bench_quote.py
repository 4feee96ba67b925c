"""check_quote on quotes of 100 renewal lines against plain loops (same run)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import attrs

from renewal_rules import (
    DEFAULT_POLICY,
    Capability,
    Decision,
    LineKind,
    Offering,
    PurchaseMethod,
    Quote,
    QuoteChannel,
    QuoteLine,
    Recipient,
    Subscription,
    Term,
    check_quote,
)
from renewal_rules._email import is_valid_email

AS_OF = date(2027, 3, 1)
SELF_SERVICE = QuoteChannel.SELF_SERVICE


def generate_quotes(count: int, *, seed: int = 7) -> list[Quote]:
    """``count`` self-service quotes of 100 renewal lines each.

    Like quotes made from one plan group: 100 groups of 100 paid subscriptions
    (one CSN, currency and purchase method each) inside their window; each
    quote renews one group. One quote in 50 adds a seat to one line (Q9), one
    in 50 renews a subscription outside its window (Q15). Lines and
    subscriptions are immutable, so quotes of one group share them.
    """
    rng = random.Random(seed)
    groups: list[tuple[QuoteLine, ...]] = []
    for group in range(100):
        subs = [
            Subscription(
                id=f"S-{group:03d}-{n:03d}",
                csn=str(5_000_000 + group),
                product="ACDLT",
                term=Term.ANNUAL,
                term_start=end - timedelta(days=365),
                term_end=end,
                currency=("EUR", "USD", "JPY")[group % 3],
                purchase_method=PurchaseMethod.ONLINE,
                market="FR",
            )
            for n in range(100)
            for end in [AS_OF + timedelta(days=rng.randint(1, 90))]
        ]
        groups.append(tuple(_line(sub) for sub in subs))
    late = Subscription(
        id="S-LATE",
        csn="5000000",
        product="ACDLT",
        term=Term.ANNUAL,
        term_start=AS_OF,
        term_end=AS_OF + timedelta(days=365),
        currency="EUR",
        purchase_method=PurchaseMethod.ONLINE,
        market="FR",
    )
    quotes = []
    for n in range(count):
        lines = list(groups[n % 100])
        roll = rng.random()
        if roll < 0.02:
            lines[7] = attrs.evolve(lines[7], quantity=lines[7].quantity + 1)
        elif roll < 0.04 and n % 100 == 0:
            lines[9] = _line(late)
        quotes.append(
            Quote(
                id=f"Q-{n}",
                channel=SELF_SERVICE,
                market="FR",
                lines=lines,
                created_on=AS_OF,
                recipients=[Recipient(email=f"buyer{n % 100}@example.com")],
                expires_on=AS_OF + timedelta(days=30),
            )
        )
    return quotes


def _line(sub: Subscription) -> QuoteLine:
    return QuoteLine(
        kind=LineKind.RENEWAL,
        product=sub.product,
        quantity=sub.quantity,
        term=sub.term,
        currency=sub.currency,
        csn=sub.csn,
        subscription=sub,
    )


def baseline(quotes: list[Quote], as_of: date) -> list[list[str]]:
    """The same checks as plain loops returning code strings."""
    capabilities = DEFAULT_POLICY.capabilities
    window = timedelta(days=90)
    results = []
    for quote in quotes:
        codes: list[str] = []
        if Capability.SELF_SERVICE_QUOTE not in capabilities(quote.market):
            codes.append("capability_unavailable")
        if quote.expires_on is not None and as_of > quote.expires_on:
            codes.append("quote_expired")
        lines = quote.lines
        if not lines:
            codes.append("quote_empty")
        if len(quote.recipients) > 4:
            codes.append("too_many_recipients")
        seen = set()
        for recipient in quote.recipients:
            if not is_valid_email(recipient.email):
                codes.append("invalid_recipient")
            folded = recipient.email.casefold()
            if folded in seen:
                codes.append("duplicate_recipient")
            seen.add(folded)
        kinds = {line.kind for line in lines}
        if "renewal" in kinds and len(kinds) > 1:
            codes.append("quote_mixes_renewal_with_new")
        if len({line.csn for line in lines}) > 1:
            codes.append("quote_mixed_customers")
        if len({line.currency for line in lines}) > 1:
            codes.append("quote_mixed_currencies")
        if len({line.partner_csn for line in lines}) > 1:
            codes.append("quote_mixed_partners")
        methods = {
            line.subscription.purchase_method
            for line in lines
            if line.kind == "renewal" and line.subscription is not None
        }
        if len(methods) > 1:
            codes.append("quote_mixed_purchase_methods")
        if quote.new_credit_line:
            codes.append("credit_line_not_supported")
        for line in lines:
            sub = line.subscription
            if sub is None:
                codes.append("line_subscription_missing")
                continue
            if line.currency != sub.currency:
                codes.append("currency_change_not_supported")
            if line.quantity > sub.quantity:
                codes.append("adding_seats_not_supported")
            if line.offering != Offering.STANDARD:
                codes.append("offering_not_supported")
            if line.start_date is not None and line.start_date > as_of:
                codes.append("future_start_date_not_supported")
            if sub.kind == "trial":
                codes.append("trial_not_renewable")
            if as_of >= sub.term_end:
                codes.append("subscription_expired")
            if as_of < sub.term_end - window:
                codes.append("outside_renewal_window")
            if sub.auto_renew and (
                line.term is not (sub.pending_term or sub.term)
                or line.quantity != sub.quantity
            ):
                codes.append("auto_renew_conflicts_with_quote")
        results.append(codes)
    return results


def library(quotes: list[Quote], as_of: date) -> list[Decision]:
    """``check_quote`` on every quote."""
    return [check_quote(quote, as_of=as_of) for quote in quotes]
