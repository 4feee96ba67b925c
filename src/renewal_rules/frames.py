"""The columnar door: Polars, pyarrow and pandas frames in, the same kind out.

Needs the ``frames`` extra (``pip install renewal_rules[frames]``: Polars,
pyarrow, pandas and cattrs); the core never imports this module.

Columns move, not objects: each function takes a Polars ``DataFrame`` or
``LazyFrame`` (which stays lazy), a pyarrow ``Table`` or ``RecordBatch``, or
a pandas ``DataFrame`` whose columns are those of
[`SUBSCRIPTION_SCHEMA`][renewal_rules.frames.SUBSCRIPTION_SCHEMA] (the serde field
names), and returns the same kind of frame with **one output row per input row** (one
row per event for [`timeline_table`][renewal_rules.frames.timeline_table]). The rules
run in columns on the engine beneath (each condition's column form, from the one table
of conditions); a row the model refuses is not dropped: its ``error`` column lists every
bad field with its path (``$.term_end: must be after term_start``), in the words
[`renewal_rules.serde`][renewal_rules.serde] gives the same record.

Every flavour an engine delivers is read: Arrow and Polars types or NumPy
dtypes, ``None``, ``pd.NA``, ``NaN`` or ``NaT`` for a null, NumPy scalars,
dates as ``date32``, as ``datetime.date`` objects, as midnight timestamps
or as ISO strings (serde's ``YYYY-MM-DD``). A null cell is a missing value:
the field's default applies, as for a key absent from a serde document (a
required field reports ``is required``). An integer field also takes an
integral float (how NumPy holds an integer column with nulls); nothing else
is converted.

>>> from datetime import date
>>> import pyarrow as pa
>>> table = pa.Table.from_pylist([
...     {"id": "S-1", "csn": "5100001", "product": "ACDLT", "term": "annual",
...      "term_start": date(2026, 5, 1), "term_end": date(2027, 5, 1),
...      "currency": "EUR", "purchase_method": "online", "market": "FR"},
...     {"id": "S-2", "csn": "5100001", "product": "ACDLT", "term": "yearly",
...      "term_start": date(2026, 5, 1), "term_end": date(2027, 5, 1),
...      "currency": "euro", "purchase_method": "online", "market": "FR"},
... ])
>>> out = requirements_table(table, as_of=date(2027, 3, 1))
>>> out.column("mode").to_pylist()
['manual', None]
>>> out.column("codes").to_pylist()[0]
'auto_renew_off;no_payment_method'
>>> for error in out.column("error").to_pylist()[1].split("; "):
...     print(error)
$.term: "yearly" is not a Term value
$.currency: must be an ISO 4217 code such as 'EUR'
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import Enum
from types import UnionType
from typing import TYPE_CHECKING, Any, TypeGuard, cast, get_args

import attrs

if TYPE_CHECKING:
    import pandas as pd

try:
    import polars as pl
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - the extra is installed in tests
    raise ImportError(
        "renewal_rules.frames needs the 'frames' extra: "
        "pip install renewal_rules[frames]"
    ) from error

from renewal_rules import _columns, _partition, serde, timeline
from renewal_rules import _validators as v
from renewal_rules import conditions as _cond
from renewal_rules._dates import iso_date
from renewal_rules.batching import _ASKED, BatchAction
from renewal_rules.errors import InvalidInputError, InvalidTypeError, preview
from renewal_rules.lifecycle import _WITH_ACCESS
from renewal_rules.model import LifecycleStage, PaymentMethod, Subscription
from renewal_rules.policy import (
    DEFAULT_POLICY,
    MAX_COUNT,
    RenewalPolicy,
    check_context,
)

__all__ = [
    "INVOICE_COLUMN",
    "ORDER_COLUMN",
    "PLAN_DDL",
    "PLAN_SCHEMA",
    "REQUIREMENT_DDL",
    "REQUIREMENT_SCHEMA",
    "STAGES_DDL",
    "STAGES_SCHEMA",
    "SUBSCRIPTION_DDL",
    "SUBSCRIPTION_SCHEMA",
    "TIMELINE_DDL",
    "TIMELINE_SCHEMA",
    "ddl",
    "partition_of",
    "plan_table",
    "requirements_table",
    "stages_table",
    "subscriptions_of",
    "subscriptions_table",
    "timeline_table",
]

ORDER_COLUMN = "input_order"
"""The ordering column: the portfolio's order, carried by the rows themselves.

