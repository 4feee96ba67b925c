"""Reading portfolio files and policies for the command line (private).

Records come from a JSON array or JSON Lines, each with its line number;
what cannot be read is a :class:`UsageError` (exit status 2).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, TextIO

from renewal_rules.model import Subscription
from renewal_rules.policy import RenewalPolicy

MAX_LINE = 1 << 20
"""Longest JSON Lines record read (characters); longer lines are reported."""
PROGRESS_EVERY = 100_000


class UsageError(Exception):
    """A problem with the command line or its input file (exit status 2)."""


Record = tuple[int, Any]  # (line number, decoded JSON value or an error text)


class BadJSON(str):
    """An error text in place of a record that is not valid JSON."""

    __slots__ = ()


def jsonl(stream: IO[str], first: str) -> Iterator[Record]:
    """Yield ``(line number, value)`` of each JSON Lines record."""
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
            yield line_no, BadJSON(f"line is longer than {MAX_LINE:,} characters")
            continue
        if not line.strip():
            continue
        yield line_no, _decoded(line)


def _decoded(line: str) -> Any:
    # A record the JSON reader cannot take is an invalid record, never a
    # traceback: a syntax error (with JSON's own column), a number too long
    # to convert, nesting too deep.
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        return BadJSON(f"invalid JSON: {error.msg} (column {error.colno})")
    except (ValueError, RecursionError):
        return BadJSON("invalid JSON: a value is too large or too deeply nested")


def json_array(text: str) -> Iterator[Record]:
    """Yield ``(line number, value)`` of each element of a JSON array."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            yield (
                text.count("\n", 0, position) + 1,
                BadJSON("invalid JSON: missing ']'"),
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
                BadJSON(f"invalid JSON: {error.msg} (column {error.colno})"),
            )
            return
        except (ValueError, RecursionError):
            yield line_no, BadJSON("invalid JSON: a value too large or too deep")
            return
        yield line_no, value


def records(stream: IO[str]) -> Iterator[Record]:
    """Yield the records of a JSON array or a JSON Lines stream."""
    first = stream.read(1)
    if first == "\ufeff":  # a UTF-8 byte-order mark is not part of the data
        first = stream.read(1)
    while first.isspace():
        first = stream.read(1)
    if first == "[":
        # A JSON array is read whole; use JSON Lines for very large files.
        yield from json_array(first + stream.read())
    elif first:
        yield from jsonl(stream, first)


def serde_module() -> Any:
    """Return :mod:`renewal_rules.serde`, or a usage error without the extra."""
    try:
        from renewal_rules import serde
    except ImportError:  # pragma: no cover - depends on the environment
        raise UsageError(
            "reading files needs the 'serde' extra: pip install renewal_rules[serde]"
        ) from None
    return serde


def load(
    stream: IO[str], *, progress: TextIO | None
) -> tuple[list[Subscription], list[tuple[int, list[tuple[str, str]]]]]:
    """Read every record; return the subscriptions and the invalid records."""
    serde = serde_module()
    subs: list[Subscription] = []
    invalid: list[tuple[int, list[tuple[str, str]]]] = []
    count = 0
    for line_no, value in records(stream):
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress.write(f"\rread {count:,} records")
            progress.flush()
        if isinstance(value, BadJSON):
            invalid.append((line_no, [("$", str(value))]))
            continue
        try:
            subs.append(serde.from_dict(Subscription, value))
        except serde.SerdeError as error:
            invalid.append((line_no, _capped(list(error.errors))))
        except Exception:
            invalid.append((line_no, [("$", "could not be read")]))
    if progress is not None and count >= PROGRESS_EVERY:
        progress.write(f"\rread {count:,} records\n")
    return subs, invalid


MAX_ERRORS = 20
"""Most errors listed for one record; a count stands for the rest."""


def _capped(errors: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if len(errors) <= MAX_ERRORS:
        return errors
    rest = len(errors) - MAX_ERRORS
    return [*errors[:MAX_ERRORS], ("$", f"and {rest:,} more errors")]


@contextmanager
def reading(path: str) -> Iterator[IO[str]]:
    """Open ``path`` as UTF-8 text; failures to read it are usage errors.

    JSON Lines are split on line feeds only: a bare carriage return is JSON
    white space inside a record.
    """
    try:
        with open(path, encoding="utf-8", newline="\n") as stream:
            yield stream
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path}: not UTF-8 text") from None


def open_and_load(
    path: str, stdin: IO[str], progress: TextIO | None
) -> tuple[list[Subscription], list[tuple[int, list[tuple[str, str]]]]]:
    """Read the file ``path`` (``-``: standard input) with :func:`load`."""
    if path == "-":
        try:
            return load(stdin, progress=progress)
        except UnicodeDecodeError:
            raise UsageError("cannot read standard input: not UTF-8 text") from None
    with reading(path) as stream:
        return load(stream, progress=progress)


def load_policy(path: str) -> RenewalPolicy:
    """Read a :class:`~renewal_rules.RenewalPolicy` from a JSON file."""
    serde = serde_module()
    try:
        with reading(path) as stream:
            value = json.load(stream)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{path}: invalid JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno})"
        ) from None
    try:
        policy: RenewalPolicy = serde.from_dict(RenewalPolicy, value)
    except serde.SerdeError as error:
        raise UsageError(f"{path}: not a valid policy: {error}") from None
    return policy
