"""`make bench`: the library against bare Python, in the same run.

Usage: python benchmarks/run.py [--size N] [--quotes Q] [--repeat R] [--sample S]
                               [--timeline T] [--stream M]

For each operation, a bare-Python baseline does the same work on the same
objects; both give the same answers (asserted), then each is timed (best of R
runs, interleaved, garbage collector off during a timed call, like timeit)
and the ratio library/baseline is printed. Also: bytes per Subscription
beyond its strings, and how the plan's cost per subscription grows from
10,000 to N subscriptions. The columnar door (``frames``) is measured
against hand-written Polars queries on N rows generated as columns, and on
a Parquet file of M rows streamed to Parquet (see bench_frames.py).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_alignment
import bench_construction
import bench_frames
import bench_plan
import bench_quote
import bench_requirement
import bench_scale
import bench_timeline
from portfolio import AS_OF, generate
from timing import timed

from renewal_rules import PurchaseMethod, Subscription, Term


def compare(
    name: str,
    library: Callable[[], object],
    baseline: Callable[[], object],
    repeat: int,
) -> float:
    lib = base = float("inf")
    for _ in range(repeat):  # interleaved, so drift hits both alike
        lib = min(lib, timed(library))
        base = min(base, timed(baseline))
    ratio = lib / base
    print(
        f"{name:<34} ratio {ratio:5.2f}   (library {lib:.3f} s, baseline {base:.3f} s)"
    )
    return ratio


def growth(
    operation: Callable[[list[Subscription], date], object],
    small: list[Subscription],
    large: list[Subscription],
) -> float:
    """Cost per subscription on ``large`` over that on ``small`` (1.0: linear)."""
    per_small = min(timed(lambda: operation(small, AS_OF)) for _ in range(5))
    per_large = min(timed(lambda: operation(large, AS_OF)) for _ in range(2))
    return (per_large / len(large)) / (per_small / len(small))


def subscription_bytes(count: int = 100_000) -> float:
    """Bytes per Subscription, its strings and dates shared (so not counted)."""
    end, start = date(2027, 5, 1), date(2026, 5, 1)
    fields = {
        "id": "S-1", "csn": "5100001", "product": "ACDLT", "term": Term.ANNUAL,
        "term_start": start, "term_end": end, "currency": "EUR",
        "purchase_method": PurchaseMethod.ONLINE, "market": "FR",
    }  # fmt: skip
    gc.collect()
    tracemalloc.start()
    subs = [Subscription(**fields) for _ in range(count)]  # type: ignore[arg-type]
    used, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    list_bytes = sys.getsizeof(subs)
    return (used - list_bytes) / count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--quotes", type=int, default=10_000)
    parser.add_argument(
        "--timeline", type=int, default=100_000, help="subscriptions in the timeline"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--stream", type=int, default=10_000_000, help="rows of the Parquet stream"
    )
    parser.add_argument(
        "--sample", type=int, default=100_000, help="subscriptions sized at once"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    subs = generate(args.size)
    quotes = bench_quote.generate_quotes(args.quotes)
    print(f"generated {len(subs):,} subscriptions and {len(quotes):,} quotes "
          f"of 100 lines in {time.perf_counter() - start:.0f} s")  # fmt: skip

    # Same answers first.
    lib_req = bench_requirement.library(subs, AS_OF)
    base_req = bench_requirement.baseline(subs, AS_OF)
    assert [
        (
            r.mode.value,
            [(x.code.value, x.subject, x.params) for x in r.reasons],
            r.window.opens_on,
            r.window.closes_on,
        )
        for r in lib_req
    ] == base_req
    assert [
        (mode.value, [c.value for c in codes])
        for mode, codes in bench_requirement.codes_library(subs, AS_OF)
    ] == bench_requirement.codes_baseline(subs, AS_OF)
    del lib_req, base_req
    plan = bench_plan.library(subs, AS_OF)
    batches, rejected = bench_plan.baseline(subs, AS_OF)
    assert [b.subscriptions for b in plan.batches] == [tuple(m) for _, m in batches]
    assert [
        (r.subscription, [(x.code.value, x.subject, x.params) for x in r.reasons])
        for r in plan.rejected
    ] == rejected
    del plan, batches, rejected
    lib_q = [[c.value for c in d.codes] for d in bench_quote.library(quotes, AS_OF)]
    assert lib_q == bench_quote.baseline(quotes, AS_OF)
    aligned = bench_alignment.library(subs, AS_OF)
    groups, bare_rejected = bench_alignment.baseline(subs, AS_OF)
    assert [list(g.subscriptions) for g in aligned.groups] == [m for _, _, m in groups]
    assert [
        (r.subscription, [(x.code.value, x.subject, x.params) for x in r.reasons])
        for r in aligned.rejected
    ] == bare_rejected
    del aligned, groups, bare_rejected
    timeline_subs = subs[: args.timeline]
    span = (bench_timeline.START, bench_timeline.END)
    assert [
        (e.on, e.kind.value, e.subject, e.params)
        for e in bench_timeline.library(timeline_subs, *span)
    ] == bench_timeline.baseline(timeline_subs, *span)

    print()
    ratios = [
        compare(
            "renewal_requirement, reasons read",
            lambda: bench_requirement.library(subs, AS_OF),
            lambda: bench_requirement.baseline(subs, AS_OF),
            args.repeat,
        ),
        compare(
            "plan_batches(RENEW)",
            lambda: bench_plan.library(subs, AS_OF),
            lambda: bench_plan.baseline(subs, AS_OF),
            args.repeat,
        ),
        compare(
            "check_quote (100-line quotes)",
            lambda: bench_quote.library(quotes, AS_OF),
            lambda: bench_quote.baseline(quotes, AS_OF),
            args.repeat,
        ),
    ]
    print(
        f"\nSubscription: {subscription_bytes(args.sample):.0f} bytes per instance beyond its strings"
    )

    small = subs[:10_000]
    for name, operation in (
        ("renewal_requirement", bench_requirement.library),
        ("plan_batches", bench_plan.library),
    ):
        print(
            f"{name} cost per subscription, {len(subs):,} vs {len(small):,}: "
            f"x{growth(operation, small, subs):.2f}"
        )
    compare(
        "  renewal_codes door (no target)",
        lambda: bench_requirement.codes_library(subs, AS_OF),
        lambda: bench_requirement.codes_baseline(subs, AS_OF),
        args.repeat,
    )
    alignment_ratio = compare(
        "plan_alignment",
        lambda: bench_alignment.library(subs, AS_OF),
        lambda: bench_alignment.baseline(subs, AS_OF),
        args.repeat,
    )
    timeline_ratio = compare(
        f"portfolio_timeline ({len(timeline_subs):,}, 3 years)",
        lambda: bench_timeline.library(timeline_subs, *span),
        lambda: bench_timeline.baseline(timeline_subs, *span),
        args.repeat,
    )
    fields = bench_construction.field_rows(subs)
    documents = bench_construction.json_rows(subs)
    assert bench_construction.construct(fields) == subs
    assert bench_construction.parse(documents) == subs
    assert bench_construction.by_hand(documents) == subs
    construction_ratio = compare(
        "Subscription, validated",
        lambda: bench_construction.construct(fields),
        lambda: bench_construction.construct_unvalidated(fields),
        args.repeat,
    )
    parsing_ratio = compare(
        "serde.from_dict(Subscription)",
        lambda: bench_construction.parse(documents),
        lambda: bench_construction.by_hand(documents),
        args.repeat,
    )
    print(f"\nworst ratio {max(ratios):.2f} (target: at most 1.5)")
    print(f"alignment ratio {alignment_ratio:.2f} (target: at most 1.5)")
    print(f"timeline ratio {timeline_ratio:.2f} (target: at most 2.0)")
    print(f"construction ratio {construction_ratio:.2f} (target: at most 3.0)")
    print(f"parsing ratio {parsing_ratio:.2f} (target: at most 2.0)")
    door = bench_frames.report(args.size, args.repeat, compare)
    stream_ratio, stream_mb = bench_frames.report_stream(args.stream)
    print()
    for name, target in (
        ("requirements_table", 3.0),
        ("stages_table", 3.0),
        ("plan_table(RENEW)", 3.5),
    ):
        print(f"{name} ratio {door[name]:.2f} (target: at most {target})")
    print(
        f"Parquet stream ratio {stream_ratio:.2f} (target: at most 3.0), "
        f"peak {stream_mb:,.0f} MB (target: at most 2,048)"
    )
    print()
    bench_scale.report_cli(subs)
    bench_scale.report_frames(subs)


if __name__ == "__main__":
    main()
