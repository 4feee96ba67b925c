"""Building subscriptions from rows: validated, unvalidated, and from JSON dicts.

Two ratios (issue #14): validated construction against the same construction
with attrs' validators switched off (target at most 3), and
``serde.from_dict`` against validated construction from the same JSON dicts
done by hand (ISO dates parsed, enums looked up; target at most 2).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from renewal_rules import (
    PaymentKind,
    PaymentMethod,
    PurchaseMethod,
    Subscription,
    SubscriptionKind,
    Term,
)
from renewal_rules.serde import from_dict, to_dict


def json_rows(subs: list[Subscription]) -> list[dict[str, Any]]:
    """The JSON dicts of ``subs`` (serde's shape)."""
    return [to_dict(sub) for sub in subs]


def field_rows(subs: list[Subscription]) -> list[dict[str, Any]]:
    """Rows of Python values (dates, enums), the payment method as a dict."""
    rows = []
    for sub in subs:
        row = {
            field.name: getattr(sub, field.name) for field in attrs.fields(Subscription)
        }
        pm = sub.payment_method
        row["payment_method"] = None if pm is None else {
            "kind": pm.kind, "expires_on": pm.expires_on, "valid": pm.valid
        }  # fmt: skip
        rows.append(row)
    return rows


def construct(rows: list[dict[str, Any]]) -> list[Subscription]:
    out = []
    for row in rows:
        pm = row["payment_method"]
        out.append(
            Subscription(
                **{**row, "payment_method": None if pm is None else PaymentMethod(**pm)}
            )
        )
    return out


def construct_unvalidated(rows: list[dict[str, Any]]) -> list[Subscription]:
    with attrs.validators.disabled():
        return construct(rows)


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def by_hand(rows: list[dict[str, Any]]) -> list[Subscription]:
    """Validated construction from JSON dicts, converting each field by hand."""
    out = []
    for row in rows:
        pm = row["payment_method"]
        pending = row["pending_term"]
        out.append(
            Subscription(
                id=row["id"],
                csn=row["csn"],
                product=row["product"],
                term=Term(row["term"]),
                term_start=date.fromisoformat(row["term_start"]),
                term_end=date.fromisoformat(row["term_end"]),
                currency=row["currency"],
                purchase_method=PurchaseMethod(row["purchase_method"]),
                market=row["market"],
                quantity=row["quantity"],
                kind=SubscriptionKind(row["kind"]),
                payment_method=None
                if pm is None
                else PaymentMethod(
                    kind=PaymentKind(pm["kind"]),
                    expires_on=_date(pm["expires_on"]),
                    valid=pm["valid"],
                ),
                auto_renew=row["auto_renew"],
                partner_csn=row["partner_csn"],
                pending_term=None if pending is None else Term(pending),
                anchor_day=row["anchor_day"],
                pending_quantity=row["pending_quantity"],
            )
        )
    return out


def parse(rows: list[dict[str, Any]]) -> list[Subscription]:
    return [from_dict(Subscription, row) for row in rows]
