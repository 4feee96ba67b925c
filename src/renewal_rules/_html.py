"""Compact HTML tables for Jupyter (``_repr_html_``) (private).

A leaf: it knows tables and text, not the result types, which build their
rows and call it (the values import this view helper, never the other way).
Every cell and title is escaped: subjects and params come from user data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from itertools import islice

from renewal_rules._validators import check_int

REASON_HEADERS = ("subject", "code", "message", "remedy")
"""The columns of a table of reasons."""


MAX_ROWS = 50
"""The rows a notebook view shows by default; ``to_html(max_rows=...)`` shows more."""


def check_max_rows(max_rows: object) -> int:
    """``max_rows`` if it is an int from 0 (a view's row limit)."""
    return check_int("max_rows", max_rows, 0, 10**9)


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    count: int,
    max_rows: int = MAX_ROWS,
) -> str:
    """Render a table of at most ``max_rows`` of the ``count`` rows, then "and N more".

    Every cell is shown with ``str`` and escaped; rows past the limit are
    never rendered (a view of 100,000 results stays small).
    """
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in islice(rows, max_rows)
    )
    if count > max_rows:
        more = escape(f"and {count - max_rows:,} more")
        body += f'<tr><td colspan="{len(headers)}"><em>{more}</em></td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def counts(values: Iterable[str]) -> str:
    """``"3 manual, 2 none"``: how many of each value, in first-seen order."""
    found: dict[str, int] = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return ", ".join(f"{n:,} {value}" for value, n in found.items())


def block(title: str, *tables: str, note: str = "") -> str:
    """Render a bold title and a note (both escaped), then rendered tables."""
    return f"<div><strong>{escape(title)}</strong>{escape(note)}{''.join(tables)}</div>"
