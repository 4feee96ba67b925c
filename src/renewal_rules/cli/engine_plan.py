"""``plan`` as JSON on the columnar engine, in bounded memory (private).

Records are read a chunk at a time by the explain engine's reader
(`renewal_rules.cli.engine`): lines in a known shape decoded in columns by
Polars, any other by Python's reader, every record the model refuses judged
by serde for its words. Each valid record then gets its mask of failing
member conditions in columns (each condition's column form, as
[`renewal_rules.frames.plan_table`][renewal_rules.frames.plan_table] computes
it), and

- a rejected record's JSON row is made there, in columns: the reasons of its
  mask with the dates its reasons name (each condition's ``dated_column``),
  and written to the rejections file in input order;
- a planned record goes to the file of its customer's bucket
  (`renewal_rules._partition.bucket_of`);
- every valid record's id and position go to a file by bucket of id.

Once the input is read:

- each id bucket names its repeats (an id seen before, in input order): the
  library rejects a repeat as ``duplicate_subscription`` whatever its own
  mask, and plans the rest as if it were absent, so a repeat is left out of
  its customer's bucket and put in its place among the rejections;
- each customer bucket is planned by ``frames.plan_table`` (its rows in
  input order), and its batches written as JSON rows in key order; a key
  holds one customer, so the buckets' rows merged by key are the whole
  plan's, as in `renewal_rules.cli.spill`.

The files are Arrow IPC streams this process writes and reads itself, in a
private temporary directory removed at the end of the run. Memory holds one
chunk, then one bucket, and the positions of the repeats.
"""

from __future__ import annotations

import heapq
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from itertools import islice
from operator import itemgetter
from typing import IO, Any, TextIO

import polars as pl
import pyarrow as pa

from renewal_rules import _columns, frames
from renewal_rules import conditions as cond
from renewal_rules._partition import bucket_of
from renewal_rules.batching import _ASKED, BatchAction, member_mask
from renewal_rules.catalog import ReasonCode
from renewal_rules.cli import engine
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
from renewal_rules.model import Subscription
from renewal_rules.policy import RenewalPolicy

__all__ = ["BYTES_PER_BUCKET", "Planned", "plan_rows"]

BYTES_PER_BUCKET = 64 << 20
"""Input bytes a customer bucket aims at (about 180,000 records of a typical
file, of which the planned ones are kept): a bucket is planned in memory."""

_BATCH_ROWS = 2_048
"""Rows of an Arrow record batch of the files."""
_REPEAT = -1
"""The mask of a repeat: no condition's, for its one reason."""
_POSITION = "__position"
_BUCKET = "__bucket"
_TEXT = "__text"
_KEYS = ("csn", "currency", "purchase_method")
_SUBJECT = engine.SUBJECT
_QUOTED_SUBJECT = engine.QUOTED_SUBJECT


def _json_text(text: pl.Expr) -> pl.Expr:
    # A model-valid string as JSON: it holds no control character, so only
    # a backslash and a quote are escaped, as json.dumps escapes them.
    escaped = text.str.replace_all("\\", "\\\\", literal=True).str.replace_all(
        '"', '\\"', literal=True
    )
    return pl.concat_str([pl.lit('"'), escaped, pl.lit('"')])


class _Files:
    """Arrow IPC streams by name in one directory, each appended frame by frame."""

    def __init__(self, directory: str) -> None:
        self._directory = directory
        self._writers: dict[str, Any] = {}

    def add(self, name: str, frame: pl.DataFrame) -> None:
        if not frame.height:
            return
        # Polars' own string layout: written as it is held, no copy.
        table = frame.to_arrow()
        writer = self._writers.get(name)
        if writer is None:
            path = os.path.join(self._directory, name)
            writer = pa.ipc.new_stream(pa.OSFile(path, "wb"), table.schema)
            self._writers[name] = writer
        # A bucket's batches are read back beside every other bucket's (the
        # merge): a record batch at a time, so that memory holds one each.
        writer.write_table(table, max_chunksize=_BATCH_ROWS)

    def read(self, name: str) -> Iterator[pl.DataFrame]:
        """The frames of ``name`` in the order added (record batches); then removed."""
        writer = self._writers.pop(name, None)
        if writer is None:
            return
        writer.close()
        path = os.path.join(self._directory, name)
        with pa.OSFile(path, "rb") as source:
            for batch in pa.ipc.open_stream(source):
                yield pl.DataFrame(pl.from_arrow(batch))
        os.remove(path)

    def read_all(self, name: str) -> pl.DataFrame | None:
        """Every row of ``name`` as one frame (``None``: none was added)."""
        parts = list(self.read(name))
        return pl.concat(parts) if parts else None


