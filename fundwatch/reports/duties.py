"""职责分工表 (001 annex 3): the active profile's key sectors and the units responsible for each."""

from __future__ import annotations

import polars as pl

from fundwatch.lexicons import RuleSet
from fundwatch.reports.frames import DUTIES_SCHEMA, frame, require
from fundwatch.reports.layouts import TableLayout
from fundwatch.reports.tables import BuiltTable, Cell, Meta


def duties_frame(ruleset: RuleSet) -> pl.DataFrame:
    """The profile's sector table in its own words: each row's area (排查领域) and its departments.

    A department cell may name several units (001: “市金融办、人行厦门市中心支行”); they are kept
    as written, split on 、 so the table joins them the same way.
    """
    return frame(
        [{"sector": a.area, "departments": a.department.split("、")} for a in ruleset.profile.assignments],
        DUTIES_SCHEMA,
    )


def duties_table(duties: pl.DataFrame, layout: TableLayout, meta: Meta) -> BuiltTable:
    """One row per sector in the profile's order; the lead department first among 责任单位."""
    separator = layout.templates.get("departments_separator", "、")
    table = BuiltTable(layout, meta)
    for seq, row in enumerate(require(duties, DUTIES_SCHEMA, "职责分工").iter_rows(named=True), start=1):
        values: dict[str, Cell] = {
            "seq": seq, "sector": row["sector"], "departments": separator.join(row["departments"] or []),
        }
        table.add([values.get(k) for k in layout.keys])
    return table
