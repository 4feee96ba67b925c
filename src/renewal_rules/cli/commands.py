"""The command line's parser, commands and exit statuses (private)."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain, islice
from typing import IO, Any, NoReturn, TextIO

from renewal_rules._partition import key_ordinals
from renewal_rules._sample import SAMPLE_AS_OF, SAMPLE_POLICY, SAMPLE_PORTFOLIO
from renewal_rules._validators import MAX_DATE, check_as_of
from renewal_rules.alignment import AlignmentGroup, plan_alignment
from renewal_rules.batching import Batch, BatchAction, Rejection, plan_batches
from renewal_rules.catalog import LOCALES
from renewal_rules.cli.read import (
    PROG,
    Invalid,
    UsageError,
    load_policy,
    opened,
    parse,
    parse_sourced,
    share_strings,
)
from renewal_rules.cli.render import (
    batch_cells,
    event_json,
    group_cells,
    header_widths,
    invalid_json,
    reason_json,
    rejection_lines,
    render_alignment_table,
    render_invalid,
    render_plan_table,
    render_rows,
    render_table,
    render_timeline,
    sample_text,
    table_row,
    timeline_line,
    widen,
)
from renewal_rules.cli.spill import Answer, Outcome, Spill, bucket_count, small
from renewal_rules.eligibility import renewal_requirement
from renewal_rules.errors import InvalidInputError
from renewal_rules.model import Subscription
from renewal_rules.policy import DEFAULT_POLICY, RenewalPolicy
from renewal_rules.timeline import portfolio_timeline, renewal_timeline

EXIT_OK, EXIT_INVALID_RECORDS, EXIT_USAGE, EXIT_STRICT = 0, 1, 2, 3
EXIT_CLOSED_PIPE = 141
"""128 + SIGPIPE: what a shell reports for ``yes | head -1``."""

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


_TODAY = "today"

_EPILOG = f"""\
examples:
  {PROG}                                  the sample portfolio's renewal table
  {PROG} explain subs.jsonl --as-of 2027-03-01
  {PROG} plan subs.jsonl --action renew --as-of today --format jsonl
  {PROG} align subs.jsonl --as-of 2027-03-01
  {PROG} timeline subs.jsonl --from 2027-01-01 --to 2028-01-01

exit status:
  0    every record was valid
  1    some records were invalid: listed, the rest processed
  2    usage error, an unreadable file or an invalid policy
  3    --strict and some records were invalid: nothing processed
  141  the output was closed before the end (as by `| head`)
