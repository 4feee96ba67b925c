"""The command line's parser, commands and exit statuses (private)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import IO, NoReturn, TextIO

from renewal_rules._sample import SAMPLE_AS_OF, SAMPLE_POLICY, SAMPLE_PORTFOLIO
from renewal_rules.batching import BatchAction, plan_batches
from renewal_rules.catalog import LOCALES
from renewal_rules.cli.read import UsageError, load_policy, open_and_load
from renewal_rules.cli.render import (
    invalid_json,
    reason_json,
    render_invalid,
    render_plan_table,
    render_table,
)
from renewal_rules.eligibility import renewal_requirement
from renewal_rules.policy import DEFAULT_POLICY

PROG = "python -m renewal_rules"
EXIT_OK, EXIT_INVALID_RECORDS, EXIT_USAGE, EXIT_STRICT = 0, 1, 2, 3

_ACTIONS = {
    "renew": BatchAction.RENEW,
    "enable-auto-renew": BatchAction.ENABLE_AUTO_RENEW,
    "quote": BatchAction.QUOTE,
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, so scripts can show it as is; argparse's usage block
        # would make it three.
        self.exit(EXIT_USAGE, f"{PROG}: error: {message}\n")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: expected YYYY-MM-DD"
        ) from None


def _common(parser: argparse.ArgumentParser, *, with_file: bool) -> None:
    # --as-of and --lang go before or after the command: the command's own
    # copies keep the value given before it unless given again (SUPPRESS).
    parser.add_argument(
        "--as-of",
        type=_iso_date,
        default=argparse.SUPPRESS if with_file else SAMPLE_AS_OF,
        metavar="YYYY-MM-DD",
        help=f"the day to evaluate on (default: {SAMPLE_AS_OF.isoformat()})",
    )
    parser.add_argument(
        "--lang",
        choices=LOCALES,
        default=argparse.SUPPRESS if with_file else "en",
        help="language of the messages (default: en)",
    )
    if with_file:
        parser.add_argument(
            "file",
            nargs="?",
            metavar="FILE",
            help="JSON array or JSON Lines of subscriptions, '-' for stdin "
            "(default: the built-in sample portfolio)",
        )
        parser.add_argument(
            "--format", choices=("table", "json"), default="table", help="output format"
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="refuse the whole run if any record is invalid (exit status 3)",
        )
        parser.add_argument(
            "--policy",
            metavar="POLICY",
            help="JSON file of the RenewalPolicy to apply (default: DEFAULT_POLICY "
            "for a FILE, the sample's policy for the sample)",
        )


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Show how subscriptions renew: the built-in sample portfolio by "
            "default, or a file with the explain and plan commands."
        ),
    )
    _common(parser, with_file=False)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    explain = commands.add_parser("explain", help="each subscription's renewal mode")
    _common(explain, with_file=True)
    plan = commands.add_parser("plan", help="plan the portfolio into batches")
    _common(plan, with_file=True)
    plan.add_argument("--action", choices=sorted(_ACTIONS), required=True)
    return parser


def _run_file_command(
    args: argparse.Namespace, out: TextIO, stdin: IO[str], err: TextIO
) -> int:
    invalid: list[tuple[int, list[tuple[str, str]]]] = []
    # The policy first: a bad one stops the run before a long read.
    if args.policy is not None:
        policy = load_policy(args.policy)
    else:
        policy = SAMPLE_POLICY if args.file is None else DEFAULT_POLICY
    if args.file is None:
        subs = list(SAMPLE_PORTFOLIO)
    else:
        progress = err if err.isatty() else None
        subs, invalid = open_and_load(args.file, stdin, progress)
    lang, as_of = args.lang, args.as_of
    status = EXIT_INVALID_RECORDS if invalid else EXIT_OK
    if invalid and args.strict:
        if args.format == "json":
            document = {"refused": True, "invalid": invalid_json(invalid)}
            out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        else:
            out.write("\n".join(render_invalid(invalid, lang)[1:]) + "\n")
        return EXIT_STRICT
    if args.command == "explain":
        if args.format == "json":
            from renewal_rules.serde import to_dict

            items = []
            for sub in subs:
                requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
                items.append(
                    {
                        "subscription": sub.id,
                        "mode": requirement.mode.value,
                        "window": to_dict(requirement.window),
                        "reasons": [reason_json(r, lang) for r in requirement.reasons],
                    }
                )
            document = {"as_of": as_of.isoformat(), "subscriptions": items}
            document["invalid"] = invalid_json(invalid)
            out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        else:
            table = render_table(
                subs, as_of=as_of, policy=policy, lang=lang, title="file_title"
            )
            out.write(table)
            if invalid:
                out.write("\n".join(render_invalid(invalid, lang)) + "\n")
        return status
    action = _ACTIONS[args.action]
    plan = plan_batches(subs, action=action, as_of=as_of, policy=policy)
    if args.format == "json":
        from renewal_rules.serde import to_dict

        document = {
            "action": action.value,
            "as_of": as_of.isoformat(),
            "batches": [
                {
                    "key": to_dict(batch.key),
                    "subscriptions": [sub.id for sub in batch.subscriptions],
                }
                for batch in plan.batches
            ],
            "rejected": [
                {
                    "subscription": rejection.subscription.id,
                    "reasons": [reason_json(r, lang) for r in rejection.reasons],
                }
                for rejection in plan.rejected
            ],
            "invalid": invalid_json(invalid),
        }
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        lines = render_plan_table(plan, args.action, as_of, lang)
        out.write("\n".join(lines + render_invalid(invalid, lang)) + "\n")
    return status


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stdin: IO[str] | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    if args.command is None:
        out.write(
            render_table(
                SAMPLE_PORTFOLIO, as_of=args.as_of, policy=SAMPLE_POLICY, lang=args.lang
            )
        )
        return EXIT_OK
    try:
        return _run_file_command(
            args, out, stdin if stdin is not None else sys.stdin, err
        )
    except UsageError as error:
        err.write(f"{PROG}: error: {error}\n")
        return EXIT_USAGE
