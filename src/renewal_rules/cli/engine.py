"""``explain --format jsonl`` on the columnar engine (private).

Records are read as JSON and gathered in chunks; each record whose cells
have exactly their JSON types goes into the chunk's columns and is answered
by [`renewal_rules.frames.requirements_table`][renewal_rules.frames.requirements_table]
(the engine, the same conditions as the object API); its line is written from the
answer's mode, window and codes. A record the columns cannot take, or that the door
answers with an error, or whose reasons carry a dated param, is judged and
answered one by one exactly as the object path does (serde's words for an
invalid record). Lines come out in input order, a chunk at a time: memory
holds one chunk.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import IO, Any, TextIO, get_args

import polars as pl

from renewal_rules import _columns, _validators
from renewal_rules import conditions as cond
from renewal_rules.cli.read import BLANK, judge, records, say_blank, serde_module
from renewal_rules.cli.render import invalid_json, reason_json
from renewal_rules.decisions import make_reason
from renewal_rules.model import PaymentMethod, Subscription
from renewal_rules.policy import RenewalPolicy
from renewal_rules.serde import field_types

__all__ = ["CHUNK", "explain_jsonl", "plain"]

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


_SUBJECT = "\x00subject\x00"
_QUOTED_SUBJECT = json.dumps(_SUBJECT)


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
                reason_json(make_reason(c.code, _SUBJECT, c.params), lang)
                for c in conditions
            ]
            text = json.dumps(reasons, ensure_ascii=False)
        if key in found and found[key] != text:
            text = None
        found[key] = text
    return found


Explained = Callable[[Subscription], dict[str, Any]]


def explain_jsonl(
    stream: IO[str],
    out: TextIO,
    err: TextIO,
    *,
    as_of: date,
    policy: RenewalPolicy,
    lang: str,
    explained: Explained,
    dumps: Callable[[Any, str], str],
) -> int:
    """Write one JSON line per record of ``stream``; return the invalid count."""
    from renewal_rules import frames  # the extra: only when the engine runs

    serde = serde_module()
    templates = _templates(lang)
    header = f'{{"record": "subscription", "as_of": "{as_of.isoformat()}", '
    invalid = blank = 0
    chunk: list[tuple[int, Any]] = []

    def slow(line_no: int, record: Any) -> str:
        nonlocal invalid
        _, item = judge(line_no, record, serde, policy, {})
        if isinstance(item, Subscription):
            row = explained(item)
            return dumps(
                {"record": "subscription", "as_of": as_of.isoformat(), **row}, "jsonl"
            )
        invalid += 1
        (row,) = invalid_json([item])
        return dumps({"record": "invalid", "as_of": as_of.isoformat(), **row}, "jsonl")

    def flush() -> None:
        fast = [plain(value) for _, value in chunk]
        columns = [value for (_, value), ok in zip(chunk, fast, strict=True) if ok]
        answers = _answers(frames, columns, as_of, policy) if columns else iter(())
        lines = []
        for (line_no, value), ok in zip(chunk, fast, strict=True):
            answer = next(answers) if ok else None
            template = None if answer is None else templates.get(answer[1:3])
            if answer is None or answer[5] is not None or template is None:
                lines.append(slow(line_no, value))
                continue
            sid, mode, _, opens_on, closes_on, _ = answer
            # An id holds no control character (the model refuses them):
            # JSON escapes only its quotes and backslashes.
            subject = (
                f'"{sid}"'
                if '"' not in sid and "\\" not in sid
                else json.dumps(sid, ensure_ascii=False)
            )
            lines.append(
                f'{header}"subscription": {subject}, "mode": "{mode}", "window": '
                f'{{"opens_on": "{opens_on}", "closes_on": "{closes_on}"}}, '
                f'"reasons": {template.replace(_QUOTED_SUBJECT, subject)}}}\n'
            )
        out.write("".join(lines))
        chunk.clear()

    for line_no, record in records(stream):
        if record is BLANK:
            blank += 1
            continue
        chunk.append((line_no, record))
        if len(chunk) >= CHUNK:
            flush()
    flush()
    say_blank(blank, err)
    return invalid


def _answers(
    frames: Any, values: list[dict[str, Any]], as_of: date, policy: RenewalPolicy
) -> Iterator[tuple[Any, ...]]:
    """``requirements_table`` of the plain records, dates as ISO strings."""
    try:
        frame = pl.from_dicts(values, schema=_SCHEMA)
    except Exception:  # a cell Polars cannot hold (a lone surrogate): one by one
        return iter([(None, None, None, None, None, "")] * len(values))
    out = frames.requirements_table(frame, as_of=as_of, policy=policy).with_columns(
        pl.col("opens_on").cast(pl.String), pl.col("closes_on").cast(pl.String)
    )
    rows: Iterator[tuple[Any, ...]] = out.iter_rows()
    return rows
