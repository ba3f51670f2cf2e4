"""“无非法集资县（市、区）”统计表: when villages and townships count as free, the county verdict."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from fundwatch.reports.county_free import county_free_table, township_rows
from fundwatch.reports.frames import AREA_LEADS_SCHEMA, VILLAGES_SCHEMA, frame
from fundwatch.reports.layouts import load_table
from fundwatch.reports.tables import Meta
from fundwatch.reports.xlsx import write_xlsx

from .conftest import open_sheet, row_of


def villages(township: str, *flags: tuple[bool, bool]) -> list[dict[str, object]]:
    return [
        {"township_code": township, "township_name": f"镇{township}", "village_code": f"{township}{i:03d}",
         "village_name": f"村{i}", "screened": screened, "declared_free": free}
        for i, (screened, free) in enumerate(flags, start=1)
    ]


def test_free_only_when_screened_declared_and_without_open_leads() -> None:
    layout = load_table("county_free")
    area = frame(
        villages("532822100", (True, True), (True, True))
        + villages("532822101", (True, True), (True, True))
        + villages("532822102", (True, False), (False, False)),
        VILLAGES_SCHEMA,
    )
    leads = frame([
        {"township_code": "532822101", "village_code": "532822101002", "open": True, "amount": Decimal("300000"),
         "participants": 20},
        {"township_code": "532822100", "village_code": None, "open": False, "amount": Decimal("1000"),
         "participants": 2},
    ], AREA_LEADS_SCHEMA)
    rows = {r["township"]: r for r in township_rows(area, leads, layout)}
    assert rows["镇532822100"]["township_free"] and rows["镇532822100"]["villages_free"] == 2
    assert rows["镇532822100"]["leads"] == 1 and rows["镇532822100"]["leads_open"] == 0
    assert not rows["镇532822101"]["township_free"] and rows["镇532822101"]["villages_free"] == 1
    assert "1条风险线索未办结" in rows["镇532822101"]["remarks"]
    third = rows["镇532822102"]
    assert (third["villages_screened"], third["villages_free"], third["township_screened"]) == (1, 0, False)
    assert "1个村（社区）未排查" in third["remarks"] and "1个村（社区）未申报" in third["remarks"]


def test_county_verdict_in_the_summary() -> None:
    layout = load_table("county_free")
    area = frame(villages("532822100", (True, True)), VILLAGES_SCHEMA)
    no_leads = frame([], AREA_LEADS_SCHEMA)
    assert "达到“无非法集资县（市、区）”标准" in county_free_table(area, no_leads, layout, Meta()).summary[0]
    open_lead = frame([{"township_code": "532822100", "village_code": None, "open": True}], AREA_LEADS_SCHEMA)
    assert "尚未达到" in county_free_table(area, open_lead, layout, Meta()).summary[0]


def test_leads_in_no_township_get_their_own_row_and_keep_the_county_from_being_free() -> None:
    layout = load_table("county_free")
    area = frame(villages("532822100", (True, True)), VILLAGES_SCHEMA)
    leads = frame([{"township_code": None, "village_code": None, "open": True, "amount": Decimal("20000"),
                    "participants": 3}], AREA_LEADS_SCHEMA)
    table = county_free_table(area, leads, layout, Meta())
    township = layout.keys.index("township")
    assert [r[township] for r in table.rows] == ["镇532822100", "未明确所在乡镇", None]
    assert table.rows[-1][layout.keys.index("leads")] == 1
    assert "尚未达到" in table.summary[0]


def test_demo_county_xlsx(ledger, meta, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layout = load_table("county_free")
    path = tmp_path / "county_free.xlsx"
    write_xlsx(county_free_table(ledger.villages, ledger.area_leads, layout, meta), path)
    sheet, values = open_sheet(path), open_sheet(path, values=True)
    assert sheet["A1"].value == "“无非法集资县（市、区）”统计表"
    total = row_of(sheet, "合计")
    townships = ledger.villages["township_code"].n_unique()
    known = ledger.villages["township_code"].unique().to_list()
    unplaced = ledger.area_leads.filter(~pl.col("township_code").is_in(known) | pl.col("township_code").is_null())
    assert total == 5 + townships + (1 if unplaced.height else 0)
    assert f"A{total}:B{total}" in {str(r) for r in sheet.merged_cells.ranges}
    headers = {sheet.cell(4, c).value or sheet.cell(3, c).value: c for c in range(1, len(layout.columns) + 1)}
    assert values.cell(total, headers["总数"]).value == ledger.villages.height
    assert values.cell(total, headers["已排查"]).value == ledger.villages["screened"].sum()
    assert values.cell(total, headers["发现风险线索"]).value == ledger.area_leads.height
    assert sheet.cell(3, headers["总数"]).value == "村（社区）"
    assert {sheet.cell(r, headers["是否无非法集资乡镇（街道）"]).value for r in range(5, 5 + townships)} <= {"是", "否"}
    below = [sheet.cell(r, 1).value for r in range(total + 1, sheet.max_row + 1)]
    summary = next(text for text in below if text)
    assert summary.startswith(f"本县（市、区）共有乡镇（街道、农场）{townships}个")
