"""职责分工表 (001 annex 3): the active profile's key sectors and the units responsible for each."""

from __future__ import annotations

import polars as pl

from fundwatch.reports.frames import DUTIES_SCHEMA, require
from fundwatch.reports.layouts import TableLayout
from fundwatch.reports.tables import BuiltTable, Cell, Meta


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