"""


def _as_of(text: str) -> date | str:
    # ``--as-of today`` is resolved (and echoed) once the streams are known.
    return _TODAY if text == _TODAY else _iso_date(text)


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(text: str) -> date:
    # Exactly YYYY-MM-DD, as the records' dates: fromisoformat alone would
    # also take 20270101 and 2027-W01-1.
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError(text)
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
        type=_as_of,
        default=argparse.SUPPRESS if with_file else None,
        metavar="YYYY-MM-DD|today",
        help="the day to evaluate on: required with a FILE; 'today' reads the "
        f"clock (the sample's default: {SAMPLE_AS_OF.isoformat()})",
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
            "--format",
            choices=("table", "json", "jsonl"),
            default="table",
            help="output format (jsonl: one JSON object a line)",
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
            "default, or a FILE of subscriptions with the explain, plan, align "
            "and timeline commands."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser, with_file=False)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    explain = commands.add_parser("explain", help="each subscription's renewal mode")
    _common(explain, with_file=True)
    plan = commands.add_parser("plan", help="plan the portfolio into batches")
    _common(plan, with_file=True)
    plan.add_argument(
        "--action",
        choices=sorted(_ACTIONS),
        required=True,
        help="what the batches do: renew now, enable auto-renewal, or send "
        "renewal quotes",
    )
    align = commands.add_parser(
        "align", help="group the portfolio for aligned payment dates"
    )
    _common(align, with_file=True)
    timeline = commands.add_parser(
        "timeline", help="what happens on which day, with no customer action"
    )
    _common(timeline, with_file=True)
    timeline.add_argument(
        "--from",
        dest="start",
        type=_iso_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the first day of the span (included)",
    )
    timeline.add_argument(
        "--to",
        dest="end",
        type=_iso_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the day after the span (excluded)",
    )
    return parser


@dataclass(frozen=True)
class _Run:
    """One file command: its arguments, policy and streams."""

    args: argparse.Namespace
    policy: RenewalPolicy
    stdin: IO[str]
    out: TextIO
    err: TextIO

    @property
    def progress(self) -> TextIO | None:
        """Where progress goes: standard error, on a terminal only."""
        return self.err if self.err.isatty() else None


def _run_file_command(
    args: argparse.Namespace, out: TextIO, stdin: IO[str], err: TextIO
) -> int:
    try:  # a day the library cannot take stops the run before any output
        check_as_of(args.as_of)
    except InvalidInputError as error:
        raise UsageError(f"--as-of: {error.message}") from None
    # The policy first: a bad one stops the run before a long read.
    if args.policy is not None:
        policy = load_policy(args.policy)
    else:
        policy = SAMPLE_POLICY if args.file is None else DEFAULT_POLICY
    if args.command == "timeline":
        try:  # a bad span stops the run before the input is read
            portfolio_timeline((), start=args.start, end=args.end, policy=policy)
        except InvalidInputError as error:
            which = "to" if error.field == "end" else "from"
            raise UsageError(f"--{which}: {error.message}") from None
    run = _Run(args, policy, stdin, out, err)
    if args.command != "explain":
        return _whole_portfolio(run)
    if args.format == "table":
        return _explain_table(run)
    if args.file is None:
        return _explain_written(run, iter(SAMPLE_PORTFOLIO))
    return _explain_streamed(run)


def _explain_table(run: _Run) -> int:
    """``explain`` as a table: rows kept on disk while the widths are found."""
    args = run.args
    as_of, lang = args.as_of, args.lang
    with Spill(1, in_memory=small(args.file)) as spill, ExitStack() as stack:
        if args.file is None:
            items: Iterable[Any] = SAMPLE_PORTFOLIO
        else:
            stream = stack.enter_context(opened(args.file, run.stdin))
            items = parse(stream, progress=run.progress, policy=run.policy, err=run.err)
        widths = header_widths(lang)
        for item in items:
            if isinstance(item, Subscription):
                row = table_row(item, as_of=as_of, policy=run.policy, lang=lang)
                widths = widen(widths, row[0])
                spill.keep("rows", row)
            else:
                spill.keep_invalid(item)
        invalid = spill.invalid_count
        if invalid and args.strict:
            return _refuse(args, spill.invalid(), invalid, run.out)
        rows = spill.kept("rows")
        lines = chain(
            render_rows(rows, widths, as_of=as_of, lang=lang, title="file_title"),
            render_invalid(spill.invalid(), invalid, lang),
        )
        for line in lines:
            run.out.write(line + "\n")
    return EXIT_INVALID_RECORDS if invalid else EXIT_OK


def _refuse(
    args: argparse.Namespace, invalid: Iterable[Invalid], count: int, out: TextIO
) -> int:
    """``--strict`` with invalid records: list them, and nothing else."""
    if args.format != "table":
        document = {"refused": True, "invalid": list(invalid_json(invalid))}
        out.write(_dumps(document, args.format))
    else:
        lines = render_invalid(invalid, count, args.lang)
        next(lines)  # the blank line that separates the list from a table
        out.write("".join(line + "\n" for line in lines))
    return EXIT_STRICT


def _explain_streamed(run: _Run) -> int:
    """``explain`` of a FILE as JSON: each record evaluated and written as read.

    Memory holds one record at a time (``json`` keeps the invalid records,
    written after the subscriptions, on disk). With ``--strict`` a file is
    read twice, first to refuse it whole if a record is invalid; standard
    input, which cannot be read twice, is then kept on disk.
    """
    args = run.args
    if args.strict:
        if args.file == "-":
            return _explain_strict_stdin(run)
        with opened(args.file, run.stdin) as stream:
            invalid = [
                item
                for item in parse(
                    stream, progress=run.progress, policy=run.policy, err=run.err
                )
                if not isinstance(item, Subscription)
            ]
        if invalid:
            return _refuse(args, invalid, len(invalid), run.out)
    if run.progress is None and _has_engine():
        return _explain_on_engine(run)
    with opened(args.file, run.stdin) as stream:
        return _explain_written(
            run, parse(stream, progress=run.progress, policy=run.policy, err=run.err)
        )


def _has_engine() -> bool:
    # The columnar engine comes with the `frames` extra; without it, the
    # object path answers the same lines.
    try:
        import polars  # noqa: F401
    except ImportError:  # pragma: no cover - the extra is installed in tests
        return False
    return True


def _explain_on_engine(run: _Run) -> int:
    """``explain`` as JSON by chunks of records on the columnar engine."""
    from renewal_rules.cli.engine import explain_lines

    args = run.args
    header: dict[str, Any] = {"as_of": args.as_of.isoformat()}

    def explained(sub: Subscription) -> dict[str, Any]:
        return _explained_one(sub, args.as_of, run.policy, args.lang)

    with ExitStack() as stack:
        stream = stack.enter_context(opened(args.file, run.stdin))
        jsonl = args.format == "jsonl"
        # JSON Lines writes an invalid record in place; a JSON document's
        # invalid records wait for its invalid array (as the object path's).
        spill = stack.enter_context(Spill(1, in_memory=jsonl or small(args.file)))
        invalid = 0

        def invalid_line(item: Invalid) -> str | None:
            nonlocal invalid
            invalid += 1
            if not jsonl:
                spill.keep_invalid(item)
                return None
            (row,) = invalid_json([item])
            return _dumps({"record": "invalid", **header, **row}, "jsonl")

        blocks = explain_lines(
            stream, run.err, as_of=args.as_of, policy=run.policy,
            lang=args.lang, explained=explained, dumps=_dumps, invalid=invalid_line,
        )  # fmt: skip
        if jsonl:
            for block in blocks:
                run.out.write("".join(block))
        else:
            # Each line less its record kind and as_of is a document's row.
            head = len(_line_head("subscription", header))
            rows = ([text[head:-1] for text in block] for block in blocks)

            def invalid_rows() -> Iterator[list[str]]:
                yield from _tails(invalid_json(spill.invalid()))  # after the rest

            sections = [("subscriptions", rows), ("invalid", invalid_rows())]
            _write_tails(run.out, args.format, header, sections)
        return EXIT_INVALID_RECORDS if invalid else EXIT_OK


def _explain_strict_stdin(run: _Run) -> int:
    # Every record is read before a word is written: the sources go to disk.
    with Spill(1) as spill:
        with opened(run.args.file, run.stdin) as stream:
            for source, item in parse_sourced(
                stream, progress=run.progress, policy=run.policy, err=run.err
            ):
                if isinstance(item, Subscription):
                    spill.keep("sources", source)
                else:
                    spill.keep_invalid(item)
        if spill.invalid_count:
            return _refuse(run.args, spill.invalid(), spill.invalid_count, run.out)
        return _explain_written(run, map(_loader(), spill.kept("sources")))


def _explain_written(run: _Run, items: Iterator[Subscription | Invalid]) -> int:
    args, policy, out = run.args, run.policy, run.out
    header: dict[str, Any] = {"as_of": args.as_of.isoformat()}
    if args.format == "jsonl":
        # One line per input record, in input order, invalid ones included.
        invalid = 0
        for item in items:
            if isinstance(item, Subscription):
                row = _explained_one(item, args.as_of, policy, args.lang)
                out.write(_dumps({"record": "subscription", **header, **row}, "jsonl"))
            else:
                invalid += 1
                (row,) = invalid_json([item])
                out.write(_dumps({"record": "invalid", **header, **row}, "jsonl"))
        return EXIT_INVALID_RECORDS if invalid else EXIT_OK
    # A JSON document lists the invalid records after the subscriptions:
    # they wait on disk (or in memory, for a small input) until then.
    with Spill(1, in_memory=small(args.file)) as spill:

        def subscriptions() -> Iterator[dict[str, Any]]:
            for item in items:
                if isinstance(item, Subscription):
                    yield _explained_one(item, args.as_of, policy, args.lang)
                else:
                    spill.keep_invalid(item)

        def invalid_rows() -> Iterator[dict[str, Any]]:
            yield from invalid_json(spill.invalid())  # once the rest is out

        sections = [("subscriptions", subscriptions()), ("invalid", invalid_rows())]
        _write(out, args.format, header, sections)
        return EXIT_INVALID_RECORDS if spill.invalid_count else EXIT_OK


def _dumps(document: Any, fmt: str) -> str:
    indent = None if fmt == "jsonl" else 2
    text = json.dumps(document, ensure_ascii=False, indent=indent)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from the input: escape
            text = json.dumps(document, ensure_ascii=True, indent=indent)
    return text + "\n"


def _write(
    out: TextIO,
    fmt: str,
    header: dict[str, Any],
    sections: list[tuple[str, Iterator[Any]]],
) -> None:
    """One JSON document (``json``), or one object a line (``jsonl``).

    Both are written as the rows come: memory stays bounded whatever the
    number of records (a JSON document is streamed, its arrays row by row).
    """
    _write_tails(out, fmt, header, [(name, _tails(rows)) for name, rows in sections])


_BLOCK = 100
"""Rows written at a time."""


def _tails(rows: Iterable[dict[str, Any]]) -> Iterator[list[str]]:
    """Rows as blocks of tails: each row's JSON object without its opening brace."""
    iterator = iter(rows)
    while block := [_dumps(row, "jsonl")[1:-1] for row in islice(iterator, _BLOCK)]:
        yield block


