"""Write docs/reason-codes.md from the message catalogs.

Run by `make docs`; tests/unit/test_docs.py fails when the committed page
differs from what this script writes, so the page never drifts from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from renewal_rules import Reason, ReasonCode, Remedy

PAGE = Path(__file__).resolve().parents[1] / "docs" / "reason-codes.md"

# Example values for the params some messages show.
EXAMPLE_PARAMS: dict[str, dict[str, object]] = {
    "capability_unavailable": {"capability": "auto_renewal"},
    "outside_renewal_window": {"opens_on": "2027-04-01"},
    "batch_too_large": {"size": 101, "limit": 100},
    "too_many_recipients": {"count": 5, "limit": 4},
    "invalid_recipient": {"email": "ana@example"},
    "duplicate_recipient": {"email": "ana@example.com"},
}


def render() -> str:
    """Return the page's Markdown."""
    lines = [
        "# Reason codes",
        "",
        "Generated from the message catalogs by `tools/gen_reason_codes.py`;",
        "do not edit by hand. Codes are stable: never renamed, added only with",
        "a CHANGELOG entry. Messages are shown with example params.",
        "",
        "| code | params | remedy | English | French |",
        "|---|---|---|---|---|",
    ]
    for code in ReasonCode:
        params = EXAMPLE_PARAMS.get(code.value, {})
        reason = Reason(code=code, params=params)
        remedy = reason.remedy
        lines.append(
            f"| `{code.value}` | {', '.join(f'`{p}`' for p in params) or '—'} "
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
