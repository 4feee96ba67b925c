"""`make bench` keeps working: a tiny run checks answers and prints every line.

The ratios themselves are measured by `make bench` on a quiet machine
(docs/performance.md), not here: a tiny run on a busy CI machine is noise.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


@pytest.mark.slow
def test_a_tiny_benchmark_run_agrees_and_reports_every_measure() -> None:
    result = subprocess.run(
        [sys.executable, str(RUN), "--size", "2000", "--quotes", "10",
         "--repeat", "1", "--sample", "2000", "--timeline", "500",
         "--stream", "3000"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for name in (
        "renewal_requirement",
        "plan_batches(RENEW)",
        "check_quote",
        "portfolio_timeline (500, 3 years)",
        "plan_alignment",
        "Subscription, validated",
        "serde.from_dict(Subscription)",
    ):
        assert re.search(rf"^{re.escape(name)}.* ratio +\d+\.\d\d ", out, re.M), out
    assert re.search(r"^Subscription: \d+ bytes per instance", out, re.M), out
    for name in ("renewal_requirement", "plan_batches"):
        assert re.search(
            rf"^{name} cost per subscription, 2,000 vs 2,000: x\d", out, re.M
        )
    assert re.search(r"^worst ratio \d+\.\d\d \(target: at most 1\.5\)$", out, re.M)
    for command in ("explain", "plan --action renew"):
        assert re.search(
            rf"^command line {command} --format jsonl, 2,000 records: "
            r"[\d,]+ records/s, peak [\d,]+ MB$",
            out,
            re.M,
        ), out
    assert re.search(
        r"^frame plan, 2,000 rows, Parquet to Parquet: one process \d+\.\d s, "
        r"LocalCluster of 2 workers \d+\.\d s \(ratio \d+\.\d\d; start-up",
        out,
        re.M,
    ), out
    for name in ("requirements_table", "stages_table", "plan_table(RENEW)"):
        assert re.search(rf"^{re.escape(name)} +ratio +\d+\.\d\d ", out, re.M), out
        assert re.search(
            rf"^{re.escape(name)} ratio \d+\.\d\d \(target: at most 3\.[05]\)$",
            out,
            re.M,
        ), out
    assert re.search(
        r"^    validation +\d+% of the door; per row: door \d+\.\d\d µs, "
        r"object API \d+\.\d\d µs$",
        out,
        re.M,
    ), out
    assert re.search(
        r"^scan_parquet -> requirements_table -> sink_parquet, 3,000 rows: ratio "
        r"\d+\.\d\d \(library .* MB peak; baseline .* MB peak\)$",
        out,
        re.M,
    ), out
    assert re.search(
        r"^Parquet stream ratio \d+\.\d\d \(target: at most 3\.0\), peak [\d,]+ MB",
        out,
        re.M,
    ), out
    for name, target in (("construction", "3"), ("parsing", "2")):
        assert re.search(
            rf"^{name} ratio \d+\.\d\d \(target: at most {target}\.0\)$", out, re.M
        )
    assert re.search(r"^timeline ratio \d+\.\d\d \(target: at most 2\.0\)$", out, re.M)
