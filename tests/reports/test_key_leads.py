"""重点风险线索统计表 written to XLSX and read back against 001's layout, on the demo county."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl
import pytest
from openpyxl.utils import get_column_letter

from fundwatch.reports.frames import KEY_LEADS_SCHEMA, frame
from fundwatch.reports.key_leads import ReportDataError, key_leads_table
from fundwatch.reports.layouts import load_table
from fundwatch.reports.tables import Meta
from fundwatch.reports.xlsx import write_xlsx

from .conftest import KEY_LEAD_GROUPS, KEY_LEAD_HEADERS, column_widths, merged, open_sheet, row_of

FIRST_BODY_ROW = 5


ONLINE = {"online": "线上", "offline": "线下", "both": "线上线下相结合"}  # 001 附件1 注1


def cents(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def wan(amount: Decimal | None) -> Decimal:
    return (Decimal(amount or 0) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def written(ledger, meta, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "key_leads.xlsx"
    write_xlsx(key_leads_table(ledger.key_leads, load_table("key_leads"), meta), path)
    return path


def test_title_unit_line_and_headers_in_document_order(written: Path) -> None:
    sheet = open_sheet(written)
    assert sheet["A1"].value == "重点风险线索统计表"
    assert f"A1:{get_column_letter(len(KEY_LEAD_HEADERS))}1" in merged(sheet)
    assert "单位：个、人、万元" in [c.value for c in sheet[2]]
    # a grouped column's header is on row 4 under its group; 序号 and 备注 span rows 3-4
    headers = [sheet.cell(4, c).value or sheet.cell(3, c).value for c in range(1, len(KEY_LEAD_HEADERS) + 1)]
    assert headers == KEY_LEAD_HEADERS
    assert sheet.cell(3, len(KEY_LEAD_HEADERS) + 1).value is None


def test_header_groups_merged_over_their_columns(written: Path) -> None:
    sheet = open_sheet(written)
    spans = merged(sheet)
    for group, (first, last) in KEY_LEAD_GROUPS.items():
        a = get_column_letter(KEY_LEAD_HEADERS.index(first) + 1)
        b = get_column_letter(KEY_LEAD_HEADERS.index(last) + 1)
        assert f"{a}3:{b}3" in spans
        assert sheet[f"{a}3"].value == group
        start, stop = KEY_LEAD_HEADERS.index(first), KEY_LEAD_HEADERS.index(last)
        assert [sheet.cell(4, c).value for c in range(start + 1, stop + 2)] == KEY_LEAD_HEADERS[start: stop + 1]
    for lone in ("序号", "备注"):
        col = get_column_letter(KEY_LEAD_HEADERS.index(lone) + 1)
        assert f"{col}3:{col}4" in spans
        assert sheet[f"{col}3"].value == lone


def test_one_row_per_key_lead_largest_amount_first(ledger, written: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = open_sheet(written)
    total_row = row_of(sheet, "合计")
    names = [sheet.cell(r, 2).value for r in range(FIRST_BODY_ROW, total_row)]
    assert sorted(names) == sorted(ledger.key_leads["name"].to_list())
    amounts = [sheet.cell(r, 6).value for r in range(FIRST_BODY_ROW, total_row)]
    assert amounts == sorted(amounts, reverse=True)
    assert [sheet.cell(r, 1).value for r in range(FIRST_BODY_ROW, total_row)] == list(range(1, len(names) + 1))


def test_total_row_sums_the_starred_columns(ledger, written: Path) -> None:  # type: ignore[no-untyped-def]
    formulas, values = open_sheet(written), open_sheet(written, values=True)
    total_row = row_of(formulas, "合计")
    layout = load_table("key_leads")
    starred = [i + 1 for i, c in enumerate(layout.columns) if c.total]
    assert [KEY_LEAD_HEADERS[i - 1] for i in starred] == ["涉及金额", "涉及人数", "未兑付资金"]
    for col in starred:
        letter = get_column_letter(col)
        assert formulas.cell(total_row, col).value == f"=SUM({letter}{FIRST_BODY_ROW}:{letter}{total_row - 1})"
    rows = ledger.key_leads.to_dicts()
    assert cents(values.cell(total_row, 6).value) == sum(wan(r["amount"]) for r in rows)
    assert values.cell(total_row, 7).value == sum(r["participants"] for r in rows)
    assert cents(values.cell(total_row, 8).value) == sum(wan(r["unpaid"]) for r in rows)
    for col in range(1, len(KEY_LEAD_HEADERS) + 1):
        if col not in starred and col != 1:
            assert formulas.cell(total_row, col).value in (None, "")


def test_numbers_have_two_decimals_and_borders(written: Path) -> None:
    sheet = open_sheet(written)
    total_row = row_of(sheet, "合计")
    for row in range(FIRST_BODY_ROW, total_row + 1):
        for col in (6, 7, 8):
            cell = sheet.cell(row, col)
            assert cell.number_format == "0.00"
            assert isinstance(cell.value, int | float) or str(cell.value).startswith("=SUM(")
        for col in range(1, len(KEY_LEAD_HEADERS) + 1):
            assert sheet.cell(row, col).border.left.style == "thin"


def test_values_written_as_the_notes_say(ledger, written: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = open_sheet(written)
    total_row = row_of(sheet, "合计")
    col = {h: i + 1 for i, h in enumerate(KEY_LEAD_HEADERS)}
    by_name = {r["name"]: r for r in ledger.key_leads.to_dicts()}
    for row in range(FIRST_BODY_ROW, total_row):
        lead = by_name[sheet.cell(row, col["企业名称"]).value]
        assert sheet.cell(row, col["是否通过互联网"]).value == ONLINE[lead["online"]]
        assert sheet.cell(row, col["是否跨省"]).value == ("是" if lead["cross_province"] else "否")
        refund = sheet.cell(row, col["资金清退情况"]).value
        if lead["refund_state"]:
            word = {"refunding": "正在清退", "done": "清退完毕"}[lead["refund_state"]]
            assert re.fullmatch(rf"{word}，清退比例\d+\.\d\d%", refund)
            assert float(refund.split("比例")[1][:-1]) == pytest.approx(lead["refund_ratio"], abs=0.006)
        else:
            assert refund == "未清退"
        notice = sheet.cell(row, col["省际间风险通报情况"]).value
        for province in lead["notified_provinces"]:
            assert province in notice
        assert ("次" in notice) == bool(lead["notified_provinces"])


def test_footer_and_notes(written: Path, meta: Meta) -> None:
    sheet = open_sheet(written)
    texts = [c.value for row in sheet.iter_rows(min_row=row_of(sheet, "合计") + 1) for c in row if c.value]
    assert f"填报人：{meta.reporter}" in texts
    assert f"电话：{meta.phone}" in texts
    assert "2018年7月25日" in texts
    assert any(str(t).startswith("注：1.“是否通过互联网”") for t in texts)
    assert any("所有数字均保留小数点后2位" in str(t) for t in texts)


def test_blank_footer_leaves_room_to_fill_in(ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "blank.xlsx"
    write_xlsx(key_leads_table(ledger.key_leads, load_table("key_leads"), Meta()), path)
    sheet = open_sheet(path)
    texts = [str(c.value) for row in sheet.iter_rows(min_row=row_of(sheet, "合计") + 1) for c in row if c.value]
    assert any(t.startswith("填报人：") for t in texts)
    assert any("年" in t and "月" in t and t.endswith("日") for t in texts)


def test_print_setup_widths_and_frozen_header(written: Path) -> None:
    sheet = open_sheet(written)
    assert sheet.freeze_panes == f"A{FIRST_BODY_ROW}"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # OOXML leaves out fitToWidth when it is its default, 1 (one page wide)
    assert int(sheet.page_setup.fitToWidth or 1) == 1 and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.print_title_rows == "$3:$4"
    widths = column_widths(sheet)
    for i, col in enumerate(load_table("key_leads").columns, start=1):
        assert widths[i] == pytest.approx(col.width, abs=0.8)


def test_a_value_the_notes_do_not_allow_is_refused(ledger, meta) -> None:  # type: ignore[no-untyped-def]
    bad = ledger.key_leads.head(1).with_columns(pl.lit("卫星").alias("online"))
    with pytest.raises(ReportDataError, match=r"是否通过互联网.*卫星"):
        key_leads_table(bad, load_table("key_leads"), meta)


def test_an_empty_ledger_still_gives_the_form_with_a_zero_total(meta, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.xlsx"
    write_xlsx(key_leads_table(frame([], KEY_LEADS_SCHEMA), load_table("key_leads"), meta), path)
    values = open_sheet(path, values=True)
    assert values.cell(FIRST_BODY_ROW, 1).value == "合计"
    assert values.cell(FIRST_BODY_ROW, 6).value == 0


def test_what_the_ledger_does_not_say_stays_blank(ledger, meta) -> None:  # type: ignore[no-untyped-def]
    lead = ledger.key_leads.head(1).with_columns(pl.lit(None, dtype=pl.String).alias("online"))
    table = key_leads_table(lead, load_table("key_leads"), meta)
    assert table.rows[0][KEY_LEAD_HEADERS.index("是否通过互联网")] == ""
