"""The data path at scale: the command line on a file, the frame plan on Parquet.

- the command line (every command, JSON Lines or a table) on a JSON Lines
  file: records per second and peak memory (the child's maximum resident
  set size);
- ``frames.plan_table`` on a Parquet file in one process against
  ``renewal_rules.dask.plan`` on a two-worker ``distributed.LocalCluster``
  (both read the Parquet file and write the plan as Parquet; the cluster's
  start-up is timed apart).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from renewal_rules import BatchAction, Subscription

AS_OF = date(2027, 3, 1)

_PEAK = """
import resource, subprocess, sys
with open(sys.argv[1], "w") as out:
    status = subprocess.run(sys.argv[2:], stdout=out).returncode
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(status, kb)
"""


def _document(sub: Subscription) -> dict[str, Any]:
    pm = sub.payment_method
    return {
        "id": sub.id, "csn": sub.csn, "product": sub.product,
        "term": sub.term.value, "term_start": sub.term_start.isoformat(),
        "term_end": sub.term_end.isoformat(), "currency": sub.currency,
        "purchase_method": sub.purchase_method.value, "market": sub.market,
        "quantity": sub.quantity, "kind": sub.kind.value,
        "payment_method": None if pm is None else {
            "kind": pm.kind.value,
            "expires_on": None if pm.expires_on is None else pm.expires_on.isoformat(),
            "valid": pm.valid,
        },
        "auto_renew": sub.auto_renew, "anchor_day": sub.anchor_day,
        "partner_csn": sub.partner_csn,
    }  # fmt: skip


def write_jsonl(subs: list[Subscription], path: Path) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for sub in subs:
            stream.write(json.dumps(_document(sub)) + "\n")


def cli(path: Path, *args: str) -> tuple[float, float]:
    """Seconds and peak megabytes of one command-line run over ``path``."""
    command = [sys.executable, "-m", "renewal_rules", *args, str(path),
               "--as-of", AS_OF.isoformat()]  # fmt: skip
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, "/dev/null", *command],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    status, kilobytes = result.stdout.split()
    assert status == "0", result.stderr
    return seconds, int(kilobytes) / 1024


COMMANDS = (
    ("explain", "--format", "jsonl"),
    ("explain", "--format", "table"),
    ("plan", "--action", "renew", "--format", "jsonl"),
    ("plan", "--action", "renew", "--format", "table"),
    ("align", "--format", "jsonl"),
    ("timeline", "--from", "2027-01-01", "--to", "2028-01-01", "--format", "jsonl"),
)
"""Every command on the file: each used to hold the portfolio but explain's JSON."""


def report_cli(subs: list[Subscription]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portfolio.jsonl"
        write_jsonl(subs, path)
        for args in COMMANDS:
            seconds, megabytes = cli(path, *args)
            print(
                f"command line {' '.join(args)}, {len(subs):,} records: "
                f"{len(subs) / seconds:,.0f} records/s, peak {megabytes:,.0f} MB"
            )


def report_frames(subs: list[Subscription]) -> None:
    import pyarrow.parquet as pq

    from renewal_rules import frames

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "portfolio.parquet"
        pq.write_table(frames.subscriptions_table(subs), source, row_group_size=100_000)

        start = time.perf_counter()
        single = frames.plan_table(
            pq.read_table(source), action=BatchAction.RENEW, as_of=AS_OF
        )
        pq.write_table(single, folder / "plan-single.parquet")
        single_seconds = time.perf_counter() - start

        import dask.dataframe as dd
        import distributed as untyped

        distributed: Any = untyped  # its constructors are not annotated

        from renewal_rules import dask as rr_dask

        start = time.perf_counter()
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None
        )
        with cluster, distributed.Client(cluster):
            startup = time.perf_counter() - start
            start = time.perf_counter()
            planned = rr_dask.plan(
                dd.read_parquet(str(source)),
                action=BatchAction.RENEW,
                as_of=AS_OF,
                buckets=8,
            )
            planned.to_parquet(str(folder / "plan-cluster"), write_index=False)
            cluster_seconds = time.perf_counter() - start
        by_id = [("id", "ascending")]
        spread = pq.read_table(folder / "plan-cluster").select(single.schema.names)
        assert spread.sort_by(by_id).equals(single.sort_by(by_id))
        print(
            f"frame plan, {len(subs):,} rows, Parquet to Parquet: one process "
            f"{single_seconds:.1f} s, LocalCluster of 2 workers {cluster_seconds:.1f} s "
            f"(ratio {cluster_seconds / single_seconds:.2f}; start-up {startup:.1f} s)"
        )
