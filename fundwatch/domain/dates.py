"""Dates as offices type them: `2018-05-22`, `2018/5/22`, `2018年5月22日`, `20180522`, `2018.5.22`,
Excel serial numbers (`43242`), and date-times whose time is dropped.

Day-first forms (`22/05/2018`) are not accepted: they cannot be told from
month-first ones, and a wrong date is worse than an empty one with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import polars as pl

from fundwatch.domain.text import FULL_WIDTH, HALF_WIDTH

# Excel's day 0 is 1899-12-30 once its phantom 1900-02-29 is behind (serial 61 on).
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_FIRST = 61
EXCEL_LAST = 73050  # 2099-12-31
FIRST_YEAR, LAST_YEAR = 1800, 2199
_SAMPLE = 1_000  # cells that decide how a column is parsed (see parse_dates)

# One pass maps full-width forms and every separator onto `YYYY-M-D hh:mm`.
_SEPARATORS = {"年": "-", "月": "-", "日": "", "/": "-", ".": "-", "T": " ", "\t": " "}
_NORMALISE = {
    **{f: _SEPARATORS.get(h, h) for f, h in zip(FULL_WIDTH, HALF_WIDTH, strict=True)},
    **_SEPARATORS,
}


def _day_part(col: pl.Expr) -> pl.Expr:
    """The cell as `YYYY-M-D`, `YYYYMMDD` or a serial number: separators unified, time dropped."""
    normalised = col.str.replace_many(list(_NORMALISE), list(_NORMALISE.values()))
    return normalised.str.extract(r"^\s*(?:\S+)", 0).str.strip_chars(" ")


def _from_day_part(day_part: pl.Expr) -> pl.Expr:
    """A possible date (not yet range-checked) from `_day_part`."""
    written = day_part.str.to_date("%Y-%m-%d", strict=False)
    compact = pl.when(day_part.str.contains(r"^\d{8}(?:\d{4}(?:\d{2})?)?$")).then(
        day_part.str.slice(0, 8).str.to_date("%Y%m%d", strict=False)
    )
    serial = pl.when(day_part.str.contains(r"^\d{2,5}(?:-\d+)?$")).then(
        day_part.str.extract(r"^\d+", 0).cast(pl.Int64, strict=False)
    )
    from_serial = pl.when(serial.is_between(EXCEL_FIRST, EXCEL_LAST)).then(
        (pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)).cast(pl.Date)
    )
    return pl.coalesce(written, compact, from_serial)


def _in_range(parsed: pl.Expr) -> pl.Expr:
    return pl.when(parsed.dt.year().is_between(FIRST_YEAR, LAST_YEAR)).then(parsed)


def date_expr(col: pl.Expr) -> pl.Expr:
    """Vectorised date parsing to pl.Date; null when the cell is empty or not a possible date.

    Plain searches and whole-cell matches only, no capture groups. Over a
    Series, `parse_dates` is faster: it evaluates the same steps one at a time.
    """
    return _in_range(_from_day_part(_day_part(col)))


def parse_dates(values: pl.Series) -> pl.Series:
    """`date_expr` over a Series, each distinct value parsed once, each step tried only on what is left.

    A column of ISO dates is converted directly (cheaper than finding its distinct values); one whose
    first cells are mostly in other forms is parsed per distinct value and mapped back.
    """
    head = values.head(_SAMPLE).drop_nulls()
    if head.str.to_date("%Y-%m-%d", strict=False).is_not_null().sum() >= len(head) // 2:
        return _iso_first(values)
    return _per_distinct(values, _stepwise)


def _iso_first(values: pl.Series) -> pl.Series:
    """ISO dates parsed directly, the rest step by step once per distinct value."""
    iso = pl.select(_in_range(pl.lit(values).str.to_date("%Y-%m-%d", strict=False))).to_series()
    rest = iso.is_null() & values.is_not_null()
    if not rest.any():
        return iso.alias(values.name)
    return iso.scatter(rest.arg_true(), _per_distinct(values.filter(rest), _stepwise)).alias(values.name)


def _per_distinct(values: pl.Series, parse: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """`parse` applied once per distinct value and joined back (cheaper than a replace over many values)."""
    distinct = values.unique().drop_nulls()
    table = pl.DataFrame({"v": distinct, "parsed": parse(distinct)})
    joined = values.to_frame("v").join(table, on="v", how="left", maintain_order="left")
    return joined.get_column("parsed").alias(values.name)


def _stepwise(values: pl.Series) -> pl.Series:
    """`date_expr` one step at a time: the written form first, the compact and serial forms for what is left."""
    day = pl.select(_day_part(pl.lit(values))).to_series()
    written = day.str.to_date("%Y-%m-%d", strict=False)
    left = written.is_null() & day.is_not_null()
    if left.any():
        written = written.scatter(left.arg_true(), pl.select(_from_day_part(pl.lit(day.filter(left)))).to_series())
    return pl.select(_in_range(pl.lit(written))).to_series()


def parse_date(raw: str) -> date | None:
    """Scalar `date_expr`, step for step."""
    words = "".join(_NORMALISE.get(c, c) for c in raw).split()
    day_part = words[0] if words else ""
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", day_part):
        year, month, day = (int(p) for p in day_part.split("-"))
    elif re.fullmatch(r"\d{8}(?:\d{4}(?:\d{2})?)?", day_part):
        year, month, day = int(day_part[:4]), int(day_part[4:6]), int(day_part[6:8])
    elif re.fullmatch(r"\d{2,5}(?:-\d+)?", day_part):
        serial = int(day_part.split("-")[0])
        return EXCEL_EPOCH + timedelta(days=serial) if EXCEL_FIRST <= serial <= EXCEL_LAST else None
    else:
        return None
    try:
        parsed = date(year, month, day)
    except ValueError:
        return None
    return parsed if FIRST_YEAR <= parsed.year <= LAST_YEAR else None