Engines deliver rows in no promised order;
[`plan_table`][renewal_rules.frames.plan_table] sorts by this
column (then by id), so a batch is the same whatever the partitioning."""

# -- schemas, derived from the model's fields ---------------------------------


def _arrow_type(kind: Any) -> Any:
    if kind is PaymentMethod:
        return pa.struct(
            [
                (field.name, _arrow_type(_bare(_type_of(PaymentMethod, field))))
                for field in _fields(PaymentMethod)
            ]
        )
    if isinstance(kind, type) and issubclass(kind, Enum):
        return pa.string()  # an enum by its value
    return {str: pa.string(), int: pa.int64(), bool: pa.bool_(), date: pa.date32()}[
        kind
    ]


def _bare(kind: Any) -> Any:
    """``X`` of ``X | None``."""
    members = get_args(kind) if isinstance(kind, UnionType) else (kind,)
    return next(member for member in members if member is not type(None))


def _fields(cls: type[Any]) -> tuple[Any, ...]:
    return tuple(attrs.fields(cls))


def _type_of(cls: type[Any], field: Any) -> Any:
    return serde.field_types(cls)[field.name]


_SUB_FIELDS = _fields(Subscription)

SUBSCRIPTION_SCHEMA = pa.schema(
    [
        pa.field(
            field.name,
            _arrow_type(_bare(_type_of(Subscription, field))),
            nullable=field.default is not attrs.NOTHING,
        )
        for field in _SUB_FIELDS
    ]
    + [pa.field(ORDER_COLUMN, pa.int64())]
)
"""The columns of a portfolio: serde's field names, dates as ``date32``,
enums as their values, the payment method as a struct, and
`ORDER_COLUMN`. Required fields are not nullable."""

REQUIREMENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("mode", pa.string()),
        ("codes", pa.string()),
        ("opens_on", pa.date32()),
        ("closes_on", pa.date32()),
        ("error", pa.string()),
    ]
)
"""What `requirements_table` returns: one row per input row.

``codes`` joins the reason codes with ``;`` (empty for none); ``mode``,
``codes`` and the window are null and ``error`` says why for a bad row."""

PLAN_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("csn", pa.string()),
        ("currency", pa.string()),
        ("purchase_method", pa.string()),
        ("batch", pa.int64()),
        ("position", pa.int64()),
        ("codes", pa.string()),
        ("error", pa.string()),
    ]
)
"""What [`plan_table`][renewal_rules.frames.plan_table] returns: one row per input row.

A batch is named by its key columns (``csn``, ``currency``,
``purchase_method``) and ``batch``, its ordinal within the key (from 1);
``position`` is the row's place in its batch (from 1). A rejected row has a
null ``batch`` and ``position`` and its reason codes in ``codes``."""


def _param_columns() -> list[tuple[str, Any]]:
    # The params of every event kind, from the timeline's own table.
    columns: dict[str, Any] = {}
    for kind in timeline.TimelineKind:
        for name, kind_type in timeline.event_param_types(kind).items():
            columns[name] = _arrow_type(kind_type)
    return sorted(columns.items())


_PARAM_COLUMNS = _param_columns()

TIMELINE_SCHEMA = pa.schema(
    [
        ("row", pa.int64()),
        ("id", pa.string()),
        ("on", pa.date32()),
        ("event", pa.string()),
        *_PARAM_COLUMNS,
        ("error", pa.string()),
    ]
)
"""What `timeline_table` returns: one row per event, ``row`` being the
input row's position (from 0); a bad input row gives one row with its
``error``. Each event's params have a column (null where they do not apply)."""

_DDL_TYPES = {
    "string": "STRING",
    "int64": "BIGINT",
    "bool": "BOOLEAN",
    "date32[day]": "DATE",
}


def _ddl_type(kind: Any) -> str:
    if pa.types.is_struct(kind):
        inner = ", ".join(
            f"{kind.field(i).name}: {_ddl_type(kind.field(i).type)}"
            for i in range(kind.num_fields)
        )
        return f"STRUCT<{inner}>"
    return _DDL_TYPES[str(kind)]


def ddl(schema: Any) -> str:
    """The Spark DDL string of one of this module's schemas.

    >>> ddl(PLAN_SCHEMA)[:46]
    '`id` STRING, `csn` STRING, `currency` STRING, '
    """
    v.require("schema", schema, pa.Schema)
    return ", ".join(f"`{field.name}` {_ddl_type(field.type)}" for field in schema)


SUBSCRIPTION_DDL = ddl(SUBSCRIPTION_SCHEMA)
"""`SUBSCRIPTION_SCHEMA` as a Spark DDL string."""
REQUIREMENT_DDL = ddl(REQUIREMENT_SCHEMA)
"""`REQUIREMENT_SCHEMA` as a Spark DDL string."""
PLAN_DDL = ddl(PLAN_SCHEMA)
"""[`PLAN_SCHEMA`][renewal_rules.frames.PLAN_SCHEMA] as a Spark DDL string."""
TIMELINE_DDL = ddl(TIMELINE_SCHEMA)
"""[`TIMELINE_SCHEMA`][renewal_rules.frames.TIMELINE_SCHEMA] as a Spark DDL string."""


def partition_of(csn: str, n: int) -> int:
    """The bucket (``0`` to ``n - 1``) of a CSN: ``crc32(csn) mod n``.

    The same in every process and in Spark (``pmod(crc32(csn), n)``), so
    that a customer's rows land in one part; plans of CSN-disjoint parts
    concatenate without renumbering ([`plan_table`][renewal_rules.frames.plan_table]).

    >>> partition_of("5100001", 8)
    5
    """
    v.check_csn("csn", csn)
    v.check_int("n", n, 1, MAX_COUNT)
    return _partition.bucket_of(csn, n)


