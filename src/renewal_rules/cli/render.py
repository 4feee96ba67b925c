"""Rendering results as tables and JSON for the command line (private)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from renewal_rules.alignment import AlignmentGroup
from renewal_rules.batching import Batch, Rejection
from renewal_rules.catalog import Remedy
from renewal_rules.decisions import Reason, RenewalMode, remedy_text
from renewal_rules.eligibility import renewal_requirement
from renewal_rules.model import Subscription
from renewal_rules.policy import RenewalPolicy
from renewal_rules.timeline import TimelineEvent

_HEADERS: dict[str, tuple[str, ...]] = {
    "en": ("Subscription", "Market", "Term end", "Mode", "Manual window"),
    "fr": ("Abonnement", "Marché", "Échéance", "Mode", "Période manuelle"),
}
_MODES = {
    # Words a reader knows; the JSON values stay the mode's values.
    "en": {"automatic": "automatic", "manual": "manual", "none": "not renewable"},
    "fr": {
        "automatic": "automatique",
        "manual": "manuel",
        "none": "non renouvelable",
    },
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
        "sample_policy": "Policy: the sample's: every market offers every renewal "
        "path, but CN offers no automatic renewal.",
        "sample_timeline": "{id}, automatic renewal off, for a year with no "
        "customer action: its timeline ends when it is canceled.",
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
        "sample_policy": "Politique : celle de l'exemple : chaque marché offre "
        "chaque voie de renouvellement, sauf CN, sans renouvellement automatique.",
        "sample_timeline": "{id}, renouvellement automatique désactivé, sur un an "
        "sans action du client : sa chronologie s'arrête à sa résiliation.",
    },
}


Row = tuple[tuple[str, ...], list[str]]
"""A subscription in the renewal table: its cells, then its reasons' lines."""


_BREAKING = frozenset({"Cc", "Zl", "Zp", "Cs"})


def cell(text: str) -> str:
    r"""``text`` for one table cell, which never breaks a line.

    Control characters, lone surrogates and line or paragraph separators
    are shown as escapes (``\u2028`` for U+2028).
    """
    if text.isprintable():
        return text
    return "".join(
        f"\\u{ord(char):04x}" if unicodedata.category(char) in _BREAKING else char
        for char in text
    )


def table_row(
    sub: Subscription, *, as_of: date, policy: RenewalPolicy, lang: str
) -> Row:
    """The renewal table's row of ``sub``."""
    requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
    window = requirement.window
    cells: tuple[str, ...] = (
        cell(sub.id),
        sub.market,
        sub.term_end.isoformat(),
        _MODES[lang][requirement.mode.value],
        # A window only where a renewal can happen in it.
        "-" if requirement.mode is RenewalMode.NONE else window.describe(lang),
    )
    # The subject is the row's subscription: show the rest of the line.
    details = [
        cell(
            f"{reason.code.value}: {reason.explain(lang).removeprefix(f'[{sub.id}] ')}"
            + _fallback(reason, requirement.mode, lang)
        )
        for reason in requirement.reasons
    ]
    return cells, details


def _fallback(reason: Reason, mode: RenewalMode, lang: str) -> str:
    """What a reader can do where the code has no remedy of its own.

    A manual requirement is met by a manual renewal whatever its reason (a
    market without automatic renewal, ``capability_unavailable``); the code's
    own remedy stays none, as the catalogue says.
    """
    if reason.remedy is not None or mode is not RenewalMode.MANUAL:
        return ""
    return remedy_text(Remedy.RENEW_MANUALLY, lang)


def header_widths(lang: str) -> list[int]:
    """The widths of the renewal table's columns before any row."""
    return [len(header) for header in _HEADERS[lang]]


def widen(widths: list[int], cells: Sequence[str]) -> list[int]:
    """``widths`` wide enough for ``cells`` too."""
    return [max(w, len(c)) for w, c in zip(widths, cells, strict=True)]


def render_rows(
    rows: Iterable[Row], widths: Sequence[int], *, as_of: date, lang: str, title: str
) -> Iterator[str]:
    """The lines of the renewal table: ``widths`` must fit every row."""

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    yield _TEXT[lang][title].format(as_of=as_of.isoformat())
    yield ""
    yield line(_HEADERS[lang])
    yield line(["-" * w for w in widths])
    for cells, details in rows:
        yield line(cells)
        for detail in details:
            yield f"    - {detail}"


def render_table(
    subs: Sequence[Subscription],
    *,
    as_of: date,
    policy: RenewalPolicy,
    lang: str,
    title: str = "title",
) -> str:
    """Render the renewal table of ``subs`` as text."""
    rows = [table_row(sub, as_of=as_of, policy=policy, lang=lang) for sub in subs]
    widths = header_widths(lang)
    for cells, _ in rows:
        widths = widen(widths, cells)
    lines = render_rows(rows, widths, as_of=as_of, lang=lang, title=title)
    return "".join(line + "\n" for line in lines)


def sample_text(name: str, lang: str, **values: str) -> str:
    """One of the demo's own sentences in ``lang``."""
    return _TEXT[lang][name].format(**values)


