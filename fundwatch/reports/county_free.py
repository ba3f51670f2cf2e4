"""“无非法集资县（市、区）”统计表 (000 annex 3): villages and townships screened and declared free."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from fundwatch.reports.frames import AREA_LEADS_SCHEMA, VILLAGES_SCHEMA, require
from fundwatch.reports.layouts import TableLayout
from fundwatch.reports.tables import BuiltTable, Cell, Meta, to_wan, two_decimals


def village_status(villages: pl.DataFrame, leads: pl.DataFrame) -> pl.DataFrame:
    """VILLAGES_SCHEMA plus `open_leads` and `free`: screened, declared free and no open lead there."""
    open_by_village = (
        leads.filter(pl.col("open").fill_null(True) & pl.col("village_code").is_not_null())
        .group_by("village_code").agg(pl.len().alias("open_leads"))
    )
    return (
        villages.join(open_by_village, on="village_code", how="left")
        .with_columns(pl.col("open_leads").fill_null(0).cast(pl.Int64))
        .with_columns(
            free=pl.col("screened").fill_null(False) & pl.col("declared_free").fill_null(False)
            & (pl.col("open_leads") == 0)
        )
    )


def _remarks(layout: TableLayout, group: pl.DataFrame, open_leads: int) -> str:
    t = layout.templates
    parts = []
    not_screened = int((~group["screened"].fill_null(False)).sum())
    not_declared = int((group["screened"].fill_null(False) & ~group["declared_free"].fill_null(False)).sum())
    for key, count in (("not_screened", not_screened), ("not_declared", not_declared), ("open_leads", open_leads)):
        if count:
            parts.append(t[key].format(count=count))
    return "；".join(parts)


def _township_row(
    layout: TableLayout, seq: int, name: str, villages: pl.DataFrame, leads: pl.DataFrame
) -> dict[str, Any]:
    open_leads = int(leads["open"].fill_null(True).sum())
    screened = bool(villages.height) and bool(villages["screened"].fill_null(False).all())
    free = screened and bool(villages["free"].all()) and open_leads == 0
    return {
        "seq": seq, "township": name,
        "villages": villages.height, "villages_screened": int(villages["screened"].fill_null(False).sum()),
        "villages_free": int(villages["free"].sum()),
        "township_screened": screened, "township_free": free,
        "leads": leads.height, "leads_open": open_leads,
        "amount": sum((a for a in leads["amount"].to_list() if a is not None), Decimal(0)),
        "participants": int(leads["participants"].fill_null(0).sum()),
        "remarks": "" if free else _remarks(layout, villages, open_leads),
    }


def _cells(layout: TableLayout, row: dict[str, Any]) -> list[Cell]:
    yes_no = layout.vocabularies["yes_no"]
    cells: list[Cell] = []
    for col in layout.columns:
        value = row.get(col.key)
        if col.kind == "money":
            cells.append(to_wan(value))
        elif col.kind == "number":
            cells.append(two_decimals(value))
        elif col.kind == "word":
            cells.append(None if value is None else yes_no[str(bool(value)).lower()])
        else:
            cells.append(value)
    return cells


def township_rows(villages: pl.DataFrame, leads: pl.DataFrame, layout: TableLayout) -> list[dict[str, Any]]:
    """One dict per township, in code order, with the figures of the table."""
    leads = require(leads, AREA_LEADS_SCHEMA, "风险线索")
    status = village_status(require(villages, VILLAGES_SCHEMA, "村（社区）"), leads)
    townships = status.select("township_code", "township_name").unique().sort("township_code")
    return [
        _township_row(
            layout, seq, name, status.filter(pl.col("township_code") == code),
            leads.filter(pl.col("township_code") == code),
        )
        for seq, (code, name) in enumerate(townships.iter_rows(), start=1)
    ]


def unplaced_row(villages: pl.DataFrame, leads: pl.DataFrame, layout: TableLayout, seq: int) -> dict[str, Any] | None:
    """The leads in no township of the table (placed only in the county), or None when there are none."""
    known = villages["township_code"].unique().to_list()
    outside = require(leads, AREA_LEADS_SCHEMA, "风险线索").filter(
        pl.col("township_code").is_null() | ~pl.col("township_code").is_in(known))
    if outside.is_empty():
        return None
    return {
        "seq": seq, "township": layout.templates["unplaced"], "leads": outside.height,
        "leads_open": int(outside["open"].fill_null(True).sum()),
        "amount": sum((a for a in outside["amount"].to_list() if a is not None), Decimal(0)),
        "participants": int(outside["participants"].fill_null(0).sum()),
        "remarks": layout.templates["unplaced_remarks"],
    }


def county_free_table(villages: pl.DataFrame, leads: pl.DataFrame, layout: TableLayout, meta: Meta) -> BuiltTable:
    """One row per township, a row for leads in no township when there are some, the 合计 row, the verdict."""
    rows = township_rows(villages, leads, layout)
    table = BuiltTable(layout, meta)
    for row in rows:
        table.add(_cells(layout, row))
    unplaced = unplaced_row(villages, leads, layout, len(rows) + 1)
    if unplaced is not None:
        table.add(_cells(layout, unplaced))
    table.add_total(table.data_indices())
    t = layout.templates
    free = rows and all(r["township_free"] for r in rows) and (unplaced is None or unplaced["leads_open"] == 0)
    verdict = t["county_free"] if free else t["county_not_free"]
    table.summary = (
        t["summary"].format(
            townships=len(rows), villages=sum(r["villages"] for r in rows),
            screened=sum(r["villages_screened"] for r in rows), villages_free=sum(r["villages_free"] for r in rows),
            townships_free=sum(1 for r in rows if r["township_free"]), verdict=verdict,
        ),
    )
    return table
