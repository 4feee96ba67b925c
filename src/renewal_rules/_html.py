"""Compact HTML tables for Jupyter (``_repr_html_``) (private).

Every value is escaped: subjects and params come from user data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - imports for annotations only
    from renewal_rules.batching import BatchPlan
    from renewal_rules.decisions import Decision, Reason, RenewalRequirement


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _reason_rows(reasons: Iterable[Reason]) -> list[tuple[object, ...]]:
    return [
        (
            reason.subject or "",
            reason.code.value,
            reason.message("en"),
            reason.remedy.value if reason.remedy else "",
        )
        for reason in reasons
    ]


_REASON_HEADERS = ("subject", "code", "message", "remedy")


def decision_html(decision: Decision) -> str:
    """Render a decision: a status line and one row per reason."""
    status = "allowed" if decision.allowed else "refused"
    table = (
        _table(_REASON_HEADERS, _reason_rows(decision.reasons))
        if decision.reasons
        else ""
    )
    return f"<div><strong>Decision: {status}</strong>{table}</div>"


def requirement_html(requirement: RenewalRequirement) -> str:
    """Render a renewal requirement: mode, window and reasons."""
    window = requirement.window
    summary = (
        f"<strong>Renewal mode: {escape(requirement.mode.value)}</strong> "
        f"(manual window [{window.opens_on.isoformat()}, "
        f"{window.closes_on.isoformat()}))"
    )
    rows = _reason_rows(requirement.reasons)
    table = _table(_REASON_HEADERS, rows) if rows else ""
    return f"<div>{summary}{table}</div>"


def plan_html(plan: BatchPlan) -> str:
    """Render a plan: one row per batch, then one per rejection."""
    batches = _table(
        ("batch", "csn", "currency", "purchase method", "size", "subscriptions"),
        (
            (
                n,
                batch.key.csn,
                batch.key.currency,
                batch.key.purchase_method.value,
                len(batch.subscriptions),
                ", ".join(sub.id for sub in batch.subscriptions),
            )
            for n, batch in enumerate(plan.batches, start=1)
        ),
    )
    rejected = _table(
        ("subscription", "codes"),
        (
            (r.subscription.id, ", ".join(reason.code.value for reason in r.reasons))
            for r in plan.rejected
        ),
    )
    return (
        f"<div><strong>Batch plan: {len(plan.batches)} batches, "
        f"{len(plan.rejected)} rejected</strong>{batches}{rejected}</div>"
    )
