"""涉嫌非法集资风险专项排查总体情况统计表: placement of institutions, section totals, merged labels."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from openpyxl.utils import get_column_letter

from fundwatch.reports.frames import INSTITUTIONS_SCHEMA, frame
from fundwatch.reports.layouts import load_table
from fundwatch.reports.overview import overview_table, sections
from fundwatch.reports.tables import to_wan
from fundwatch.reports.xlsx import write_xlsx

from .conftest import merged, open_sheet

# 001's four key-behaviour rows
BEHAVIOURS = [
    "各类“创新”型集资平台", "打着国家政策旗号的集资行为", "以弱势群体为主要目标的集资行为",
    "辖内其他风险突出的集资行为",
]
FIRST_BODY_ROW = 5


@pytest.fixture
def layout():  # type: ignore[no-untyped-def]
    return load_table("overview")


def column(layout, key: str) -> int:  # type: ignore[no-untyped-def]
    return layout.keys.index(key)


def rows_by_type(table, layout) -> dict[tuple[str, str], list]:  # type: ignore[no-untyped-def]
    s, t = column(layout, "section"), column(layout, "type")
    return {(r[s], r[t]): r for r, kind in zip(table.rows, table.kinds, strict=True) if kind == "data"}


def test_sections_follow_the_document(layout) -> None:  # type: ignore[no-untyped-def]
    specs = sections(layout)
    assert [s.label for s in specs] == ["重点领域", "重点行为"]
    assert specs[0].rows[-1].item == "辖内其他高风险行业企业"
    assert list(dict.fromkeys(r.item for r in specs[1].rows)) == BEHAVIOURS


def test_an_institution_is_placed_by_sector_then_guise(layout, meta) -> None:  # type: ignore[no-untyped-def]
    institutions = frame([
        {"subject_key": "a", "sector": "p2p", "guise": "consumption_rebate", "has_problem": True,
         "amount": Decimal("123456.78")},
        {"subject_key": "b", "sector": "film_culture", "guise": "real_estate", "has_problem": True},
        {"subject_key": "c", "sector": None, "guise": None},
        {"subject_key": "d", "sector": "education", "target_group": "elderly", "has_problem": True},
    ], INSTITUTIONS_SCHEMA)
    rows = rows_by_type(overview_table(institutions, layout, meta), layout)
    screened = column(layout, "screened")
    placed = {key: row[screened] for key, row in rows.items() if row[screened]}
    assert placed == {
        ("重点领域", "网络借贷平台"): 1, ("重点领域", "房地产"): 1, ("重点领域", "辖内其他高风险行业企业"): 1,
        ("重点领域", "教育"): 1, ("重点行为", "消费返利"): 1, ("重点行为", "辖内其他风险突出的集资行为"): 1,
        ("重点行为", "以老年人、残疾人员、贫困人群、农民、大中专学生为目标"): 1,
    }
    assert rows[("重点领域", "网络借贷平台")][column(layout, "amount")] == Decimal("12.35")


def test_section_totals_cover_their_own_rows(ledger, layout, meta) -> None:  # type: ignore[no-untyped-def]
    table = overview_table(ledger.institutions, layout, meta)
    totals = [i for i, k in enumerate(table.kinds) if k == "total"]
    assert len(totals) == 2
    screened, amount = column(layout, "screened"), column(layout, "amount")
    institutions = ledger.institutions
    assert table.rows[totals[0]][screened] == institutions.height
    behaving = institutions.filter(pl.col("guise").is_not_null() | pl.col("target_group").is_not_null()).height
    assert table.rows[totals[1]][screened] == behaving
    with_problems = column(layout, "with_problems")
    assert table.rows[totals[0]][with_problems] == institutions["has_problem"].sum()
    exact = to_wan(sum((a for a in institutions["amount"].to_list() if a is not None), Decimal(0)))
    section_rows = totals[0]
    assert abs(table.rows[totals[0]][amount] - exact) <= Decimal("0.005") * section_rows
    for state in ("planned", "ongoing", "done"):
        assert table.rows[totals[0]][column(layout, state)] == (institutions["rectification"] == state).sum()
    assert table.rows[totals[0]][column(layout, "referred")] == institutions["referred_police"].sum()


def test_main_problems_most_frequent_first(layout, meta) -> None:  # type: ignore[no-untyped-def]
    institutions = frame([
        {"subject_key": "a", "sector": "p2p", "has_problem": True, "problems": ["虚假宣传", "设资金池"]},
        {"subject_key": "b", "sector": "p2p", "has_problem": True, "problems": ["设资金池"]},
        {"subject_key": "c", "sector": "p2p", "has_problem": True, "problems": ["超范围经营", "设资金池", "虚假宣传"]},
    ], INSTITUTIONS_SCHEMA)
    rows = rows_by_type(overview_table(institutions, layout, meta), layout)
    assert rows[("重点领域", "网络借贷平台")][column(layout, "problems")] == "设资金池、虚假宣传、超范围经营"


def test_xlsx_labels_merged_and_totals_are_section_sums(ledger, layout, meta, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "overview.xlsx"
    write_xlsx(overview_table(ledger.institutions, layout, meta), path)
    sheet, values = open_sheet(path), open_sheet(path, values=True)
    assert sheet["A1"].value == "涉嫌非法集资风险专项排查总体情况统计表"
    spans = merged(sheet)
    totals = [r for r in range(FIRST_BODY_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == "合计"]
    assert len(totals) == 2
    assert f"A{totals[0]}:C{totals[0]}" in spans and f"A{totals[1]}:C{totals[1]}" in spans
    assert f"A{FIRST_BODY_ROW}:A{totals[0] - 1}" in spans
    assert sheet.cell(FIRST_BODY_ROW, 1).value == "重点领域"
    assert f"B{totals[0] - 1}:C{totals[0] - 1}" in spans
    assert sheet.cell(totals[0] - 1, 2).value == "辖内其他高风险行业企业"
    starts = (FIRST_BODY_ROW, totals[0] + 1)
    for start, total in zip(starts, totals, strict=True):
        for i, col in enumerate(layout.columns, start=1):
            letter = get_column_letter(i)
            if col.total:
                assert sheet.cell(total, i).value == f"=SUM({letter}{start}:{letter}{total - 1})"
                body = sum(Decimal(str(values.cell(r, i).value)) for r in range(start, total))
                assert Decimal(str(values.cell(total, i).value)) == pytest.approx(body)
                assert sheet.cell(start, i).number_format == "0.00"
    behaviours = [sheet.cell(r, 2).value for r in range(totals[0] + 1, totals[1]) if sheet.cell(r, 2).value]
    assert behaviours == BEHAVIOURS
