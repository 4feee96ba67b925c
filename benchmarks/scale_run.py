"""`make bench-scale`: a 10,000,000-row portfolio planned three ways.

Usage: python benchmarks/scale_run.py [--size N] [--buckets B] [--spark-python P]

The portfolio is generated as columns (bench_frames.frame) and written as
Parquet, one file per bucket of ``partition_of(csn, B)`` (how a nightly
dataset is laid out for a plan). It is then planned, Parquet to Parquet:

- in one process, ``scan_parquet -> plan_table -> sink_parquet``;
- by ``renewal_rules.dask.plan`` on a ``LocalCluster`` of 2 single-threaded
  workers, each bucket file one partition (no shuffle);
- by the Spark recipe of docs/scale-out.md on ``local[2]``
  (``groupBy(bucket).applyInArrow``), with the interpreter ``P`` (a venv
  holding pyspark: ``make bench-scale`` passes ``.venv-spark/bin/python``).

The same rows, as JSON Lines, are then explained and planned by the
command line (``explain --format jsonl`` and ``plan --action renew --format
jsonl``, on the columnar engine).

Each runs in its own process; its time is the wall clock of that process
and its peak memory the largest sum of the resident sets of the process and
all its children (the JVM and the Python workers for Spark, the workers and
the scheduler for Dask), sampled every 0.1 s. The three plans are then
compared row for row.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_frames

from renewal_rules import _partition, frames

HERE = Path(__file__).resolve().parent

_ONE_PROCESS = """
import sys
from datetime import date
import polars as pl
from renewal_rules import BatchAction, frames
source, target = sys.argv[1:3]
plan = frames.plan_table(
    pl.scan_parquet(source + "/*.parquet"),
    action=BatchAction.RENEW,
    as_of=date(2027, 3, 1),
)
plan.sink_parquet(target)
"""

_DASK = """
import sys
from datetime import date
import dask.dataframe as dd
import distributed
from renewal_rules import BatchAction
from renewal_rules import dask as rr_dask
source, target = sys.argv[1:3]
if __name__ == "__main__":
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, dashboard_address=None
    )
    with cluster, distributed.Client(cluster):
        rows = dd.read_parquet(source, split_row_groups=False, dtype_backend="pyarrow")
        rr_dask.plan(rows, action=BatchAction.RENEW, as_of=date(2027, 3, 1)).to_parquet(
            target, write_index=False
        )
"""

_SPARK = """
import os, re, sys
from pathlib import Path
from pyspark.sql import SparkSession
page, source, target, buckets = sys.argv[1:5]
text = Path(page).read_text(encoding="utf-8")
code = re.search(r"<!-- spark-recipe -->\\n```python\\n(.*?)```", text, re.S).group(1)
steps = {}
exec(compile(code, page, "exec"), steps)
steps["BUCKETS"] = int(buckets)
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
spark = (
    SparkSession.builder.master("local[2]")
    .config("spark.sql.shuffle.partitions", buckets)
    .config("spark.ui.enabled", "false")
    .config("spark.driver.memory", "2g")
    .config("spark.sql.execution.arrow.maxRecordsPerBatch", "200000")
    .getOrCreate()
)
steps["plan_portfolio"](spark, source).write.parquet(target)
spark.stop()
"""


def measured(command: list[str]) -> tuple[float, float]:
    """Seconds, and the peak of the summed resident sets of the process tree (MB)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        total = 0
        try:
            for process in [root, *root.children(recursive=True)]:
                total += process.memory_info().rss
        except psutil.Error:  # a process ended while sampled
            pass
        peak = max(peak, total)
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    _, errors = child.communicate()
    if child.returncode:
        raise SystemExit(f"{command[:3]} failed:\n{errors.decode()[-3000:]}")
    return seconds, peak / 2**20


