"""Renewal quotes: validity, changes after sending, promotions (Q1-Q17).

[`check_quote`][renewal_rules.check_quote] says whether a quote can be sent, with every
reason it cannot; [`check_quote_change`][renewal_rules.check_quote_change] whether an
existing quote may change; and
[`applicable_promotions`][renewal_rules.applicable_promotions] which promotions apply to
it.

Partner quotes follow Q2-Q7, Q13-Q15 and Q17; the self-service exclusions
Q8-Q12 apply to self-service quotes only.

Subjects: reasons about the whole quote have the quote's id as subject;
reasons about one line have the id of the line's subscription, or
``"<quote id>/lines[<index>]"`` for a line without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from renewal_rules import _terms
from renewal_rules import _validators as v
from renewal_rules import conditions as cond
from renewal_rules._email import is_valid_email
from renewal_rules.decisions import Decision, Reason, ReasonCode, make_reason
from renewal_rules.model import (
    LineKind,
    Offering,
    PaymentKind,
    Promotion,
    Quote,
    QuoteChange,
    QuoteChannel,
    QuoteLine,
    QuoteStatus,
    Subscription,
)
from renewal_rules.policy import (
    DEFAULT_POLICY,
    Capability,
    RenewalPolicy,
    check_amount,
    check_context,
)

__all__ = [
    "applicable_promotions",
    "auto_quote_date",
    "check_quote",
    "check_quote_change",
    "check_quote_payment",
]

C = ReasonCode

_CHANNEL_CAPABILITY = {
    QuoteChannel.PARTNER: Capability.PARTNER_QUOTE,
    QuoteChannel.SELF_SERVICE: Capability.SELF_SERVICE_QUOTE,
}
_SUBSCRIPTION_LINES = frozenset({LineKind.RENEWAL, LineKind.CO_TERM})


def _check_quote_args(quote: object, as_of: object, policy: object) -> None:
    v.require("quote", quote, Quote)
    check_context(as_of, policy)


def _recipient_reasons(quote: Quote, policy: RenewalPolicy) -> list[Reason]:
    # Q2, Q3: how many, each syntactically valid, none twice (ignoring case).
    reasons: list[Reason] = []
    recipients = quote.recipients
    if quote.channel is QuoteChannel.SELF_SERVICE:
        count, limit = len(recipients), policy.self_service_max_recipients
    else:
        count = sum(1 for r in recipients if not r.company_contact)
        limit = policy.partner_max_extra_contacts
    if count > limit:
        reasons.append(
            make_reason(
                C.TOO_MANY_RECIPIENTS, quote.id, (("count", count), ("limit", limit))
            )
        )
    seen: set[str] = set()
    for recipient in recipients:
        email = recipient.email
        if not is_valid_email(email):
            reasons.append(
                make_reason(C.INVALID_RECIPIENT, quote.id, (("email", email),))
            )
        folded = email.casefold()
        if folded in seen:
            reasons.append(
                make_reason(C.DUPLICATE_RECIPIENT, quote.id, (("email", email),))
            )
        seen.add(folded)
    return reasons


def _mixing_reasons(quote: Quote) -> list[Reason]:
    # Q5, Q6, Q7 over all lines at once.
    lines = quote.lines
    reasons: list[Reason] = []
    kinds = {line.kind for line in lines}
    if LineKind.RENEWAL in kinds and len(kinds) > 1:
        reasons.append(make_reason(C.QUOTE_MIXES_RENEWAL_WITH_NEW, quote.id))
    if len({line.csn for line in lines}) > 1:
        reasons.append(make_reason(C.QUOTE_MIXED_CUSTOMERS, quote.id))
    if len({line.currency for line in lines}) > 1:
        reasons.append(make_reason(C.QUOTE_MIXED_CURRENCIES, quote.id))
    partners = {line.partner_csn for line in lines}
    if len(partners) > 1:
        # Only reached when some line has a partner: a set of one None is fine.
        reasons.append(make_reason(C.QUOTE_MIXED_PARTNERS, quote.id))
    methods = {
        line.subscription.purchase_method
        for line in lines
        if line.kind is LineKind.RENEWAL and line.subscription is not None
    }
    if len(methods) > 1:
        reasons.append(make_reason(C.QUOTE_MIXED_PURCHASE_METHODS, quote.id))
    return reasons


def check_quote(
    quote: Quote, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Decision:
    """Say whether ``quote`` can be sent on ``as_of`` (Q1-Q15, Q17).

    Every reason is collected in one pass, in this order: the market's
    capability for the channel (Q1), expiry (Q17), an empty quote, the
    recipients (Q2, Q3), mixing (Q5-Q7), a new line of credit (Q11,
    self-service), then each line in order: a missing subscription, the
    self-service exclusions (Q8-Q10, Q12) and the renewal line's own
    subscription codes (Q15: ``trial_not_renewable``,
    ``subscription_expired``, ``outside_renewal_window``).
    """
    _check_quote_args(quote, as_of, policy)
    reasons: list[Reason] = []
    capability = _CHANNEL_CAPABILITY[quote.channel]
    if capability not in policy.capabilities(quote.market):
        reasons.append(
            make_reason(
                C.CAPABILITY_UNAVAILABLE, quote.id, (("capability", capability),)
            )
        )
    if quote.expires_on is not None and as_of > quote.expires_on:
        reasons.append(make_reason(C.QUOTE_EXPIRED, quote.id))
    if not quote.lines:
        reasons.append(make_reason(C.QUOTE_EMPTY, quote.id))
    reasons += _recipient_reasons(quote, policy)
    reasons += _mixing_reasons(quote)
    self_service = quote.channel is QuoteChannel.SELF_SERVICE
    if self_service and quote.new_credit_line:
        reasons.append(make_reason(C.CREDIT_LINE_NOT_SUPPORTED, quote.id))
    # The lines, in one tight loop: quotes reach hundreds of lines, and
    # thousands of quotes are checked at once.
    append = reasons.append
    for index, line in enumerate(quote.lines):
        kind = line.kind
        sub = line.subscription
        if sub is None:
            subject = f"{quote.id}/lines[{index}]"
            if kind in _SUBSCRIPTION_LINES:
                append(make_reason(C.LINE_SUBSCRIPTION_MISSING, subject))
        else:
            subject = sub.id
        if self_service:
            if kind is _RENEWAL and sub is not None:
                if line.currency != sub.currency:  # Q8
                    append(make_reason(C.CURRENCY_CHANGE_NOT_SUPPORTED, subject))
                if line.quantity > sub.quantity:  # Q9
                    append(make_reason(C.ADDING_SEATS_NOT_SUPPORTED, subject))
            if line.offering is not _STANDARD:  # Q10
                append(make_reason(C.OFFERING_NOT_SUPPORTED, subject))
            if line.start_date is not None and line.start_date > as_of:  # Q12
                append(make_reason(C.FUTURE_START_DATE_NOT_SUPPORTED, subject))
        if kind is _RENEWAL and sub is not None:
            failed = failures(sub, as_of, policy, _QUOTE_LINE)  # Q15, Q18
            if failed:
                reasons += cond.reasons(failed, sub, policy)
            if sub.auto_renew and (  # Q20
                line.term is not _terms.next_term(sub) or line.quantity != sub.quantity
            ):
                append(make_reason(C.AUTO_RENEW_CONFLICTS_WITH_QUOTE, subject))
    return Decision.from_reasons(reasons)


_RENEWAL = LineKind.RENEWAL
_STANDARD = Offering.STANDARD
_QUOTE_LINE = cond.QUOTE_LINE
failures = cond.failures


def check_quote_change(
    quote: Quote,
    change: QuoteChange,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Decision:
    """Say whether ``change`` may be made to ``quote`` (Q13, Q14).

    A draft may change. Once a quote is no longer a draft (sent, accepted or
    cancelled), updating its address is refused with
    ``address_locked_after_sending`` (remedy ``create_new_quote``) and
    cancelling it with ``cancellation_not_self_service`` (remedy
    ``contact_partner``), whichever the channel. ``as_of`` and ``policy`` are
    accepted for a uniform signature; no rule of the article makes them matter.
    """
    _check_quote_args(quote, as_of, policy)
    v.require("change", change, QuoteChange)
    if quote.status is QuoteStatus.DRAFT:
        return Decision.from_reasons(())
    code = (
        C.ADDRESS_LOCKED_AFTER_SENDING
        if change is QuoteChange.UPDATE_ADDRESS
        else C.CANCELLATION_NOT_SELF_SERVICE
    )
    return Decision.from_reasons([make_reason(code, quote.id)])


def _matches(promotion: Promotion, line: QuoteLine) -> bool:
    return (
        (promotion.products is None or line.product in promotion.products)
        and (promotion.terms is None or line.term in promotion.terms)
        and (promotion.line_kinds is None or line.kind in promotion.line_kinds)
    )


def applicable_promotions(
    quote: Quote, promotions: Iterable[Promotion], *, as_of: date
) -> tuple[Promotion, ...]:
    """Return the promotions that apply to ``quote`` on ``as_of`` (Q16).

    Promotions are computed, never chosen: those with
    ``starts_on <= as_of <= ends_on``, whose ``markets`` admit the quote's
    market, and that match at least one line on ``products``, ``terms`` and
    ``line_kinds`` (``None`` admits anything), in the order given. A quote
    without lines matches no promotion.
    """
    v.require("quote", quote, Quote)
    v.check_as_of(as_of)
    applicable = []
    for index, promotion in enumerate(v.items("promotions", promotions)):
        v.require(f"promotions[{index}]", promotion, Promotion)
        if not promotion.starts_on <= as_of <= promotion.ends_on:
            continue
        if promotion.markets is not None and quote.market not in promotion.markets:
            continue
        if any(_matches(promotion, line) for line in quote.lines):
            applicable.append(promotion)
    return tuple(applicable)


def auto_quote_date(
    sub: Subscription, *, policy: RenewalPolicy = DEFAULT_POLICY
) -> date | None:
    """Return the day ``sub`` gets an automatic renewal quote, or ``None`` (Q19).

    A paid subscription with auto-renew off, whose current term is in
    ``policy.auto_quote_terms`` and whose market offers a quote capability,
    gets one on ``term_end - auto_quote_days_before`` (30 days by default).
    """
    v.require("sub", sub, Subscription)
    v.require("policy", policy, RenewalPolicy)
    return auto_quote_on(sub, policy)


def auto_quote_on(sub: Subscription, policy: RenewalPolicy) -> date | None:
    """Q19 for arguments already checked (the timeline's walk)."""
    # Paid (E1 holds) with auto-renew off (A1's condition fails); the two
    # conditions read no date, so the term's end stands in for ``as_of``.
    if (
        cond.failures(sub, sub.term_end, policy, cond.AUTO_QUOTE) != _AUTO_QUOTE
        or sub.term not in policy.auto_quote_terms
        or _QUOTE_CAPABILITIES.isdisjoint(policy.capabilities(sub.market))
    ):
        return None
    return sub.term_end - timedelta(days=policy.auto_quote_days_before)


_QUOTE_CAPABILITIES = frozenset(_CHANNEL_CAPABILITY.values())
_AUTO_QUOTE = cond.A1_AUTO_RENEW_OFF.bit
_LIMITED_KINDS = frozenset({PaymentKind.CARD, PaymentKind.PAYPAL})


def check_quote_payment(
    quote: Quote,
    kind: PaymentKind,
    *,
    amount_usd: Decimal | int,
    portfolio: Iterable[Subscription] = (),
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Decision:
    """Say whether ``quote`` can be paid with a payment method of ``kind`` (Q21, Q22).

    Q21: by card or PayPal, ``amount_usd`` (the quote's amount in USD, given
    by the caller: the library converts no currency) must not be above
    ``policy.card_paypal_max_usd`` (``amount_exceeds_card_limit``).
    Q22: a self-service quote paid by invoice needs a subscription of the
    quote's customer (its lines' ``csn``) already paid by invoice in
    ``portfolio`` (``pay_by_invoice_not_established``). Reasons have the
    quote's id as subject.
    """
    v.require("quote", quote, Quote)
    v.require("kind", kind, PaymentKind)
    amount = check_amount("amount_usd", amount_usd)
    v.require("policy", policy, RenewalPolicy)
    subs = list(v.items("portfolio", portfolio))
    for index, sub in enumerate(subs):
        v.require(f"portfolio[{index}]", sub, Subscription)
    reasons: list[Reason] = []
    limit = policy.card_paypal_max_usd
    if kind in _LIMITED_KINDS and amount > limit:  # Q21
        params = (("amount", Decimal(amount)), ("limit", Decimal(limit)))
        reasons.append(make_reason(C.AMOUNT_EXCEEDS_CARD_LIMIT, quote.id, params))
    if kind is PaymentKind.INVOICE and quote.channel is QuoteChannel.SELF_SERVICE:
        customers = {line.csn for line in quote.lines}
        if not any(  # Q22
            sub.csn in customers
            and sub.payment_method is not None
            and sub.payment_method.kind is PaymentKind.INVOICE
            for sub in subs
        ):
            reasons.append(make_reason(C.PAY_BY_INVOICE_NOT_ESTABLISHED, quote.id))
    return Decision.from_reasons(reasons)
