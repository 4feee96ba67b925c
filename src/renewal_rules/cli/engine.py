"""``explain --format json|jsonl`` on the columnar engine (private).

Records are gathered in chunks of lines. A line in one of the file's
shapes (its keys in an order seen before, each key once, each cell of its
field's JSON type, strings without escapes) is decoded in columns by Polars:
a regular expression over the chunk's lines says which lines are, so no
Python JSON reader sees them. Any other line is decoded by Python's; each
record whose cells have exactly their JSON types goes into the chunk's
columns too. Every such record is answered
by [`renewal_rules.frames.requirements_table`][renewal_rules.frames.requirements_table]
(the engine, the same conditions as the object API); its line is written from the
answer's mode, window and codes. A record the columns cannot take, or that the door
answers with an error, or whose reasons carry a dated param, is judged and
answered one by one exactly as the object path does (serde's words for an
invalid record). Lines come out in input order, a chunk at a time: memory
holds one chunk. A JSON document's rows are the lines without their
record kind and ``as_of``.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import IO, Any, TextIO, get_args

import polars as pl

from renewal_rules import _columns, _validators
from renewal_rules import conditions as cond
from renewal_rules.cli.read import (
    BLANK,
    Invalid,
    chunks,
    decoded,
    judge,
    say_blank,
    serde_module,
)
from renewal_rules.cli.render import reason_json
from renewal_rules.decisions import make_reason
from renewal_rules.model import PaymentMethod, Subscription
from renewal_rules.policy import RenewalPolicy
from renewal_rules.serde import field_types

__all__ = ["CHUNK", "explain_lines", "plain"]

CHUNK = 20_000
"""Records read, answered and written at a time."""

_INT64 = _validators.INT64
_NONE = type(None)
# The JSON type of the cells of each canonical dtype (a date is a string).
_JSON_TYPE: dict[Any, type[Any]] = {
    pl.String: str,
    pl.Date: str,
    pl.Int64: int,
    pl.Boolean: bool,
    pl.Struct: dict,
}


def _json_types(
    cls: type[Any], columns: Mapping[str, Any]
) -> dict[str, frozenset[type[Any]]]:
    # The exact types each field's cell may hold in JSON, from the engine's
    # canonical columns and the model's fields: null only where the field
    # is Optional (elsewhere serde refuses a null, even with a default).
    hints = field_types(cls)
    found = {}
    for name, dtype in columns.items():
        kind = _JSON_TYPE[dtype.base_type()]
        optional = _NONE in get_args(hints[name])
        found[name] = frozenset({kind, _NONE} if optional else {kind})
    return found


_TYPES = _json_types(Subscription, _columns.FIELDS)
_NAMES = frozenset(_TYPES)
_METHOD_FIELDS = _columns.FIELDS["payment_method"]
_METHOD_TYPES = _json_types(PaymentMethod, _METHOD_FIELDS.to_schema())


def _method(cell: dict[str, Any]) -> bool:
    return cell.keys() <= _METHOD_TYPES.keys() and all(
        type(value) in _METHOD_TYPES[name] for name, value in cell.items()
    )


def _as_read(dtype: Any) -> Any:
    # The dtype a JSON cell is read into: dates stay strings for the engine
    # to read in serde's one spelling.
    if isinstance(dtype, pl.Struct):
        return pl.Struct({field.name: _as_read(field.dtype) for field in dtype.fields})
    return pl.String if dtype.base_type() is pl.Date else dtype


_SCHEMA = {name: _as_read(dtype) for name, dtype in _columns.FIELDS.items()}

# A line in a known shape, as a regular expression (Rust's, run by Polars
# over a chunk's lines): JSON's own whitespace, strings without an escape or
# a control character, ints of at most 18 digits (inside 64 bits), and each
# key of the shape once, in its order. Such a line decodes to the same cells
# whichever reader decodes it.
_WS = r"[ \t\n\r]*"
_VALUE = {
    str: r'"[^"\\\x00-\x1f]*"',
    int: "-?(?:0|[1-9][0-9]{0,17})",
    bool: "(?:true|false)",
    _NONE: "null",
}


def _object(pairs: list[str]) -> str:
    return r"\{" + _WS + f"{_WS},{_WS}".join(pairs) + _WS + r"\}"


def _pair(name: str, types: frozenset[type[Any]], nested: str) -> str:
    values = sorted(nested if kind is dict else _VALUE[kind] for kind in types)
    return f'"{name}"{_WS}:{_WS}(?:{"|".join(values)})'


# A payment method's keys in any order, each at most once.
_METHOD_RE = (
    "(?:"
    + "|".join(
        _object([_pair(name, _METHOD_TYPES[name], "") for name in order])
        for size in range(len(_METHOD_TYPES) + 1)
        for order in itertools.permutations(sorted(_METHOD_TYPES), size)
    )
    + ")"
)

MAX_SHAPES = 16
"""Shapes of line learned from a file; lines of others are read one by one."""


def shape_pattern(shapes: list[tuple[str, ...]]) -> str:
    """The regular expression of a line in one of ``shapes`` (key orders)."""
    objects = (
        _object([_pair(name, _TYPES[name], _METHOD_RE) for name in keys])
        for keys in shapes
    )
    return f"^{_WS}(?:{'|'.join(objects)}){_WS}$"


def in_shape(lines: list[str], shapes: list[tuple[str, ...]]) -> pl.Series:
    """Which of ``lines`` are in one of ``shapes``; all false if none can be."""
    if not shapes:
        return pl.Series([False] * len(lines))
    try:
        return pl.Series(lines, dtype=pl.String).str.contains(shape_pattern(shapes))
    except Exception:  # a line Polars cannot hold (a lone surrogate)
        return pl.Series([False] * len(lines))


def plain(value: Any) -> bool:
    """Whether ``value`` is a JSON object whose cells have exactly their JSON types.

    Only such a record goes into columns: every other one (an unknown key,
    a JSON null where a value is due, ``1.0`` for an int) is judged by
    serde, whose words its error must be in.
    """
    if type(value) is not dict:
        return False
    shape = _shape(tuple(value), tuple(map(type, value.values())))
    if shape is None:
        return False
    ints, methods = shape
    return all(value[name] in _INT64 for name in ints) and all(
        _method(value[name]) for name in methods
    )


@functools.lru_cache(maxsize=256)
def _shape(
    names: tuple[str, ...], kinds: tuple[type[Any], ...]
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    # Records of a file share a few shapes (keys and cell types): each is
    # judged once; only its ints (64 bits) and payment methods are read
    # record by record.
    if not set(names) <= _NAMES:
        return None
    if any(kind not in _TYPES[name] for name, kind in zip(names, kinds, strict=True)):
        return None
    ints = tuple(n for n, k in zip(names, kinds, strict=True) if k is int)
    methods = tuple(n for n, k in zip(names, kinds, strict=True) if k is dict)
    return ints, methods


SUBJECT = "\x00subject\x00"
QUOTED_SUBJECT = json.dumps(SUBJECT)


def _templates(lang: str) -> dict[tuple[str, str], str | None]:
    """The reasons of each (mode, codes) answer as JSON, the subject left to fill.

    ``None`` where the reasons carry a dated param or two masks disagree:
    those rows are answered one by one.
    """
    found: dict[tuple[str, str], str | None] = {}
    for mask in _columns.masks(cond.AUTOMATIC):
        mode, reported = cond.requirement_of(mask)
        conditions = cond.conditions_of(reported)
        key = (mode.value, ";".join(c.code.value for c in conditions))
        text: str | None = None
        if all(c.dated is None for c in conditions):
            reasons = [
                reason_json(make_reason(c.code, SUBJECT, c.params), lang)
                for c in conditions
            ]
            text = json.dumps(reasons, ensure_ascii=False)
        if key in found and found[key] != text:
            text = None
        found[key] = text
    return found


Explained = Callable[[Subscription], dict[str, Any]]


def explain_lines(
    stream: IO[str],
    err: TextIO,
    *,
    as_of: date,
    policy: RenewalPolicy,
    lang: str,
    explained: Explained,
    dumps: Callable[[Any, str], str],
    invalid: Callable[[Invalid], str | None],
) -> Iterator[list[str]]:
    """The JSON line of each record of ``stream``, a chunk at a time, in input order.

    An invalid record's line is what ``invalid`` returns for it (``None``:
    none, the caller keeps it).
    """
    from renewal_rules import frames  # the extra: only when the engine runs

    serde = serde_module()
    template_frame = pl.DataFrame(
        [
            (mode, codes, text)
            for (mode, codes), text in _templates(lang).items()
            if text
        ],
        schema={"mode": pl.String, "codes": pl.String, "template": pl.String},
        orient="row",
    )
    header = f'{{"record": "subscription", "as_of": "{as_of.isoformat()}", '
    blank = 0
    shapes: list[tuple[str, ...]] = []

    def slow(line_no: int, record: Any) -> str | None:
        _, item = judge(line_no, record, serde, policy, {})
        if isinstance(item, Subscription):
            row = explained(item)
            return dumps(
                {"record": "subscription", "as_of": as_of.isoformat(), **row}, "jsonl"
            )
        return invalid(item)

    for numbers, items, texts in chunks(stream, CHUNK):
        in_columns, values, frame = chunk_frame(items, texts, shapes)
        answered = iter(
            _lines(
                frames,
                frame,
                as_of=as_of,
                policy=policy,
                header=header,
                templates=template_frame,
            )
        )
        lines = []
        for line_no, columns, value in zip(numbers, in_columns, values, strict=True):
            if value is BLANK:
                blank += 1
                continue
            line: str | None = next(answered) if columns else None
            if line is None:
                # Answered one by one; a line only Polars read is decoded now.
                text = columns and type(value) is str
                line = slow(line_no, decoded(value) if text else value)
            if line is not None:
                lines.append(line)
        yield lines
    say_blank(blank, err)


def chunk_frame(
    items: list[Any], texts: bool, shapes: list[tuple[str, ...]]
) -> tuple[list[bool], list[Any], pl.DataFrame]:
    """Whether each record is in the chunk's columns, each record, the columns.

    ``items`` are lines of text (``texts``) or decoded values. Lines in a
    known shape are decoded by Polars' reader; the others by Python's, and
    go into columns if `plain` (learning their shape, up to `MAX_SHAPES`).
    Rows come in the chunk's order. A record is `BLANK`, its line where
    Polars read it, or its decoded value (or `BadJSON` text).
    """
    if not texts:
        matched = [False] * len(items)
    else:
        found = in_shape(items, shapes)
        if items and found.all():  # the usual chunk: every line in columns
            last = items[-1]
            lines = items if last.endswith("\n") else [*items[:-1], last + "\n"]
            return [True] * len(items), items, _ndjson(lines)
        matched = found.to_list()
    in_columns: list[bool] = []
    values: list[Any] = []
    parts: list[pl.DataFrame] = []
    text_rows: list[str] = []
    dict_rows: list[tuple[int, dict[str, Any]]] = []

    def close_texts() -> None:
        if text_rows:
            parts.append(_ndjson(text_rows))
            text_rows.clear()

    def close_dicts() -> None:
        if not dict_rows:
            return
        try:
            parts.append(pl.from_dicts([row for _, row in dict_rows], schema=_SCHEMA))
        except Exception:  # a cell Polars cannot hold (a lone surrogate)
            for position, _ in dict_rows:
                in_columns[position] = False
        dict_rows.clear()

    for record, match in zip(items, matched, strict=True):
        if match:
            close_dicts()
            text_rows.append(record if record.endswith("\n") else record + "\n")
            in_columns.append(True)
            values.append(record)
            continue
        item = record
        if texts and type(record) is str:
            item = decoded(record) if record.strip() else BLANK
        in_columns.append(False)
        values.append(item)
        if not plain(item):
            continue
        keys = tuple(item)
        if texts and keys not in shapes and len(shapes) < MAX_SHAPES:
            shapes.append(keys)
        close_texts()
        dict_rows.append((len(values) - 1, item))
        in_columns[-1] = True
    close_texts()
    close_dicts()
    frame = pl.concat(parts) if parts else pl.DataFrame(schema=_SCHEMA)
    return in_columns, values, frame


def _ndjson(lines: list[str]) -> pl.DataFrame:
    frame = pl.read_ndjson(io.BytesIO("".join(lines).encode()), schema=_SCHEMA)
    if frame.height != len(lines):  # pragma: no cover - one object a line
        raise AssertionError("a line in shape is not one record")
    return frame


def _lines(
    frames: Any,
    frame: pl.DataFrame,
    *,
    as_of: date,
    policy: RenewalPolicy,
    header: str,
    templates: pl.DataFrame,
) -> list[str | None]:
    """Each row's output line, from ``requirements_table`` of the chunk's columns.

    ``None`` where the row is answered one by one: the door found an error,
    its reasons have no template (a dated param), or its id needs JSON
    escapes (a quote or a backslash; the model refuses control characters).
    """
    if frame.height == 0:
        return []
    out = frames.requirements_table(frame, as_of=as_of, policy=policy)
    # A row without an id has an error: its line is not used, but every
    # row's is computed.
    subject = pl.concat_str([pl.lit('"'), pl.col("id").fill_null(""), pl.lit('"')])
    line = pl.concat_str(
        [
            pl.lit(f'{header}"subscription": '),
            subject,
            pl.lit(', "mode": "'),
            pl.col("mode"),
            pl.lit('", "window": {"opens_on": "'),
            pl.col("opens_on").cast(pl.String),
            pl.lit('", "closes_on": "'),
            pl.col("closes_on").cast(pl.String),
            pl.lit('"}, "reasons": '),
            pl.col("template").str.replace_all(QUOTED_SUBJECT, subject, literal=True),
            pl.lit("}\n"),
        ]
    )
    fast = (
        pl.col("error").is_null()
        & pl.col("template").is_not_null()
        & ~pl.col("id").str.contains(r'["\\]')
    )
    lines: list[str | None] = (
        out.join(templates, on=["mode", "codes"], how="left", maintain_order="left")
        .select(pl.when(fast).then(line))
        .to_series()
        .to_list()
    )
    return lines
