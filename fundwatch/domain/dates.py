"""Dates as offices type them: `2018-05-22`, `2018/5/22`, `2018年5月22日`, `20180522`, `2018.5.22`,
Excel serial numbers (`43242`), and date-times whose time is dropped.

Day-first forms (`22/05/2018`) are not accepted: they cannot be told from
month-first ones, and a wrong date is worse than an empty one with a warning.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import polars as pl

from fundwatch.domain.distinct import per_distinct
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
    """`date_expr` over a Series: the plain ASCII forms read straight from the cells' bytes
    (`_plain_dates`), the rest with Polars, each distinct value parsed once."""
    plain, days, dated = _plain_dates(values)
    parsed = pl.select(pl.when(pl.lit(dated)).then(pl.lit(days)).cast(pl.Date).alias(values.name)).to_series()
    rest = values.is_not_null() & ~pl.Series(plain)
    if not rest.any():
        return parsed
    return parsed.scatter(rest.arg_true(), _parsed(values.filter(rest))).alias(values.name)


_ASCII_DIGIT = np.arange(256, dtype=np.int16) - ord("0")  # byte -> digit value, -1 if not a digit
_ASCII_DIGIT[(_ASCII_DIGIT < 0) | (_ASCII_DIGIT > 9)] = -1
_ASCII_DIGIT = _ASCII_DIGIT.astype(np.int8)
_DATE_SEPARATOR = np.zeros(256, dtype=np.bool_)
_DATE_SEPARATOR[np.frombuffer(b"-/.", dtype=np.uint8)] = True
_VIEW = np.dtype([("length", "<i4"), ("inline", "u1", 12)])  # an Arrow string view of up to 12 bytes
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def _plain_dates(values: pl.Series) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int32], npt.NDArray[np.bool_]]:
    """Which cells are in a plain form, the date of each as days since 1970-01-01, and which have a date
    (a plain cell may name none, as 2018-02-30 does): `YYYY-M-D` (`-`, `/` or `.`, one or two digits for
    month and day), `YYYYMMDD`, or an Excel serial of two to five digits. `date_expr` reads these forms
    alike; `parse_dates` leaves every other cell to it.

    Such cells are at most 12 bytes, which Polars keeps inside each cell's 16-byte view (Arrow's
    string view layout: the length, then the bytes), so numpy reads them without touching the text;
    laid out one row per byte position, as numpy works far faster across rows than along them.
    """
    n = len(values)
    if n == 0 or values.dtype != pl.String:
        return np.zeros(n, dtype=np.bool_), np.zeros(n, dtype=np.int32), np.zeros(n, dtype=np.bool_)
    array = values.rechunk().to_arrow(compat_level=pl.CompatLevel.newest())
    views = np.frombuffer(array.buffers()[1], dtype=_VIEW)[array.offset:array.offset + n]
    length = np.where(values.is_not_null().to_numpy(), views["length"], 0)
    text = np.ascontiguousarray(views["inline"][:, :10].T)  # (10, n): the plain forms are at most 10 bytes
    digit = np.take(_ASCII_DIGIT, text).astype(np.int16)
    is_digit = digit >= 0
    separator = np.take(_DATE_SEPARATOR, text)
    pair = digit[:-1] * 10 + digit[1:]  # the two-digit number at each position

    year = pair[0] * 100 + pair[2]
    four = is_digit[:4].all(axis=0)
    # YYYY-M-D: the second separator after one or two month digits; one or two day digits after it
    short_month = separator[6] & is_digit[5]
    long_month = separator[7] & is_digit[5] & is_digit[6]
    day_at = np.where(short_month, 7, 8)
    day_digits = length - day_at
    day_ok = np.where(short_month, is_digit[7] & ((day_digits == 1) | is_digit[8]),
                      is_digit[8] & ((day_digits == 1) | is_digit[9]))
    written = four & separator[4] & (short_month | long_month) & ((day_digits == 1) | (day_digits == 2)) & day_ok
    month = np.where(short_month, digit[5], pair[5])
    day = np.where(short_month, np.where(day_digits == 1, digit[7], pair[7]),
                   np.where(day_digits == 1, digit[8], pair[8]))
    compact = (length == 8) & four & is_digit[4:8].all(axis=0)
    month = np.where(compact, pair[4], month)
    day = np.where(compact, pair[6], day)
    dated = written | compact
    leading = is_digit[0] & is_digit[1]
    serial = leading & (length >= 2) & (length <= 5) & ((length < 3) | is_digit[2]) & ((length < 4) | is_digit[3])
    serial &= (length < 5) | is_digit[4]
    wide = year.astype(np.int32) * 10 + digit[4]
    serials = np.select([length == 2, length == 3, length == 4], [pair[0], pair[0] * 10 + digit[2], year], wide)
    year, month, day, serials = (x.astype(np.int32) for x in (year, month, day, serials))
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    valid = dated & (year >= FIRST_YEAR) & (year <= LAST_YEAR) & (month >= 1) & (month <= 12)
    valid &= (day >= 1) & (day <= month_days)
    in_excel = serial & (serials >= EXCEL_FIRST) & (serials <= EXCEL_LAST)
    epoch = (EXCEL_EPOCH - date(1970, 1, 1)).days
    days = np.where(in_excel, epoch + serials, _days_from_civil(year, month, day)).astype(np.int32)
    return dated | serial, days, valid | in_excel


def _days_from_civil(year: npt.NDArray[np.int32], month: npt.NDArray[np.int32],
                     day: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's days_from_civil; any value where
    the date is not one)."""
    shifted = year - (month <= 2)
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    days: npt.NDArray[np.int32] = (era * 146097 + of_era * 365 + of_era // 4 - of_era // 100 + of_year - 719468)
    return days.astype(np.int32)


def _parsed(values: pl.Series) -> pl.Series:
    """`date_expr` over a Series with Polars, each distinct value parsed once, each step tried only on what
    is left. A column of ISO dates is converted directly (cheaper than finding its distinct values); one
    whose first cells are mostly in other forms is parsed per distinct value and mapped back.
    """
    head = values.head(_SAMPLE).drop_nulls()
    if head.str.to_date("%Y-%m-%d", strict=False).is_not_null().sum() >= len(head) // 2:
        return _iso_first(values)
    return _per_distinct_day(values)


def _iso_first(values: pl.Series) -> pl.Series:
    """ISO dates parsed directly, the rest step by step once per distinct value."""
    iso = pl.select(_in_range(pl.lit(values).str.to_date("%Y-%m-%d", strict=False))).to_series()
    rest = iso.is_null() & values.is_not_null()
    if not rest.any():
        return iso.alias(values.name)
    return iso.scatter(rest.arg_true(), _per_distinct_day(values.filter(rest))).alias(values.name)


def _per_distinct_day(values: pl.Series) -> pl.Series:
    """`_stepwise` once per distinct value, looked up for every value."""
    return per_distinct(values, lambda distinct: _stepwise(distinct).to_frame()).to_series().alias(values.name)


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