# -- reading rows ---------------------------------------------------------------


def _is_pandas(data: object) -> TypeGuard[pd.DataFrame]:
    # Only a caller holding a pandas frame has imported pandas: a run on
    # Polars or pyarrow does not pay for its import (0.2 s, 40 MB).
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(data, pd.DataFrame)


def _null(value: Any) -> bool:
    import pandas as pd  # a cell of a pandas frame: imported by its caller

    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _scalar(value: Any) -> Any:
    """A Python value for one cell of an object column."""
    import pandas as pd

    if _null(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        return _scalar(item())  # a NumPy scalar: its Python value (NaN: null)
    if type(value) is dict:
        return {key: _scalar(inner) for key, inner in value.items()}
    return value


def _pandas_values(series: Any) -> list[Any]:
    if series.dtype != object:
        try:
            # NumPy and pyarrow dtypes: pyarrow reads them, NA and NaN as null.
            return list(pa.array(series, from_pandas=True).to_pylist())
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            pass
    # An object column cell by cell: pyarrow's inference would convert
    # (a str among timestamps becomes a timestamp, an int among NaN a float).
    return [_scalar(value) for value in series.tolist()]


def _arrow_values(column: Any) -> list[Any]:
    try:
        return list(column.to_pylist())
    except (pa.ArrowException, ValueError, OverflowError):
        # A date32 outside Python's dates, say: cell by cell, the bad ones
        # named (and refused by the model).
        return [_cell_of(column, index) for index in range(len(column))]


def _cell_of(column: Any, index: int) -> Any:
    try:
        return column[index].as_py()
    except (pa.ArrowException, ValueError, OverflowError) as error:
        return _Unreadable(str(error)[:60])


@attrs.frozen
class _Unreadable:
    """A cell pyarrow could not give as a Python value."""

    why: str


class _Frame:
    """The columns of one input frame as lists of Python values."""

    def __init__(self, data: object, allowed: frozenset[str]) -> None:
        polars_kind = None
        if isinstance(data, pl.LazyFrame | pl.DataFrame):
            # The row door reads Polars through Arrow (a lazy frame is
            # collected: a timeline walks each row's terms in Python).
            polars_kind = "lazy" if isinstance(data, pl.LazyFrame) else "polars"
            eager = data.collect() if isinstance(data, pl.LazyFrame) else data
            data = eager.to_arrow()
        if _is_pandas(data):
            self.kind = "pandas"
            _names_check(list(data.columns), allowed, strings=True)
            self.length = len(data)
            self.index = data.index
            self.columns = {name: _pandas_values(data[name]) for name in data.columns}
        elif isinstance(data, pa.Table | pa.RecordBatch):
            self.kind = "table" if isinstance(data, pa.Table) else "batch"
            names = list(data.column_names)
            _names_check(names, allowed, strings=False)
            self.length = data.num_rows
            self.index = None
            self.columns = {name: _arrow_values(data.column(name)) for name in names}
        else:
            raise InvalidTypeError(
                "data",
                data,
                "expected a pyarrow Table or RecordBatch or a pandas DataFrame",
            )
        if polars_kind is not None:
            self.kind = polars_kind

    def text(self, name: str, index: int) -> str | None:
        """The cell of column ``name`` on row ``index`` if it is a string.

        ``None`` for a string Arrow cannot hold (a lone surrogate).
        """
        value = self.columns[name][index]  # a required column: always there
        if type(value) is not str:
            return None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return None
        return value

    def out(self, columns: list[list[Any]], schema: Any) -> Any:
        """``columns`` of ``schema`` as the kind of frame this one came as."""
        arrays = [
            pa.array(column, type=field.type)
            for column, field in zip(columns, schema, strict=True)
        ]
        if self.kind == "batch":
            return pa.record_batch(arrays, schema=schema)
        table = pa.table(arrays, schema=schema)
        if self.kind in ("polars", "lazy"):
            frame = pl.from_arrow(table)
            return frame.lazy() if self.kind == "lazy" else frame  # type: ignore[union-attr]
        if self.kind == "table":
            return table
        # A timeline's rows are events: a new index, not the input's.
        import pandas as pd

        return table.to_pandas(types_mapper=pd.ArrowDtype)


# One reader per field: the Python value the model takes, or the cell as
# is for the model to refuse with its own message.
def _read_date(value: Any) -> Any:
    if type(value) is datetime and value.tzinfo is None and value.time() == _MIDNIGHT:
        return value.date()
    if type(value) is str:  # serde's form: exactly YYYY-MM-DD
        return iso_date(value) or value
    return value


def _read_int(value: Any) -> Any:
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _read_enum(enum_type: type[Enum]) -> Callable[[Any], Any]:
    members = {member.value: member for member in enum_type}
    return lambda value: members.get(value, value) if type(value) is str else value


def _payment_fields(value: Any) -> Any:
    if type(value) is not dict:
        return value
    return {
        name: _PAYMENT_READERS.get(name, _as_is)(inner)
        for name, inner in value.items()
        if inner is not None
    }


def _payment_reader() -> Callable[[Any], Any]:
    """A reader of payment method cells for one frame.

    Equal cells give one shared (immutable) ``PaymentMethod``: a portfolio
    holds few distinct ones. The cache lives as long as one reading.
    """
    built: dict[Any, Any] = {}

    def read(value: Any) -> Any:
        fields = _payment_fields(value)
        if type(fields) is not dict:
            return fields
        # By exact type too: valid=1 equals True but is refused by the model.
        key = tuple((name, type(inner), inner) for name, inner in fields.items())
        try:
            return built[key]
        except TypeError:  # an unhashable cell, which the model refuses
            return fields
        except KeyError:
            pass
        try:
            method = PaymentMethod(**fields)
        except Exception:  # the subscription fails; the serde reader says why
            return fields
        built[key] = method
        return method

    return read


def _as_is(value: Any) -> Any:
    return value


_MIDNIGHT = datetime.min.time()


def _reader_of(kind: Any) -> Callable[[Any], Any]:
    if kind is date:
        return _read_date
    if kind is int:
        return _read_int
    if kind is PaymentMethod:
        return _payment_fields
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _read_enum(kind)
    return _as_is


_PAYMENT_READERS = {
    field.name: _reader_of(_bare(_type_of(PaymentMethod, field)))
    for field in _fields(PaymentMethod)
}
_SUB_READERS = {
    field.name: _reader_of(_bare(_type_of(Subscription, field)))
    for field in _SUB_FIELDS
}


def _jsonable(value: Any) -> Any:
    """``value`` in serde's JSON shape, for the serde reader to judge."""
    if isinstance(value, Enum):
        return value.value
    if type(value) is date:
        return value.isoformat()
    if type(value) is PaymentMethod:
        return serde.to_dict(value)
    if type(value) is dict:
        return {key: _jsonable(inner) for key, inner in value.items()}
    if isinstance(value, _Unreadable):
        return value.why
    return value


def _errors_of(row: dict[str, Any]) -> str:
    """Every bad field of a row (its cells read) the model refused, with paths."""
    document = {name: _jsonable(value) for name, value in row.items()}
    try:
        serde.from_dict(Subscription, document)
    except serde.SerdeError as error:
        return "; ".join(f"{path}: {message}" for path, message in error.errors)
    return "$: could not be read"  # pragma: no cover - the readers agree


def _read_columns(frame: _Frame) -> tuple[list[str], list[list[Any]]]:
    """The subscription columns of ``frame``, each cell read for the model."""
    names, columns = [], []
    for field in _SUB_FIELDS:
        values = frame.columns.get(field.name)
        if values is None:
            continue
        reader = _SUB_READERS[field.name]
        if field.name == "payment_method":
            reader = _payment_reader()
        if reader is not _as_is:  # text columns need no reading
            values = [None if value is None else reader(value) for value in values]
        names.append(field.name)
        columns.append(values)
    return names, columns


def _read(data: object, extras: Iterable[str] = ()) -> tuple[_Frame, list[Any]]:
    frame = _Frame(data, frozenset(SUBSCRIPTION_SCHEMA.names) | set(extras))
    names, columns = _read_columns(frame)
    subs: list[Any] = []
    for values in zip(*columns, strict=True):
        # A null cell is a missing value: the field's default applies.
        row = {
            name: value
            for name, value in zip(names, values, strict=True)
            if value is not None
        }
        try:
            subs.append(Subscription(**row))
        except Exception:  # the serde reader lists every bad field
            subs.append(_errors_of(row))
    return frame, subs


def subscriptions_of(data: object) -> list[Subscription | str]:
    """Each row's `Subscription`, or the text of its errors.

    The reading every function here uses; the ordering column is not read.
    """
    _frame, subs = _read(data)
    return subs


def subscriptions_table(subs: Iterable[Subscription]) -> Any:
    """A pyarrow ``Table`` of `SUBSCRIPTION_SCHEMA`, one row per subscription.

    [`ORDER_COLUMN`][renewal_rules.frames.ORDER_COLUMN] numbers the rows from 0 in the
    order given. The way to write a portfolio to Parquet for
    [`plan_table`][renewal_rules.frames.plan_table] or an engine.

    >>> from renewal_rules._sample import SAMPLE_PORTFOLIO
    >>> table = subscriptions_table(SAMPLE_PORTFOLIO)
    >>> subscriptions_of(table) == list(SAMPLE_PORTFOLIO)
    True
    """
    columns: dict[str, list[Any]] = {name: [] for name in SUBSCRIPTION_SCHEMA.names}
    for index, sub in enumerate(v.items("subs", subs)):
        v.require(f"subs[{index}]", sub, Subscription)
        for field in _SUB_FIELDS:
            value = getattr(sub, field.name)
            if isinstance(value, Enum):
                value = value.value
            elif type(value) is PaymentMethod:
                value = {
                    "kind": value.kind.value,
                    "expires_on": value.expires_on,
                    "valid": value.valid,
                }
            columns[field.name].append(value)
        columns[ORDER_COLUMN].append(index)
    return pa.table(columns, schema=SUBSCRIPTION_SCHEMA)


# -- the columnar engine: every input kind read into Polars ---------------------

STAGES_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("stage", pa.string()),
        ("has_access", pa.bool_()),
        ("expired_on", pa.date32()),
        ("suspended_on", pa.date32()),
        ("canceled_on", pa.date32()),
        ("error", pa.string()),
    ]
)
"""What `stages_table` returns: one row per input row (G1, G2, G6)."""
STAGES_DDL = ddl(STAGES_SCHEMA)
"""[`STAGES_SCHEMA`][renewal_rules.frames.STAGES_SCHEMA] as a Spark DDL string."""
INVOICE_COLUMN = "invoice_due_on"
"""The optional input column of `stages_table`: an open renewal
invoice's due date (G6), or null."""

