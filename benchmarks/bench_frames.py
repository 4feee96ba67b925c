"""The columnar door against hand-written Polars queries over the same frame.

Rows are generated as columns (NumPy, then one Polars frame), never as
objects. Each baseline computes exactly the door's output columns and values
under ``DEFAULT_POLICY`` from the same frame, without checking its input: a
short query a Polars user would write by hand. The door's side includes
reading the frame into its canonical columns and validating every row; its
share of the door's time is measured apart.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from timing import best

from renewal_rules import (
    DEFAULT_POLICY,
    BatchAction,
    Subscription,
    frames,
    has_access,
    lifecycle_stage,
    plan_batches,
    renewal_requirement,
    stage_dates,
)

AS_OF = date(2027, 3, 1)
POLICY = DEFAULT_POLICY
# What the baselines read of the policy:
assert not POLICY.post_expiry_renewal
assert not POLICY.markets

_METHODS = ("online", "partner", "direct")
_CURRENCIES = ("EUR", "USD", "JPY")
# The payment methods of benchmarks/portfolio.py: (kind, expires_on, valid).
_PAYMENTS: tuple[tuple[str, date | None, bool] | None, ...] = (
    None,
    ("card", date(2030, 12, 31), True),
    ("card", date(2027, 4, 1), True),
    ("paypal", None, True),
    ("alipay", None, True),
    ("direct_debit", None, False),
)


def frame(size: int, *, seed: int = 20261203) -> pl.DataFrame:
    """``size`` rows over ``size // 50`` CSNs, around ``AS_OF``, as columns.

    The mix of benchmarks/portfolio.py: about 40% inside their 90-day
    window, 40% far from renewal, 20% expired, 5% trials, every purchase
    method meeting every payment method; every row valid.
    """
    rng = np.random.default_rng(seed)
    n = np.arange(size)
    roll = rng.random(size)
    offset = np.where(
        roll < 0.4,
        rng.integers(1, 91, size),
        np.where(roll < 0.8, rng.integers(91, 701, size), rng.integers(-300, 1, size)),
    )
    term_end = np.datetime64(AS_OF) + offset.astype("timedelta64[D]")
    monthly = n % 7 == 0
    method = np.array(_METHODS)[n % 3]
    csns = 5_000_000 + rng.integers(0, max(1, size // 50), size)
    out = pl.DataFrame(
        {
            "id": pl.Series(n).cast(pl.String).str.zfill(8),
            "csn": pl.Series(csns).cast(pl.String),
            "product": pl.repeat("ACDLT", size, eager=True),
            "term": np.where(monthly, "monthly", "annual"),
            "term_end": pl.Series(term_end).cast(pl.Date),
            "currency": np.array(_CURRENCIES)[np.where(n % 11 == 0, 0, n % 3)],
            "purchase_method": method,
            "market": pl.repeat("FR", size, eager=True),
            "quantity": pl.repeat(1, size, eager=True, dtype=pl.Int64),
            "kind": np.where(rng.random(size) < 0.05, "trial", "paid"),
            "payment_method": pl.Series(
                [
                    None
                    if p is None
                    else {"kind": p[0], "expires_on": p[1], "valid": p[2]}
                    for p in _PAYMENTS
                ]
            )[(n // 3) % len(_PAYMENTS)],
            "auto_renew": n % 2 == 1,
            frames.ORDER_COLUMN: n,
        }
    )
    end = pl.col("term_end")
    out = out.with_columns(
        ("S-" + pl.col("id")).alias("id"),
        pl.when(pl.col("purchase_method") == "partner")
        .then(pl.lit("7200001"))
        .alias("partner_csn"),
        # add_months_anchored(term_end, -months): Polars clamps to the month's end.
        pl.when(pl.col("term") == "monthly")
        .then(end.dt.offset_by("-1mo"))
        .otherwise(end.dt.offset_by("-12mo"))
        .alias("term_start"),
    )
    return out.select(n for n in frames.SUBSCRIPTION_SCHEMA.names if n in out.columns)


# -- the hand-written queries ------------------------------------------------


def _codes(*pairs: tuple[pl.Expr, str]) -> pl.Expr:
    # The codes of the true conditions, ';'-joined, in the given order.
    return pl.concat_str(
        [pl.when(cond).then(pl.lit(code)) for cond, code in pairs],
        separator=";",
        ignore_nulls=True,
    )


def requirements(data: Any, as_of: date) -> Any:
    """``requirements_table`` by hand: mode, codes and window (A1, A2, M1)."""
    end = pl.col("term_end")
    day = pl.lit(as_of)
    method = pl.col("payment_method")
    kind = method.struct.field("kind")
    none = (pl.col("kind") == "trial") | (day >= end)
    manual = sorted(k.value for k in POLICY.manual_payment_kinds)
    has = method.is_not_null()
    reasons = _codes(
        (~pl.col("auto_renew"), "auto_renew_off"),
        (~has, "no_payment_method"),
        (has & kind.is_in(manual), "payment_method_not_recurring"),
        (has & ~method.struct.field("valid"), "payment_method_invalid"),
        (
            has & (method.struct.field("expires_on") < end),
            "payment_method_expires_before_renewal",
        ),
    )
    return data.select(
        "id",
        pl.when(none)
        .then(pl.lit("none"))
        .when(reasons == "")
        .then(pl.lit("automatic"))
        .otherwise(pl.lit("manual"))
        .alias("mode"),
        pl.when(none)
        .then(
            _codes(
                (pl.col("kind") == "trial", "trial_not_renewable"),
                (day >= end, "subscription_expired"),
            )
        )
        .otherwise(reasons)
        .alias("codes"),
        (end - pl.duration(days=POLICY.renewal_window_days)).alias("opens_on"),
        end.alias("closes_on"),
        pl.lit(None, dtype=pl.String).alias("error"),
    )


def stages(data: Any, as_of: date) -> Any:
    """``stages_table`` by hand (G1): the stage, access and the three dates."""
    end = pl.col("term_end")
    trial = pl.col("kind") == "trial"
    suspended = end + pl.duration(days=POLICY.expired_stage_days)
    days = POLICY.suspended_stage_days
    canceled = suspended + pl.duration(
        days=pl.col("term").replace_strict({t.value: n for t, n in days.items()})
    )
    expired_on = end
    suspended_on = pl.when(trial).then(end).otherwise(suspended)
    canceled_on = pl.when(trial).then(end).otherwise(canceled)
    day = pl.lit(as_of)
    stage = (
        pl.when(day >= canceled_on)
        .then(pl.lit("canceled"))
        .when(day >= suspended_on)
        .then(pl.lit("suspended"))
        .when(day >= expired_on)
        .then(pl.lit("expired"))
        .otherwise(pl.lit("active"))
    )
    return data.select(
        "id",
        stage.alias("stage"),
        stage.is_in(["active", "expired"]).alias("has_access"),
        expired_on.alias("expired_on"),
        suspended_on.alias("suspended_on"),
        canceled_on.alias("canceled_on"),
        pl.lit(None, dtype=pl.String).alias("error"),
    )


def plan(data: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """``plan_table(RENEW)`` by hand (B1-B4, E1, E2, M1)."""
    end = pl.col("term_end")
    day = pl.lit(as_of)
    trial = pl.col("kind") == "trial"
    expired = day >= end
    early = ~expired & (day < end - pl.duration(days=POLICY.renewal_window_days))
    keys = ["csn", "currency", "purchase_method"]
    limit = POLICY.batch_limit
    ranked = (
        data.with_row_index("__row")
        .sort(frames.ORDER_COLUMN, "id", "__row")
        .with_columns(
            (pl.col("id").cum_count().over("id") > 1).alias("__repeat"),
            _codes(
                (trial, "trial_not_renewable"),
                (expired, "subscription_expired"),
                (early, "outside_renewal_window"),
            ).alias("__codes"),
        )
        .with_columns(
            pl.when(pl.col("__repeat"))
            .then(pl.lit("duplicate_subscription"))
            .otherwise(pl.col("__codes"))
            .alias("codes")
        )
    )
    planned = (pl.col("codes") == "").cast(pl.Int64)
    place = (planned.cum_sum().over(keys) - 1).alias("__place")
    batch = pl.when(pl.col("codes") == "").then(pl.col("__place") // limit + 1)
    position = pl.when(pl.col("codes") == "").then(pl.col("__place") % limit + 1)
    return (
        ranked.with_columns(place)
        .select(
            "__row",
            "id",
            *keys,
            batch.alias("batch"),
            position.alias("position"),
            "codes",
            pl.lit(None, dtype=pl.String).alias("error"),
        )
        .sort("__row")
        .drop("__row")
    )


# -- the door, its validation alone, the object API beside -------------------


def door_requirements(data: Any, as_of: date) -> Any:
    return frames.requirements_table(data, as_of=as_of)


def door_stages(data: Any, as_of: date) -> Any:
    return frames.stages_table(data, as_of=as_of)


def door_plan(data: Any, as_of: date) -> Any:
    return frames.plan_table(data, action=BatchAction.RENEW, as_of=as_of)


def validation(data: pl.DataFrame, extras: tuple[str, ...] = ()) -> int:
    """The door's reading and judging of ``data`` alone, as the door does it.

    Returns the number of valid rows.
    """
    extra = frames._extra_types(extras)
    allowed = frozenset(frames.SUBSCRIPTION_SCHEMA.names) | set(extra)
    source = frames._input(data, allowed)
    good, bad = frames._judged(source, source.frame.collect(), extra, POLICY)
    assert bad.height == 0
    return int(good.height)


def objects_requirements(subs: list[Subscription], as_of: date) -> list[Any]:
    return [renewal_requirement(sub, as_of=as_of) for sub in subs]


def objects_stages(subs: list[Subscription], as_of: date) -> list[Any]:
    return [
        (
            lifecycle_stage(sub, as_of=as_of),
            has_access(sub, as_of=as_of),
            stage_dates(sub),
        )
        for sub in subs
    ]


def objects_plan(subs: list[Subscription], as_of: date) -> Any:
    return plan_batches(subs, action=BatchAction.RENEW, as_of=as_of)


def same(door: pl.DataFrame, hand: pl.DataFrame) -> None:
    """The two answers are equal, column for column, with the door's dtypes."""
    assert door.columns == hand.columns, (door.columns, hand.columns)
    assert door.equals(hand.cast(door.schema)), "door and baseline differ"


