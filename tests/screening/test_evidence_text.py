"""The pieces of evidence text: dates as people write them, inside the calendar and outside it."""

from __future__ import annotations

import datetime as dt

import polars as pl

from fundwatch.screening.evidence import day, when_where

DATES = [dt.date(2023, 4, 2), None, dt.date(1899, 12, 31), dt.date(1900, 1, 1), dt.date(2024, 2, 29),
         dt.date(2199, 12, 31), dt.date(2200, 1, 1), dt.date(1, 1, 1), dt.date(9999, 12, 31)]


def test_days_are_written_iso_whether_looked_up_or_formatted() -> None:
    frame = pl.DataFrame({"d": DATES}, schema={"d": pl.Date})
    written = frame.select(day(pl.col("d"))).to_series().to_list()
    assert written == [None if d is None else f"{d.year:04d}-{d.month:02d}-{d.day:02d}" for d in DATES]


def test_when_where_joins_date_and_channel_and_is_empty_without_either() -> None:
    frame = pl.DataFrame({"d": [dt.date(2023, 4, 2), None, dt.date(2023, 4, 2), None],
                          "channel": ["微信", "抖音", None, None]}, schema={"d": pl.Date, "channel": pl.String})
    written = frame.select(when_where(pl.col("d"), pl.col("channel"))).to_series().to_list()
    assert written == ["（2023-04-02 微信）", "（抖音）", "（2023-04-02）", ""]