_ROW = _columns.ROW


def _polars_schema(schema: Any) -> dict[str, Any]:
    # Not schema.empty_table(): it imports pandas.
    empty = pa.Table.from_batches([], schema=schema)
    return dict(pl.from_arrow(empty).schema)  # type: ignore[union-attr]


@attrs.frozen
class _Input:
    """One input frame read into Polars, and how to answer in its kind."""

    kind: str
    frame: Any  # a Polars LazyFrame with the row number in _ROW
    original: Any  # the caller's object, for the rows judged one by one
    names: tuple[str, ...]
    empty: bool  # known to hold no row (never for a LazyFrame)
    index: Any = None

    def rows(self, rows: list[int], batch: Any) -> Any:
        """The caller's rows ``rows`` (a pandas frame keeps its cells as they came)."""
        if self.kind == "pandas":
            return self.original.iloc[rows]
        picked = batch.filter(pl.col(_ROW).is_in(rows)).sort(_ROW).drop(_ROW)
        return picked.to_arrow()

    def out(self, result: Any, schema: Any) -> Any:
        """``result`` (Polars) as the caller's kind, with exactly ``schema``."""
        if self.kind == "polars":
            return result
        table = result.to_arrow().cast(schema)
        if self.kind == "table":
            return table
        if self.kind == "batch":
            return (
                table.combine_chunks().to_batches()[0]
                if table.num_rows
                else (pa.RecordBatch.from_pylist([], schema=schema))
            )
        import pandas as pd

        frame = table.to_pandas(types_mapper=pd.ArrowDtype)
        frame.index = self.index
        return frame


