"""Pieces of the Chinese evidence text: quoted words, dates, money in 万元, where a text was found."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

import polars as pl

# Where a hit was found, as an analyst reads it (table, or table.field for the registry).
PLACE_ZH: dict[str, str] = {
    "registry.name": "名称",
    "registry.business_scope": "经营范围",
    "ads": "广告",
    "reports": "举报投诉",
    "news": "新闻",
}


def place_key() -> pl.Expr:
    """registry.<field> for registry hits, the table for side-table hits."""
    return (
        pl.when(pl.col("table") == "registry")
        .then(pl.concat_str(pl.col("table"), pl.lit("."), pl.col("field")))
        .otherwise(pl.col("table"))
    )


def phrase(words: Mapping[str, str]) -> pl.Expr:
    """The words that open a clause, chosen by where the hit was found (keys as in PLACE_ZH)."""
    return place_key().replace_strict(dict(words), default="", return_dtype=pl.String)


def quoted(words: pl.Expr) -> pl.Expr:
    """A list of words as “a”“b”."""
    return pl.concat_str(pl.lit("“"), words.list.join("”“"), pl.lit("”"))


# Dates are written by looking them up in a calendar of every day of these years: formatting a date costs
# about twenty times a lookup, and evidence writes one for nearly every hit.
_CALENDAR_FROM = dt.date(1900, 1, 1)
_CALENDAR_TO = dt.date(2199, 12, 31)


@functools.cache
def _calendar() -> pl.Series:
    return pl.date_range(_CALENDAR_FROM, _CALENDAR_TO, eager=True).dt.to_string("%Y-%m-%d")


def day(date: pl.Expr) -> pl.Expr:
    """A date as 2023-04-02."""
    calendar = _calendar()
    index = date.cast(pl.Int32) - (_CALENDAR_FROM - dt.date(1970, 1, 1)).days
    inside = index.is_between(0, len(calendar) - 1)
    return (
        pl.when(inside).then(pl.lit(calendar).gather(index.clip(0, len(calendar) - 1)))
        .otherwise(date.dt.to_string("%Y-%m-%d"))
    )


def when_where(date: pl.Expr, detail: pl.Expr) -> pl.Expr:
    """（2023-04-02 微信） from a date and a channel or title; empty when both are missing."""
    inner = pl.concat_str(day(date), detail, separator=" ", ignore_nulls=True)
    return pl.when(inner.str.len_bytes() > 0).then(pl.concat_str(pl.lit("（"), inner, pl.lit("）"))).otherwise(
        pl.lit(""))


def wan_yuan(amount: pl.Expr) -> pl.Expr:
    """An exact decimal amount in 元 as 万元 with two decimals, rounded half up: 864999.99 -> 86.50."""
    cents = (amount * 100).cast(pl.Int64)
    hundreds = (cents.abs() + 5_000) // 10_000 * cents.sign()
    whole = (hundreds.abs() // 100).cast(pl.String)
    sign = pl.when(hundreds < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(sign, whole, pl.lit("."), (hundreds.abs() % 100).cast(pl.String).str.zfill(2))


def tier_points(value: pl.Expr, tiers: tuple[tuple[float, float], ...]) -> pl.Expr:
    """Points of the highest tier whose minimum `value` reaches, 0 below the first."""
    points: pl.Expr = pl.lit(0.0)
    for minimum, tier in tiers:
        points = pl.when(value >= minimum).then(pl.lit(tier)).otherwise(points)
    return points


# Currency names after 万 in a capital: 5000.00万美元.
CURRENCY_ZH: dict[str, str] = {
    "CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元", "MOP": "澳门元",
    "TWD": "新台币",
}
