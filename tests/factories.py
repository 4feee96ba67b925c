"""Small builders for example tests: a healthy subscription, changed by keyword."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from renewal_rules import (
    LineKind,
    PaymentKind,
    PaymentMethod,
    PurchaseMethod,
    Quote,
    QuoteChannel,
    QuoteLine,
    Recipient,
    Subscription,
    Term,
)
from renewal_rules._dates import add_months_anchored

AS_OF = date(2027, 3, 1)
TERM_END = date(2027, 5, 1)  # 61 days after AS_OF: inside the 90-day window.
CARD = PaymentMethod(kind=PaymentKind.CARD, expires_on=date(2030, 1, 31))


def make_sub(**overrides: Any) -> Subscription:
    """A paid annual subscription that renews automatically on TERM_END."""
    fields: dict[str, Any] = {
        "id": "S-1",
        "csn": "5100001",
        "product": "ACDLT",
        "term": Term.ANNUAL,
        "term_start": date(2026, 5, 1),
        "term_end": TERM_END,
        "currency": "EUR",
        "purchase_method": PurchaseMethod.ONLINE,
        "market": "FR",
        "auto_renew": True,
        "payment_method": CARD,
    }
    fields.update(overrides)
    return Subscription(**fields)


def make_line(**overrides: Any) -> QuoteLine:
    """A renewal line for ``make_sub()``: same currency, seats and CSN."""
    sub = overrides.pop("subscription", make_sub())
    fields: dict[str, Any] = {
        "kind": LineKind.RENEWAL,
        "product": sub.product if isinstance(sub, Subscription) else "ACDLT",
        "quantity": sub.quantity if isinstance(sub, Subscription) else 1,
        "term": Term.ANNUAL,
        "currency": "EUR",
        "csn": "5100001",
        "subscription": sub,
    }
    fields.update(overrides)
    return QuoteLine(**fields)


def make_quote(**overrides: Any) -> Quote:
    """A valid self-service draft renewing ``make_sub()``, made on AS_OF."""
    fields: dict[str, Any] = {
        "id": "Q-1",
        "channel": QuoteChannel.SELF_SERVICE,
        "market": "FR",
        "lines": (make_line(),),
        "created_on": AS_OF,
        "recipients": (Recipient(email="buyer@example.com"),),
        "expires_on": AS_OF + timedelta(days=30),
    }
    fields.update(overrides)
    return Quote(**fields)


_PAYMENTS = (
    None,
    PaymentMethod(kind=PaymentKind.CARD, expires_on=date(2030, 12, 31)),
    PaymentMethod(kind=PaymentKind.ALIPAY),
)


def generate(size: int, *, seed: int = 14) -> list[Subscription]:
    """``size`` subscriptions over ``size // 200`` customers, around ``AS_OF``.

    For the scale-out tests: groups of about 200 split under a small batch
    limit; a third have no payment method, some are expired.
    """
    rng = random.Random(seed)
    csns = [str(5_000_000 + n) for n in range(max(1, size // 200))]
    subs = []
    for n in range(size):
        term_end = AS_OF + timedelta(days=rng.randint(-60, 200))
        term = Term.MONTHLY if n % 7 == 0 else Term.ANNUAL
        subs.append(
            Subscription(
                id=f"S-{n:06d}",
                csn=rng.choice(csns),
                product="ACDLT",
                term=term,
                term_start=add_months_anchored(
                    term_end, -term.months, anchor_day=term_end.day
                ),
                term_end=term_end,
                currency=("EUR", "USD")[n % 2],
                purchase_method=(PurchaseMethod.ONLINE, PurchaseMethod.DIRECT)[n % 2],
                market="FR",
                payment_method=_PAYMENTS[n % 3],
                auto_renew=n % 5 == 0,
            )
        )
    return subs


_MONTHLY_CARD = PaymentMethod(kind=PaymentKind.CARD)


def monthly(id: str, end: date, **fields: object) -> Subscription:
    start = end - timedelta(days=30)
    values: dict[str, object] = {
        "id": id,
        "term": Term.MONTHLY,
        "term_start": start,
        "term_end": end,
        "payment_method": _MONTHLY_CARD,
    }
    values.update(fields)
    return make_sub(**values)
