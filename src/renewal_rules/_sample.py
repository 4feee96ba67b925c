"""The built-in sample portfolio shown by ``python -m renewal_rules`` (private).

It exercises each single-subscription rule around
[`SAMPLE_AS_OF`][renewal_rules.sample.SAMPLE_AS_OF].
"""

from __future__ import annotations

from datetime import date

from renewal_rules._dates import add_months_anchored
from renewal_rules.model import (
    PaymentKind,
    PaymentMethod,
    PurchaseMethod,
    Subscription,
    SubscriptionKind,
    Term,
)
from renewal_rules.policy import Capability, Market, RenewalPolicy

SAMPLE_AS_OF = date(2027, 3, 1)
"""The default ``--as-of`` of the command line, so its output is reproducible."""

SAMPLE_POLICY = RenewalPolicy(
    markets=(
        # A market where subscriptions renew only by hand (A4).
        Market(
            code="CN",
            capabilities={
                Capability.MANUAL_RENEWAL,
                Capability.BATCH_MANUAL_RENEWAL,
                Capability.PARTNER_QUOTE,
            },
        ),
    ),
)
"""Every market offers every path, except ``CN``: no automatic renewal."""

_CARD = PaymentMethod(kind=PaymentKind.CARD, expires_on=date(2029, 12, 31))


def _sub(
    id: str,
    term_end: date,
    term: Term = Term.ANNUAL,
    anchor_day: int | None = None,
    **fields: object,
) -> Subscription:
    anchor = term_end.day if anchor_day is None else anchor_day
    defaults: dict[str, object] = {
        "id": id,
        "csn": "5100001",
        "product": "ACDLT",
        "term": term,
        "term_start": add_months_anchored(term_end, -term.months, anchor_day=anchor),
        "anchor_day": anchor,
        "term_end": term_end,
        "currency": "EUR",
        "purchase_method": PurchaseMethod.ONLINE,
        "market": "FR",
    }
    defaults.update(fields)
    return Subscription(**defaults)  # type: ignore[arg-type]


SAMPLE_PORTFOLIO: tuple[Subscription, ...] = (
    _sub("S-HEALTHY", date(2027, 9, 30), auto_renew=True, payment_method=_CARD),
    _sub(
        "S-TRIAL",
        date(2027, 3, 15),
        term=Term.MONTHLY,
        kind=SubscriptionKind.TRIAL,
    ),
    _sub("S-EXPIRED", date(2027, 2, 15), auto_renew=True, payment_method=_CARD),
    _sub(
        "S-ALIPAY",
        date(2027, 4, 30),
        auto_renew=True,
        currency="CNY",
        market="HK",
        payment_method=PaymentMethod(kind=PaymentKind.ALIPAY),
    ),
    _sub(
        "S-CARD-EXPIRING",
        date(2027, 5, 31),
        auto_renew=True,
        payment_method=PaymentMethod(
            kind=PaymentKind.CARD, expires_on=date(2027, 5, 30)
        ),
    ),
    _sub(
        "S-NO-AUTO-MARKET",
        date(2027, 4, 20),
        auto_renew=True,
        currency="CNY",
        market="CN",
        payment_method=_CARD,
    ),
    _sub("S-AUTO-OFF", date(2027, 4, 10), payment_method=_CARD),
    _sub(
        "S-NO-PAYMENT",
        date(2027, 3, 31),
        term=Term.MONTHLY,
        auto_renew=True,
        anchor_day=31,
    ),
    _sub(
        "S-DEBIT-INVALID",
        date(2027, 8, 15),
        term=Term.THREE_YEAR,
        auto_renew=True,
        purchase_method=PurchaseMethod.PARTNER,
        partner_csn="7200001",
        payment_method=PaymentMethod(kind=PaymentKind.DIRECT_DEBIT, valid=False),
    ),
)
"""Nine subscriptions, one per situation the single-subscription rules name."""
