"""Campaigns: who owes what (000 四(四)), who has sent it, who is late."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from fundwatch.reports.campaigns import late_units, load_campaign, progress, progress_table, unit_groups, upcoming
from fundwatch.reports.frames import SUBMISSIONS_SCHEMA, UNITS_SCHEMA, frame
from fundwatch.reports.layouts import load_table
from fundwatch.reports.tables import Meta
from fundwatch.reports.xlsx import write_xlsx

from .conftest import open_sheet, row_of

UNITS = frame([
    {"unit": "勐海镇", "kind": "township"}, {"unit": "黎明农场", "kind": "township"},
    {"unit": "县卫生和计划生育局", "kind": "department"}, {"unit": "县金融办", "kind": "department"},
    {"unit": "县打非办", "kind": "office"},
], UNITS_SCHEMA)


@pytest.fixture(scope="module")
def campaign():  # type: ignore[no-untyped-def]
    return load_campaign("campaign_menghai_2018")


def sent(*rows: tuple[str, str, date]) -> pl.DataFrame:
    return frame([{"unit": u, "kind": k, "title": "x", "submitted_on": d} for u, k, d in rows], SUBMISSIONS_SCHEMA)


def owed(table: pl.DataFrame, unit: str) -> dict[str, int]:
    return dict(table.filter(pl.col("unit") == unit).select("kind", "owed").iter_rows())


def test_the_campaign_of_000(campaign) -> None:  # type: ignore[no-untyped-def]
    assert (campaign.start, campaign.end) == (date(2018, 5, 1), date(2018, 7, 31))
    dues = {o.key: o.due for o in campaign.obligations}
    assert dues["plan"] == date(2018, 5, 25) and dues["summary"] == date(2018, 7, 25)
    assert [p.name for p in campaign.phase_on(date(2018, 5, 10))] == ["制定方案并报备", "全面排查、报送工作动态"]


def test_townships_and_the_health_bureau_owe_three_bulletins_members_one(campaign) -> None:  # type: ignore[no-untyped-def]
    table = progress(campaign, UNITS, sent(), date(2018, 5, 2))
    assert owed(table, "勐海镇") == {"plan": 1, "bulletin": 3, "summary": 1}
    assert owed(table, "县卫生和计划生育局") == owed(table, "黎明农场") == {"plan": 1, "bulletin": 3, "summary": 1}
    assert owed(table, "县金融办") == {"bulletin": 1, "summary": 1}
    assert "县打非办" not in table["unit"].to_list()
    groups = dict(unit_groups(campaign, UNITS).select("unit", "group").iter_rows())
    assert groups["县卫生和计划生育局"] == "territorial"


def test_who_sent_what_and_who_is_late(campaign) -> None:  # type: ignore[no-untyped-def]
    submissions = sent(
        ("勐海镇", "plan", date(2018, 5, 20)),
        ("勐海镇", "bulletin", date(2018, 6, 1)), ("勐海镇", "bulletin", date(2018, 6, 20)),
        ("黎明农场", "plan", date(2018, 5, 28)),
        ("县金融办", "bulletin", date(2018, 8, 15)),  # after the deadline: sent, but late
    )
    mid = progress(campaign, UNITS, submissions, date(2018, 6, 30))
    assert mid.filter(pl.col("unit") == "县金融办")["sent"].sum() == 0
    status = {(u, k): s for u, k, s in mid.select("unit", "kind", "status").iter_rows()}
    assert status[("勐海镇", "plan")] == "done"
    assert status[("勐海镇", "bulletin")] == "pending"
    assert status[("黎明农场", "plan")] == "late_done"
    assert status[("县卫生和计划生育局", "plan")] == "overdue"
    assert late_units(mid) == ["县卫生和计划生育局"]
    end = progress(campaign, UNITS, submissions, date(2018, 9, 1))
    status = {(u, k): s for u, k, s in end.select("unit", "kind", "status").iter_rows()}
    assert status[("县金融办", "bulletin")] == "late_done"
    assert status[("县金融办", "summary")] == "overdue"
    assert end.filter((pl.col("unit") == "勐海镇") & (pl.col("kind") == "bulletin"))["sent"].item() == 2
    assert set(late_units(end)) == {"勐海镇", "黎明农场", "县卫生和计划生育局", "县金融办"}


def test_upcoming_deadlines(campaign) -> None:  # type: ignore[no-untyped-def]
    assert [o.key for o in upcoming(campaign, date(2018, 7, 1))][:1] == ["summary"]
    assert upcoming(campaign, date(2018, 8, 1)) == []


def test_progress_xlsx_of_the_demo_county(campaign, ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    as_of = date(2018, 7, 31)
    table = progress(campaign, ledger.units, ledger.submissions, as_of)
    path = tmp_path / "progress.xlsx"
    write_xlsx(progress_table(table, load_table("campaign_progress"), Meta("勐海县打非办"), as_of), path)
    sheet, values = open_sheet(path), open_sheet(path, values=True)
    assert "截至2018年7月31日" in [c.value for c in sheet[2]]
    total = row_of(sheet, "合计")
    assert total - 5 == table.height
    assert values.cell(total, 5).value == table["owed"].sum()
    assert values.cell(total, 6).value == table["sent"].sum()
    assert sheet.cell(5, 5).number_format == "0"
    statuses = [sheet.cell(r, 9).value for r in range(5, total)]
    assert sum(s.startswith("逾期未报") for s in statuses) == (table["status"] == "overdue").sum()