def _write_tails(
    out: TextIO,
    fmt: str,
    header: dict[str, Any],
    sections: list[tuple[str, Iterator[list[str]]]],
) -> None:
    """`_write` of rows already in JSON, as blocks of `_tails`.

    A row's object is on one line; without its opening brace it follows the
    record's kind and the header on a JSON line as it is: what one dumps of
    ``{"record": ..., **header, **row}`` writes.
    """
    if fmt == "json":
        fields = [
            f"  {json.dumps(key)}: {_dumps(value, 'jsonl')[:-1]}"
            for key, value in header.items()
        ]
        out.write("{\n" + "".join(field + ",\n" for field in fields))
        for number, (name, blocks) in enumerate(sections):
            out.write(f"  {json.dumps(name)}: [")
            empty = True
            for block in blocks:
                if block:
                    out.write(",\n    {" if not empty else "\n    {")
                    out.write(",\n    {".join(block))
                    empty = False
            out.write("]" if empty else "\n  ]")
            out.write(",\n" if number < len(sections) - 1 else "\n")
        out.write("}\n")
        return
    for name, blocks in sections:
        head = _line_head(_RECORD[name], header)
        between = "\n" + head
        for block in blocks:
            if block:
                out.write(head + between.join(block) + "\n")


def _line_head(record: str, header: dict[str, Any]) -> str:
    """The start of a JSON line of kind ``record``: its kind and ``header``."""
    return _dumps({"record": record, **header}, "jsonl")[:-2] + ", "


