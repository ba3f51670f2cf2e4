"""Rows grouped by distinct key: by hash, checked, and exact when hashes collide."""

from __future__ import annotations

import polars as pl

from fundwatch.domain.distinct import distinct_rows

KEYS = pl.DataFrame({
    "place": ["甲", "乙", "甲", None, "乙", None, "甲"],
    "region": ["1", "1", "1", "2", "1", "2", None],
})


def _expected(keys: pl.DataFrame) -> tuple[list[int], list[int]]:
    rows = keys.rows()
    firsts = [i for i, row in enumerate(rows) if row not in rows[:i]]
    return firsts, [[rows[f] for f in firsts].index(row) for row in rows]


def test_rows_are_grouped_by_their_keys_nulls_included() -> None:
    firsts, group = distinct_rows(KEYS)
    assert (firsts.to_list(), group.to_list()) == _expected(KEYS)


def test_colliding_hashes_fall_back_to_the_keys_themselves() -> None:
    same = pl.Series([7] * KEYS.height, dtype=pl.UInt64)  # every key "hashes" alike
    firsts, group = distinct_rows(KEYS, same)
    assert (firsts.to_list(), group.to_list()) == _expected(KEYS)