def _names_check(names: list[Any], allowed: frozenset[str], *, strings: bool) -> None:
    """Refuse the whole input for its column names (every door and kind)."""
    if strings and (
        len(set(names)) != len(names) or not all(type(n) is str for n in names)
    ):  # pandas: any hashable can name a column
        raise InvalidInputError("data", None, "column names must be distinct strings")
    if len(set(names)) != len(names):
        raise InvalidInputError("data", None, "column names must be distinct")
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise InvalidInputError("data", None, f"unknown column {preview(unknown[0])}")
    missing = [
        field.name
        for field in _SUB_FIELDS
        if field.default is attrs.NOTHING and field.name not in names
    ]
    if missing:
        raise InvalidInputError("data", None, f"missing column {missing[0]!r}")


def _input(data: object, allowed: frozenset[str]) -> _Input:
    if isinstance(data, pl.LazyFrame):
        names = tuple(data.collect_schema().names())
        _names_check(list(names), allowed, strings=False)
        return _Input("lazy", data.with_row_index(_ROW), data, names, False)
    if isinstance(data, pl.DataFrame):
        _names_check(data.columns, allowed, strings=False)
        lazy = data.lazy().with_row_index(_ROW)
        return _Input("polars", lazy, data, tuple(data.columns), not data.height)
    if isinstance(data, pa.Table | pa.RecordBatch):
        _names_check(data.column_names, allowed, strings=False)
        kind = "table" if isinstance(data, pa.Table) else "batch"
        names = tuple(data.column_names)
        return _Input(kind, _from_arrow(data), data, names, not data.num_rows)
    if _is_pandas(data):
        _names_check(list(data.columns), allowed, strings=True)
        frame = _from_pandas(data)
        names = tuple(data.columns)
        return _Input("pandas", frame, data, names, data.empty, data.index)
    raise InvalidTypeError(
        "data",
        data,
        "expected a Polars DataFrame or LazyFrame, a pyarrow Table or "
        "RecordBatch, or a pandas DataFrame",
    )


def _from_pandas(data: Any) -> Any:
    try:
        frame = pl.from_pandas(data)
    except Exception:  # an object column Polars cannot hold: row by row
        return None
    return frame.lazy().with_row_index(_ROW)


def _from_arrow(data: Any) -> Any:
    try:
        frame = pl.from_arrow(data)
    except Exception:  # pragma: no cover - a type Polars cannot hold: row by row
        return None
    return frame.lazy().with_row_index(_ROW)  # type: ignore[union-attr]


def _extra_types(extras: Iterable[str]) -> dict[str, Any]:
    return {name: pl.Date if name == INVOICE_COLUMN else pl.Int64 for name in extras}


