"""Work once per distinct value: which rows share a key, found by hashing and then checked.

Registry columns repeat a lot (a few hundred capitals, tens of thousands of
dates, a few thousand address places per hundred thousand rows). Grouping
rows on a 64-bit hash of their key is several times cheaper than grouping on
the key itself (strings hashed and compared in a hash table, then joined
back); the groups are then checked against the keys, so a hash collision
costs time (the exact grouping is done instead), never a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

_GROUP = "\x00group"
_HASH = "\x00hash"


def distinct_rows(keys: pl.DataFrame, hashes: pl.Series | None = None) -> tuple[pl.Series, pl.Series]:
    """The first row of each distinct key, in order, and for every row the position of its key among them.

    `keys` holds one or more key columns (nulls are equal to each other); `hashes` (one UInt64 per row,
    `keys.hash_rows()` unless given) groups the rows, and the groups are checked against the keys.
    """
    if hashes is None:
        hashes = keys.hash_rows()
    firsts = hashes.is_first_distinct().arg_true()
    groups = pl.DataFrame({_HASH: hashes.gather(firsts), _GROUP: pl.int_range(len(firsts), eager=True)})
    group = hashes.to_frame(_HASH).join(groups, on=_HASH, how="left", maintain_order="left").get_column(_GROUP)
    if keys.gather(firsts.gather(group)).equals(keys, null_equal=True):
        return firsts, group.alias(_GROUP)
    return _exact_distinct_rows(keys)


def _exact_distinct_rows(keys: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """`distinct_rows` grouped on the keys themselves (when two keys share a hash)."""
    columns = keys.columns
    firsts = keys.select(pl.struct(columns).is_first_distinct()).to_series().arg_true()
    groups = keys.gather(firsts).with_columns(pl.int_range(len(firsts)).alias(_GROUP))
    group = keys.join(groups, on=columns, how="left", maintain_order="left", nulls_equal=True).get_column(_GROUP)
    return firsts, group


def per_distinct(values: pl.Series, parse: Callable[[pl.Series], pl.DataFrame]) -> pl.DataFrame:
    """The columns `parse` gives for each distinct value of `values`, one row per value; null for a null
    (`parse` sees each distinct non-null value once)."""
    firsts, group = distinct_rows(values.to_frame(), values.hash())
    distinct = values.gather(firsts)
    present = distinct.is_not_null()
    if not present.all():  # the null's group points nowhere: its rows gather nulls
        group = pl.select(pl.when(pl.lit(present)).then(pl.lit(present).cum_sum() - 1)).to_series().gather(group)
        distinct = distinct.filter(present)
    return parse(distinct).select(pl.all().gather(group))
