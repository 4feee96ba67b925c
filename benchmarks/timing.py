"""How every benchmark times a call: garbage collector off, like timeit."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def timed(func: Callable[[], object]) -> float:
    """Seconds one call of ``func`` takes, the collector off during it."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        func()
        return time.perf_counter() - start
    finally:
        gc.enable()


def best(func: Callable[[], object], repeat: int) -> float:
    """The best of ``repeat`` timed calls."""
    return min(timed(func) for _ in range(repeat))
