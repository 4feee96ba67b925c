"""`make test-spark`: the Spark recipe of docs/scale-out.md, run as written.

Needs pyspark and a Java runtime; not part of `make test` (marker `spark`).
The recipe's code block is read from the page and executed, so the page and
the test cannot drift apart.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from renewal_rules import BatchAction, frames
from tests.factories import generate

pytestmark = pytest.mark.spark

PAGE = Path(__file__).resolve().parents[2] / "docs" / "scale-out.md"
AS_OF = date(2027, 3, 1)


def recipe() -> dict[str, Any]:
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(r"<!-- spark-recipe -->\n```python\n(.*?)```", text, re.S)
    assert match, "docs/scale-out.md lost its Spark recipe"
    namespace: dict[str, Any] = {}
    exec(compile(match.group(1), str(PAGE), "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    sql = pytest.importorskip("pyspark.sql")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime")
    # Spark's Python workers: this interpreter, where renewal_rules is installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        sql.SparkSession.builder.master("local[2]")
        .appName("renewal_rules recipe")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


def by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: row["id"])


def test_partition_of_is_sparks_pmod_crc32(spark: Any) -> None:
    from pyspark.sql import functions

    csns = [str(5_000_000 + n) for n in range(200)]
    frame = spark.createDataFrame([(c,) for c in csns], "csn STRING")
    bucket = functions.pmod(functions.crc32("csn"), functions.lit(7))
    got = frame.select("csn", bucket.alias("b")).collect()
    expected = {csn: frames.partition_of(csn, 7) for csn in csns}
    assert {row.csn: row.b for row in got} == expected


def test_the_recipe_equals_the_single_process_door(spark: Any, tmp_path: Path) -> None:
    table = frames.subscriptions_table(generate(5_000))
    source = tmp_path / "portfolio"
    source.mkdir()
    for k, start in enumerate(range(0, table.num_rows, 1_000)):
        pq.write_table(table.slice(start, 1_000), source / f"part-{k}.parquet")
    steps = recipe()

    plan = steps["plan_portfolio"](spark, str(source))
    got = by_id([row.asDict() for row in plan.collect()])
    expected = frames.plan_table(table, action=BatchAction.RENEW, as_of=AS_OF)
    assert got == by_id(expected.to_pylist())
    assert any(row["batch"] for row in got)

    requirements = steps["requirements_of"](spark, str(source))
    got = by_id([row.asDict() for row in requirements.collect()])
    assert got == by_id(frames.requirements_table(table, as_of=AS_OF).to_pylist())


def test_empty_partitions(spark: Any, tmp_path: Path) -> None:
    source = tmp_path / "empty"
    source.mkdir()
    pq.write_table(frames.SUBSCRIPTION_SCHEMA.empty_table(), source / "part-0.parquet")
    steps = recipe()
    assert steps["plan_portfolio"](spark, str(source)).collect() == []
    assert steps["requirements_of"](spark, str(source)).collect() == []