_KEY_TEXTS = ("id", "csn", "currency", "purchase_method")
"""The cells a bad row's result repeats as given (where they are strings)."""


def _judge_rows(
    data: Any, extras: dict[str, Any], policy: RenewalPolicy
) -> tuple[
    list[tuple[int, Subscription, dict[str, Any]]],
    list[tuple[int, list[str | None], str]],
]:
    """The object path's verdict on rows the columns could not vouch for.

    The good rows with their extra columns read; the bad rows with their key
    texts and every error (the subscription's, an unlisted market, the
    extra columns'), by position in ``data``.
    """
    frame, subs = _read(data, extras)
    good: list[tuple[int, Subscription, dict[str, Any]]] = []
    bad: list[tuple[int, list[str | None], str]] = []
    for index, sub in enumerate(subs):
        errors = [sub] if isinstance(sub, str) else _market_errors(sub, policy)
        read = {}
        for name in extras:
            cell = frame.columns.get(name, [None] * frame.length)[index]
            read[name], problem = _read_extra(name, cell)
            if problem is not None:
                errors.append(problem)
        if errors:
            texts = [frame.text(name, index) for name in _KEY_TEXTS]
            bad.append((index, texts, "; ".join(errors)))
        else:
            good.append((index, sub, read))
    return good, bad


def _market_errors(sub: Subscription, policy: RenewalPolicy) -> list[str]:
    try:
        policy.offered_bits(sub.market)
    except InvalidInputError as error:  # an unlisted market (A4)
        return [f"$.market: {error.message}"]
    return []


def _read_extra(name: str, cell: Any) -> tuple[Any, str | None]:
    if name == INVOICE_COLUMN:
        if cell is None:
            return None, None
        value = _read_date(cell)
        try:
            return v.check_date(name, value), None
        except InvalidInputError as error:
            return None, f"$.{name}: {error.message}"
    key = _read_int(cell)
    if type(key) is not int:
        return None, f"$.{name}: expected an integer, got {preview(key)}"
    return key, None


def _canonical_of(
    rows: list[int],
    subs: list[tuple[int, Subscription, dict[str, Any]]],
    extras: dict[str, Any],
) -> Any:
    table = pl.from_arrow(subscriptions_table([sub for _, sub, _ in subs]))
    frame = (
        cast(Any, table)
        .drop(ORDER_COLUMN)
        .with_columns(
            pl.Series(_ROW, rows, dtype=pl.UInt32),
            *(
                pl.Series(name, [read[name] for _, _, read in subs], dtype=kind)
                for name, kind in extras.items()
            ),
        )
    )
    return frame.select(
        _ROW, *(pl.col(n).cast(k) for n, k in {**_columns.FIELDS, **extras}.items())
    )


def _judged(
    source: _Input, batch: Any, extras: dict[str, Any], policy: RenewalPolicy
) -> tuple[Any, Any]:
    """The rows of ``batch`` as valid canonical columns, and the bad rows.

    The bad rows come back as ``(_ROW, id, csn, currency, purchase_method,
    error)``, their key cells as given where they are strings.
    """
    canon = None if batch is None else _columns.canonical(batch.lazy(), extras)
    if canon is None:
        good = pl.DataFrame(schema={_ROW: pl.UInt32, **_columns.FIELDS, **extras})
        doubtful = list(range(_length(source, batch)))
    else:
        read = canon.collect()
        ok = _columns.valid(policy, extras, _columns.nulls(read))
        judged = read.with_columns((ok & ~pl.col(_columns.DOUBT)).alias("__ok"))
        good = judged.filter(pl.col("__ok")).drop("__ok", _columns.DOUBT)
        doubtful = judged.filter(~pl.col("__ok"))[_ROW].to_list()
    names = (_ROW, *_KEY_TEXTS, "error")
    bad_rows: list[tuple[Any, ...]] = []
    if doubtful:
        subset = source.rows(doubtful, batch) if batch is not None else source.original
        fine, bad = _judge_rows(subset, extras, policy)
        if fine:
            rows = [doubtful[index] for index, _, _ in fine]
            good = _columns.concat([good, _canonical_of(rows, fine, extras)])
        bad_rows = [(doubtful[index], *texts, error) for index, texts, error in bad]
    bad_frame = pl.DataFrame(
        bad_rows,
        schema={_ROW: pl.UInt32, **dict.fromkeys(names[1:], pl.String)},
        orient="row",
    )
    return good, bad_frame


def valid_rows(data: Any, policy: RenewalPolicy) -> tuple[Any, list[int]]:
    """The rows of a Polars ``DataFrame`` that make valid subscriptions, and the rest.

    For a reader that builds its own frames of subscription columns (the
    command line): the valid rows as the engine's canonical columns, each
    with its row number (from 0) in ``_columns.ROW``, and the numbers of
    the rows the model refuses, judged exactly as every function here judges
    them.
    """
    source = _input(data, frozenset(SUBSCRIPTION_SCHEMA.names))
    good, bad = _judged(source, source.frame.collect(), {}, policy)
    return good, bad[_ROW].to_list()


