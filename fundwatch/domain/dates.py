"""Dates as offices type them: `2018-05-22`, `2018/5/22`, `2018年5月22日`, `20180522`, `2018.5.22`,
Excel serial numbers (`43242`), and date-times whose time is dropped.

Day-first forms (`22/05/2018`) are not accepted: they cannot be told from
month-first ones, and a wrong date is worse than an empty one with a warning.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import polars as pl

from fundwatch.domain.text import fold_width, fold_width_expr

# Excel's day 0 is 1899-12-30 once its phantom 1900-02-29 is behind (serial 61 on).
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_FIRST = 61
EXCEL_LAST = 73050  # 2099-12-31
FIRST_YEAR, LAST_YEAR = 1800, 2199

DATE_PATTERN = (
    r"^(?:(?P<y1>\d{4})\s*[-/.年]\s*(?P<m1>\d{1,2})\s*[-/.月]\s*(?P<d1>\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}.*)?"
    r"|(?P<y2>\d{4})(?P<m2>\d{2})(?P<d2>\d{2})(?:[\sT]?\d{2}:?\d{2}:?\d{2}(?:\.\d+)?)?"
    r"|(?P<serial>\d{2,5})(?:\.\d+)?)$"
)
_DATE_RE = re.compile(DATE_PATTERN)


def date_expr(col: pl.Expr) -> pl.Expr:
    """Vectorised date parsing to pl.Date; null when the cell is empty or not a possible date."""
    parts = fold_width_expr(col).str.strip_chars().str.extract_groups(DATE_PATTERN)
    year = pl.coalesce(parts.struct.field("y1"), parts.struct.field("y2"))
    month = pl.coalesce(parts.struct.field("m1"), parts.struct.field("m2")).str.zfill(2)
    day = pl.coalesce(parts.struct.field("d1"), parts.struct.field("d2")).str.zfill(2)
    written = pl.concat_str([year, month, day], separator="-").str.to_date("%Y-%m-%d", strict=False)
    serial = parts.struct.field("serial").cast(pl.Int64, strict=False)
    from_serial = (
        pl.when(serial.is_between(EXCEL_FIRST, EXCEL_LAST))
        .then(pl.lit(EXCEL_EPOCH) + pl.duration(days=serial))
        .otherwise(None)
        .cast(pl.Date)
    )
    parsed = pl.coalesce(written, from_serial)
    return pl.when(parsed.dt.year().is_between(FIRST_YEAR, LAST_YEAR)).then(parsed).otherwise(None)


def parse_date(raw: str) -> date | None:
    """Scalar `date_expr`."""
    match = _DATE_RE.match(fold_width(raw).strip())
    if match is None:
        return None
    if match["serial"]:
        serial = int(match["serial"])
        return EXCEL_EPOCH + timedelta(days=serial) if EXCEL_FIRST <= serial <= EXCEL_LAST else None
    year, month, day = (int(match[f"{p}1"] or match[f"{p}2"]) for p in "ymd")
    try:
        parsed = date(year, month, day)
    except ValueError:
        return None
    return parsed if FIRST_YEAR <= parsed.year <= LAST_YEAR else None
