"""Amounts as offices type them, vectorised and scalar, and the two agree."""

from __future__ import annotations

import random
from decimal import Decimal

import polars as pl
import pytest

from fundwatch.domain.money import AMOUNT, money_expr, parse_money, parse_money_series

CASES = [
    # raw, default unit, amount in the currency's units, currency
    ("100万元人民币", "元", "1000000.00", "CNY"),
    ("1,000,000元", "万元", "1000000.00", "CNY"),
    ("500.000000万人民币", "元", "5000000.00", "CNY"),
    ("100万(元)", "元", "1000000.00", "CNY"),
    ("100万（元）", "元", "1000000.00", "CNY"),
    ("5000万美元", "元", "50000000.00", "USD"),
    ("1.5亿", "元", "150000000.00", "CNY"),
    ("３００万", "元", "3000000.00", "CNY"),
    ("３００", "万元", "3000000.00", "CNY"),
    ("300", "万元", "3000000.00", "CNY"),
    ("300", "元", "300.00", "CNY"),
    ("300元", "万元", "300.00", "CNY"),
    ("人民币 100 万元", "元", "1000000.00", "CNY"),
    ("$5,000", "万元", "5000.00", "USD"),
    ("usd 5000", "万元", "5000.00", "USD"),
    ("100万港币", "元", "1000000.00", "HKD"),
    ("20万欧元", "元", "200000.00", "EUR"),
    ("1.2345678万", "元", "12345.68", "CNY"),
    ("5千元", "元", "5000.00", "CNY"),
    ("-12.5", "元", "-12.50", "CNY"),
]
UNREADABLE = ["abc", "100-200万", "1e5", "约100万", "万元", "99999999999999999999", "1.2.3"]


def _vector(values: list[str | None], unit: str) -> list[tuple[Decimal | None, str | None]]:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String}).select(
        money_expr(pl.col("v"), default_unit=unit).alias("m")
    ).unnest("m")
    assert frame.schema["amount"] == AMOUNT
    return list(zip(frame["amount"].to_list(), frame["currency"].to_list(), strict=True))


@pytest.mark.parametrize(("raw", "unit", "amount", "currency"), CASES)
def test_amounts_as_typed(raw: str, unit: str, amount: str, currency: str) -> None:
    assert _vector([raw], unit) == [(Decimal(amount), currency)]
    assert parse_money(raw, default_unit=unit) == (Decimal(amount), currency)


@pytest.mark.parametrize("raw", UNREADABLE)
def test_unreadable_amounts_are_null(raw: str) -> None:
    assert _vector([raw], "元") == [(None, None)]
    assert parse_money(raw) is None


def test_empty_cell_is_null() -> None:
    assert _vector([None, ""], "万元") == [(None, None), (None, None)]


def test_unknown_default_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="未知金额单位"):
        money_expr(pl.col("v"), default_unit="斤")


def test_vector_and_scalar_agree_on_random_cells() -> None:
    rng = random.Random(11)
    parts = ["", "人民币", "$", "USD", "1", "23", "4.5", ".06", "007", ",", " "]
    parts += ["万", "亿", "千", "元", "美元", "(元)", "整"]
    cells = ["".join(rng.choice(parts) for _ in range(rng.randint(1, 5))) for _ in range(3000)]
    for unit in ("元", "万元"):
        expected = [parse_money(c, default_unit=unit) or (None, None) for c in cells]
        assert _vector(cells, unit) == expected
        series = parse_money_series(pl.Series(cells), default_unit=unit)
        assert list(series.iter_rows()) == expected