_RECORD = {
    "subscriptions": "subscription",
    "batches": "batch",
    "groups": "group",
    "rejected": "rejected",
    "events": "event",
    "invalid": "invalid",
}


def _explained_one(
    sub: Subscription, as_of: date, policy: RenewalPolicy, lang: str
) -> dict[str, Any]:
    from renewal_rules.serde import to_dict

    requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
    return {
        "subscription": sub.id,
        "mode": requirement.mode.value,
        "window": to_dict(requirement.window),
        "reasons": [reason_json(r, lang) for r in requirement.reasons],
    }


def _whole_portfolio(run: _Run) -> int:
    """``plan``, ``align`` and ``timeline``: the records spilled, then answered.

    Memory holds one bucket of customers at a time (`spill`); with
    ``--strict``, the whole input is read before anything is written.
    """
    args, out = run.args, run.out
    on_engine = args.command == "plan" and args.format != "table"
    if on_engine and args.file is not None and run.progress is None and _has_engine():
        return _plan_on_engine(run)
    with Spill(bucket_count(args.file), in_memory=small(args.file)) as spill:
        if args.file is None:
            spill.read((None, sub) for sub in SAMPLE_PORTFOLIO)
        else:
            with opened(args.file, run.stdin) as stream:
                spill.read(
                    parse_sourced(
                        stream, progress=run.progress, policy=run.policy, err=run.err
                    )
                )
        if spill.invalid_count and args.strict:
            return _refuse(args, spill.invalid(), spill.invalid_count, out)
        table = args.format == "table"
        respond, header, names = _RESPONSES[args.command](args, run.policy, table)
        outcome = spill.answer(respond, _loader(), progress=run.progress)
        if table:
            head = _TABLES[args.command](args, outcome)
            lines = chain(
                head, render_invalid(spill.invalid(), spill.invalid_count, args.lang)
            )
            for line in lines:
                out.write(line + "\n")
        else:
            sections = [
                (names[0], outcome.keyed()),
                (names[1], outcome.rejected()),
                ("invalid", invalid_json(spill.invalid())),
            ]
            _write(out, args.format, header, [s for s in sections if s[0]])
        return EXIT_INVALID_RECORDS if spill.invalid_count else EXIT_OK


