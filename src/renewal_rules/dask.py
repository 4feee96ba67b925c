"""The frames door over a Dask DataFrame: rows move between workers, never objects.

Needs the ``dask`` extra (``pip install renewal_rules[dask]``: dask,
distributed, pyarrow, pandas). Each function returns a lazy Dask DataFrame
of the frames schemas (``REQUIREMENT_SCHEMA``, ``PLAN_SCHEMA``,
``TIMELINE_SCHEMA``); write it with ``.to_parquet(path)`` rather than
collecting it. The rules run inside the workers, through
:mod:`renewal_rules.frames` on each partition: no second implementation.

A plan needs each customer's rows in one partition. Give rows already
bucketed (each partition holds whole CSNs, as when a Parquet dataset is
partitioned by :func:`~renewal_rules.frames.partition_of`), or pass
``buckets=n`` and Dask shuffles the rows by ``partition_of(csn, n)`` first.
Batches are named by key and ordinal within the key and ordered by the
ordering column, so the result is the single-process plan's, row for row,
however the rows were split.
"""

from __future__ import annotations

import zlib
from datetime import date
from typing import Any

try:
    import dask.dataframe as dd
    import pandas as pd
except ImportError as error:  # pragma: no cover - the extra is installed in tests
    raise ImportError(
        "renewal_rules.dask needs the 'dask' extra: pip install renewal_rules[dask]"
    ) from error

from renewal_rules import _validators as v
from renewal_rules import frames
from renewal_rules.batching import BatchAction
from renewal_rules.errors import InvalidTypeError
from renewal_rules.policy import DEFAULT_POLICY, MAX_COUNT, RenewalPolicy, check_context

__all__ = ["BUCKET_COLUMN", "bucketed", "plan", "requirements", "timeline"]

BUCKET_COLUMN = "bucket"
"""The column :func:`bucketed` adds: ``partition_of(csn, n)`` of each row."""


def _meta(schema: Any) -> Any:
    return schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)


def _require_frame(data: object) -> Any:
    if not isinstance(data, dd.DataFrame):
        raise InvalidTypeError("data", data, "expected a dask.dataframe.DataFrame")
    return data


def _bucket(csn: object, n: int) -> int:
    # A bad CSN goes to bucket 0: its row is reported there, not lost.
    if type(csn) is not str or not (csn.isascii() and csn.isdigit()):
        return 0
    return zlib.crc32(csn.encode("ascii")) % n


def _with_bucket(part: Any, n: int) -> Any:
    buckets = [_bucket(csn, n) for csn in part["csn"].tolist()]
    return part.assign(**{BUCKET_COLUMN: pd.array(buckets, dtype="int64")})


def bucketed(data: Any, buckets: int) -> Any:
    """Shuffle ``data`` so that the rows of one bucket are in one partition.

    Adds :data:`BUCKET_COLUMN` (``partition_of(csn, buckets)``); the
    functions here drop it before reading the rows.
    """
    data = _require_frame(data)
    v.check_int("buckets", buckets, 1, MAX_COUNT)
    meta = data._meta.assign(**{BUCKET_COLUMN: pd.array([], dtype="int64")})
    with_bucket = data.map_partitions(_with_bucket, buckets, meta=meta)
    # The task shuffle: Dask's p2p shuffle cannot rebuild pyarrow struct and
    # date32 dtypes from their names (the payment method, the dates).
    return with_bucket.shuffle(
        on=BUCKET_COLUMN, npartitions=buckets, shuffle_method="tasks"
    )


def _rows(part: Any) -> Any:
    return part.drop(columns=[BUCKET_COLUMN]) if BUCKET_COLUMN in part else part


def _requirements_part(part: Any, as_of: date, policy: RenewalPolicy) -> Any:
    return frames.requirements_table(_rows(part), as_of=as_of, policy=policy)


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
    """:func:`~renewal_rules.frames.requirements_table` of every partition.

    Any partitioning will do: a requirement reads one row.
    """
    data = _require_frame(data)
    check_context(as_of, policy)
    return data.map_partitions(
        _requirements_part, as_of, policy, meta=_meta(frames.REQUIREMENT_SCHEMA)
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
    """:func:`~renewal_rules.frames.plan_table` of every partition.

    With ``buckets=None`` each partition must already hold whole customers;
    with ``buckets=n`` the rows are first shuffled by :func:`bucketed`.
    """
    data = _require_frame(data)
    frames.plan_table(
        frames.SUBSCRIPTION_SCHEMA.empty_table(),
        action=action,
        as_of=as_of,
        policy=policy,
        order_by=order_by,
    )  # checks the arguments before any work is scheduled
    if buckets is not None:
        data = bucketed(data, buckets)
    return data.map_partitions(
        _plan_part, action, as_of, policy, order_by, meta=_meta(frames.PLAN_SCHEMA)
    )


def timeline(
    data: Any, *, start: date, end: date, policy: RenewalPolicy = DEFAULT_POLICY
) -> Any:
    """:func:`~renewal_rules.frames.timeline_table` of every partition.

    ``row`` counts from 0 within each partition.
    """
    data = _require_frame(data)
    frames.timeline_table(
        frames.SUBSCRIPTION_SCHEMA.empty_table(), start=start, end=end, policy=policy
    )  # checks the arguments before any work is scheduled
    return data.map_partitions(
        _timeline_part, start, end, policy, meta=_meta(frames.TIMELINE_SCHEMA)
    )
