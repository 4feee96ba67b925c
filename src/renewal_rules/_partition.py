"""The one partitioner (private): a customer's bucket, and the merge of parts.

A plan decomposes by customer: every batch key holds one CSN, so the plans
of CSN-disjoint parts, merged, are the plan of the whole. Every door that
splits a portfolio puts a customer's rows in one part with
:func:`bucket_of` (``crc32`` of the UTF-8 text, ``mod n``: the same in every
process, and in Spark as ``pmod(crc32(csn), n)``), and merges the parts'
keyed results with :func:`merge`: ``frames.partition_of``, the Dask
shuffle, ``merge_plans`` and the command line's spill.

>>> bucket_of("5100001", 8)
5
>>> list(merge([[1, 4], [2, 3]], key=lambda x: x))
[1, 2, 3, 4]
"""

from __future__ import annotations

import heapq
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["bucket_of", "merge"]

T = TypeVar("T")


def bucket_of(key: object, n: int) -> int:
    """The bucket (``0`` to ``n - 1``) of ``key``: ``crc32(utf-8 of key) mod n``.

    A value that is not text a door could store (not a ``str``, or holding
    a lone surrogate) goes to bucket 0, where its row is reported as bad,
    never lost.
    """
    if type(key) is not str:
        return 0
    try:
        data = key.encode("utf-8")
    except UnicodeEncodeError:
        return 0
    return zlib.crc32(data) % n


def merge(parts: Iterable[Iterable[T]], *, key: Callable[[T], Any]) -> Iterator[T]:
    """The results of CSN-disjoint parts, each in ``key`` order, as one.

    Stable: equal keys keep the order of the parts, then of each part (a
    key holds one customer, so it comes from one part).
    """
    return heapq.merge(*parts, key=key)
