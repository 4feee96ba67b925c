"""Command line: ``python -m renewal_rules [--as-of YYYY-MM-DD] [--lang en|fr]``.

Prints, for the built-in sample portfolio, each subscription's renewal mode,
its reasons with remedies, and its manual renewal window. This is the only
module of the package that prints.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from typing import NoReturn, TextIO

from renewal_rules._messages import LOCALES
from renewal_rules._sample import SAMPLE_AS_OF, SAMPLE_POLICY, SAMPLE_PORTFOLIO
from renewal_rules.eligibility import renewal_requirement
from renewal_rules.model import Subscription
from renewal_rules.policy import RenewalPolicy

PROG = "python -m renewal_rules"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, so scripts can show it as is; argparse's usage block
        # would make it three.
        self.exit(2, f"{self.prog}: error: {message}\n")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: expected YYYY-MM-DD"
        ) from None


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Show how each subscription of the built-in sample portfolio "
            "renews: its mode, the reasons with their remedies, and its manual "
            "renewal window."
        ),
    )
    parser.add_argument(
        "--as-of",
        type=_iso_date,
        default=SAMPLE_AS_OF,
        metavar="YYYY-MM-DD",
        help=f"the day to evaluate on (default: {SAMPLE_AS_OF.isoformat()})",
    )
    parser.add_argument(
        "--lang",
        choices=LOCALES,
        default="en",
        help="language of the messages (default: en)",
    )
    return parser


_HEADERS: dict[str, tuple[str, ...]] = {
    "en": ("Subscription", "Market", "Term end", "Mode", "Manual window"),
    "fr": ("Abonnement", "Marché", "Échéance", "Mode", "Période manuelle"),
}
_MODES = {
    "en": {"automatic": "automatic", "manual": "manual", "none": "none"},
    "fr": {"automatic": "automatique", "manual": "manuel", "none": "aucun"},
}
_TITLE = {
    "en": "Sample portfolio, as of {as_of}",
    "fr": "Portefeuille d'exemple, au {as_of}",
}


def render_table(
    subs: Sequence[Subscription], *, as_of: date, policy: RenewalPolicy, lang: str
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
        max(len(headers[i]), *(len(cells[i]) for cells, _ in rows))
        for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out = [_TITLE[lang].format(as_of=as_of.isoformat()), "", line(headers)]
    out.append(line(["-" * w for w in widths]))
    for cells, details in rows:
        out.append(line(cells))
        out.extend(f"    - {detail}" for detail in details)
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    out = stdout if stdout is not None else sys.stdout
    out.write(
        render_table(
            SAMPLE_PORTFOLIO, as_of=args.as_of, policy=SAMPLE_POLICY, lang=args.lang
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
