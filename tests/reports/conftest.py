"""The demo county's sample ledger and a reader for the files the reports write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from fundwatch.reports.sample import SampleLedger, demo_ledger
from fundwatch.reports.tables import Meta

# The key-risk-lead table of 001 (附件1), its columns in the document's order and its header groups.
KEY_LEAD_HEADERS = [
    "序号", "企业名称", "所属行业", "集资模式", "是否通过互联网", "涉及金额", "涉及人数", "未兑付资金", "是否跨省",
    "采取的工作措施", "资金清退情况", "处理结果", "省际间风险通报情况", "备注",
]
KEY_LEAD_GROUPS = {"风险情况": ("企业名称", "是否跨省"), "工作情况": ("采取的工作措施", "省际间风险通报情况")}


@pytest.fixture(scope="session")
def ledger() -> SampleLedger:
    return demo_ledger()


@pytest.fixture
def meta() -> Meta:
    return Meta("勐海县打击和处置非法集资工作领导小组办公室", "2018-07", "刘建云", "0691-5123117", date(2018, 7, 25))


def open_sheet(path: Path, *, values: bool = False) -> openpyxl.worksheet.worksheet.Worksheet:
    """The first sheet; with values=True formulas read as the values stored with them."""
    return openpyxl.load_workbook(path, data_only=values).worksheets[0]


def merged(sheet: openpyxl.worksheet.worksheet.Worksheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


def row_of(sheet: openpyxl.worksheet.worksheet.Worksheet, first_cell: str) -> int:
    """The 1-based row whose column A holds `first_cell`."""
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == first_cell:
            return int(row[0].row)
    raise AssertionError(f"no row starts with {first_cell!r}")


def column_widths(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[int, float]:
    """1-based column → width; one <col> element may cover several adjacent columns of equal width."""
    widths: dict[int, float] = {}
    for dim in sheet.column_dimensions.values():
        for col in range(dim.min, dim.max + 1):
            widths[col] = dim.width
    return widths