def _length(source: _Input, batch: Any) -> int:
    if batch is not None:
        return int(batch.height)
    original = source.original
    return int(len(original) if source.kind == "pandas" else original.num_rows)


def _run(
    data: object,
    extras: Iterable[str],
    schema: Any,
    answer: Callable[[Any, Any], Any],
    policy: RenewalPolicy,
    *,
    per_batch: bool,
    order_by: str | None = None,
) -> Any:
    """Read ``data``, judge its rows, answer the valid ones, in the caller's kind.

    ``answer(good, bad)`` returns the result rows of both, with ``_ROW``.
    A LazyFrame stays lazy: the work runs when it is collected, batch by
    batch when ``per_batch`` (rows are answered independently). A frame
    with rows (a LazyFrame: always) must hold its ``order_by`` column.
    """
    extra = _extra_types(extras)
    source = _input(data, frozenset(SUBSCRIPTION_SCHEMA.names) | set(extra))
    if order_by is not None and order_by not in source.names and not source.empty:
        raise InvalidInputError("order_by", order_by, "is not a column of data")
    out_schema = _polars_schema(schema)

    def on(batch: Any) -> Any:
        good, bad = _judged(source, batch, extra, policy)
        result = answer(good, bad).sort(_ROW).drop(_ROW)
        return result.select(pl.col(n).cast(k) for n, k in out_schema.items())

    if source.kind == "lazy":
        return source.frame.map_batches(on, schema=out_schema, streamable=per_batch)
    batch = None if source.frame is None else source.frame.collect()
    return source.out(on(batch), schema)


def _error_rows(bad: Any, columns: dict[str, Any]) -> Any:
    return bad.select(
        _ROW,
        "id",
        *(pl.lit(None, dtype=kind).alias(name) for name, kind in columns.items()),
        "error",
    )