def _templates(
    asked: int, columns: _columns.Columns, lang: str
) -> tuple[dict[int, str], dict[str, tuple[str, pl.Expr]]]:
    """The reasons of each rejecting mask as JSON, subject and dates left to fill.

    A dated param stands as a sentinel day outside the supported range;
    also returned: each param's sentinel text and column.
    """
    sentinels: dict[str, date] = {}
    dated: dict[str, tuple[str, pl.Expr]] = {}
    for condition in cond.conditions_of(asked):
        if condition.dated_column is not None:
            name, column = condition.dated_column(columns)
            if name not in sentinels:
                sentinels[name] = date(1, 1, len(sentinels) + 1)
                dated[name] = (sentinels[name].isoformat(), column)
    found = {}
    for mask in _columns.masks(asked):
        counted = member_mask(mask)
        if not counted:
            continue
        reasons = []
        for condition in cond.conditions_of(counted):
            params = condition.params
            if condition.dated_column is not None:
                name, _ = condition.dated_column(columns)
                params = ((name, sentinels[name]),)
            reason = make_reason(condition.code, _SUBJECT, params)
            reasons.append(reason_json(reason, lang))
        found[mask] = json.dumps(reasons, ensure_ascii=False)
    return found, dated


def _rejection(reasons: pl.Expr) -> pl.Expr:
    """A rejection's JSON row from its reasons' JSON (the subject to fill)."""
    subject = _json_text(pl.col("id"))
    filled = reasons.str.replace_all(_QUOTED_SUBJECT, subject, literal=True)
    return pl.concat_str(
        [
            pl.lit('{"subscription": '),
            subject,
            pl.lit(', "reasons": '),
            filled,
            pl.lit("}"),
        ]
    )


