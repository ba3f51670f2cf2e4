"""Which rows share a key: found by hashing, then checked; and work done once per distinct value.

Address places (an address before its house number) repeat a lot, a few
thousand per hundred thousand rows, and are long. Grouping rows on a 64-bit
hash of their key costs about half of grouping on the text itself (a unique,
then a join back in order); the groups are then checked against the keys, so
a hash collision costs time (the exact grouping is done instead), never a
wrong answer. Short keys (dates, amounts) gain nothing from it.
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
    """The columns `parse` gives for each distinct text of `values`, looked up for every value (null for a null).

    The values are cast to an Enum of the distinct ones, whose codes are the rows of `parse`'s frame:
    cheaper than joining back on the text (in order).
    """
    distinct = values.unique().drop_nulls()
    return parse(distinct).select(pl.all().gather(values.cast(pl.Enum(distinct)).to_physical()))
