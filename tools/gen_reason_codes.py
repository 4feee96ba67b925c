"""Write docs/reason-codes.md from the message catalogs.

Run by `make docs`; tests/unit/test_docs.py fails when the committed page
differs from what this script writes, so the page never drifts from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from renewal_rules import Reason, ReasonCode, Remedy
from renewal_rules.catalog import ROWS

PAGE = Path(__file__).resolve().parents[1] / "docs" / "reason-codes.md"


def render() -> str:
    """Return the page's Markdown."""
    lines = [
        "# Reason codes",
        "",
        "Generated from the catalogue (`renewal_rules.catalog.ROWS`) by",
        "`tools/gen_reason_codes.py`;",
        "do not edit by hand. Codes are stable: never renamed, added only with",
        "a CHANGELOG entry. Messages are shown with example params.",
        "",
        "| code | params | remedy | English | French |",
        "|---|---|---|---|---|",
    ]
    for code in ReasonCode:
        row = ROWS[code]
        reason = Reason(code=code, params=row.examples)
        remedy = reason.remedy
        shown = ", ".join(f"`{name}` ({kind.__name__})" for name, kind in row.params)
        lines.append(
            f"| `{code.value}` | {shown or '—'} "
            f"| {f'`{remedy.value}`' if remedy else '—'} "
            f"| {reason.message('en')} | {reason.message('fr')} |"
        )
    lines += ["", "## Remedies", "", "| remedy | English | French |", "|---|---|---|"]
    lines.extend(
        f"| `{remedy.value}` | {remedy.message('en')} | {remedy.message('fr')} |"
        for remedy in Remedy
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    PAGE.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {PAGE}\n")
