"""The columnar door agrees with the object API.

Frame results equal the object functions on generated portfolios: with rows
shuffled, with a batch limit of 1 to 5 so that groups split, and for random
CSN partitions concatenated; every row flavour reads as the same objects.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import attrs
import pandas as pd
import pyarrow as pa
import pytest
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


KINDS = ("table", "polars", "lazy", "pandas")


def as_kind(table: pa.Table, kind: str) -> Any:
    """``table`` as one of the kinds the engine reads."""
    import polars as pl

    if kind == "table":
        return table
    if kind == "pandas":
        return table.to_pandas(types_mapper=pd.ArrowDtype)
    frame = pl.DataFrame(table)
    return frame.lazy() if kind == "lazy" else frame


def rows_of(out: Any) -> list[dict[str, Any]]:
    import polars as pl

    if isinstance(out, pl.LazyFrame):
        out = out.collect()
    if isinstance(out, pd.DataFrame):
        out = pa.Table.from_pandas(out, preserve_index=False)
    return list(pl.DataFrame(out).to_dicts())


def boundary_day(
    subs: tuple[Subscription, ...], policy: RenewalPolicy, data: st.DataObject
) -> date:
    """A day on or next to an edge of one drawn subscription's dates.

    The window's first day, the term's end, the next term's end (G4) and the
    end of the stages after expiry (G3): where a column form and its scalar
    form could disagree by one day.
    """
    from renewal_rules import next_term_end, renewal_window, stage_dates

    if not subs:
        return AS_OF
    sub = data.draw(st.sampled_from(subs))
    edges = [
        renewal_window(sub, policy=policy).opens_on,
        sub.term_end,
        next_term_end(sub),
        sub.term_end + timedelta(days=policy.quote_days_after_expiry),
        stage_dates(sub, policy=policy).canceled_on,
    ]
    edge = data.draw(st.sampled_from(edges))
    day = edge + timedelta(days=data.draw(st.integers(-1, 1)))
    return min(max(day, date(1900, 1, 1)), date(9899, 12, 31))


class TestColumnsEqualScalars:
    """Every input kind, any edge of the terms: the columns equal the objects."""

    @settings(max_examples=80)
    @given(portfolios(max_size=25), policies(), st.sampled_from(KINDS), st.data())
    def test_requirements(  # A1, A2, A4, M1, G3, G4
        self,
        subs: tuple[Subscription, ...],
        policy: RenewalPolicy,
        kind: str,
        data: st.DataObject,
    ) -> None:
        as_of = boundary_day(subs, policy, data)
        table = as_kind(subscriptions_table(subs), kind)
        got = rows_of(requirements_table(table, as_of=as_of, policy=policy))
        for sub, row in zip(subs, got, strict=True):
            result = renewal_requirement(sub, as_of=as_of, policy=policy)
            assert row == {
                "id": sub.id,
                "mode": result.mode.value,
                "codes": ";".join(r.code.value for r in result.reasons),
                "opens_on": result.window.opens_on,
                "closes_on": result.window.closes_on,
                "error": None,
            }

    @settings(max_examples=80)
    @given(
        portfolios(max_size=25),
        policies(),
        st.sampled_from(BatchAction),
        st.integers(1, 5),
        st.sampled_from(KINDS),
        st.data(),
    )
    def test_plans(  # noqa: PLR0917 - B1-B4, M1, Q15, Q18
        self,
        subs: tuple[Subscription, ...],
        policy: RenewalPolicy,
        action: BatchAction,
        limit: int,
        kind: str,
        data: st.DataObject,
    ) -> None:
        policy = attrs.evolve(policy, batch_limit=limit)
        as_of = boundary_day(subs, policy, data)
        whole = plan_batches(subs, action=action, as_of=as_of, policy=policy)
        table = as_kind(subscriptions_table(subs), kind)
        got = rows_of(plan_table(table, action=action, as_of=as_of, policy=policy))
        rejected = {r.subscription.id: r.codes for r in whole.rejected}
        ordinal: dict[Any, int] = {}
        expected: dict[tuple[Any, ...], list[str]] = {}
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
        for row in got:
            if row["batch"] is None:
                codes = rejected[row["id"]]
                assert row["codes"] == ";".join(code.value for code in codes)

    @settings(max_examples=60)
    @given(
        portfolios(max_size=25),
        policies(),
        st.integers(-100, 150),
        st.sampled_from(KINDS),
        st.data(),
    )
    def test_stages(  # G1, G2, G6
        self,
        subs: tuple[Subscription, ...],
        policy: RenewalPolicy,
        days: int,
        kind: str,
        data: st.DataObject,
    ) -> None:
        from renewal_rules import has_access, lifecycle_stage, stage_dates
        from renewal_rules.frames import stages_table

        as_of = AS_OF + timedelta(days=days)
        due = [
            None if offset is None else sub.term_end + timedelta(days=offset)
            for sub, offset in zip(
                subs,
                data.draw(
                    st.lists(
                        st.none() | st.integers(-45, 5),
                        min_size=len(subs),
                        max_size=len(subs),
                    )
                ),
                strict=True,
            )
        ]
        table = subscriptions_table(subs).append_column(
            "invoice_due_on", pa.array(due, type=pa.date32())
        )
        got = rows_of(stages_table(as_kind(table, kind), as_of=as_of, policy=policy))
        for sub, on, row in zip(subs, due, got, strict=True):
            dates = stage_dates(sub, policy=policy, invoice_due_on=on)
            stage = lifecycle_stage(sub, as_of=as_of, policy=policy, invoice_due_on=on)
            assert row == {
                "id": sub.id,
                "stage": stage.value,
                "has_access": has_access(
                    sub, as_of=as_of, policy=policy, invoice_due_on=on
                ),
                "expired_on": dates.expired_on,
                "suspended_on": dates.suspended_on,
                "canceled_on": dates.canceled_on,
                "error": None,
            }


@pytest.mark.parametrize("days", [-1, 0, 1])
@pytest.mark.parametrize("kind", KINDS)
def test_the_late_edges_in_columns(days: int, kind: str) -> None:  # G4, Q18
    # A monthly term over on 2027-02-01: its next term ends on 2027-03-01
    # (G4 refuses a late renewal from that day on), and a quote window of
    # 20 days after expiry closes on 2027-02-21 (Q18); canceled on 2027-03-03.
    from renewal_rules import POST_EXPIRY_POLICY, PurchaseMethod, Term

    sub = Subscription(
        id="S-1", csn="5100001", product="ACD", term=Term.MONTHLY,
        term_start=date(2027, 1, 1), term_end=date(2027, 2, 1), currency="EUR",
        purchase_method=PurchaseMethod.ONLINE, market="FR",
    )  # fmt: skip
    policy = attrs.evolve(
        POST_EXPIRY_POLICY, quote_days_after_expiry=20, suspended_stage_days={
            Term.MONTHLY: 17, Term.ANNUAL: 30, Term.THREE_YEAR: 30
        },
    )  # fmt: skip
    data = as_kind(subscriptions_table([sub]), kind)
    for edge in (date(2027, 3, 1), date(2027, 2, 21)):
        as_of = edge + timedelta(days=days)
        row = rows_of(requirements_table(data, as_of=as_of, policy=policy))[0]
        result = renewal_requirement(sub, as_of=as_of, policy=policy)
        assert row["codes"] == ";".join(r.code.value for r in result.reasons)
        plan = rows_of(
            plan_table(data, action=BatchAction.QUOTE, as_of=as_of, policy=policy)
        )[0]
        whole = plan_batches(
            [sub], action=BatchAction.QUOTE, as_of=as_of, policy=policy
        )
        codes = whole.rejected[0].codes if whole.rejected else ()
        assert plan["codes"] == ";".join(code.value for code in codes)
