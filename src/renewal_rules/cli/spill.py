"""Whole-portfolio commands in bounded memory: records spilled by customer (private).

A plan or an alignment needs every record of a customer before it can
answer, and a timeline every event before it can sort them: held in memory,
a file of 1,000,000 records took about 600 MB. Here the records read go to
temporary files by bucket of customer number, each bucket is answered by the
library's own function, and the buckets' answers, each already in the
library's order, are merged back: keyed rows (batches, groups, events) by
their key, rejections and invalid records by input position. Memory holds
one bucket and one row of each bucket's answer.

Why the merge gives the answer of the whole portfolio:

- a customer's records are all in one bucket, so each batch (or group) is
  built from all of its members, and the keys of two buckets never share a
  CSN: merging the buckets' sorted rows by key is the whole sort;
- a subscription id seen again goes to the bucket of its first occurrence
  (not of its own CSN), so the library sees the repeat after the first and
  rejects it as ``duplicate_subscription``, as it does for the whole;
- inside a bucket, records keep input order, so a bucket's rejections are in
  input order and events of one subject tie the way they tie in the whole.

The files are pickles this process writes and reads itself, in a private
temporary directory removed at the end of the run.
"""

from __future__ import annotations

import heapq
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any, TextIO

from renewal_rules._partition import bucket_of, merge
from renewal_rules.cli.read import Invalid
from renewal_rules.model import Subscription

Answer = tuple[Iterable[tuple[Any, Any]], Iterable[tuple[Subscription, Any]]]
"""A bucket's answer: ``(key, row)`` pairs in the library's order, and
``(subscription, row)`` pairs of its rejections in input order (each read
once, as it is spilled)."""

STDIN_BUCKETS = 64
"""Buckets for standard input, whose size is not known before it is read."""
MAX_BUCKETS = 128
"""Most buckets: the merge reads one file of each at a time."""
BYTES_PER_BUCKET = 8 << 20
"""Input bytes a bucket aims at (about 20,000 records of a typical file)."""

_PROTOCOL = pickle.HIGHEST_PROTOCOL
_FLUSH = 1 << 16  # bytes kept per file before they are appended to it
_first = itemgetter(0)


def small(path: str | None) -> bool:
    """Whether the input ``path`` fits one bucket (``None``: the sample)."""
    return path != "-" and bucket_count(path) == 1


