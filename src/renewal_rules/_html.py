"""Compact HTML tables for Jupyter (``_repr_html_``) (private).

A leaf: it knows tables and text, not the result types, which build their
rows and call it (the values import this view helper, never the other way).
Every cell and title is escaped: subjects and params come from user data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

REASON_HEADERS = ("subject", "code", "message", "remedy")
"""The columns of a table of reasons."""


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render a table; every cell is shown with ``str`` and escaped."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def block(title: str, *tables: str, note: str = "") -> str:
    """Render a bold title and a note (both escaped), then rendered tables."""
    return f"<div><strong>{escape(title)}</strong>{escape(note)}{''.join(tables)}</div>"
