"""Reading portfolio files and policies for the command line (private).

Records come from a JSON array or JSON Lines, each with its line number;
what cannot be read is a `UsageError` (exit status 2).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any, TextIO

from renewal_rules.errors import UnknownMarketError
from renewal_rules.model import Subscription
from renewal_rules.policy import RenewalPolicy

MAX_LINE = 1 << 20
"""Longest JSON Lines record read (characters); longer lines are reported."""
PROGRESS_CHECK = 1_000
"""Records read between two looks at the clock (on a terminal only)."""


PROG = "python -m renewal_rules"
"""The command line's name, at the start of what it says on standard error."""


class UsageError(Exception):
    """A problem with the command line or its input file (exit status 2)."""


Record = tuple[int, Any]  # (line number, decoded JSON value or an error text)


BLANK = object()
"""In place of a blank line of JSON Lines: no record, but counted."""


class BadJSON(str):
    """An error text in place of a record that is not valid JSON."""

    __slots__ = ()


BLOCK = 1 << 16
"""Characters read at a time from a JSON Lines stream."""


def line_blocks(stream: IO[str], first: str) -> Iterator[list[str]]:
    """The lines of a JSON Lines stream, a block at a time, each with its newline.

    A line longer than `MAX_LINE` characters is its `BadJSON` text, and its
    characters are not kept: memory holds a block and one line.
    """
    pending, skipping = first, False
    too_long = BadJSON(f"line is longer than {MAX_LINE:,} characters")
    while block := stream.read(BLOCK):
        *complete, rest = (pending + block).split("\n")
        lines = [line + "\n" for line in complete]
        if skipping and lines:  # the end of an over-long line
            lines[0], skipping = too_long, False
        if lines and max(map(len, lines)) > MAX_LINE + 1:
            lines = [too_long if len(line) > MAX_LINE + 1 else line for line in lines]
        if len(rest) > MAX_LINE:  # too long already: skip to its end
            rest, skipping = "", True
        pending = rest
        if lines:
            yield lines
    if skipping:
        yield [too_long]
    elif pending:
        yield [pending]


def jsonl(stream: IO[str], first: str) -> Iterator[Record]:
    """Yield ``(line number, value)`` of each JSON Lines record."""
    line_no = 0
    for lines in line_blocks(stream, first):
        for line in lines:
            line_no += 1
            if type(line) is BadJSON:
                yield line_no, line
            elif not line.strip():
                yield line_no, BLANK  # counted, and said on standard error
            else:
                yield line_no, decoded(line)