def bucket_count(path: str | None, per_bucket: int | None = None) -> int:
    """Buckets for the file ``path``: one per ``per_bucket`` bytes, 1 to 128.

    ``per_bucket`` is `BYTES_PER_BUCKET` (8 MB) unless given.

    ``-`` (standard input) gets `STDIN_BUCKETS`; ``None`` (the small
    built-in sample) one.
    """
    if path is None:
        return 1
    if path == "-":
        return STDIN_BUCKETS
    try:
        size = os.path.getsize(path)
    except OSError:  # reading it will say why (a usage error)
        return 1
    per_bucket = BYTES_PER_BUCKET if per_bucket is None else per_bucket
    return max(1, min(MAX_BUCKETS, size // per_bucket + 1))


class _Files:
    """Files of pickled values in one directory, each written in chunks.

    Without a directory (a small input), the values stay in lists instead.
    """

    def __init__(self, directory: str | None) -> None:
        self._directory = directory
        self._pending: dict[str, list[Any]] = {}
        self._sizes: dict[str, int] = {}

    def add(self, name: str, value: Any) -> None:
        if self._directory is None:
            self._pending.setdefault(name, []).append(value)
            return
        data = pickle.dumps(value, _PROTOCOL)
        pending = self._pending.setdefault(name, [])
        pending.append(data)
        size = self._sizes.get(name, 0) + len(data)
        if size >= _FLUSH:
            self._flush(name)
        else:
            self._sizes[name] = size

    def _flush(self, name: str) -> None:
        pending = self._pending.pop(name, None)
        self._sizes.pop(name, None)
        if pending and self._directory is not None:
            with open(os.path.join(self._directory, name), "ab") as stream:
                stream.write(b"".join(pending))

    def read(self, name: str) -> Iterator[Any]:
        """Every value of ``name`` in the order added; the file is then removed."""
        if self._directory is None:
            yield from self._pending.pop(name, ())
            return
        self._flush(name)
        path = os.path.join(self._directory, name)
        if not os.path.exists(path):
            return
        with open(path, "rb") as stream:
            while True:
                try:
                    value = pickle.load(stream)  # our own file, in our own directory
                except EOFError:
                    break
                yield value
        os.remove(path)


class Spill:
    """The records of one run, on disk by bucket of customer, ready to answer.

    Use as a context manager: the temporary directory goes with it. With
    ``in_memory`` (an input known to be small) nothing is written: the
    records are kept as the subscriptions read, and read back as they are.
    """

    def __init__(self, buckets: int, *, in_memory: bool = False) -> None:
        self.buckets = buckets
        self.invalid_count = 0
        self._in_memory = in_memory
        self._directory = None if in_memory else tempfile.mkdtemp(prefix="rr-")
        self._files = _Files(self._directory)
        self._moved: dict[int, int] = {}

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)

    def read(self, items: Iterable[tuple[Any, Subscription | Invalid]]) -> None:
        """Spill ``(source, item)`` pairs: a source is read back by ``load``.

        A subscription goes to the bucket of its CSN, and its id, position
        and bucket to an index by id; invalid records are kept in order.
        """
        files, buckets = self._files, self.buckets
        for position, (source, item) in enumerate(items):
            if isinstance(item, Subscription):
                home = bucket_of(item.csn, buckets)
                kept = item if self._in_memory else source
                files.add(f"records-{home}", (position, kept))
                files.add(
                    f"ids-{bucket_of(item.id, buckets)}", (item.id, position, home)
                )
            else:
                self.keep_invalid(item)
        # An id seen again under another customer follows its first
        # occurrence: the library must see both to reject the repeat.
        moved, sources = self._moved, set()
        for bucket in range(buckets):
            first: dict[str, int] = {}
            for sid, position, home in files.read(f"ids-{bucket}"):
                to = first.setdefault(sid, home)
                if to != home:
                    moved[position] = to
                    sources.add(home)
        for bucket in sorted(sources):
            kept = [
                record
                for record in files.read(f"records-{bucket}")
                if not self._move(record)
            ]
            for record in kept:
                files.add(f"records-{bucket}", record)

    def _move(self, record: tuple[int, Any]) -> bool:
        to = self._moved.get(record[0])
        if to is None:
            return False
        self._files.add(f"moved-{to}", record)
        return True

    def keep(self, name: str, value: Any) -> None:
        """Keep ``value`` at the end of the list ``name`` (on disk)."""
        self._files.add(f"kept-{name}", value)

    def kept(self, name: str) -> Iterator[Any]:
        """The values kept as ``name``, in order (once)."""
        return self._files.read(f"kept-{name}")

    def keep_invalid(self, item: Invalid) -> None:
        """Keep an invalid record (in input order) and count it."""
        self._files.add("invalid", item)
        self.invalid_count += 1

    def invalid(self) -> Iterator[Invalid]:
        """The invalid records, in input order (once)."""
        return self._files.read("invalid")

    def answer(
        self,
        respond: Callable[[list[Subscription]], Answer],
        load: Callable[[Any], Subscription],
        *,
        progress: TextIO | None = None,
    ) -> Outcome:
        """Answer each bucket with ``respond``; the merged answer, read once.

        ``load`` turns a source back into its subscription. ``progress``
        (a terminal) is told of each bucket answered.
        """
        files = self._files
        keyed = rejected = 0
        for bucket in range(self.buckets):
            if progress is not None:
                progress.write(f"\ranswering bucket {bucket + 1} of {self.buckets}")
                progress.flush()
            # Repeats moved in come from several buckets: sorted here (they
            # are part of this bucket, whose records are held anyway).
            moved = sorted(files.read(f"moved-{bucket}"), key=_first)
            records = heapq.merge(files.read(f"records-{bucket}"), moved, key=_first)
            # One source at a time becomes a subscription: sources are
            # larger than the objects read from them.
            subs: list[Subscription] = []
            position_of: dict[int, int] = {}
            for position, source in records:
                sub = load(source)
                subs.append(sub)
                position_of[id(sub)] = position
            rows, rejections = respond(subs)
            for row in rows:
                files.add(f"keyed-{bucket}", row)
                keyed += 1
            for sub, row in rejections:
                files.add(f"rejected-{bucket}", (position_of[id(sub)], row))
                rejected += 1
        if progress is not None:
            progress.write("\n")
        return Outcome(self, keyed=keyed, rejected=rejected)

    def _merged(self, name: str) -> Iterator[Any]:
        parts = [self._files.read(f"{name}-{b}") for b in range(self.buckets)]
        return (row for _, row in merge(parts, key=_first))


class Outcome:
    """A merged answer: its counts, and its rows in order (each read once)."""

    def __init__(self, spill: Spill, *, keyed: int, rejected: int) -> None:
        self._spill = spill
        self.keyed_count = keyed
        self.rejected_count = rejected

    def keyed(self) -> Iterator[Any]:
        """The keyed rows of every bucket, by key."""
        return self._spill._merged("keyed")

    def rejected(self) -> Iterator[Any]:
        """The rejection rows of every bucket, in input order."""
        return self._spill._merged("rejected")
