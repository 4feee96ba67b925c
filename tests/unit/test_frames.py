"""The columnar door: schemas, flavours, bad rows, empty inputs."""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from renewal_rules import (
    BatchAction,
    InvalidInputError,
    InvalidTypeError,
    PaymentKind,
    PaymentMethod,
    RenewalMode,
    Subscription,
    SubscriptionKind,
    renewal_requirement,
)
from renewal_rules.frames import (
    ORDER_COLUMN,
    PLAN_DDL,
    PLAN_SCHEMA,
    REQUIREMENT_SCHEMA,
    SUBSCRIPTION_DDL,
    SUBSCRIPTION_SCHEMA,
    TIMELINE_DDL,
    TIMELINE_SCHEMA,
    ddl,
    partition_of,
    plan_table,
    requirements_table,
    subscriptions_of,
    subscriptions_table,
    timeline_table,
)
from renewal_rules.serde import to_dict
from tests.factories import AS_OF, make_sub

RENEW = BatchAction.RENEW
TRIAL = SubscriptionKind.TRIAL


def row(**change: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "S-1", "csn": "5100001", "product": "ACDLT", "term": "annual",
        "term_start": date(2026, 5, 1), "term_end": date(2027, 5, 1),
        "currency": "EUR", "purchase_method": "online", "market": "FR",
    }  # fmt: skip
    return {**base, **change}


def table_of(*rows: dict[str, Any]) -> pa.Table:
    """A table of ``rows``, every key of every row a column."""
    return pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)


def one(data: Any) -> Any:
    (result,) = subscriptions_of(data)
    return result


class TestSchemas:
    def test_subscription_schema_has_serde_names_and_the_order_column(self) -> None:
        assert SUBSCRIPTION_SCHEMA.names == [*to_dict(make_sub()), ORDER_COLUMN]
        assert SUBSCRIPTION_SCHEMA.field("term_end").type == pa.date32()
        assert SUBSCRIPTION_SCHEMA.field("term").type == pa.string()
        assert not SUBSCRIPTION_SCHEMA.field("id").nullable
        assert SUBSCRIPTION_SCHEMA.field("quantity").nullable
        assert SUBSCRIPTION_SCHEMA.field("payment_method").type == pa.struct(
            [("kind", pa.string()), ("expires_on", pa.date32()), ("valid", pa.bool_())]
        )

    def test_spark_ddl(self) -> None:
        assert SUBSCRIPTION_DDL.startswith("`id` STRING, `csn` STRING, ")
        assert (
            "`payment_method` STRUCT<kind: STRING, expires_on: DATE, valid: BOOLEAN>"
            in SUBSCRIPTION_DDL
        )
        assert SUBSCRIPTION_DDL.endswith("`input_order` BIGINT")
        assert ddl(PLAN_SCHEMA) == PLAN_DDL
        assert "`batch` BIGINT, `position` BIGINT" in PLAN_DDL
        assert "`on` DATE, `event` STRING" in TIMELINE_DDL

    def test_ddl_refuses_other_values(self) -> None:
        with pytest.raises(InvalidTypeError) as caught:
            ddl("id STRING")
        assert caught.value.field == "schema"


class TestPartitionOf:
    def test_crc32_of_the_csn_modulo_n(self) -> None:  # as Spark's pmod(crc32(csn), n)
        for csn in ("5100001", "7200001", "0"):
            for n in (1, 2, 7, 64):
                assert partition_of(csn, n) == zlib.crc32(csn.encode()) % n
        assert partition_of("5100001", 1) == 0

    @pytest.mark.parametrize(
        ("csn", "n", "error"),
        [("51-1", 2, InvalidInputError), (5100001, 2, InvalidTypeError),
         ("5100001", 0, InvalidInputError), ("5100001", True, InvalidTypeError),
         ("5100001", 10**7, InvalidInputError)],
    )  # fmt: skip
    def test_bad_arguments(self, csn: Any, n: Any, error: type[Exception]) -> None:
        with pytest.raises(error) as caught:
            partition_of(csn, n)
        assert isinstance(caught.value, InvalidInputError)
        assert caught.value.field == ("csn" if csn != "5100001" else "n")


