"""renewal_rules.dask on a real distributed.LocalCluster.

Two workers plan 20,000 generated subscriptions, from rows already bucketed
by partition_of and through Dask's own shuffle, and both equal the
single-process plan row for row: batches, positions, rejections.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import distributed
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    DEFAULT_POLICY,
    BatchAction,
    InvalidInputError,
    InvalidTypeError,
    RenewalPolicy,
    frames,
)
from renewal_rules import dask as rr_dask
from tests.factories import generate, make_sub
from tests.hostile import call_with_one_hostile_argument

AS_OF = date(2027, 3, 1)
POLICY = RenewalPolicy(batch_limit=40)


@contextmanager
def local_cluster() -> Iterator[Any]:
    """Two worker processes of one thread, closed before the next test."""
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as connected:
        yield connected


@pytest.fixture(scope="module")
def portfolio() -> pa.Table:
    return frames.subscriptions_table(generate(20_000))


def rows(result: pd.DataFrame | pa.Table) -> list[dict[str, Any]]:
    table = result if isinstance(result, pa.Table) else pa.Table.from_pandas(
        result, preserve_index=False, schema=frames.PLAN_SCHEMA
    )  # fmt: skip
    return sorted(table.to_pylist(), key=lambda row: row["id"])


@pytest.mark.slow
def test_on_a_local_cluster(portfolio: pa.Table, tmp_path: Path) -> None:
    with local_cluster():
        both_paths_equal_the_single_process_plan(portfolio, tmp_path)
        requirements_and_timeline(portfolio)


def both_paths_equal_the_single_process_plan(
    portfolio: pa.Table, tmp_path: Path
) -> None:
    renew = BatchAction.RENEW
    planned_here = frames.plan_table(
        portfolio, action=renew, as_of=AS_OF, policy=POLICY
    )
    single = rows(planned_here)
    assert {row["batch"] for row in single} >= {1, 2}  # groups split
    assert any(row["codes"] for row in single)  # and some are rejected

    # Rows already bucketed: one Parquet file per bucket, one partition each.
    buckets = pa.array(
        [frames.partition_of(csn, 4) for csn in portfolio.column("csn").to_pylist()]
    )
    folder = tmp_path / "bucketed"
    folder.mkdir()
    for bucket in range(4):
        part = portfolio.filter(pc.equal(buckets, bucket))
        pq.write_table(part, folder / f"part-{bucket}.parquet")
    by_bucket = dd.read_parquet(str(folder))
    assert by_bucket.npartitions == 4
    planned = rr_dask.plan(
        by_bucket, action=BatchAction.RENEW, as_of=AS_OF, policy=POLICY
    )
    planned.to_parquet(str(tmp_path / "plan-a"), write_index=False)
    assert rows(pq.read_table(tmp_path / "plan-a")) == single

    # Arbitrary partitions, shuffled by Dask into buckets first.
    # Dask turns NumPy object columns into strings (a struct's dicts too):
    # pyarrow dtypes keep the payment method a struct, as read_parquet does.
    frame = portfolio.to_pandas(types_mapper=pd.ArrowDtype)
    scattered = dd.from_pandas(frame.sample(frac=1.0, random_state=3), npartitions=5)
    shuffled = rr_dask.plan(
        scattered, action=BatchAction.RENEW, as_of=AS_OF, policy=POLICY, buckets=3
    )
    assert rows(shuffled.compute()) == single


def requirements_and_timeline(portfolio: pa.Table) -> None:
    head = portfolio.slice(0, 3_000).to_pandas(types_mapper=pd.ArrowDtype)
    scattered = dd.from_pandas(head, npartitions=3)
    got = rr_dask.requirements(scattered, as_of=AS_OF).compute()
    expected = frames.requirements_table(head, as_of=AS_OF)
    pd.testing.assert_frame_equal(got, expected)
    staged = rr_dask.stages(scattered, as_of=AS_OF).compute()
    pd.testing.assert_frame_equal(staged, frames.stages_table(head, as_of=AS_OF))
    small = dd.from_pandas(head.iloc[:200], npartitions=1)
    end = date(2028, 3, 1)
    events = rr_dask.timeline(small, start=AS_OF, end=end).compute()
    single = frames.timeline_table(head.iloc[:200], start=AS_OF, end=end)
    pd.testing.assert_frame_equal(
        events.reset_index(drop=True), single.reset_index(drop=True)
    )


def test_columns_are_checked_before_any_work() -> None:
    rows = frames.subscriptions_table(generate(4)).to_pandas(types_mapper=pd.ArrowDtype)
    no_csn = dd.from_pandas(rows.drop(columns=["csn"]), npartitions=2)
    with pytest.raises(InvalidInputError, match="missing column 'csn'"):
        rr_dask.plan(no_csn, action=BatchAction.RENEW, as_of=AS_OF, buckets=2)
    with pytest.raises(InvalidInputError, match="missing column 'csn'"):
        rr_dask.bucketed(no_csn, 2)
    with pytest.raises(InvalidInputError, match="missing column 'csn'"):
        rr_dask.requirements(no_csn, as_of=AS_OF)
    # A column of the caller's named ``bucket`` is not the library's: refused.
    named = dd.from_pandas(rows.assign(bucket=1), npartitions=2)
    for call in (
        lambda: rr_dask.plan(named, action=BatchAction.RENEW, as_of=AS_OF, buckets=2),
        lambda: rr_dask.requirements(named, as_of=AS_OF),
        lambda: rr_dask.stages(named, as_of=AS_OF),
    ):
        with pytest.raises(InvalidInputError, match="unknown column 'bucket'"):
            call()
    with pytest.raises(InvalidInputError, match="order_by"):
        rr_dask.plan(
            dd.from_pandas(rows.drop(columns=["input_order"]), npartitions=1),
            action=BatchAction.RENEW,
            as_of=AS_OF,
        )


def test_a_bad_csn_is_reported_not_lost() -> None:
    frame = frames.subscriptions_table(generate(3)).to_pandas(
        types_mapper=pd.ArrowDtype
    )
    frame.loc[1, "csn"] = "51-1"
    data = dd.from_pandas(frame, npartitions=2)
    out = rr_dask.plan(data, action=BatchAction.RENEW, as_of=AS_OF, buckets=2).compute()
    assert len(out) == 3
    bad = out[out["id"] == "S-000001"]
    assert bad["error"].tolist() == ["$.csn: must be a non-empty string of digits"]


def test_each_function_in_one_process() -> None:
    # The same work the cluster tests do, on the synchronous scheduler.
    head = frames.subscriptions_table(generate(50)).to_pandas(
        types_mapper=pd.ArrowDtype
    )
    data = dd.from_pandas(head, npartitions=2)
    got = rr_dask.requirements(data, as_of=AS_OF).compute(scheduler="sync")
    pd.testing.assert_frame_equal(got, frames.requirements_table(head, as_of=AS_OF))
    due = head.assign(invoice_due_on=pd.Series([AS_OF] * len(head), dtype="object"))
    staged = rr_dask.stages(dd.from_pandas(due, npartitions=2), as_of=AS_OF)
    pd.testing.assert_frame_equal(
        staged.compute(scheduler="sync"), frames.stages_table(due, as_of=AS_OF)
    )
    end = date(2027, 9, 1)
    events = rr_dask.timeline(data, start=AS_OF, end=end).compute(scheduler="sync")
    assert len(events) == len(frames.timeline_table(head, start=AS_OF, end=end))


def test_arguments_are_checked_before_any_work() -> None:
    data = dd.from_pandas(frames.subscriptions_table(generate(2)).to_pandas(), 1)
    with pytest.raises(InvalidTypeError, match="data"):
        rr_dask.plan("frame", action=BatchAction.RENEW, as_of=AS_OF)
    with pytest.raises(InvalidTypeError, match="action"):
        rr_dask.plan(data, action="renew", as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="as_of"):
        rr_dask.requirements(data, as_of=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="buckets"):
        rr_dask.bucketed(data, 0)
    with pytest.raises(InvalidInputError, match="start"):
        rr_dask.timeline(data, start=AS_OF, end=date(2026, 1, 1))


# Hostile values for every argument (tests/hostile.py), as for the core
# for the core (kept here: mutation runs leave Dask's threads out of forks).
_from_pandas: Any = dd.from_pandas  # not annotated by Dask
DASK_ROWS = _from_pandas(
    frames.subscriptions_table([make_sub()]).to_pandas(types_mapper=pd.ArrowDtype),
    npartitions=1,
)
LATER = date(2028, 1, 1)
DASK_CALLS: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "dask.requirements": (
        lambda data, as_of, policy: rr_dask.requirements(
            data, as_of=as_of, policy=policy
        ),
        {"data": DASK_ROWS, "as_of": AS_OF, "policy": DEFAULT_POLICY},
    ),
    "dask.plan": (
        lambda data, action, as_of, policy, order_by, buckets: rr_dask.plan(
            data,
            action=action,
            as_of=as_of,
            policy=policy,
            order_by=order_by,
            buckets=buckets,
        ),
        {
            "data": DASK_ROWS,
            "action": BatchAction.RENEW,
            "as_of": AS_OF,
            "policy": DEFAULT_POLICY,
            "order_by": "input_order",
            "buckets": 2,
        },
    ),
    "dask.timeline": (
        lambda data, start, end, policy: rr_dask.timeline(
            data, start=start, end=end, policy=policy
        ),
        {
            "data": DASK_ROWS,
            "start": AS_OF,
            "end": date(2028, 1, 1),
            "policy": DEFAULT_POLICY,
        },
    ),
    "dask.stages": (
        lambda data, as_of, policy: rr_dask.stages(data, as_of=as_of, policy=policy),
        {"data": DASK_ROWS, "as_of": AS_OF, "policy": DEFAULT_POLICY},
    ),
    "dask.bucketed": (rr_dask.bucketed, {"data": DASK_ROWS, "buckets": 2}),
}


@pytest.mark.parametrize("name", sorted(DASK_CALLS))
@given(data=st.data())
def test_arbitrary_values_give_a_result_or_a_named_error(
    name: str, data: st.DataObject
) -> None:
    call_with_one_hostile_argument(*DASK_CALLS[name], data)


def test_every_dask_function_is_fuzzed() -> None:
    public = {
        f"dask.{name}" for name in rr_dask.__all__ if callable(getattr(rr_dask, name))
    }
    assert public <= set(DASK_CALLS), public - set(DASK_CALLS)