class Planned:
    """A plan being made from a stream: its files, then its rows (each read once).

    Use as a context manager: the temporary directory goes with it.
    """

    def __init__(
        self,
        *,
        buckets: int,
        action: BatchAction,
        as_of: date,
        policy: RenewalPolicy,
        lang: str,
    ) -> None:
        self.buckets = buckets
        self.policy = policy
        self._action, self._as_of = action, as_of
        self._asked = _ASKED[action]
        self._columns = _columns.Columns(policy, as_of, self._asked)
        _codes, self._planned = _columns.member_table(self._asked)
        self._templates, self._dated = _templates(self._asked, self._columns, lang)
        duplicate = make_reason(ReasonCode.DUPLICATE_SUBSCRIPTION, _SUBJECT)
        self._templates[_REPEAT] = json.dumps(
            [reason_json(duplicate, lang)], ensure_ascii=False
        )
        self._directory = tempfile.mkdtemp(prefix="rr-")
        self._files = _Files(self._directory)
        self._repeats = pl.DataFrame(schema={_POSITION: pl.Int64, "id": pl.String})

    def __enter__(self) -> Planned:
        return self

    def __exit__(self, *exc_info: object) -> None:
        shutil.rmtree(self._directory, ignore_errors=True)

    def add(self, valid: pl.DataFrame) -> None:
        """File valid records: canonical columns with their input position."""
        c = self._columns
        mask = _columns.failures(c, self._asked).alias(_columns.MASK)
        answered = valid.with_columns(mask)
        planned = pl.col(_columns.MASK).is_in(self._planned)
        # A rejection is kept as its mask and dates: its JSON row is made as
        # it is written (several times the bytes).
        dates = [column.alias(name) for name, (_, column) in self._dated.items()]
        rejected = answered.filter(~planned).select(
            _POSITION, "id", _columns.MASK, *dates
        )
        self._files.add("rejected", rejected)
        kept = answered.filter(planned).drop(_columns.MASK)
        # A chunk's customers, each bucketed once by the one partitioner.
        home = {c: bucket_of(c, self.buckets) for c in kept["csn"].unique().to_list()}
        by_csn = kept.with_columns(
            pl.col("csn").replace_strict(home, return_dtype=pl.Int64).alias(_BUCKET)
        )
        for (bucket,), part in by_csn.partition_by(_BUCKET, as_dict=True).items():
            self._files.add(f"planned-{bucket}", part.drop(_BUCKET))
        ids = valid.select(
            "id", _POSITION, (pl.col("id").hash(0) % self.buckets).alias(_BUCKET)
        )
        for (bucket,), part in ids.partition_by(_BUCKET, as_dict=True).items():
            self._files.add(f"ids-{bucket}", part.drop(_BUCKET))

    def answer(self) -> None:
        """Find the repeats, then plan each customer bucket (once, after `add`)."""
        repeats = []
        for bucket in range(self.buckets):
            ids = self._files.read_all(f"ids-{bucket}")
            if ids is not None:  # in input order: a later row of an id repeats it
                repeats.append(ids.filter(~pl.col("id").is_first_distinct()))
        if repeats:
            self._repeats = pl.concat(repeats).sort(_POSITION)
        for bucket in range(self.buckets):
            rows = self._files.read_all(f"planned-{bucket}")
            if rows is None:
                continue
            rows = rows.join(self._repeats, on=_POSITION, how="anti")
            self._files.add(f"batches-{bucket}", self._batches(rows))

    def _batches(self, rows: pl.DataFrame) -> pl.DataFrame:
        # The library's batches of one bucket, by key, as JSON rows.
        plan: pl.DataFrame = frames.plan_table(
            rows.rename({_POSITION: frames.ORDER_COLUMN}),
            action=self._action,
            as_of=self._as_of,
            policy=self.policy,
        )
        if plan["batch"].null_count():  # pragma: no cover - the masks agree
            raise AssertionError("a member planned by its mask was rejected")
        key = [*_KEYS, "batch"]
        grouped = (
            plan.sort(*key, "position")
            .group_by(key, maintain_order=True)
            .agg(_json_text(pl.col("id")).str.join(", ").alias("ids"))
        )
        text = pl.concat_str(
            [
                pl.lit('{"key": {"csn": "'),
                pl.col("csn"),
                pl.lit('", "currency": "'),
                pl.col("currency"),
                pl.lit('", "purchase_method": "'),
                pl.col("purchase_method"),
                pl.lit('"}, "batch": '),
                pl.col("batch").cast(pl.String),
                pl.lit(', "subscriptions": ['),
                pl.col("ids"),
                pl.lit("]}"),
            ]
        )
        return grouped.select(*key, text.alias(_TEXT))

    def batches(self) -> Iterator[list[str]]:
        """Every batch's JSON row, in the plan's order (by key, then ordinal).

        In blocks of tails: each row without its opening brace.
        """
        parts = [self._keyed(f"batches-{b}") for b in range(self.buckets)]
        merged = heapq.merge(*parts, key=_first)
        while block := [text[1:] for _, text in islice(merged, _BLOCK)]:
            yield block

    def _keyed(self, name: str) -> Iterator[tuple[tuple[Any, ...], str]]:
        for frame in self._files.read(name):
            keys = frame.select(*_KEYS, "batch").iter_rows()
            yield from zip(keys, frame[_TEXT], strict=True)

    def rejected(self) -> Iterator[list[str]]:
        """Every rejection's JSON row, in input order (repeats in their places).

        In blocks of tails, as `batches`.
        """
        dates = {name: pl.lit(None, dtype=pl.Date) for name in self._dated}
        repeats = self._repeats.select(
            _POSITION,
            "id",
            pl.lit(_REPEAT, dtype=pl.Int64).alias(_columns.MASK),
            **dates,
        )
        positions = repeats[_POSITION]
        done = 0
        for part in self._files.read("rejected"):
            last = part[_POSITION][-1]
            upto = int(positions.search_sorted(last, side="right"))
            if upto > done:
                between = repeats[done:upto]
                part = pl.concat(  # noqa: PLW2901 - the part with its repeats
                    [part.join(between, on=_POSITION, how="anti"), between]
                ).sort(_POSITION)
                done = upto
            yield self._tails(part)
        yield self._tails(repeats[done:])

    def _tails(self, rejected: pl.DataFrame) -> list[str]:
        # The JSON rows of rejections, without their opening brace.
        reasons = pl.col(_columns.MASK).replace_strict(
            self._templates, return_dtype=pl.String
        )
        for name, (sentinel, _) in self._dated.items():
            on = pl.col(name).cast(pl.String).fill_null(sentinel)
            reasons = reasons.str.replace_all(sentinel, on, literal=True)
        tails: list[str] = (
            rejected.select(_rejection(reasons).str.slice(1)).to_series().to_list()
        )
        return tails