def render_invalid(
    invalid: Iterable[tuple[int, list[tuple[str, str]]]], count: int, lang: str
) -> Iterator[str]:
    """The lines listing ``count`` invalid records (none when there are none)."""
    if not count:
        return
    text = _TEXT[lang]
    yield ""
    yield text["invalid"].format(count=count)
    for line_no, errors in invalid:
        where = text["line"].format(line=line_no)
        for path, message in errors:
            yield f"  {where}: {cell(path)}: {cell(message)}"


BatchCells = tuple[int, str, str, str, list[str]]
"""A batch in a table: its ordinal within its key, CSN, currency, purchase
method and the ids."""


def batch_cells(batch: Batch, ordinal: int) -> BatchCells:
    """What a table shows of ``batch``, the ``ordinal``-th of its key (from 1)."""
    key = batch.key
    ids = [cell(sub.id) for sub in batch.subscriptions]
    return ordinal, key.csn, key.currency, key.purchase_method.value, ids


def rejection_lines(rejection: Rejection, lang: str) -> list[str]:
    """The lines of one rejection in a table: the id, then each reason."""
    return [f"  {cell(rejection.subscription.id)}"] + [
        f"    - {reason.code.value}: {cell(reason.message(lang))}"
        for reason in rejection.reasons
    ]


def render_plan_table(
    batches: Iterable[BatchCells],
    rejected: Iterable[list[str]],
    rejected_count: int,
    *,
    action: str,
    as_of: date,
    lang: str,
) -> Iterator[str]:
    """The lines of a plan shown as a table, batches in plan order."""
    text = _TEXT[lang]
    yield text["plan_title"].format(action=action, as_of=as_of.isoformat())
    yield ""
    planned = count = 0
    # Each batch is named by its key and its ordinal within the key, as in
    # the JSON records and frames.plan_table.
    for ordinal, csn, currency, method, ids in batches:
        count += 1
        yield text["batch"].format(
            n=ordinal, csn=csn, currency=currency, method=method, size=len(ids)
        )
        yield "  " + ", ".join(ids)
        planned += len(ids)
    yield from _rejected_lines(rejected, rejected_count, lang)
    yield ""
    yield text["summary"].format(
        batches=count, planned=planned, rejected=rejected_count
    )


def _rejected_lines(
    rejected: Iterable[list[str]], count: int, lang: str
) -> Iterator[str]:
    if count:
        yield ""
        yield _TEXT[lang]["rejected"].format(count=count)
        for lines in rejected:
            yield from lines


def reason_json(reason: Any, lang: str) -> dict[str, Any]:
    """A reason as JSON, with its message in ``lang``."""
    from renewal_rules.serde import to_dict

    return {**to_dict(reason), "message": reason.message(lang)}


def invalid_json(
    invalid: Iterable[tuple[int, list[tuple[str, str]]]],
) -> Iterator[dict[str, Any]]:
    """Invalid records as JSON."""
    for line_no, errors in invalid:
        yield {
            "line": line_no,
            "errors": [{"path": p, "message": m} for p, m in errors],
        }


def event_json(event: TimelineEvent) -> dict[str, Any]:
    """A timeline event as JSON (the shape of `renewal_rules.serde`)."""
    from renewal_rules.serde import to_dict

    return to_dict(event)


def timeline_line(event: TimelineEvent) -> str:
    """One event in a table: date, subscription, event, details."""
    details = ", ".join(
        f"{name}={value.isoformat() if isinstance(value, date) else value}"
        for name, value in event.params
    )
    return (
        f"{event.on.isoformat()}  {cell(event.subject):<16}  "
        f"{event.kind.value:<21}  {details}".rstrip()
    )


def render_timeline(
    lines: Iterable[str], count: int, start: date, end: date, lang: str
) -> Iterator[str]:
    """A timeline as a table, from the lines of its ``count`` events."""
    yield _TIMELINE_TITLE[lang].format(start=start.isoformat(), end=end.isoformat())
    yield ""
    yield from lines
    if not count:
        yield _TIMELINE_EMPTY[lang]


_TIMELINE_TITLE = {
    "en": "Timeline from {start} to {end} (no customer action)",
    "fr": "Chronologie du {start} au {end} (sans action du client)",
}
_TIMELINE_EMPTY = {"en": "(no event)", "fr": "(aucun événement)"}


GroupCells = tuple[str, str, str, str, list[str]]
"""A group in a table: CSN, term, payment kind, renewal day and the ids."""


def group_cells(group: AlignmentGroup) -> GroupCells:
    """What a table shows of an alignment ``group``."""
    key = group.key
    ids = [cell(sub.id) for sub in group.subscriptions]
    on = group.renews_on.isoformat()
    return key.csn, key.term.value, key.payment_kind.value, on, ids


def render_alignment_table(
    groups: Iterable[GroupCells],
    rejected: Iterable[list[str]],
    rejected_count: int,
    *,
    as_of: date,
    lang: str,
) -> Iterator[str]:
    """The lines of an alignment plan shown as a table."""
    text = _ALIGN_TEXT[lang]
    yield text["title"].format(as_of=as_of.isoformat())
    yield ""
    for n, (csn, term, kind, on, ids) in enumerate(groups, start=1):
        yield text["group"].format(n=n, csn=csn, term=term, kind=kind, on=on)
        yield "  " + ", ".join(ids)
    yield from _rejected_lines(rejected, rejected_count, lang)


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
