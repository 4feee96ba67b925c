"""The one partitioner: a customer's bucket, and the merge of parts (B1-B4)."""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import _partition, frames


@given(st.text(alphabet="0123456789", min_size=1, max_size=20), st.integers(1, 500))
def test_a_csn_bucket_is_crc32_mod_n_as_partition_of_says(csn: str, n: int) -> None:
    assert _partition.bucket_of(csn, n) == zlib.crc32(csn.encode()) % n
    assert _partition.bucket_of(csn, n) == frames.partition_of(csn, n)


def test_any_text_has_a_bucket_and_anything_else_bucket_0() -> None:
    assert _partition.bucket_of("S-é", 7) == zlib.crc32("S-é".encode()) % 7
    assert _partition.bucket_of(None, 7) == 0
    assert _partition.bucket_of(51, 7) == 0
    assert _partition.bucket_of("\ud800", 7) == 0  # no door could store it


@given(st.lists(st.lists(st.integers(0, 9)), max_size=4))
def test_merge_is_a_stable_sort_of_sorted_parts(parts: list[list[int]]) -> None:
    tagged = [sorted((key, index) for key in part) for index, part in enumerate(parts)]
    merged = list(_partition.merge(tagged, key=lambda item: item[0]))
    assert merged == sorted(
        (item for part in tagged for item in part), key=lambda i: i[0]
    )