_first = itemgetter(0)
_BLOCK = 1_000  # batches written at a time


def plan_rows(
    stream: IO[str],
    err: TextIO,
    planned: Planned,
    *,
    keep_invalid: Callable[[Invalid], None],
) -> None:
    """Read ``stream`` into ``planned``; each invalid record to ``keep_invalid``.

    A record's position is its place among the records (blank lines are
    not records): the input order the plan keeps.
    """
    serde = serde_module()
    policy = planned.policy
    shapes: list[tuple[str, ...]] = []
    position = blank = 0
    for numbers, items, texts in chunks(stream, engine.CHUNK):
        in_columns, values, frame = engine.chunk_frame(items, texts, shapes)
        good, bad = frames.valid_rows(frame, policy) if frame.height else (None, [])
        chunk = _Chunk(position)
        if not bad and all(in_columns):  # every record a valid row of the frame
            chunk.rows = range(position, position + len(values))
            chunk.position = position + len(values)
        else:
            chunk.read(
                numbers,
                in_columns,
                values,
                refused=set(bad),
                serde=serde,
                policy=policy,
                keep_invalid=keep_invalid,
            )
        position, blank = chunk.position, blank + chunk.blank
        parts = []
        if good is not None and good.height:
            at = pl.Series(chunk.rows, dtype=pl.Int64).gather(good[_columns.ROW])
            parts.append(
                good.select(*_columns.FIELDS).with_columns(at.alias(_POSITION))
            )
        if chunk.slow:
            table = pl.DataFrame(pl.from_arrow(frames.subscriptions_table(chunk.slow)))
            parts.append(
                table.select(
                    *(pl.col(n).cast(k) for n, k in _columns.FIELDS.items()),
                    pl.Series(_POSITION, chunk.slow_rows, dtype=pl.Int64),
                )
            )
        if parts:
            planned.add(pl.concat(parts).sort(_POSITION))
    say_blank(blank, err)


class _Chunk:
    """The positions of one chunk's records, and those judged one by one."""

    def __init__(self, position: int) -> None:
        self.position = position
        self.blank = 0
        self.rows: Sequence[int] = []  # the position of each row of the frame
        self.slow: list[Subscription] = []  # valid, but not rows of the frame
        self.slow_rows: list[int] = []

    def read(
        self,
        numbers: Sequence[int],
        in_columns: list[bool],
        values: list[Any],
        *,
        refused: set[int],
        serde: Any,
        policy: RenewalPolicy,
        keep_invalid: Callable[[Invalid], None],
    ) -> None:
        """Number the records; judge (serde's words) those the frame cannot answer."""
        rows: list[int] = []
        for line_no, columns, value in zip(numbers, in_columns, values, strict=True):
            if value is BLANK:
                self.blank += 1
                continue
            position = self.position
            self.position += 1
            record = value
            if columns:
                rows.append(position)
                if len(rows) - 1 not in refused:
                    continue
                if type(value) is str:  # a line only Polars read
                    record = decoded(value)
            _, item = judge(line_no, record, serde, policy, {})
            if isinstance(item, Subscription):
                self.slow.append(item)
                self.slow_rows.append(position)
            else:
                keep_invalid(item)
        self.rows = rows
