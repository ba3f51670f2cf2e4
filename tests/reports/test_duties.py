"""职责分工表 of the active profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from fundwatch.lexicons import load_ruleset
from fundwatch.reports.duties import duties_frame, duties_table
from fundwatch.reports.layouts import load_table
from fundwatch.reports.tables import Meta
from fundwatch.reports.xlsx import write_xlsx

from .conftest import open_sheet


@pytest.mark.parametrize("profile", ["menghai", "xiamen"])
def test_one_row_per_assignment_of_the_profile(profile: str, tmp_path: Path) -> None:
    rules = load_ruleset(profile)
    path = tmp_path / "duties.xlsx"
    write_xlsx(duties_table(duties_frame(rules), load_table("duties"), Meta(rules.profile.name)), path)
    sheet = open_sheet(path)
    assert sheet["A1"].value == "职责分工表"
    assert [sheet["A3"].value, sheet["B3"].value] == ["排查领域", "责任单位"]
    body = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(4, 4 + len(rules.profile.assignments))]
    assert body == [(a.area, a.department) for a in rules.profile.assignments]
    assert sheet.cell(4 + len(rules.profile.assignments), 1).value != "合计"


def test_xiamen_keeps_two_units_in_one_cell() -> None:
    frame = duties_frame(load_ruleset("xiamen"))
    first = frame.row(0, named=True)
    assert first["departments"] == ["市金融办", "人行厦门市中心支行"]


def test_the_two_column_table_prints_upright(tmp_path: Path) -> None:
    path = tmp_path / "duties.xlsx"
    write_xlsx(duties_table(duties_frame(load_ruleset("menghai")), load_table("duties"), Meta()), path)
    assert open_sheet(path).page_setup.orientation == "portrait"
