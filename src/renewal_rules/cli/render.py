"""Rendering results as tables and JSON for the command line (private)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from renewal_rules.alignment import AlignmentPlan
from renewal_rules.batching import BatchPlan
from renewal_rules.eligibility import renewal_requirement
from renewal_rules.model import Subscription
from renewal_rules.policy import RenewalPolicy
from renewal_rules.timeline import TimelineEvent

_HEADERS: dict[str, tuple[str, ...]] = {
    "en": ("Subscription", "Market", "Term end", "Mode", "Manual window"),
    "fr": ("Abonnement", "Marché", "Échéance", "Mode", "Période manuelle"),
}
_MODES = {
    "en": {"automatic": "automatic", "manual": "manual", "none": "none"},
    "fr": {"automatic": "automatique", "manual": "manuel", "none": "aucun"},
}
_TEXT = {
    "en": {
        "title": "Sample portfolio, as of {as_of}",
        "file_title": "Renewal modes, as of {as_of}",
        "plan_title": "Plan for '{action}', as of {as_of}",
        "batch": "Batch {n}: CSN {csn}, {currency}, {method} ({size})",
        "rejected": "Rejected ({count})",
        "invalid": "Invalid records ({count})",
        "line": "line {line}",
        "summary": "{batches} batches, {planned} planned, {rejected} rejected",
    },
    "fr": {
        "title": "Portefeuille d'exemple, au {as_of}",
        "file_title": "Modes de renouvellement, au {as_of}",
        "plan_title": "Plan pour « {action} », au {as_of}",
        "batch": "Lot {n} : CSN {csn}, {currency}, {method} ({size})",
        "rejected": "Refusés ({count})",
        "invalid": "Enregistrements invalides ({count})",
        "line": "ligne {line}",
        "summary": "{batches} lots, {planned} planifiés, {rejected} refusés",
    },
}


def render_table(
    subs: Sequence[Subscription],
    *,
    as_of: date,
    policy: RenewalPolicy,
    lang: str,
    title: str = "title",
) -> str:
    """Render the renewal table of ``subs`` as text."""
    rows: list[tuple[tuple[str, ...], list[str]]] = []
    for sub in subs:
        requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
        window = requirement.window
        cells: tuple[str, ...] = (
            sub.id,
            sub.market,
            sub.term_end.isoformat(),
            _MODES[lang][requirement.mode.value],
            f"[{window.opens_on.isoformat()}, {window.closes_on.isoformat()})",
        )
        # The subject is the row's subscription: show the rest of the line.
        details = [
            f"{reason.code.value}: {reason.explain(lang).removeprefix(f'[{sub.id}] ')}"
            for reason in requirement.reasons
        ]
        rows.append((cells, details))
    headers = _HEADERS[lang]
    widths = [
        max([len(headers[i]), *(len(cells[i]) for cells, _ in rows)])
        for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out = [_TEXT[lang][title].format(as_of=as_of.isoformat()), "", line(headers)]
    out.append(line(["-" * w for w in widths]))
    for cells, details in rows:
        out.append(line(cells))
        out.extend(f"    - {detail}" for detail in details)
    return "\n".join(out) + "\n"


def render_invalid(
    invalid: list[tuple[int, list[tuple[str, str]]]], lang: str
) -> list[str]:
    """The lines listing invalid records."""
    if not invalid:
        return []
    text = _TEXT[lang]
    out = ["", text["invalid"].format(count=len(invalid))]
    for line_no, errors in invalid:
        where = text["line"].format(line=line_no)
        out.extend(f"  {where}: {path}: {message}" for path, message in errors)
    return out


def render_plan_table(
    plan: BatchPlan, action: str, as_of: date, lang: str
) -> list[str]:
    """The lines of a plan shown as a table."""
    text = _TEXT[lang]
    planned = sum(len(batch.subscriptions) for batch in plan.batches)
    out = [text["plan_title"].format(action=action, as_of=as_of.isoformat()), ""]
    for n, batch in enumerate(plan.batches, start=1):
        key = batch.key
        out.append(
            text["batch"].format(
                n=n,
                csn=key.csn,
                currency=key.currency,
                method=key.purchase_method.value,
                size=len(batch.subscriptions),
            )
        )
        out.append("  " + ", ".join(sub.id for sub in batch.subscriptions))
    if plan.rejected:
        out += ["", text["rejected"].format(count=len(plan.rejected))]
        for rejection in plan.rejected:
            out.append(f"  {rejection.subscription.id}")
            out.extend(
                f"    - {reason.code.value}: {reason.message(lang)}"
                for reason in rejection.reasons
            )
    out += [
        "",
        text["summary"].format(
            batches=len(plan.batches), planned=planned, rejected=len(plan.rejected)
        ),
    ]
    return out


def reason_json(reason: Any, lang: str) -> dict[str, Any]:
    """A reason as JSON, with its message in ``lang``."""
    from renewal_rules.serde import to_dict

    return {**to_dict(reason), "message": reason.message(lang)}


def invalid_json(invalid: list[tuple[int, list[tuple[str, str]]]]) -> list[Any]:
    """Invalid records as JSON."""
    return [
        {"line": line_no, "errors": [{"path": p, "message": m} for p, m in errors]}
        for line_no, errors in invalid
    ]


def event_json(event: TimelineEvent) -> dict[str, Any]:
    """A timeline event as JSON (the shape of :mod:`renewal_rules.serde`)."""
    from renewal_rules.serde import to_dict

    return to_dict(event)


def render_timeline(
    events: Sequence[TimelineEvent], start: date, end: date, lang: str
) -> str:
    """A timeline as a table: date, subscription, event, details."""
    title = _TIMELINE_TITLE[lang].format(start=start.isoformat(), end=end.isoformat())
    lines = [title, ""]
    for event in events:
        details = ", ".join(
            f"{name}={value.isoformat() if isinstance(value, date) else value}"
            for name, value in event.params
        )
        lines.append(
            f"{event.on.isoformat()}  {event.subject:<16}  "
            f"{event.kind.value:<21}  {details}".rstrip()
        )
    if not events:
        lines.append(_TIMELINE_EMPTY[lang])
    return "\n".join(lines) + "\n"


_TIMELINE_TITLE = {
    "en": "Timeline from {start} to {end} (no customer action)",
    "fr": "Chronologie du {start} au {end} (sans action du client)",
}
_TIMELINE_EMPTY = {"en": "(no event)", "fr": "(aucun événement)"}


def render_alignment_table(plan: AlignmentPlan, as_of: date, lang: str) -> list[str]:
    """The lines of an alignment plan shown as a table."""
    text = _ALIGN_TEXT[lang]
    out = [text["title"].format(as_of=as_of.isoformat()), ""]
    for n, group in enumerate(plan.groups, start=1):
        key = group.key
        out.append(
            text["group"].format(
                n=n,
                csn=key.csn,
                term=key.term.value,
                kind=key.payment_kind.value,
                on=group.renews_on.isoformat(),
            )
        )
        out.append("  " + ", ".join(sub.id for sub in group.subscriptions))
    if plan.rejected:
        out += ["", _TEXT[lang]["rejected"].format(count=len(plan.rejected))]
        for rejection in plan.rejected:
            out.append(f"  {rejection.subscription.id}")
            out.extend(
                f"    - {reason.code.value}: {reason.message(lang)}"
                for reason in rejection.reasons
            )
    return out


_ALIGN_TEXT = {
    "en": {
        "title": "Alignment plan, as of {as_of}",
        "group": "Group {n}: CSN {csn}, {term}, {kind}, renews on {on}",
    },
    "fr": {
        "title": "Plan d'alignement, au {as_of}",
        "group": "Groupe {n} : CSN {csn}, {term}, {kind}, renouvellement le {on}",
    },
}
