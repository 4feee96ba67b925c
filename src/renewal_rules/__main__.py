"""Command line of ``renewal_rules``; the only module of the package that prints.

``python -m renewal_rules [--as-of YYYY-MM-DD] [--lang en|fr]``
    The renewal table of the built-in sample portfolio.
``python -m renewal_rules explain [FILE] [options]``
    Each subscription's renewal mode and reasons.
``python -m renewal_rules plan [FILE] --action renew|enable-auto-renew|quote [options]``
    The portfolio planned into batches, with every rejection.

Options of both commands: ``--as-of YYYY-MM-DD`` and ``--lang en|fr``
(before or after the command), ``--format table|json``, ``--strict`` and
``--policy POLICY`` (after it).

FILE is a JSON array or a JSON Lines file of subscriptions in the shape of
:mod:`renewal_rules.serde` (``-`` reads standard input); without FILE the
built-in sample is used. JSON Lines are read one line at a time.

POLICY is a JSON file holding a :class:`~renewal_rules.RenewalPolicy` in the
same shape (markets and their capabilities, window, limits). Without it, a
FILE is evaluated under ``DEFAULT_POLICY`` (every market offers every path,
as the library's functions assume), and the sample under its own policy.

Exit status: 0 when every record was valid; 1 when some records were invalid
(they are listed, with their line numbers, and the rest is processed); 2 for
a usage error, an unreadable file or a bad POLICY; 3 when ``--strict``
refused the run because of invalid records (nothing is processed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import IO, Any, NoReturn, TextIO

from renewal_rules._sample import SAMPLE_AS_OF, SAMPLE_POLICY, SAMPLE_PORTFOLIO
from renewal_rules.batching import BatchAction, BatchPlan, plan_batches
from renewal_rules.catalog import LOCALES
from renewal_rules.eligibility import renewal_requirement
from renewal_rules.model import Subscription
from renewal_rules.policy import DEFAULT_POLICY, RenewalPolicy

PROG = "python -m renewal_rules"
MAX_LINE = 1 << 20
"""Longest JSON Lines record read (characters); longer lines are reported."""
PROGRESS_EVERY = 100_000

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


class _UsageError(Exception):
    """A problem with the command line or its input file (exit status 2)."""


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


# --- Reading ---------------------------------------------------------------

Record = tuple[int, Any]  # (line number, decoded JSON value or an error text)


class _BadJSON(str):
    """An error text in place of a record that is not valid JSON."""

    __slots__ = ()


def _jsonl(stream: IO[str], first: str) -> Iterator[Record]:
    line_no = 0
    pending = first
    while True:
        line = pending + stream.readline(MAX_LINE + 1 - len(pending))
        pending = ""
        if not line:
            return
        line_no += 1
        if len(line) > MAX_LINE and not line.endswith("\n"):
            while (rest := stream.readline(MAX_LINE)) and not rest.endswith("\n"):
                pass  # skip the rest of an over-long line without keeping it
            yield line_no, _BadJSON(f"line is longer than {MAX_LINE:,} characters")
            continue
        if not line.strip():
            continue
        try:
            yield line_no, json.loads(line)
        except json.JSONDecodeError as error:
            yield line_no, _BadJSON(f"invalid JSON: {error.msg} (column {error.colno})")


def _json_array(text: str) -> Iterator[Record]:
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            yield (
                text.count("\n", 0, position) + 1,
                _BadJSON("invalid JSON: missing ']'"),
            )
            return
        if text[position] == "]":
            return
        line_no = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            yield (
                error.lineno,
                _BadJSON(f"invalid JSON: {error.msg} (column {error.colno})"),
            )
            return
        yield line_no, value


def _records(stream: IO[str]) -> Iterator[Record]:
    first = stream.read(1)
    while first.isspace():
        first = stream.read(1)
    if first == "[":
        # A JSON array is read whole; use JSON Lines for very large files.
        yield from _json_array(first + stream.read())
    elif first:
        yield from _jsonl(stream, first)


def _serde() -> Any:
    try:
        from renewal_rules import serde
    except ImportError:  # pragma: no cover - depends on the environment
        raise _UsageError(
            "reading files needs the 'serde' extra: pip install renewal_rules[serde]"
        ) from None
    return serde


def _load(
    stream: IO[str], *, progress: TextIO | None
) -> tuple[list[Subscription], list[tuple[int, list[tuple[str, str]]]]]:
    serde = _serde()
    subs: list[Subscription] = []
    invalid: list[tuple[int, list[tuple[str, str]]]] = []
    count = 0
    for line_no, value in _records(stream):
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress.write(f"\rread {count:,} records")
            progress.flush()
        if isinstance(value, _BadJSON):
            invalid.append((line_no, [("$", str(value))]))
            continue
        try:
            subs.append(serde.from_dict(Subscription, value))
        except serde.SerdeError as error:
            invalid.append((line_no, list(error.errors)))
    if progress is not None and count >= PROGRESS_EVERY:
        progress.write(f"\rread {count:,} records\n")
    return subs, invalid


@contextmanager
def _reading(path: str) -> Iterator[IO[str]]:
    """Open ``path`` as UTF-8 text; failures to read it are usage errors."""
    try:
        with open(path, encoding="utf-8") as stream:
            yield stream
    except OSError as error:
        raise _UsageError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise _UsageError(f"cannot read {path}: not UTF-8 text") from None


def _open_and_load(
    path: str, stdin: IO[str], progress: TextIO | None
) -> tuple[list[Subscription], list[tuple[int, list[tuple[str, str]]]]]:
    if path == "-":
        return _load(stdin, progress=progress)
    with _reading(path) as stream:
        return _load(stream, progress=progress)


def _load_policy(path: str) -> RenewalPolicy:
    serde = _serde()
    try:
        with _reading(path) as stream:
            value = json.load(stream)
    except json.JSONDecodeError as error:
        raise _UsageError(
            f"{path}: invalid JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno})"
        ) from None
    try:
        policy: RenewalPolicy = serde.from_dict(RenewalPolicy, value)
    except serde.SerdeError as error:
        raise _UsageError(f"{path}: not a valid policy: {error}") from None
    return policy


# --- Rendering -------------------------------------------------------------

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


def _render_invalid(
    invalid: list[tuple[int, list[tuple[str, str]]]], lang: str
) -> list[str]:
    if not invalid:
        return []
    text = _TEXT[lang]
    out = ["", text["invalid"].format(count=len(invalid))]
    for line_no, errors in invalid:
        where = text["line"].format(line=line_no)
        out.extend(f"  {where}: {path}: {message}" for path, message in errors)
    return out


def _render_plan_table(
    plan: BatchPlan, action: str, as_of: date, lang: str
) -> list[str]:
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


def _reason_json(reason: Any, lang: str) -> dict[str, Any]:
    from renewal_rules.serde import to_dict

    return {**to_dict(reason), "message": reason.message(lang)}


def _invalid_json(invalid: list[tuple[int, list[tuple[str, str]]]]) -> list[Any]:
    return [
        {"line": line_no, "errors": [{"path": p, "message": m} for p, m in errors]}
        for line_no, errors in invalid
    ]


# --- Commands --------------------------------------------------------------


def _run_file_command(
    args: argparse.Namespace, out: TextIO, stdin: IO[str], err: TextIO
) -> int:
    invalid: list[tuple[int, list[tuple[str, str]]]] = []
    # The policy first: a bad one stops the run before a long read.
    if args.policy is not None:
        policy = _load_policy(args.policy)
    else:
        policy = SAMPLE_POLICY if args.file is None else DEFAULT_POLICY
    if args.file is None:
        subs = list(SAMPLE_PORTFOLIO)
    else:
        progress = err if err.isatty() else None
        subs, invalid = _open_and_load(args.file, stdin, progress)
    lang, as_of = args.lang, args.as_of
    status = EXIT_INVALID_RECORDS if invalid else EXIT_OK
    if invalid and args.strict:
        if args.format == "json":
            document = {"refused": True, "invalid": _invalid_json(invalid)}
            out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        else:
            out.write("\n".join(_render_invalid(invalid, lang)[1:]) + "\n")
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
                        "reasons": [_reason_json(r, lang) for r in requirement.reasons],
                    }
                )
            document = {"as_of": as_of.isoformat(), "subscriptions": items}
            document["invalid"] = _invalid_json(invalid)
            out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        else:
            table = render_table(
                subs, as_of=as_of, policy=policy, lang=lang, title="file_title"
            )
            out.write(table)
            if invalid:
                out.write("\n".join(_render_invalid(invalid, lang)) + "\n")
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
                    "reasons": [_reason_json(r, lang) for r in rejection.reasons],
                }
                for rejection in plan.rejected
            ],
            "invalid": _invalid_json(invalid),
        }
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        lines = _render_plan_table(plan, args.action, as_of, lang)
        out.write("\n".join(lines + _render_invalid(invalid, lang)) + "\n")
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
    except _UsageError as error:
        err.write(f"{PROG}: error: {error}\n")
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
