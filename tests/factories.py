"""Small builders for example tests: a healthy subscription, changed by keyword."""

from __future__ import annotations

from datetime import date
from typing import Any

from renewal_rules import (
    PaymentKind,
    PaymentMethod,
    PurchaseMethod,
    Subscription,
    Term,
)

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
