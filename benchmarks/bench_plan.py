"""Benchmark: plan_batches(RENEW) against a bare-Python baseline, same run.

Usage: python benchmarks/bench_plan.py [--size N] [--repeat R]

The baseline does the same work on the same objects: the same eligibility
checks (paid, not expired, inside the window, market capabilities), the
reason-code strings of every rejected subscription, dict grouping by key,
sorted keys, and slicing into batches of 100. Reported: the best time of each
over R runs, their ratio, and the peak memory that each allocates (traced
separately, so tracing does not distort the timings).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import AS_OF, generate

from renewal_rules import (
    DEFAULT_POLICY,
    BatchAction,
    Capability,
    Subscription,
    plan_batches,
)


def baseline(subs: list[Subscription], as_of: date) -> tuple[list[Any], list[Any]]:
    """The same plan in plain Python: tuples and strings, no library objects."""
    window = timedelta(days=90)
    capabilities = DEFAULT_POLICY.capabilities
    needed = (Capability.MANUAL_RENEWAL, Capability.BATCH_MANUAL_RENEWAL)
    groups: dict[tuple[str, str, str], list[Subscription]] = {}
    rejected: list[tuple[Subscription, list[str]]] = []
    seen: set[str] = set()
    for sub in subs:
        if sub.id in seen:
            rejected.append((sub, ["duplicate_subscription"]))
            continue
        seen.add(sub.id)
        codes = []
        if sub.kind == "trial":
            codes.append("trial_not_renewable")
        if as_of >= sub.term_end:
            codes.append("subscription_expired")
        elif as_of < sub.term_end - window:
            codes.append("outside_renewal_window")
        caps = capabilities(sub.market)
        codes.extend("capability_unavailable" for cap in needed if cap not in caps)
        if codes:
            rejected.append((sub, codes))
            continue
        groups.setdefault((sub.csn, sub.currency, sub.purchase_method), []).append(sub)
    batches = []
    for key in sorted(groups):
        members = groups[key]
        batches.extend((key, members[i : i + 100]) for i in range(0, len(members), 100))
    return batches, rejected


def library(subs: list[Subscription], as_of: date) -> Any:
    return plan_batches(subs, action=BatchAction.RENEW, as_of=as_of)


def best_time(func: Callable[[], object], repeat: int) -> float:
    # Like timeit: collect first, and keep the collector out of the timing.
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            func()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def peak_bytes(func: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    result = func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    subs = generate(args.size)
    print(
        f"generated {len(subs):,} subscriptions in {time.perf_counter() - start:.1f} s"
    )

    plan = library(subs, AS_OF)
    batches, rejected = baseline(subs, AS_OF)
    # Same work: same batches, same rejections.
    assert [
        (b.key.csn, b.key.currency, b.key.purchase_method) for b in plan.batches
    ] == [key for key, _ in batches]
    assert [b.subscriptions for b in plan.batches] == [tuple(m) for _, m in batches]
    assert [r.subscription for r in plan.rejected] == [sub for sub, _ in rejected]
    print(f"{len(plan.batches):,} batches, {len(plan.rejected):,} rejected")

    base = best_time(lambda: baseline(subs, AS_OF), args.repeat)
    lib = best_time(lambda: library(subs, AS_OF), args.repeat)
    base_peak = peak_bytes(lambda: baseline(subs, AS_OF))
    lib_peak = peak_bytes(lambda: library(subs, AS_OF))
    print(
        f"plan_batches(RENEW)  ratio {lib / base:.2f}  "
        f"(library {lib:.3f} s, baseline {base:.3f} s)"
    )
    print(
        f"peak memory          ratio {lib_peak / base_peak:.2f}  "
        f"(library {lib_peak / 2**20:.0f} MiB, baseline {base_peak / 2**20:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