class TestKinds:
    """The result is the kind of frame given; an empty input, an empty result."""

    def test_table_batch_and_frame(self) -> None:
        table = pa.Table.from_pylist([row()])
        assert isinstance(requirements_table(table, as_of=AS_OF), pa.Table)
        batch = table.to_batches()[0]
        assert isinstance(requirements_table(batch, as_of=AS_OF), pa.RecordBatch)
        frame = pd.DataFrame([row()], index=[42])
        out = requirements_table(frame, as_of=AS_OF)
        assert isinstance(out, pd.DataFrame)
        assert list(out.index) == [42]
        assert out.loc[42, "mode"] == "manual"

    @pytest.mark.parametrize(
        "data",
        [
            SUBSCRIPTION_SCHEMA.empty_table(),
            pa.RecordBatch.from_pylist([], schema=SUBSCRIPTION_SCHEMA),
            SUBSCRIPTION_SCHEMA.empty_table().to_pandas(),
        ],
        ids=["table", "batch", "pandas"],
    )
    def test_empty_input_gives_an_empty_result_of_the_schema(self, data: Any) -> None:
        for out, schema in (
            (requirements_table(data, as_of=AS_OF), REQUIREMENT_SCHEMA),
            (plan_table(data, action=RENEW, as_of=AS_OF), PLAN_SCHEMA),
            (timeline_table(data, start=AS_OF, end=date(2028, 1, 1)), TIMELINE_SCHEMA),
        ):
            if isinstance(out, pd.DataFrame):
                assert list(out.columns) == schema.names
                assert len(out) == 0
            else:
                assert out.schema == schema
                assert out.num_rows == 0

    def test_not_a_frame(self) -> None:
        with pytest.raises(InvalidTypeError, match="data"):
            requirements_table([row()], as_of=AS_OF)

    def test_bad_context_is_refused_before_reading(self) -> None:
        table = pa.Table.from_pylist([row()])
        with pytest.raises(InvalidTypeError, match="as_of"):
            requirements_table(table, as_of="2027-03-01")  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="action"):
            plan_table(table, action="renew", as_of=AS_OF)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match="start"):
            timeline_table(table, start=AS_OF, end=date(2027, 1, 1))
        with pytest.raises(InvalidTypeError) as caught:
            timeline_table(table, start=AS_OF, end=date(2028, 1, 1), policy=None)  # type: ignore[arg-type]
        assert caught.value.field == "policy"


class TestColumns:
    def test_an_unknown_column_refuses_the_whole_input(self) -> None:
        with pytest.raises(InvalidInputError, match="unknown column 'auto_renwe'"):
            subscriptions_of(pa.Table.from_pylist([row(auto_renwe=True)]))

    def test_a_missing_required_column_refuses_the_whole_input(self) -> None:
        data = row()
        del data["csn"]
        with pytest.raises(InvalidInputError, match="missing column 'csn'"):
            subscriptions_of(pd.DataFrame([data]))

    def test_duplicate_or_non_string_column_names(self) -> None:
        frame = pd.DataFrame([[1, 2]], columns=["id", "id"])
        with pytest.raises(InvalidInputError, match="distinct"):
            subscriptions_of(frame)
        with pytest.raises(InvalidInputError, match="distinct"):
            subscriptions_of(pd.DataFrame([[1]], columns=[0]))
        table = pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["id", "id"])
        with pytest.raises(InvalidInputError, match="distinct"):
            subscriptions_of(table)


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (pd.DataFrame([[1, 2]], columns=["id", "id"]), InvalidInputError,
         "column names must be distinct strings"),
        (pd.DataFrame([[1]], columns=[0]), InvalidInputError,
         "column names must be distinct strings"),
        (pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["id", "id"]),
         InvalidInputError, "column names must be distinct"),
        ([{"id": "S-1"}], InvalidTypeError,
         "expected a pyarrow Table or RecordBatch or a pandas DataFrame"),
        (pa.table({"colour": ["red"]}), InvalidInputError, "unknown column 'colour'"),
        (pa.table({"id": ["S-1"]}), InvalidInputError, "missing column 'csn'"),
    ],
    ids=["pandas-twice", "pandas-0", "arrow-twice", "list", "unknown", "missing"],
)  # fmt: skip
def test_a_refused_input_names_data(
    data: Any, error: type[InvalidInputError], message: str
) -> None:
    with pytest.raises(error) as caught:
        subscriptions_of(data)
    assert caught.value.field == "data"
    assert caught.value.message == message