def requirements_table(
    data: object, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Any:
    """`renewal_requirement` of each row (A1-A4, M1).

    Returns [`REQUIREMENT_SCHEMA`][renewal_rules.frames.REQUIREMENT_SCHEMA] rows, one
    per input row, in input order, as the same kind of frame as ``data`` (a LazyFrame
    stays lazy).
    """
    check_context(as_of, policy)
    asked = _cond.AUTOMATIC
    modes, codes = _columns.requirement_table(asked)
    columns = _columns.Columns(policy, as_of, asked)

    def answer(good: Any, bad: Any) -> Any:
        mask = _columns.failures(columns, asked)
        done = good.select(
            _ROW,
            "id",
            mask.replace_strict(modes, return_dtype=pl.String).alias("mode"),
            mask.replace_strict(codes, return_dtype=pl.String).alias("codes"),
            columns.opens_on.alias("opens_on"),
            columns.closes_on.alias("closes_on"),
            pl.lit(None, dtype=pl.String).alias("error"),
        )
        return _columns.concat(
            [
                done,
                _error_rows(
                    bad,
                    {
                        "mode": pl.String,
                        "codes": pl.String,
                        "opens_on": pl.Date,
                        "closes_on": pl.Date,
                    },
                ),
            ]
        )

    return _run(data, (), REQUIREMENT_SCHEMA, answer, policy, per_batch=True)


def stages_table(
    data: object, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Any:
    """Each row's ``lifecycle_stage``, ``has_access`` and ``stage_dates`` (G1, G2, G6).

    An optional column [`INVOICE_COLUMN`][renewal_rules.frames.INVOICE_COLUMN] (a date,
    or null) is each row's ``invoice_due_on`` (ignored for a trial). Returns
    [`STAGES_SCHEMA`][renewal_rules.frames.STAGES_SCHEMA] rows, one per input row, in
    the kind of ``data``.
    """
    check_context(as_of, policy)
    when = pl.lit(as_of, dtype=pl.Date)

    def answer(good: Any, bad: Any) -> Any:
        due = None if INVOICE_COLUMN in _columns.nulls(good) else pl.col(INVOICE_COLUMN)
        dates = _columns.stage_columns(policy, due)
        stage = (
            pl.when(when >= dates["canceled_on"])
            .then(pl.lit(LifecycleStage.CANCELED.value))
            .when(when >= dates["suspended_on"])
            .then(pl.lit(LifecycleStage.SUSPENDED.value))
            .when(when >= dates["expired_on"])
            .then(pl.lit(LifecycleStage.EXPIRED.value))
            .otherwise(pl.lit(LifecycleStage.ACTIVE.value))
        )
        access = [stage.value for stage in _WITH_ACCESS]
        done = (
            good.lazy()  # lazy: the stage and its dates computed once
            .select(
                _ROW,
                "id",
                stage.alias("stage"),
                stage.is_in(access).alias("has_access"),
                *(dates[name].alias(name) for name in dates),
                pl.lit(None, dtype=pl.String).alias("error"),
            )
            .collect()
        )
        empty = {
            "stage": pl.String,
            "has_access": pl.Boolean,
            **dict.fromkeys(dates, pl.Date),
        }
        return _columns.concat([done, _error_rows(bad, empty)])

    return _run(data, (INVOICE_COLUMN,), STAGES_SCHEMA, answer, policy, per_batch=True)


def plan_table(
    data: object,
    *,
    action: BatchAction,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
    order_by: str | None = ORDER_COLUMN,
) -> Any:
    """[`plan_batches`][renewal_rules.plan_batches] over the rows (B1-B4).

    Rows are planned in the order of the ``order_by`` column, then by id
    (``None``: in the order they arrive, which an engine does not promise),
    so a batch (key columns, ordinal within the key) is the same however the
    rows were partitioned, as long as a CSN's rows stay in one part (see
    [`partition_of`][renewal_rules.frames.partition_of]); parts' results concatenate
    without renumbering. Returns [`PLAN_SCHEMA`][renewal_rules.frames.PLAN_SCHEMA] rows,
    one per input row, as the same kind of frame as ``data``; a bad row is not planned
    and says why in ``error``.
    """
    v.require("action", action, BatchAction)
    check_context(as_of, policy)
    if order_by is not None:
        v.check_text("order_by", order_by)
        if order_by in set(SUBSCRIPTION_SCHEMA.names) - {ORDER_COLUMN}:
            raise InvalidInputError(
                "order_by", order_by, "must not be a subscription field"
            )
    asked = _ASKED[action]
    codes, planned_masks = _columns.member_table(asked)
    columns = _columns.Columns(policy, as_of, asked)
    limit = policy.batch_limit
    keys = ["csn", "currency", "purchase_method"]

    def answer(good: Any, bad: Any) -> Any:
        mask = _columns.failures(columns, asked)
        order = pl.col(order_by) if order_by is not None else pl.col(_ROW)
        ranked = (
            good.with_columns(mask.alias(_columns.MASK), order.alias("__order"))
            .sort("__order", "id", _ROW)
            .with_columns((pl.col("id").cum_count().over("id") > 1).alias("__repeat"))
            .with_columns(
                (
                    ~pl.col("__repeat") & pl.col(_columns.MASK).is_in(planned_masks)
                ).alias("__planned")
            )
        )
        planned = ranked.filter(pl.col("__planned")).with_columns(
            pl.int_range(pl.len()).over(keys).alias("__place")
        )
        rejected = ranked.filter(~pl.col("__planned"))
        done = _columns.concat(
            [
                planned.select(
                    _ROW,
                    "id",
                    *keys,
                    (pl.col("__place") // limit + 1).alias("batch"),
                    (pl.col("__place") % limit + 1).alias("position"),
                    pl.lit("").alias("codes"),
                    pl.lit(None, dtype=pl.String).alias("error"),
                ),
                rejected.select(
                    _ROW,
                    "id",
                    *keys,
                    pl.lit(None, dtype=pl.Int64).alias("batch"),
                    pl.lit(None, dtype=pl.Int64).alias("position"),
                    pl.when(pl.col("__repeat"))
                    .then(pl.lit(_columns.DUPLICATE))
                    .otherwise(
                        pl.col(_columns.MASK).replace_strict(
                            codes, return_dtype=pl.String
                        )
                    )
                    .alias("codes"),
                    pl.lit(None, dtype=pl.String).alias("error"),
                ),
            ]
        )
        failed = bad.select(
            _ROW,
            "id",
            *keys,
            pl.lit(None, dtype=pl.Int64).alias("batch"),
            pl.lit(None, dtype=pl.Int64).alias("position"),
            pl.lit(None, dtype=pl.String).alias("codes"),
            "error",
        )
        return _columns.concat(
            [done.cast({"batch": pl.Int64, "position": pl.Int64}), failed]
        )

    extras = () if order_by is None else (order_by,)
    return _run(
        data, extras, PLAN_SCHEMA, answer, policy, per_batch=False, order_by=order_by
    )


def timeline_table(
    data: object,
    *,
    start: date,
    end: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Any:
    """`renewal_timeline` of each row on ``[start, end)`` (N1-N3).

    Returns [`TIMELINE_SCHEMA`][renewal_rules.frames.TIMELINE_SCHEMA] rows: each row's
    events in its timeline's order, rows in input order; a bad row gives one row with
    its ``error``.
    """
    timeline._check_span(start, end)
    v.require("policy", policy, RenewalPolicy)
    frame, subs = _read(data)
    names = [name for name, _ in _PARAM_COLUMNS]
    out: dict[str, list[Any]] = {name: [] for name in TIMELINE_SCHEMA.names}

    def add(row: int, subject: Any, **cells: Any) -> None:
        out["row"].append(row)
        out["id"].append(subject)
        for name in ("on", "event", *names, "error"):
            out[name].append(cells.get(name))

    for index, sub in enumerate(subs):
        if isinstance(sub, str):
            add(index, frame.text("id", index), error=sub)
            continue
        for event in timeline.renewal_timeline(
            sub, start=start, end=end, policy=policy
        ):
            # A Term param is a StrEnum: pyarrow writes it as its value.
            params = dict(event.params)
            add(index, sub.id, on=event.on, event=event.kind.value, **params)
    columns = [out[name] for name in TIMELINE_SCHEMA.names]
    return frame.out(columns, TIMELINE_SCHEMA)