def decoded(line: str) -> Any:
    """The JSON value of ``line``, or a `BadJSON` text saying why there is none."""
    # A record the JSON reader cannot take is an invalid record, never a
    # traceback: a syntax error (with JSON's own column), a number too long
    # to convert, nesting too deep.
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        return BadJSON(f"invalid JSON: {error.msg} (column {error.colno})")
    except (ValueError, RecursionError):
        return BadJSON("invalid JSON: a value is too large or too deeply nested")


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _skip_value(text: str, position: int) -> int:
    # After a syntax error inside an array: the position of the next ',' or
    # ']' outside strings and nested brackets, so the next element is read.
    depth, in_string, escaped = 0, False, False
    for index in range(position, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            if depth == 0:
                return index
            depth -= 1
        elif char == "," and depth == 0:
            return index
    return len(text)


def json_array(text: str, position: int) -> tuple[list[Record], int]:
    """The elements of the JSON array at ``position``, and where it ends.

    Every element is a record (with its index in the array in the
    ``BadJSON`` text or the paths of its errors); a syntax error, a missing
    or an extra comma is reported and reading goes on at the next element.
    """
    decoder = json.JSONDecoder()
    found: list[Record] = []
    position += 1  # past '['
    expect_value, index = True, 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            found.append((_line(text, position), BadJSON("invalid JSON: missing ']'")))
            return found, position
        char = text[position]
        if char == "]":
            if expect_value and index:
                found.append(
                    (_line(text, position), BadJSON("invalid JSON: extra ','"))
                )
            return found, position + 1
        if char == ",":
            if expect_value:
                found.append(
                    (_line(text, position), BadJSON("invalid JSON: extra ','"))
                )
            expect_value = True
            position += 1
            continue
        line_no = _line(text, position)
        if not expect_value:
            found.append(
                (line_no, BadJSON(f"invalid JSON: missing ',' before [{index}]"))
            )
        start = position
        try:
            value, position = decoder.raw_decode(text, start)
        except json.JSONDecodeError as error:
            message = f"invalid JSON in [{index}]: {error.msg} (column {error.colno})"
            found.append((error.lineno, BadJSON(message)))
            # The whole element is skipped, its brackets counted from its
            # start; one that never closes is skipped from the error on.
            position = _skip_value(text, start)
            if position >= len(text):
                position = _skip_value(text, max(start + 1, error.pos))
        except (ValueError, RecursionError):
            message = f"invalid JSON in [{index}]: a value too large or too deep"
            found.append((line_no, BadJSON(message)))
            position = _skip_value(text, start)
        else:
            found.append((line_no, _Element(index, value)))
        index += 1
        expect_value = False


class _Element:
    """An element of an array: its index (for the paths of its errors) and value."""

    __slots__ = ("index", "value")

    def __init__(self, index: int, value: Any) -> None:
        self.index = index
        self.value = value


def _documents(text: str) -> Iterator[Record]:
    # A file that starts with '[' is read whole: arrays, and JSON Lines after
    # them, are all read (nothing after a ']' is lost).
    position = 0
    while position < len(text):
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            return
        if text[position] == "[":
            found, position = json_array(text, position)
            yield from found
            continue
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        line = text[position:end]
        if line.strip():
            yield _line(text, position), decoded(line)
        position = end + 1


def records(stream: IO[str]) -> Iterator[Record]:
    """Yield the records of JSON arrays or a JSON Lines stream."""
    kind, first = _sniff(stream)
    if kind == "array":
        # Arrays are read whole; use JSON Lines for very large files.
        yield from _documents(first + stream.read())
    elif kind == "lines":
        yield from jsonl(stream, first)


def _sniff(stream: IO[str]) -> tuple[str, str]:
    # Whether the stream holds arrays or JSON Lines (or nothing), and its
    # first character of data.
    first = stream.read(1)
    if first == "\ufeff":  # a UTF-8 byte-order mark is not part of the data
        first = stream.read(1)
    while first.isspace():
        first = stream.read(1)
    if not first:
        return "empty", first
    return ("array" if first == "[" else "lines"), first


Chunk = tuple[Sequence[int], list[Any], bool]
"""Line numbers, records, and whether the records are lines of text."""


def chunks(stream: IO[str], size: int) -> Iterator[Chunk]:
    """`records`, ``size`` at a time, JSON Lines left as their text.

    A chunk of JSON Lines holds each line as read (blank lines too, an
    over-long one as its `BadJSON`), for the reader to decode as it can; a
    chunk of an array's elements holds them decoded.
    """
    kind, first = _sniff(stream)
    if kind == "lines":
        line_no = 1
        held: list[str] = []
        try:
            for lines in line_blocks(stream, first):
                held += lines
                while len(held) >= size:
                    yield range(line_no, line_no + size), held[:size], True
                    del held[:size]
                    line_no += size
        except UnicodeDecodeError:
            # The lines read before the bad bytes are answered, as a
            # record-by-record reader answers them, before the error.
            if held:
                yield range(line_no, line_no + len(held)), held, True
            raise
        if held:
            yield range(line_no, line_no + len(held)), held, True
    elif kind == "array":
        found = list(_documents(first + stream.read()))
        for start in range(0, len(found), size):
            part = found[start : start + size]
            yield [n for n, _ in part], [value for _, value in part], False


def serde_module() -> Any:
    """Return `renewal_rules.serde`, or a usage error without the extra."""
    try:
        from renewal_rules import serde
    except ImportError:  # pragma: no cover - depends on the environment
        raise UsageError(
            "reading files needs the 'serde' extra: pip install renewal_rules[serde]"
        ) from None
    return serde


Invalid = tuple[int, list[tuple[str, str]]]  # (line number, (path, message) pairs)

# The string fields that repeat across a portfolio: one str object each,
# shared by every record of one read (a customer's CSN, the product code).
_SHARED_FIELDS = ("csn", "product", "currency", "market", "partner_csn")


def share_strings(value: dict[str, Any], shared: dict[str, str]) -> dict[str, Any]:
    """``value`` with its repeated strings replaced by their copies in ``shared``."""
    for name in _SHARED_FIELDS:
        text = value.get(name)
        if type(text) is str:
            value[name] = shared.setdefault(text, text)
    return value


def parse(
    stream: IO[str], *, progress: TextIO | None, policy: RenewalPolicy, err: TextIO
) -> Iterator[Any]:
    """Yield each record as a `Subscription` or an ``Invalid`` pair, in order.

    Reads as it yields: memory holds one record at a time (and one copy of
    each repeated string), whatever the size of a JSON Lines file.
    """
    for _, item in parse_sourced(stream, progress=progress, policy=policy, err=err):
        yield item


def parse_sourced(
    stream: IO[str], *, progress: TextIO | None, policy: RenewalPolicy, err: TextIO
) -> Iterator[tuple[Any, Any]]:
    """`parse`, each item with its source: the JSON object it was read from.

    The source of an ``Invalid`` pair is ``None``. ``serde.from_dict`` reads
    a source again into the same subscription (the spill of
    `renewal_rules.cli.spill` keeps sources, not objects).
    """
    serde = serde_module()
    shared: dict[str, str] = {}
    count = 0
    shown = time.monotonic() if progress is not None else 0.0
    blank = 0
    for line_no, record in records(stream):
        if record is BLANK:
            blank += 1
            continue
        count += 1
        if progress is not None and count % PROGRESS_CHECK == 0:
            # On a terminal only: the one clock the command line reads, for
            # the display, at least once a second.
            now = time.monotonic()
            if now - shown >= 1.0:
                shown = now
                progress.write(f"\rread {count:,} records")
                progress.flush()
        yield judge(line_no, record, serde, policy, shared)
    if progress is not None and count >= PROGRESS_CHECK:
        progress.write(f"\rread {count:,} records\n")
    say_blank(blank, err)


def say_blank(blank: int, err: TextIO) -> None:
    """Say on ``err`` how many blank lines were skipped (none: nothing)."""
    if blank:  # no record is lost without a word
        lines = "blank line" if blank == 1 else "blank lines"
        err.write(f"{PROG}: {blank:,} {lines} skipped\n")


def judge(
    line_no: int, record: Any, serde: Any, policy: RenewalPolicy, shared: dict[str, str]
) -> tuple[Any, Any]:
    """A record as ``(source, Subscription)`` or ``(None, Invalid)`` (serde's words)."""
    if isinstance(record, BadJSON):
        return None, (line_no, [("$", str(record))])
    root, value = "$", record
    if isinstance(record, _Element):  # errors name the element: $[3].csn
        root, value = f"$[{record.index}]", record.value
    if type(value) is dict:
        share_strings(value, shared)
    try:
        sub = serde.from_dict(Subscription, value)
        policy.offered_bits(sub.market)  # A4: a market the policy lists
    except UnknownMarketError as error:  # a record the policy cannot answer
        return None, (line_no, [(f"{root}.market", error.message)])
    except serde.SerdeError as error:
        errors = [(root + path[1:], message) for path, message in error.errors]
        return None, (line_no, _capped(errors))
    except Exception:
        return None, (line_no, [(root, "could not be read")])
    return value, sub


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
    except BrokenPipeError:  # the output closed while reading: not the input's
        raise
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path}: not UTF-8 text") from None


@contextmanager
def opened(path: str, stdin: IO[str]) -> Iterator[IO[str]]:
    """The stream of ``path`` (``-``: standard input), failures as usage errors."""
    if path == "-":
        try:
            yield stdin
        except UnicodeDecodeError:
            raise UsageError("cannot read standard input: not UTF-8 text") from None
        return
    with reading(path) as stream:
        yield stream


def load_policy(path: str) -> RenewalPolicy:
    """Read a [`RenewalPolicy`][renewal_rules.RenewalPolicy] from a JSON file."""
    serde = serde_module()
    try:
        with reading(path) as stream:
            value = json.load(stream)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{path}: invalid JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise UsageError(f"{path}: invalid JSON: nested too deep") from None
    except ValueError:  # an integer too long for Python to convert
        raise UsageError(
            f"{path}: invalid JSON: a number of more than "
            f"{sys.get_int_max_str_digits()} digits"
        ) from None
    try:
        policy: RenewalPolicy = serde.from_dict(RenewalPolicy, value)
    except serde.SerdeError as error:
        raise UsageError(f"{path}: not a valid policy: {error}") from None
    return policy
