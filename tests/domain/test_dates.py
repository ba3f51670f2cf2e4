"""Dates as offices type them, vectorised and scalar, and the two agree."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
import pytest

from fundwatch.domain.dates import date_expr, parse_date, parse_dates

MAY_22 = date(2018, 5, 22)
READABLE = [
    "2018-05-22", "2018/5/22", "2018年5月22日", "20180522", "2018.5.22", "43242", "43242.0", "43242.75",
    "2018-05-22 10:11:12", "2018-05-22T10:11:12.000", "2018/05/22 0:00", "２０１８年５月２２日", " 2018-5-22 ",
    "2018年05月22日", "20180522101112",
]
IMPOSSIBLE = ["2018-02-30", "2018-13-01", "20181322", "22/05/2018", "0018-01-01", "12", "abc", "2018年5月", "1e5"]


def _vector(values: list[str | None]) -> list[date | None]:
    return pl.DataFrame({"v": values}, schema={"v": pl.String}).select(date_expr(pl.col("v")))["v"].to_list()


@pytest.mark.parametrize("raw", READABLE)
def test_readable_dates(raw: str) -> None:
    assert _vector([raw]) == [MAY_22]
    assert parse_date(raw) == MAY_22


@pytest.mark.parametrize("raw", IMPOSSIBLE)
def test_impossible_dates_are_null(raw: str) -> None:
    assert _vector([raw]) == [None]
    assert parse_date(raw) is None


def test_excel_serials_start_after_the_phantom_leap_day() -> None:
    assert _vector(["61", "60", "1"]) == [date(1900, 3, 1), None, None]


def test_vector_and_scalar_agree_on_random_cells() -> None:
    rng = random.Random(5)
    parts = ["2018", "1999", "5", "05", "31", "2", "-", "/", ".", "年", "月", "日", " ", "T", "10:00", "43242", "0"]
    cells = ["".join(rng.choice(parts) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    assert _vector(cells) == [parse_date(c) for c in cells]


def test_series_fast_path_agrees_with_the_expression() -> None:
    cells = [*READABLE, *IMPOSSIBLE, None, "2018-5-22", "1799-01-01", "2200-01-01"]
    values = pl.Series("v", cells, dtype=pl.String)
    assert parse_dates(values).to_list() == _vector(cells)
    assert parse_dates(pl.Series("v", ["2018-05-22"])).to_list() == [MAY_22]


@pytest.mark.parametrize("iso_share", [0.0, 0.3, 0.9, 1.0])
def test_series_agrees_with_the_expression_however_the_column_is_made_up(iso_share: float) -> None:
    """A mostly-ISO column is converted directly, any other per distinct value: both give the expression's dates."""
    rng = random.Random(int(iso_share * 10))
    others = [*READABLE, *IMPOSSIBLE, None, "1799-01-01", "2200-01-01", "2019-02-29"]
    cells = [
        f"{rng.randint(1990, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < iso_share else rng.choice(others)
        for _ in range(5000)
    ]
    assert parse_dates(pl.Series("v", cells, dtype=pl.String)).to_list() == _vector(cells)


def test_plain_forms_read_from_the_bytes_agree_with_the_expression() -> None:
    """Every plain form `parse_dates` reads with numpy (Y-M-D with any of - / ., YYYYMMDD, serials), at
    the edges of years, months, days and serials, and near-misses that must be left to Polars."""
    years = ["0000", "1799", "1800", "1900", "2000", "2018", "2100", "2199", "2200", "9999"]
    months = [*(str(m) for m in range(14)), *(f"{m:02d}" for m in range(14)), "013"]
    days = [*(str(d) for d in range(33)), *(f"{d:02d}" for d in range(10)), "031"]
    cells = [f"{y}{a}{m}{b}{d}" for y in years for m in months for d in days for a, b in ("--", "/.", ".-")]
    cells += [f"{y}{m}{d}" for y in years for m in months for d in days if len(m) == len(d) == 2]
    cells += [str(i) for i in range(0, 100_000, 37)] + ["0061", "00061", "60", "61", "73050", "73051", "100000"]
    rng = random.Random(7)
    cells += ["".join(rng.choice("0123456789-/. ") for _ in range(rng.randint(1, 12))) for _ in range(20_000)]
    values = pl.Series("v", [*cells, None], dtype=pl.String)
    assert parse_dates(values).to_list() == _vector([*cells, None])
