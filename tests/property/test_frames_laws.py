"""The columnar door agrees with the object API (issue #14).

Frame results equal the object functions on generated portfolios: with rows
shuffled, with a batch limit of 1 to 5 so that groups split, and for random
CSN partitions concatenated; every row flavour reads as the same objects.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_rules import (
    BatchAction,
    RenewalPolicy,
    Subscription,
    plan_batches,
    renewal_requirement,
    renewal_timeline,
)
from renewal_rules.frames import (
    ORDER_COLUMN,
    partition_of,
    plan_table,
    requirements_table,
    subscriptions_of,
    subscriptions_table,
    timeline_table,
)
from renewal_rules.strategies import policies, portfolios

AS_OF = date(2027, 3, 1)


def flavours(table: pa.Table) -> list[Any]:
    """The same rows as engines deliver them."""
    numpy_frame = table.to_pandas()  # NumPy dtypes, object dates, NaN for nulls
    arrow_frame = table.to_pandas(types_mapper=pd.ArrowDtype)  # pd.NA for nulls
    objects = numpy_frame.astype(object)  # every cell an object, numpy ints kept
    batches = table.combine_chunks().to_batches()
    return [table, numpy_frame, arrow_frame, objects, *batches[:1]]


class TestFlavours:
    @given(portfolios(max_size=20))
    def test_every_flavour_reads_as_the_same_subscriptions(
        self, subs: tuple[Subscription, ...]
    ) -> None:
        table = subscriptions_table(subs)
        for data in flavours(table):
            if len(subs) == 0 and isinstance(data, pa.RecordBatch):
                continue
            assert subscriptions_of(data) == list(subs)


class TestRequirements:
    @given(portfolios(max_size=30), policies())
    def test_equal_to_the_object_api(
        self, subs: tuple[Subscription, ...], policy: RenewalPolicy
    ) -> None:
        out = requirements_table(subscriptions_table(subs), as_of=AS_OF, policy=policy)
        expected = []
        for sub in subs:
            result = renewal_requirement(sub, as_of=AS_OF, policy=policy)
            expected.append(
                {
                    "id": sub.id,
                    "mode": result.mode.value,
                    "codes": ";".join(r.code.value for r in result.reasons),
                    "opens_on": result.window.opens_on,
                    "closes_on": result.window.closes_on,
                    "error": None,
                }
            )
        assert out.to_pylist() == expected


def _batches_of(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], list[str]]:
    batches: dict[tuple[Any, ...], list[tuple[int, str]]] = {}
    for row in rows:
        if row["batch"] is not None:
            key = (row["csn"], row["currency"], row["purchase_method"], row["batch"])
            batches.setdefault(key, []).append((row["position"], row["id"]))
    return {key: [i for _, i in sorted(members)] for key, members in batches.items()}


class TestPlan:
    @settings(max_examples=80)
    @given(
        portfolios(max_size=40),
        st.sampled_from(BatchAction),
        st.integers(1, 5),
        st.randoms(use_true_random=False),
        st.integers(1, 4),
    )
    def test_shuffled_partitioned_and_split_equal_the_object_plan(
        self,
        subs: tuple[Subscription, ...],
        action: BatchAction,
        limit: int,
        rng: random.Random,
        parts: int,
    ) -> None:
        policy = RenewalPolicy(batch_limit=limit)
        whole = plan_batches(subs, action=action, as_of=AS_OF, policy=policy)
        table = subscriptions_table(subs)
        rows = table.to_pylist()
        rng.shuffle(rows)
        shuffled = pa.Table.from_pylist(rows, schema=table.schema)
        out = plan_table(shuffled, action=action, as_of=AS_OF, policy=policy)
        got = out.to_pylist()
        # One output row per input row, in input order.
        assert [row["id"] for row in got] == [row["id"] for row in rows]
        # The batches are the object plan's: key, ordinal within key, members.
        expected: dict[tuple[Any, ...], list[str]] = {}
        ordinal: dict[Any, int] = {}
        for batch in whole.batches:
            ordinal[batch.key] = ordinal.get(batch.key, 0) + 1
            key = (
                batch.key.csn,
                batch.key.currency,
                batch.key.purchase_method.value,
                ordinal[batch.key],
            )
            expected[key] = [sub.id for sub in batch.subscriptions]
        assert _batches_of(got) == expected
        rejected = {r.subscription.id: r for r in whole.rejected}
        for row in got:
            if row["batch"] is None:
                codes = ";".join(c.value for c in rejected[row["id"]].codes)
                assert row["codes"] == codes
            else:
                assert row["codes"] == ""
        # CSN partitions, planned apart and concatenated: the same rows.
        pieces = [
            pa.Table.from_pylist(
                [r for r in rows if partition_of(r["csn"], parts) == part],
                schema=table.schema,
            )
            for part in range(parts)
        ]
        concatenated = pa.concat_tables(
            plan_table(piece, action=action, as_of=AS_OF, policy=policy)
            for piece in pieces
        )
        assert sorted(concatenated.to_pylist(), key=lambda r: r["id"]) == sorted(
            got, key=lambda r: r["id"]
        )

    @given(portfolios(max_size=20), st.randoms(use_true_random=False))
    def test_pandas_gives_the_same_rows_with_integer_columns(
        self, subs: tuple[Subscription, ...], rng: random.Random
    ) -> None:
        table = subscriptions_table(subs)
        frame = table.to_pandas().sample(frac=1.0, random_state=rng.randint(0, 99))
        out = plan_table(frame, action=BatchAction.RENEW, as_of=AS_OF)
        assert list(out.index) == list(frame.index)
        assert str(out["batch"].dtype) == "int64[pyarrow]"
        arrow = plan_table(table, action=BatchAction.RENEW, as_of=AS_OF)
        by_id = {row["id"]: row for row in arrow.to_pylist()}
        for record in out.to_dict("records"):
            expected = by_id[record["id"]]
            assert {k: (None if v is pd.NA else v) for k, v in record.items()} == (
                expected
            )


class TestTimeline:
    @given(portfolios(max_size=10), policies())
    def test_equal_to_the_object_api(
        self, subs: tuple[Subscription, ...], policy: RenewalPolicy
    ) -> None:
        start, end = AS_OF, AS_OF + timedelta(days=800)
        out = timeline_table(
            subscriptions_table(subs), start=start, end=end, policy=policy
        ).to_pylist()
        expected = [
            (index, sub.id, event.on, event.kind.value, dict(event.params))
            for index, sub in enumerate(subs)
            for event in renewal_timeline(sub, start=start, end=end, policy=policy)
        ]
        got = [
            (
                row["row"],
                row["id"],
                row["on"],
                row["event"],
                {
                    name: row[name]
                    for name in ("days_before", "issued_on", "term", "term_end")
                    if row[name] is not None
                },
            )
            for row in out
        ]
        assert got == [
            (i, s, on, kind, {k: getattr(v, "value", v) for k, v in params.items()})
            for i, s, on, kind, params in expected
        ]
        assert all(row["error"] is None for row in out)


def test_order_column_is_the_position_given() -> None:
    assert ORDER_COLUMN == "input_order"
