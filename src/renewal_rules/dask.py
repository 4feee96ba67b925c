"""The frames door over a Dask DataFrame: columns move between workers, never objects.

Needs the ``dask`` extra (``pip install renewal_rules[dask]``: dask,
distributed, Polars, pyarrow, pandas). Each function returns a lazy Dask
DataFrame of the frames schemas (``REQUIREMENT_SCHEMA``, ``STAGES_SCHEMA``,
``PLAN_SCHEMA``, ``TIMELINE_SCHEMA``); write it with ``.to_parquet(path)``
rather than collecting it. Each partition (pandas on Arrow dtypes) is
handed to the columnar engine of [`renewal_rules.frames`][renewal_rules.frames]: no
object is built per row, and there is no second implementation. Every argument and
the frame's columns are checked before anything is scheduled.

A plan needs each customer's rows in one partition. Give rows already
bucketed (each partition holds whole CSNs, as when a Parquet dataset is
partitioned by [`partition_of`][renewal_rules.frames.partition_of]), or pass
``buckets=n`` and Dask shuffles the rows by ``partition_of(csn, n)`` first.
Batches are named by key and ordinal within the key and ordered by the
ordering column, so the result is the single-process plan's, row for row,
however the rows were split.
"""

from __future__ import annotations

from datetime import date
from typing import Any

try:
    import dask.dataframe as dd
    import pandas as pd
except ImportError as error:  # pragma: no cover - the extra is installed in tests
    raise ImportError(
        "renewal_rules.dask needs the 'dask' extra: pip install renewal_rules[dask]"
    ) from error

from renewal_rules import _partition, frames
from renewal_rules import _validators as v
from renewal_rules.batching import BatchAction
from renewal_rules.errors import InvalidInputError, InvalidTypeError
from renewal_rules.policy import DEFAULT_POLICY, MAX_COUNT, RenewalPolicy, check_context

__all__ = [
    "BUCKET_COLUMN",
    "bucketed",
    "plan",
    "requirements",
    "stages",
    "timeline",
]

BUCKET_COLUMN = "__bucket"
"""The column `bucketed` adds: ``partition_of(csn, n)`` of each row.

Its name is the library's own, so a caller's column is never mistaken for
it (a column ``bucket`` is an unknown column, refused up front)."""


def _meta(schema: Any) -> Any:
    return schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)


def _require_frame(data: object, *extras: str) -> Any:
    """``data`` if it is a Dask DataFrame whose columns the tables read.

    The same refusals as the frames door's, before anything is scheduled.
    """
    if not isinstance(data, dd.DataFrame):
        raise InvalidTypeError("data", data, "expected a dask.dataframe.DataFrame")
    allowed = frozenset(frames.SUBSCRIPTION_SCHEMA.names) | {BUCKET_COLUMN, *extras}
    frames._names_check(list(data.columns), allowed, strings=True)
    return data


def _with_bucket(part: Any, n: int) -> Any:
    buckets = [_partition.bucket_of(csn, n) for csn in part["csn"].tolist()]
    return part.assign(**{BUCKET_COLUMN: pd.array(buckets, dtype="int64")})


def bucketed(data: Any, buckets: int) -> Any:
    """Shuffle ``data`` so that the rows of one bucket are in one partition.

    Adds [`BUCKET_COLUMN`][renewal_rules.dask.BUCKET_COLUMN] (``partition_of(csn,
    buckets)``); the functions here drop it before reading the rows.
    """
    if not isinstance(data, dd.DataFrame):
        raise InvalidTypeError("data", data, "expected a dask.dataframe.DataFrame")
    if "csn" not in data.columns:  # the table the rows go to checks the rest
        raise InvalidInputError("data", None, "missing column 'csn'")
    v.check_int("buckets", buckets, 1, MAX_COUNT)
    frame: Any = data  # not annotated by Dask
    meta = frame._meta.assign(**{BUCKET_COLUMN: pd.array([], dtype="int64")})
    with_bucket = frame.map_partitions(_with_bucket, buckets, meta=meta)
    # The task shuffle: Dask's p2p shuffle cannot rebuild pyarrow struct and
    # date32 dtypes from their names (the payment method, the dates).
    return with_bucket.shuffle(
        on=BUCKET_COLUMN, npartitions=buckets, shuffle_method="tasks"
    )


def _rows(part: Any) -> Any:
    return part.drop(columns=[BUCKET_COLUMN]) if BUCKET_COLUMN in part else part


def _requirements_part(part: Any, as_of: date, policy: RenewalPolicy) -> Any:
    return frames.requirements_table(_rows(part), as_of=as_of, policy=policy)


def _stages_part(part: Any, as_of: date, policy: RenewalPolicy) -> Any:
    return frames.stages_table(_rows(part), as_of=as_of, policy=policy)


def _plan_part(
    part: Any,
    action: BatchAction,
    as_of: date,
    policy: RenewalPolicy,
    order_by: str | None,
) -> Any:
    return frames.plan_table(
        _rows(part), action=action, as_of=as_of, policy=policy, order_by=order_by
    )


def _timeline_part(part: Any, start: date, end: date, policy: RenewalPolicy) -> Any:
    return frames.timeline_table(_rows(part), start=start, end=end, policy=policy)


def requirements(
    data: Any, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Any:
    """`requirements_table` of every partition.

    Any partitioning will do: a requirement reads one row.
    """
    data = _require_frame(data)
    check_context(as_of, policy)
    return data.map_partitions(
        _requirements_part, as_of, policy, meta=_meta(frames.REQUIREMENT_SCHEMA)
    )


def stages(data: Any, *, as_of: date, policy: RenewalPolicy = DEFAULT_POLICY) -> Any:
    """`stages_table` of every partition (G1, G2, G6).

    Any partitioning will do; an ``invoice_due_on`` column is read as there.
    """
    data = _require_frame(data, frames.INVOICE_COLUMN)
    check_context(as_of, policy)
    return data.map_partitions(
        _stages_part, as_of, policy, meta=_meta(frames.STAGES_SCHEMA)
    )


def plan(
    data: Any,
    *,
    action: BatchAction,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
    order_by: str | None = frames.ORDER_COLUMN,
    buckets: int | None = None,
) -> Any:
    """[`plan_table`][renewal_rules.frames.plan_table] of every partition.

    With ``buckets=None`` each partition must already hold whole customers;
    with ``buckets=n`` the rows are first shuffled by
    [`bucketed`][renewal_rules.dask.bucketed].
    """
    frames.plan_table(
        frames.SUBSCRIPTION_SCHEMA.empty_table(),
        action=action,
        as_of=as_of,
        policy=policy,
        order_by=order_by,
    )  # checks the arguments before any work is scheduled
    data = _require_frame(data, *(() if order_by is None else (order_by,)))
    if order_by is not None and order_by not in data.columns:
        raise InvalidInputError("order_by", order_by, "is not a column of data")
    if buckets is not None:
        data = bucketed(data, buckets)
    return data.map_partitions(
        _plan_part, action, as_of, policy, order_by, meta=_meta(frames.PLAN_SCHEMA)
    )


def timeline(
    data: Any, *, start: date, end: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Any:
    """[`timeline_table`][renewal_rules.frames.timeline_table] of every partition.

    ``row`` counts from 0 within each partition.
    """
    data = _require_frame(data)
    frames.timeline_table(
        frames.SUBSCRIPTION_SCHEMA.empty_table(), start=start, end=end, policy=policy
    )  # checks the arguments before any work is scheduled
    return data.map_partitions(
        _timeline_part, start, end, policy, meta=_meta(frames.TIMELINE_SCHEMA)
    )