def write_bucketed(size: int, buckets: int, folder: Path) -> None:
    data = bench_frames.frame(size)
    bucket = pl.Series(
        [_partition.bucket_of(csn, buckets) for csn in data["csn"].unique().to_list()]
    )
    keys = pl.DataFrame({"csn": data["csn"].unique(), "__b": bucket})
    data = data.join(keys, on="csn", how="left", maintain_order="left")
    folder.mkdir()
    for (number,), part in data.group_by("__b", maintain_order=True):
        part.drop("__b").write_parquet(folder / f"bucket-{number:04d}.parquet")


def write_jsonl(source: Path, target: Path) -> None:
    """The bucket files' rows as one JSON Lines file (the serde field names)."""
    with target.open("wb") as stream:
        for path in sorted(source.glob("*.parquet")):
            pl.read_parquet(path).drop("input_order").write_ndjson(stream)


CLI_COMMANDS = (
    ("explain", "--format", "jsonl"),
    ("plan", "--action", "renew", "--format", "jsonl"),
)
"""The command line's columnar-engine runs over the JSON Lines file."""


def report_cli(size: int, source: Path, folder: Path) -> None:
    """Each of `CLI_COMMANDS` over the portfolio: records a second, peak."""
    path = folder / "portfolio.jsonl"
    start = time.perf_counter()
    write_jsonl(source, path)
    print(f"wrote {size:,} JSON Lines in {time.perf_counter() - start:.0f} s")
    for args in CLI_COMMANDS:
        command = [sys.executable, "-m", "renewal_rules", args[0], str(path),
                   "--as-of", "2027-03-01", *args[1:]]  # fmt: skip
        seconds, megabytes = measured(command)
        print(
            f"command line {' '.join(args)}: {seconds:.1f} s "
            f"({size / seconds:,.0f} records/s), peak {megabytes:,.0f} MB"
        )


def read_plan(path: Path) -> pl.DataFrame:
    found = pl.read_parquet(path if path.is_file() else f"{path}/*.parquet")
    return found.select(frames.PLAN_SCHEMA.names).sort("id")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--buckets", type=int, default=16)
    parser.add_argument("--spark-python", default=None)
    parser.add_argument(
        "--only",
        choices=("one", "dask", "spark", "cli"),
        help="run one of the three plans, or the command line alone",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "portfolio"
        start = time.perf_counter()
        write_bucketed(args.size, args.buckets, source)
        print(f"generated {args.size:,} rows in {args.buckets} bucket files "
              f"in {time.perf_counter() - start:.0f} s")  # fmt: skip
        runs = {
            "one process (scan_parquet -> plan_table -> sink_parquet)": (
                [sys.executable, "-c", _ONE_PROCESS, str(source), str(folder / "one.parquet")],
                folder / "one.parquet",
            ),
            "Dask LocalCluster(2), one partition a bucket": (
                [sys.executable, "-c", _DASK, str(source), str(folder / "dask")],
                folder / "dask",
            ),
        }  # fmt: skip
        if args.spark_python:
            page = HERE.parent / "docs" / "scale-out.md"
            runs["Spark local[2], groupBy(bucket).applyInArrow"] = (
                [args.spark_python, "-c", _SPARK, str(page), str(source),
                 str(folder / "spark"), str(args.buckets)],
                folder / "spark",
            )  # fmt: skip
        if args.only is not None:
            runs = {k: r for k, r in runs.items() if k.lower().startswith(args.only)}
        if args.only in {None, "cli"}:
            report_cli(args.size, source, folder)
        plans = []
        for label, (command, target) in runs.items():
            seconds, megabytes = measured(command)
            print(
                f"{label}: {seconds:.1f} s ({seconds / args.size * 1e6:.2f} µs a row), "
                f"peak {megabytes:,.0f} MB"
            )
            plans.append(read_plan(target))
        same = all(plan.equals(plans[0]) for plan in plans[1:])
        if len(plans) > 1:
            print(f"the {len(plans)} plans are identical: {same}")
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
