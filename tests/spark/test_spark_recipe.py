"""`make test-spark`: the Spark recipe of docs/scale-out.md, run as written.

Needs pyspark and a Java runtime; run by `make test-spark` after `make test`
in `.ci/run` (marker `spark`).
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

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from renewal_rules import BatchAction, _partition, frames
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
    # .ci/run sets RENEWAL_RULES_SPARK_REQUIRED where Java exists: there a
    # Spark test that cannot run fails instead of skipping.
    required = os.environ.get("RENEWAL_RULES_SPARK_REQUIRED") == "1"
    if shutil.which("java") is None:
        if required:
            pytest.fail("RENEWAL_RULES_SPARK_REQUIRED is set but there is no Java")
        pytest.skip("no Java runtime")
    if required:
        from pyspark import sql
    else:
        sql = pytest.importorskip("pyspark.sql")
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
    # The one partitioner, on any text (the command line's ids too).
    texts = ["S-1", "S-é", "客户-7", "x" * 256]
    frame = spark.createDataFrame([(t,) for t in texts], "csn STRING")
    got = frame.select("csn", bucket.alias("b")).collect()
    assert {row.csn: row.b for row in got} == {
        t: _partition.bucket_of(t, 7) for t in texts
    }


def write_parts(table: Any, folder: Path, size: int) -> None:
    folder.mkdir()
    for k, start in enumerate(range(0, max(table.num_rows, 1), size)):
        pq.write_table(table.slice(start, size), folder / f"part-{k}.parquet")


def assert_recipe_equals_one_process(spark: Any, table: Any, source: Path) -> None:
    steps = recipe()
    plan = steps["plan_portfolio"](spark, str(source))
    got = by_id([row.asDict() for row in plan.collect()])
    expected = frames.plan_table(table, action=BatchAction.RENEW, as_of=AS_OF)
    assert got == by_id(expected.to_pylist())
    for name, door in (
        ("requirements_of", frames.requirements_table),
        ("stages_of", frames.stages_table),
    ):
        rows = steps[name](spark, str(source)).collect()
        got = by_id([row.asDict() for row in rows])
        assert got == by_id(door(table, as_of=AS_OF).to_pylist()), name


def test_the_recipe_equals_the_single_process_door(spark: Any, tmp_path: Path) -> None:
    table = frames.subscriptions_table(generate(5_000))
    write_parts(table, tmp_path / "portfolio", 1_000)
    assert_recipe_equals_one_process(spark, table, tmp_path / "portfolio")
    planned = frames.plan_table(table, action=BatchAction.RENEW, as_of=AS_OF)
    assert any(planned.column("batch").to_pylist())


def test_a_skewed_customer_and_bad_rows(spark: Any, tmp_path: Path) -> None:
    # One customer holds half the rows (several batches of one key); one
    # row has a bad currency, one a bad CSN: bad rows, none lost.
    subs = generate(3_000)
    rows = frames.subscriptions_table(subs).to_pylist()
    for row in rows[::2]:
        row["csn"] = "5100001"
    rows[7]["currency"] = "euro"
    rows[8]["csn"] = "51-1"
    table = pa.Table.from_pylist(rows, schema=frames.SUBSCRIPTION_SCHEMA)
    write_parts(table, tmp_path / "skewed", 700)
    assert_recipe_equals_one_process(spark, table, tmp_path / "skewed")


def test_empty_partitions(spark: Any, tmp_path: Path) -> None:
    source = tmp_path / "empty"
    source.mkdir()
    pq.write_table(frames.SUBSCRIPTION_SCHEMA.empty_table(), source / "part-0.parquet")
    steps = recipe()
    assert steps["plan_portfolio"](spark, str(source)).collect() == []
    assert steps["requirements_of"](spark, str(source)).collect() == []
    assert steps["stages_of"](spark, str(source)).collect() == []