Timer = Callable[[str, Callable[[], object], Callable[[], object], int], float]


Door = Callable[[Any, date], Any]
Objects = Callable[[list[Subscription], date], Any]


def _case(
    name: str,
    door: Door,
    hand: Callable[[], object],
    extras: tuple[str, ...],
    objects: Objects,
    *,
    data: pl.DataFrame,
    sample: list[Subscription],
    repeat: int,
    compare: Timer,
) -> float:
    same(door(data, AS_OF), hand())  # type: ignore[arg-type]
    ratio = compare(name, lambda: door(data, AS_OF), hand, repeat)
    door_time = best(lambda: door(data, AS_OF), repeat)
    check = best(lambda: validation(data, extras), repeat)
    per_object = best(lambda: objects(sample, AS_OF), repeat) / len(sample)
    print(
        f"    validation {check / door_time:4.0%} of the door; per row: door "
        f"{door_time / data.height * 1e6:.2f} µs, object API {per_object * 1e6:.2f} µs"
    )
    return ratio


def report(size: int, repeat: int, compare: Timer) -> dict[str, float]:
    """The door against its baselines on ``size`` generated rows; the ratios.

    Beside each: the share of the door's time spent reading and judging the
    rows, and the object API's cost per row (on 100,000 of the same rows).
    """
    data = frame(size)
    lazy = data.lazy()
    sample = [
        sub for sub in frames.subscriptions_of(data.head(100_000))
        if isinstance(sub, Subscription)
    ]  # fmt: skip
    print(
        f"\nThe columnar door, {size:,} rows of a Polars frame, against a hand-written query"
    )
    cases: list[tuple[str, Door, Callable[[], object], tuple[str, ...], Objects]] = [
        ("requirements_table", door_requirements,
         lambda: requirements(lazy, AS_OF).collect(), (), objects_requirements),
        ("stages_table", door_stages, lambda: stages(lazy, AS_OF).collect(),
         (frames.INVOICE_COLUMN,), objects_stages),
        ("plan_table(RENEW)", door_plan, lambda: plan(data, AS_OF), (), objects_plan),
    ]  # fmt: skip
    return {
        name: _case(
            name,
            door,
            hand,
            extras,
            objects,
            data=data,
            sample=sample,
            repeat=repeat,
            compare=compare,
        )
        for name, door, hand, extras, objects in cases
    }