class TestCells:
    """Every flavour of a cell an engine delivers, and what is refused."""

    def test_nulls_mean_the_default(self) -> None:
        for null in (None, np.nan, pd.NA):
            frame = pd.DataFrame([row(quantity=null, partner_csn=null)], dtype=object)
            sub = one(frame)
            assert sub.quantity == 1
            assert sub.partner_csn is None

    def test_numpy_scalars_and_integral_floats(self) -> None:
        frame = pd.DataFrame([row(quantity=np.int64(3), auto_renew=np.bool_(True))])
        frame = frame.astype(object)
        assert one(frame).quantity == 3
        assert one(frame).auto_renew is True
        assert one(pd.DataFrame([row(quantity=3.0)])).quantity == 3
        assert "quantity" in one(pd.DataFrame([row(quantity=3.5)]))

    def test_dtypes_pyarrow_cannot_take_are_read_cell_by_cell(self) -> None:
        frame = pd.DataFrame([row()])
        frame["quantity"] = pd.arrays.SparseArray([2])
        assert one(frame).quantity == 2
        frame["quantity"] = np.array([2 + 0j])
        assert one(frame) == "$.quantity: expected a JSON integer, got (2+0j)"

    def test_midnight_timestamps_are_dates(self) -> None:
        frame = pd.DataFrame([row()])
        frame["term_end"] = pd.to_datetime(frame["term_end"])
        assert one(frame).term_end == date(2027, 5, 1)
        with_time = pd.DataFrame([row(term_end=datetime(2027, 5, 1, 9))])
        assert "$.term_end" in one(with_time)
        aware = pd.DataFrame([row(term_end=datetime(2027, 5, 1, tzinfo=UTC))])
        assert "$.term_end" in one(aware)

    def test_equal_payment_methods_are_one_object(self) -> None:
        method = {"kind": "card", "expires_on": date(2029, 1, 31), "valid": True}
        first, second = subscriptions_of(
            table_of(row(payment_method=method), row(id="S-2", payment_method=method))
        )
        assert not isinstance(first, str)
        assert not isinstance(second, str)
        assert first.payment_method is second.payment_method

    def test_iso_strings_are_dates_as_in_serde(self) -> None:
        frame = pd.DataFrame([row(term_start="2026-05-01", term_end="2027-05-01")])
        assert one(frame).term_end == date(2027, 5, 1)
        assert one(pd.DataFrame([row(term_end="20270501")])) == (
            '$.term_end: "20270501" is not an ISO date (YYYY-MM-DD)'
        )
        assert one(pd.DataFrame([row(term_end="May")])) == (
            '$.term_end: "May" is not an ISO date (YYYY-MM-DD)'
        )

    def test_payment_method_struct(self) -> None:
        method = {"kind": "card", "expires_on": date(2029, 1, 31), "valid": True}
        sub = one(table_of(row(payment_method=method)))
        assert sub.payment_method == PaymentMethod(
            kind=PaymentKind.CARD, expires_on=date(2029, 1, 31)
        )
        partial = {"kind": "paypal", "expires_on": None, "valid": None}
        assert one(pd.DataFrame([row(payment_method=partial)])).payment_method == (
            PaymentMethod(kind=PaymentKind.PAYPAL)
        )
        nan_inside = {"kind": "paypal", "expires_on": np.nan}
        frame = pd.DataFrame([row(payment_method=nan_inside, quantity="x")])
        assert one(frame) == '$.quantity: expected a JSON integer, got "x"'
        dated = {"kind": "cheque", "expires_on": date(2029, 1, 31)}
        assert one(pd.DataFrame([row(payment_method=dated)])) == (
            '$.payment_method.kind: "cheque" is not a PaymentKind value'
        )
        bad = {"kind": "cheque", "colour": "red"}
        assert one(pd.DataFrame([row(payment_method=bad)])) == (
            "$.payment_method.colour: unknown field; "
            '$.payment_method.kind: "cheque" is not a PaymentKind value'
        )
        unhashable = {"kind": ["card"]}
        assert one(pd.DataFrame([row(payment_method=unhashable)])) == (
            "$.payment_method.kind: expected a JSON string, got an array"
        )
        assert one(pd.DataFrame([row(payment_method="card")])) == (
            "$.payment_method: expected a JSON object, got string"
        )

    def test_a_mixed_object_column_is_read_cell_by_cell(self) -> None:
        frame = pd.DataFrame([row(), row(id="S-2", quantity="2"), row(id="S-3")])
        results = subscriptions_of(frame)
        assert results[1] == '$.quantity: expected a JSON integer, got "2"'
        assert [getattr(r, "id", None) for r in results] == ["S-1", None, "S-3"]

    def test_object_cells_of_every_kind_when_arrow_cannot_read_a_column(self) -> None:
        frame = pd.DataFrame([row(), row(id="S-2")], dtype=object)
        frame["quantity"] = [np.int64(2), "x"]
        frame["term_end"] = [pd.Timestamp("2027-05-01"), "2027-5-1"]
        # An object column: pyarrow would read its 5 as 5.0.
        frame["partner_csn"] = pd.Series([np.nan, 5], dtype=object)
        frame["pending_term"] = [pd.NaT, None]
        frame["payment_method"] = [{"kind": "card", "expires_on": np.nan}, 3]
        first, second = subscriptions_of(frame)
        assert not isinstance(first, str)
        assert (first.quantity, first.term_end, first.partner_csn) == (
            2, date(2027, 5, 1), None
        )  # fmt: skip
        assert first.payment_method == PaymentMethod(kind=PaymentKind.CARD)
        assert second == (
            '$.term_end: "2027-5-1" is not an ISO date (YYYY-MM-DD); '
            '$.quantity: expected a JSON integer, got "x"; '
            "$.payment_method: expected a JSON object, got integer; "
            "$.partner_csn: expected a JSON string, got 5"
        )

    def test_an_object_with_an_item_attribute_is_not_a_numpy_scalar(self) -> None:
        class Boxed:
            item = "not a method"

            def __repr__(self) -> str:
                return "Boxed()"

        frame = pd.DataFrame([row(quantity=Boxed())])
        assert one(frame) == "$.quantity: expected a JSON integer, got Boxed()"

    def test_model_objects_in_an_object_column(self) -> None:
        method = PaymentMethod(kind=PaymentKind.PAYPAL)
        frame = pd.DataFrame([row(payment_method=method, currency="euro")])
        assert one(frame) == "$.currency: must be an ISO 4217 code such as 'EUR'"
        frame = pd.DataFrame([row(payment_method=method)])
        assert one(frame).payment_method == method

    def test_every_bad_field_is_listed(self) -> None:
        bad = row(term="yearly", currency="euro", quantity=0, id=None)
        assert one(table_of(bad)) == (
            '$.id: is required; $.term: "yearly" is not a Term value; '
            "$.currency: must be an ISO 4217 code such as 'EUR'; "
            "$.quantity: must be at least 1"
        )

    def test_a_date_python_cannot_hold(self) -> None:
        days = pa.array([20_000, 3_000_000], pa.int32()).cast(pa.date32())
        table = pa.Table.from_pylist([row(), row(id="S-2")]).set_column(
            5, "term_end", days
        )
        first, second = subscriptions_of(table)
        # pyarrow's own words, quoted (at most 60 characters).
        assert second == (
            '$.term_end: "date value out of range" is not an ISO date (YYYY-MM-DD)'
        )
        assert first == "$.term_end: must be after term_start"  # 2024-10-04