def _plan_on_engine(run: _Run) -> int:
    """``plan`` as JSON of a FILE on the columnar engine, by bucket of customer."""
    from renewal_rules.cli import engine_plan

    args = run.args
    action = _ACTIONS[args.action]
    buckets = bucket_count(args.file, engine_plan.BYTES_PER_BUCKET)
    with (
        Spill(1) as kept,
        engine_plan.Planned(
            buckets=buckets,
            action=action,
            as_of=args.as_of,
            policy=run.policy,
            lang=args.lang,
        ) as planned,
    ):
        with opened(args.file, run.stdin) as stream:
            engine_plan.plan_rows(
                stream, run.err, planned, keep_invalid=kept.keep_invalid
            )
        if kept.invalid_count and args.strict:
            return _refuse(args, kept.invalid(), kept.invalid_count, run.out)
        planned.answer()
        header = {"action": action.value, "as_of": args.as_of.isoformat()}
        sections = [
            ("batches", planned.batches()),
            ("rejected", planned.rejected()),
            ("invalid", _tails(invalid_json(kept.invalid()))),
        ]
        _write_tails(run.out, args.format, header, sections)
        return EXIT_INVALID_RECORDS if kept.invalid_count else EXIT_OK


def _loader() -> Callable[[Any], Subscription]:
    # A record spilled to disk is the JSON object it came from, read back
    # with one copy of each repeated string, as the first reading made; a
    # small input keeps its subscriptions.
    shared: dict[str, str] = {}

    def load(source: Any) -> Subscription:
        if isinstance(source, Subscription):
            return source
        from renewal_rules.serde import from_dict

        return from_dict(Subscription, share_strings(source, shared))

    return load


Respond = Callable[[list[Subscription]], Answer]


def _plan_response(
    args: argparse.Namespace, policy: RenewalPolicy, table: bool
) -> tuple[Respond, dict[str, Any], tuple[str, str]]:
    action, as_of, lang = _ACTIONS[args.action], args.as_of, args.lang

    def respond(subs: list[Subscription]) -> Answer:
        plan = plan_batches(subs, action=action, as_of=as_of, policy=policy)
        rows = (
            (
                batch.key.csn,
                batch_cells(batch, ordinal) if table else _batch_json(batch, ordinal),
            )
            for batch, ordinal in _ordinals(plan.batches)
        )
        return rows, _rejections(plan.rejected, lang, table)

    header = {"action": action.value, "as_of": as_of.isoformat()}
    return respond, header, ("batches", "rejected")


def _align_response(
    args: argparse.Namespace, policy: RenewalPolicy, table: bool
) -> tuple[Respond, dict[str, Any], tuple[str, str]]:
    as_of, lang = args.as_of, args.lang

    def respond(subs: list[Subscription]) -> Answer:
        aligned = plan_alignment(subs, as_of=as_of, policy=policy)
        rows = (
            (group.key.csn, group_cells(group) if table else _group_json(group))
            for group in aligned.groups
        )
        return rows, _rejections(aligned.rejected, lang, table)

    return respond, {"as_of": as_of.isoformat()}, ("groups", "rejected")


def _timeline_response(
    args: argparse.Namespace, policy: RenewalPolicy, table: bool
) -> tuple[Respond, dict[str, Any], tuple[str, str]]:
    start, end = args.start, args.end

    def respond(subs: list[Subscription]) -> Answer:
        events = portfolio_timeline(subs, start=start, end=end, policy=policy)
        row = timeline_line if table else event_json
        return ((event.sort_key, row(event)) for event in events), ()

    header = {"from": start.isoformat(), "to": end.isoformat()}
    return respond, header, ("events", "")


_RESPONSES = {
    "plan": _plan_response,
    "align": _align_response,
    "timeline": _timeline_response,
}


def _plan_table(args: argparse.Namespace, outcome: Outcome) -> Iterator[str]:
    return render_plan_table(
        outcome.keyed(),
        outcome.rejected(),
        outcome.rejected_count,
        action=args.action,
        as_of=args.as_of,
        lang=args.lang,
    )


def _align_table(args: argparse.Namespace, outcome: Outcome) -> Iterator[str]:
    return render_alignment_table(
        outcome.keyed(),
        outcome.rejected(),
        outcome.rejected_count,
        as_of=args.as_of,
        lang=args.lang,
    )


def _timeline_table(args: argparse.Namespace, outcome: Outcome) -> Iterator[str]:
    return render_timeline(
        outcome.keyed(), outcome.keyed_count, args.start, args.end, args.lang
    )