# -- a Parquet file streamed, in a child process (its peak memory its own) ------

_STREAM = """
import sys, time
sys.path.insert(0, sys.argv[1])
import polars as pl
import bench_frames
source, target, which = sys.argv[2:5]
start = time.perf_counter()
scan = pl.scan_parquet(source)
if which == "library":
    out = bench_frames.door_requirements(scan, bench_frames.AS_OF)
else:
    out = bench_frames.requirements(scan, bench_frames.AS_OF)
out.sink_parquet(target)
seconds = time.perf_counter() - start
# VmHWM: this process's own peak (ru_maxrss would count the parent's pages
# at the fork that started it).
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(seconds, peak)
"""


def stream(source: Path, target: Path, which: str) -> tuple[float, float]:
    """``scan_parquet -> requirements -> sink_parquet``: seconds and peak MB."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _STREAM,
            str(Path(__file__).parent),
            str(source),
            str(target),
            which,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, kb = done.stdout.split()
    return float(seconds), int(kb) / 1024


def report_stream(size: int) -> tuple[float, float]:
    """The stream of ``size`` rows from Parquet to Parquet: door over baseline, peak MB."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "portfolio.parquet"
        frame(size).write_parquet(source, row_group_size=250_000)
        door, hand = Path(folder) / "door.parquet", Path(folder) / "hand.parquet"
        runs = {
            which: min(
                (stream(source, target, which) for _ in range(2)), key=lambda r: r[0]
            )
            for which, target in (("library", door), ("baseline", hand))
        }
        same(pl.read_parquet(door), pl.read_parquet(hand))
    (lib, lib_mb), (base, base_mb) = runs["library"], runs["baseline"]
    print(
        f"\nscan_parquet -> requirements_table -> sink_parquet, {size:,} rows: "
        f"ratio {lib / base:.2f} (library {lib:.2f} s, {lib_mb:,.0f} MB peak; "
        f"baseline {base:.2f} s, {base_mb:,.0f} MB peak)"
    )
    return lib / base, lib_mb