class TestBadRows:
    def test_never_dropped_and_named(self) -> None:
        frame = pd.DataFrame(
            [row(), row(id="S-2", term_end=date(2026, 5, 1)), row(id=7)]
        )
        out = requirements_table(frame, as_of=AS_OF).to_dict("records")
        out = [{k: None if v is pd.NA else v for k, v in r.items()} for r in out]
        assert [r["id"] for r in out] == ["S-1", "S-2", None]
        assert out[1]["error"] == "$.term_end: must be after term_start"
        assert out[1]["mode"] is None
        assert out[2]["error"] == "$.id: expected a JSON string, got 7"
        sub = subscriptions_of(frame)[0]
        assert isinstance(sub, Subscription)
        expected = renewal_requirement(sub, as_of=AS_OF)
        assert out[0]["mode"] == RenewalMode.MANUAL.value == expected.mode.value

    def test_plan_reports_bad_rows_with_their_key(self) -> None:
        table = table_of(row(input_order=0), row(id="S-2", quantity=0, input_order=1))
        out = plan_table(table, action=RENEW, as_of=AS_OF).to_pylist()
        assert out[1] == {
            "id": "S-2", "csn": "5100001", "currency": "EUR",
            "purchase_method": "online", "batch": None, "position": None,
            "codes": None, "error": "$.quantity: must be at least 1",
        }  # fmt: skip

    def test_timeline_goes_on_after_a_bad_row(self) -> None:  # N3
        frame = pd.DataFrame([row(id="S-2", term="yearly"), row()], index=[7, 9])
        out = timeline_table(frame, start=AS_OF, end=date(2028, 1, 1))
        assert list(out.index) == list(range(len(out)))  # a row per event
        assert out["row"].tolist()[0] == 0
        assert set(out["row"].tolist()[1:]) == {1}
        assert len(out) > 2
        assert out["id"].tolist()[1:] == ["S-1"] * (len(out) - 1)

    def test_timeline_gives_one_row_for_a_bad_row(self) -> None:
        table = pa.Table.from_pylist([row(id="S-2", term="yearly")])
        (out,) = timeline_table(table, start=AS_OF, end=date(2028, 1, 1)).to_pylist()
        assert out["row"] == 0
        assert out["id"] == "S-2"
        assert out["event"] is None
        assert out["error"] == '$.term: "yearly" is not a Term value'


