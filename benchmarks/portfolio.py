"""A deterministic generated portfolio for the benchmarks."""

from __future__ import annotations

import random
from datetime import date, timedelta

from renewal_rules import (
    PaymentKind,
    PaymentMethod,
    PurchaseMethod,
    Subscription,
    SubscriptionKind,
    Term,
)
from renewal_rules._dates import add_months_anchored

AS_OF = date(2027, 3, 1)
PAID, TRIAL = SubscriptionKind.PAID, SubscriptionKind.TRIAL
CURRENCIES = ("EUR", "USD", "JPY")
METHODS = tuple(PurchaseMethod)
PAYMENTS = (
    None,
    PaymentMethod(kind=PaymentKind.CARD, expires_on=date(2030, 12, 31)),
    PaymentMethod(kind=PaymentKind.CARD, expires_on=date(2027, 4, 1)),
    PaymentMethod(kind=PaymentKind.PAYPAL),
    PaymentMethod(kind=PaymentKind.ALIPAY),
    PaymentMethod(kind=PaymentKind.DIRECT_DEBIT, valid=False),
)


def generate(size: int, *, seed: int = 20261126) -> list[Subscription]:
    """``size`` subscriptions over ``size // 50`` CSNs, around ``AS_OF``.

    About 40% are inside their 90-day window, 40% far from renewal, 15%
    expired, and 5% trials.
    """
    rng = random.Random(seed)
    csns = [str(5_000_000 + n) for n in range(max(1, size // 50))]
    subs = []
    for n in range(size):
        roll = rng.random()
        if roll < 0.4:
            offset = rng.randint(1, 90)
        elif roll < 0.8:
            offset = rng.randint(91, 700)
        else:
            offset = rng.randint(-300, 0)
        term_end = AS_OF + timedelta(days=offset)
        term = Term.MONTHLY if n % 7 == 0 else Term.ANNUAL
        method = METHODS[n % 3]
        subs.append(
            Subscription(
                id=f"S-{n:08d}",
                csn=rng.choice(csns),
                product="ACDLT",
                term=term,
                term_start=add_months_anchored(
                    term_end, -term.months, anchor_day=term_end.day
                ),
                term_end=term_end,
                currency=CURRENCIES[n % 3 if n % 11 else 0],
                purchase_method=method,
                market="FR",
                kind=SubscriptionKind.TRIAL
                if rng.random() < 0.05
                else SubscriptionKind.PAID,
                # Not n % 6: every purchase method meets every payment method.
                payment_method=PAYMENTS[(n // 3) % len(PAYMENTS)],
                auto_renew=bool(n % 2),
                partner_csn="7200001" if method is PurchaseMethod.PARTNER else None,
            )
        )
    return subs