_TABLES = {"plan": _plan_table, "align": _align_table, "timeline": _timeline_table}


def _ordinals(batches: tuple[Batch, ...]) -> Iterator[tuple[Batch, int]]:
    # A bucket holds every batch of its keys: its ordinals are the plan's.
    return zip(batches, key_ordinals(batch.key for batch in batches), strict=True)


def _batch_json(batch: Batch, ordinal: int) -> dict[str, Any]:
    from renewal_rules.serde import to_dict

    return {
        "key": to_dict(batch.key),
        "batch": ordinal,
        "subscriptions": [sub.id for sub in batch.subscriptions],
    }


def _group_json(group: AlignmentGroup) -> dict[str, Any]:
    from renewal_rules.serde import to_dict

    return {
        "key": to_dict(group.key),
        "renews_on": group.renews_on.isoformat(),
        "subscriptions": [sub.id for sub in group.subscriptions],
    }


def _rejections(
    rejected: Iterable[Rejection], lang: str, table: bool
) -> Iterator[tuple[Subscription, Any]]:
    return (
        (
            rejection.subscription,
            rejection_lines(rejection, lang)
            if table
            else {
                "subscription": rejection.subscription.id,
                "reasons": [reason_json(r, lang) for r in rejection.reasons],
            },
        )
        for rejection in rejected
    )


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stdin: IO[str] | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; return the exit status."""
    try:
        return _main(argv, stdout=stdout, stdin=stdin, stderr=stderr)
    except BrokenPipeError:
        # The reader of the output went away (``| head``): end quietly, as
        # a shell's own commands do. Temporary files are gone already (the
        # spill's context manager); the interpreter's last flush of stdout
        # must not fail again.
        if stdout is None:
            _silence_stdout()
        return EXIT_CLOSED_PIPE


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - no real stdout
        pass


def _main(
    argv: Sequence[str] | None,
    *,
    stdout: TextIO | None,
    stdin: IO[str] | None,
    stderr: TextIO | None,
) -> int:
    args = _parser().parse_args(argv)
    err_stream = stderr if stderr is not None else sys.stderr
    if args.as_of == _TODAY:
        # The one place that reads the clock, on request, said on stderr.
        args.as_of = date.today()
        err_stream.write(f"{PROG}: as of {args.as_of.isoformat()} (today)\n")
    elif args.as_of is None:
        if getattr(args, "file", None) is not None and args.command != "timeline":
            err_stream.write(
                f"{PROG}: error: --as-of is required with a FILE "
                "(YYYY-MM-DD or 'today')\n"
            )
            return EXIT_USAGE
        args.as_of = SAMPLE_AS_OF  # the built-in sample's reproducible day
    if stdout is None and isinstance(sys.stdout, io.TextIOWrapper):
        # An id with a lone surrogate (valid JSON) is shown escaped in tables.
        sys.stdout.reconfigure(errors="backslashreplace")
    if stdin is None and isinstance(sys.stdin, io.TextIOWrapper):
        # Standard input is read exactly like a file: UTF-8, split on \n.
        sys.stdin.reconfigure(encoding="utf-8", errors="strict", newline="\n")
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    if args.command is None:
        try:
            check_as_of(args.as_of)
        except InvalidInputError as error:
            err.write(f"{PROG}: error: --as-of: {error.message}\n")
            return EXIT_USAGE
        out.write(
            render_table(
                SAMPLE_PORTFOLIO, as_of=args.as_of, policy=SAMPLE_POLICY, lang=args.lang
            )
        )
        out.write("\n" + sample_text("sample_policy", args.lang) + "\n")
        # One subscription's year ahead, with no customer action (N3).
        (sample,) = (sub for sub in SAMPLE_PORTFOLIO if sub.id == "S-AUTO-OFF")
        start = args.as_of
        end = min(start + timedelta(days=365), MAX_DATE)
        events = renewal_timeline(sample, start=start, end=end, policy=SAMPLE_POLICY)
        lines = map(timeline_line, events)
        table = render_timeline(lines, len(events), start, end, args.lang)
        said = sample_text("sample_timeline", args.lang, id=sample.id)
        out.write("\n" + said + "\n" + "".join(line + "\n" for line in table))
        return EXIT_OK
    try:
        return _run_file_command(
            args, out, stdin if stdin is not None else sys.stdin, err
        )
    except UsageError as error:
        err.write(f"{PROG}: error: {error}\n")
        return EXIT_USAGE