class TestOrder:
    def test_order_by_the_column_then_id(self) -> None:
        rows = [
            row(id="S-3", input_order=1),
            row(id="S-2", input_order=1),
            row(id="S-1", input_order=2),
        ]
        out = plan_table(
            table_of(*rows),
            action=RENEW,
            as_of=date(2027, 4, 1),
        ).to_pylist()
        assert [(r["id"], r["batch"], r["position"]) for r in out] == [
            ("S-3", 1, 2), ("S-2", 1, 1), ("S-1", 1, 3),
        ]  # fmt: skip

    def test_another_order_column_or_arrival(self) -> None:
        rows = [row(id="S-2", seq=2), row(id="S-1", seq=5)]
        table = table_of(*rows)
        out = plan_table(table, action=RENEW, as_of=date(2027, 4, 1), order_by="seq")
        assert out.column("position").to_pylist() == [1, 2]
        arrival = plan_table(
            table.drop_columns(["seq"]), action=RENEW, as_of=date(2027, 4, 1),
            order_by=None,
        )  # fmt: skip
        assert arrival.column("position").to_pylist() == [1, 2]

    def test_a_null_or_bad_order_is_a_bad_row(self) -> None:
        rows = [row(input_order=None), row(id="S-2", input_order=1)]
        out = plan_table(table_of(*rows), action=RENEW, as_of=AS_OF)
        assert out.column("error").to_pylist() == [
            "$.input_order: expected an integer, got None",
            None,
        ]
        frame = pd.DataFrame([row(seq="first")])
        out = plan_table(frame, action=RENEW, as_of=AS_OF, order_by="seq")
        assert out["error"].tolist() == ["$.seq: expected an integer, got 'first'"]

    def test_order_by_must_be_a_column_and_not_a_field(self) -> None:
        table = pa.Table.from_pylist([row()])
        with pytest.raises(InvalidInputError) as caught:
            plan_table(table, action=RENEW, as_of=AS_OF)
        error = caught.value
        assert (error.field, error.value, error.message) == (
            "order_by", "input_order", "is not a column of data"
        )  # fmt: skip
        with pytest.raises(InvalidInputError) as caught:
            plan_table(table, action=RENEW, as_of=AS_OF, order_by="term_end")
        error = caught.value
        assert (error.field, error.value, error.message) == (
            "order_by", "term_end", "must not be a subscription field"
        )  # fmt: skip
        with pytest.raises(InvalidTypeError) as caught:
            plan_table(table, action=RENEW, as_of=AS_OF, order_by=3)  # type: ignore[arg-type]
        assert caught.value.field == "order_by"
        with pytest.raises(InvalidTypeError) as caught:
            plan_table(table, action="renew", as_of=AS_OF)  # type: ignore[arg-type]
        assert caught.value.field == "action"


class TestSubscriptionsTable:
    def test_round_trip_and_order(self) -> None:
        subs = [make_sub(id="S-2"), make_sub(id="S-1", auto_renew=True)]
        table = subscriptions_table(subs)
        assert table.schema == SUBSCRIPTION_SCHEMA
        assert table.column(ORDER_COLUMN).to_pylist() == [0, 1]
        assert subscriptions_of(table) == subs

    def test_refuses_other_values(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"subs\[0\]"):
            subscriptions_table([{"id": "S-1"}])  # type: ignore[list-item]
        with pytest.raises(InvalidTypeError) as caught:
            subscriptions_table(None)  # type: ignore[arg-type]
        assert caught.value.field == "subs"


