"""The one partitioner (private): a customer's bucket, and the merge of parts.

A plan decomposes by customer: every batch key holds one CSN, so the plans
of CSN-disjoint parts, merged, are the plan of the whole. Every door that
splits a portfolio puts a customer's rows in one part with
`bucket_of` (``crc32`` of the UTF-8 text, ``mod n``: the same in every
process, and in Spark as ``pmod(crc32(csn), n)``), and merges the parts'
keyed results with `merge`: ``frames.partition_of``, the Dask
shuffle, ``merge_plans`` and the command line's spill. A batch (or an
alignment group) is named by its key and `key_ordinals`, its ordinal
within the key, so the parts' names never collide.

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

__all__ = ["bucket_of", "key_ordinals", "merge"]

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


def key_ordinals(keys: Iterable[object]) -> list[int]:
    """Each item's ordinal (from 1) among the items of its key so far.

    A batch (or group) is named by its key and this ordinal, not by its
    place in one plan, so plans of CSN-disjoint parts never share a name.
    The one definition of batch identity: ``to_records``, the notebook
    views, the command line and [`renewal_rules.frames`][renewal_rules.frames] (in
    columns, the same count) name batches by it.

    >>> key_ordinals(["a", "a", "b", "a"])
    [1, 2, 1, 3]
    """
    seen: dict[object, int] = {}
    ordinals = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        ordinals.append(seen[key])
    return ordinals
