"""Side tables: keyed by subjects of the registry, dated after establishment within 2015–2026."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from fundwatch.demo import DemoCounty
from fundwatch.demo.export import SIDE_HEADERS

DATES = {"changes": ("变更日期", "%Y-%m-%d"), "abnormal": ("列入日期", "%Y年%m月%d日"),
         "judicial": ("立案日期", "%Y-%m-%d"), "ads": ("发布日期", "%Y-%m-%d"),
         "reports": ("举报日期", "%Y-%m-%d"), "news": ("发布日期", "%Y-%m-%d")}


@pytest.mark.parametrize("kind", list(SIDE_HEADERS))
def test_side_rows_belong_to_subjects_and_follow_establishment(county: DemoCounty, kind: str) -> None:
    table = county.table(kind)
    assert table.columns == list(SIDE_HEADERS[kind].values())
    assert set(table["统一社会信用代码"]) <= set(county.truth["subject_key"])
    column, fmt = DATES[kind]
    dated = table.with_columns(pl.col(column).str.to_date(fmt).alias("day")).join(
        county.facts.select("subject_key", "established").unique("subject_key"),
        left_on="统一社会信用代码", right_on="subject_key")
    assert dated["day"].min() >= date(2015, 1, 1)  # type: ignore[operator]
    assert dated["day"].max() <= date(2026, 12, 31)  # type: ignore[operator]
    assert (dated["day"] >= dated["established"]).all()


def test_about_a_third_of_a_row_per_subject(county: DemoCounty) -> None:
    rows = sum(county.table(kind).height for kind in SIDE_HEADERS)
    assert 0.2 <= rows / county.truth.height <= 0.45


def test_numbers_are_readable(county: DemoCounty) -> None:
    reports = county.reports.drop_nulls("涉及金额（元）")
    assert reports["涉及金额（元）"].str.contains(r"^\d+\.\d{2}$").all()
    assert county.reports["涉及人数"].drop_nulls().cast(pl.Int64).min() >= 1  # type: ignore[operator]
    sentiment = county.news["情感值"].cast(pl.Float64)
    assert sentiment.is_between(-1, 1).all()