class TestPolarsAndTheEngine:
    """Polars in and out, stages, unlisted markets, and the defects of the row door."""

    def test_polars_frames_stay_polars_and_lazy_stays_lazy(self) -> None:
        import polars as pl

        table = subscriptions_table([make_sub(), make_sub(id="S-2", auto_renew=False)])
        frame = pl.DataFrame(table)
        eager = requirements_table(frame, as_of=AS_OF)
        assert isinstance(eager, pl.DataFrame)
        assert eager["mode"].to_list() == ["automatic", "manual"]  # A1
        lazy = requirements_table(frame.lazy(), as_of=AS_OF)
        assert isinstance(lazy, pl.LazyFrame)
        assert lazy.collect().equals(eager)
        arrow = requirements_table(table, as_of=AS_OF)
        assert arrow.schema == REQUIREMENT_SCHEMA
        assert pl.DataFrame(arrow).equals(eager)

    def test_stages_table_is_the_object_api(self) -> None:  # G1, G2, G6
        import polars as pl

        from renewal_rules import has_access, lifecycle_stage, stage_dates
        from renewal_rules.frames import STAGES_SCHEMA, stages_table

        subs = [make_sub(), make_sub(id="S-2"), make_sub(id="S-3", kind=TRIAL)]
        due = [None, date(2027, 4, 1), date(2027, 4, 1)]
        data = pl.DataFrame(subscriptions_table(subs)).with_columns(
            pl.Series("invoice_due_on", due, dtype=pl.Date)
        )
        as_of = date(2027, 4, 20)
        out = stages_table(data.to_arrow(), as_of=as_of)
        assert out.schema == STAGES_SCHEMA
        for sub, on, got in zip(subs, due, out.to_pylist(), strict=True):
            dates = stage_dates(sub, invoice_due_on=on)
            assert got == {
                "id": sub.id,
                "stage": lifecycle_stage(sub, as_of=as_of, invoice_due_on=on).value,
                "has_access": has_access(sub, as_of=as_of, invoice_due_on=on),
                "expired_on": dates.expired_on,
                "suspended_on": dates.suspended_on,
                "canceled_on": dates.canceled_on,
                "error": None,
            }

    def test_an_unlisted_market_is_a_bad_row(self) -> None:  # A4
        from renewal_rules import Capability, Market, RenewalPolicy

        policy = RenewalPolicy(
            default_market=None,
            markets=[Market(code="FR", capabilities=set(Capability))],
        )
        table = table_of(row(input_order=0), row(id="S-2", market="DE", input_order=1))
        out = requirements_table(
            table.drop_columns(ORDER_COLUMN), as_of=AS_OF, policy=policy
        )
        assert out.column("mode").to_pylist() == ["manual", None]
        assert out.column("error").to_pylist() == [
            None,
            "$.market: is not listed in the policy and there is no default",
        ]
        plan = plan_table(table, action=RENEW, as_of=AS_OF, policy=policy)
        assert plan.column("error").to_pylist()[1].startswith("$.market")

    def test_a_lone_surrogate_id_is_a_bad_row_not_a_crash(self) -> None:
        frame = pd.DataFrame([row(), row(id="S-\ud800")], dtype=object)
        out = requirements_table(frame, as_of=AS_OF)
        assert list(out["id"].astype(object)[:1]) == ["S-1"]
        assert pd.isna(out["id"].iloc[1])
        assert out["error"].iloc[1].startswith("$.id: must not hold")

    @pytest.mark.parametrize("valid", [1, 1.0, np.float64(1.0)])
    def test_an_equal_but_refused_payment_cell_is_not_reused(self, valid: Any) -> None:
        good = {"kind": "card", "expires_on": None, "valid": True}
        bad = {"kind": "card", "expires_on": None, "valid": valid}
        frame = pd.DataFrame(
            [row(payment_method=good), row(id="S-2", payment_method=bad)]
        )
        out = requirements_table(frame, as_of=AS_OF)
        assert pd.isna(out["error"].iloc[0])
        assert out["error"].iloc[1].startswith("$.payment_method.valid")

    def test_a_nanosecond_midnight_datetime64_is_a_date(self) -> None:
        midnight = np.datetime64("2027-05-01T00:00:00.000000000", "ns")
        frame = pd.DataFrame([row()], dtype=object)
        frame["term_end"] = pd.Series([midnight], dtype=object)
        assert type(frame["term_end"].iloc[0]) is np.datetime64
        out = requirements_table(frame, as_of=AS_OF)
        assert pd.isna(out["error"].iloc[0])
        assert out["closes_on"].iloc[0] == date(2027, 5, 1)


def _expected(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The object path's answers for rows read by the row door (an oracle)."""
    found = []
    for sub in subscriptions_of(pd.DataFrame(rows, dtype=object)):
        if isinstance(sub, str):
            found.append(("error", sub))
        else:
            req = renewal_requirement(sub, as_of=AS_OF)
            codes = ";".join(reason.code.value for reason in req.reasons)
            found.append((req.mode.value, codes))
    return found


class TestPolarsColumns:
    """Every dtype the engine reads in columns answers what the row door answers."""

    @staticmethod
    def answers(frame: Any) -> list[tuple[Any, ...]]:
        out = requirements_table(frame, as_of=AS_OF)
        return [
            ("error", r["error"]) if r["error"] is not None else (r["mode"], r["codes"])
            for r in out.to_dicts()
        ]

    def test_dtypes_read_in_columns(self) -> None:
        import polars as pl

        rows = [
            row(quantity=2.0, term_end=datetime(2027, 5, 1), anchor_day=1),
            row(id="S-2", quantity=2.5, term_end=datetime(2027, 5, 1, 12)),
            row(id="S-3", quantity=float("nan"), term_end=datetime(2027, 5, 1)),
        ]
        frame = pl.DataFrame(rows).with_columns(
            pl.col("term").cast(pl.Categorical),
            pl.lit(None).alias("partner_csn"),
            pl.Series("pending_quantity", [1, None, None], dtype=pl.UInt8),
        )
        objects = [
            {**r, "quantity": None if r["id"] == "S-3" else r["quantity"]} for r in rows
        ]
        assert self.answers(frame) == _expected(objects)

    def test_date_strings_and_struct_fields(self) -> None:
        import polars as pl

        method = {"kind": "card", "expires_on": "2027-06-01"}
        rows = [
            row(term_start="2026-05-01", payment_method=method, auto_renew=True),
            row(id="S-2", term_start="20260501"),
            row(
                id="S-3",
                term_start="2026-05-01",
                payment_method={"kind": "card", "expires_on": "2027-6-1"},
            ),
        ]
        frame = pl.DataFrame(rows, infer_schema_length=None)
        assert self.answers(frame) == _expected(rows)
        only_kind = pl.DataFrame([row(payment_method={"kind": "alipay"})])
        assert self.answers(only_kind) == [
            ("manual", "auto_renew_off;payment_method_not_recurring")
        ]

    def test_a_dtype_not_read_in_columns_goes_row_by_row(self) -> None:
        import polars as pl

        frame = pl.DataFrame([row(auto_renew=1), row(id="S-2")])
        assert self.answers(frame) == _expected([row(auto_renew=1), row(id="S-2")])
        odd = pl.DataFrame([row(payment_method={"kind": "card", "other": 1})])
        assert self.answers(odd)[0][0] == "error"
        listed = pl.DataFrame([row(payment_method={"kind": 1})])
        assert self.answers(listed)[0][0] == "error"
        boolean_date = pl.DataFrame(
            [row(payment_method={"kind": "card", "expires_on": True})]
        )
        assert self.answers(boolean_date)[0][0] == "error"

    def test_names_are_checked_for_every_kind(self) -> None:
        import polars as pl

        for data in (pl.DataFrame([row(x=1)]), pl.DataFrame([row(x=1)]).lazy()):
            with pytest.raises(InvalidInputError, match="unknown column 'x'"):
                requirements_table(data, as_of=AS_OF)
        with pytest.raises(InvalidInputError, match="missing column 'csn'"):
            requirements_table(pa.Table.from_pylist([{"id": "S-1"}]), as_of=AS_OF)
        with pytest.raises(InvalidInputError, match="distinct"):
            requirements_table(
                pd.DataFrame([[1, 2]], columns=["id", "id"]), as_of=AS_OF
            )

    def test_a_lazy_plan_and_invoice_days(self) -> None:
        import polars as pl

        from renewal_rules.frames import stages_table

        table = subscriptions_table([make_sub(), make_sub(id="S-2")])
        lazy = pl.DataFrame(table).lazy()
        plan = plan_table(lazy, action=RENEW, as_of=AS_OF)
        assert isinstance(plan, pl.LazyFrame)
        assert plan.collect()["position"].to_list() == [1, 2]
        bad = pl.DataFrame(table).with_columns(
            pl.Series("invoice_due_on", ["2027-04-01", "soon"])
        )
        out = stages_table(bad, as_of=AS_OF)
        assert out["error"].to_list() == [
            None,
            "$.invoice_due_on: expected a datetime.date (not a datetime)",
        ]
        with pytest.raises(InvalidInputError, match="order_by"):
            plan_table(lazy.drop(ORDER_COLUMN), action=RENEW, as_of=AS_OF)
        doubtful = pl.DataFrame(
            [row(term_start="20260501"), row(id="S-2", term_start="2026-05-01")]
        ).with_columns(pl.lit(None, dtype=pl.Date).alias("invoice_due_on"))
        out = stages_table(doubtful, as_of=AS_OF)
        assert out["error"].to_list()[0].startswith("$.term_start")
        assert out["stage"].to_list() == [None, "active"]


def test_a_text_column_of_another_dtype_and_a_polars_timeline() -> None:
    import polars as pl

    odd = pl.DataFrame([row(product=7)])
    out = requirements_table(odd, as_of=AS_OF)
    assert out["error"].to_list()[0].startswith("$.product")
    frame = pl.DataFrame([row(), row(id="S-2")])
    events = timeline_table(frame.lazy(), start=AS_OF, end=date(2028, 1, 1))
    assert isinstance(events, pl.LazyFrame)
    assert events.collect()["row"].to_list()[0] == 0


def test_a_plan_of_no_frame_is_refused_by_name() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        plan_table([row()], action=RENEW, as_of=AS_OF)
    assert caught.value.field == "data"


class TestValidationInColumns:
    """The column checks vouch exactly where the validators accept."""

    @pytest.mark.parametrize(
        ("term_end", "anchor_day"),
        [
            (date(2027, 2, 28), 28),
            (date(2027, 2, 28), 30),  # a later anchor, clamped to the month
            (date(2027, 2, 28), 31),
            (date(2027, 2, 27), 30),  # clamped, it would be the 28th
            (date(2028, 2, 28), 30),  # a leap February: the 29th
            (date(2028, 2, 29), 31),
            (date(2027, 4, 30), 31),
            (date(2027, 4, 29), 31),
            (date(2027, 5, 31), 30),  # an anchor below the day
            (date(2027, 5, 1), 32),
        ],
    )
    def test_the_anchor_day_of_each_month_end(  # T2
        self, term_end: date, anchor_day: int
    ) -> None:
        import polars as pl

        rows = [row(term_end=term_end, anchor_day=anchor_day), row(id="S-2")]
        frame = pl.DataFrame(rows)
        assert TestPolarsColumns.answers(frame) == _expected(rows)
        assert TestPolarsColumns.answers(frame.lazy().collect()) == _expected(rows)

    def test_an_all_null_optional_column_and_one_with_a_value(self) -> None:
        import polars as pl

        rows = [row(), row(id="S-2", pending_quantity=3, quantity=2)]
        frame = pl.DataFrame(rows)
        assert TestPolarsColumns.answers(frame) == _expected(rows)
        assert TestPolarsColumns.answers(frame.head(1)) == _expected(rows[:1])
        assert TestPolarsColumns.answers(frame.tail(1))[0][0] == "error"


def test_a_run_on_polars_does_not_import_pandas() -> None:
    # pandas is read only from a caller that holds one of its frames (the
    # command line's engine pays neither its import time nor its memory).
    import subprocess
    import sys

    code = (
        "import io, json, sys, polars as pl\n"
        "from renewal_rules import frames, serde\n"
        "from renewal_rules.sample import SAMPLE_PORTFOLIO, SAMPLE_AS_OF\n"
        "text = ''.join(json.dumps(serde.to_dict(s)) + '\\n'\n"
        "               for s in SAMPLE_PORTFOLIO)\n"
        "data = pl.read_ndjson(io.BytesIO(text.encode()))\n"
        "out = frames.requirements_table(data, as_of=SAMPLE_AS_OF)\n"
        "assert out['error'].null_count() == out.height, out['error']\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
