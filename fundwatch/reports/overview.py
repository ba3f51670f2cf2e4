"""涉嫌非法集资风险专项排查总体情况统计表: institutions screened, by key sector and by key behaviour.

The rows (sections, their items and the institution types or patterns under each) and how an
institution is placed in them are data in overview.yaml; this module counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from fundwatch.reports.frames import INSTITUTIONS_SCHEMA, require
from fundwatch.reports.layouts import LayoutError, Reader, TableLayout
from fundwatch.reports.tables import BuiltTable, Cell, Meta, to_wan, two_decimals

SECTION_BY = ("sector", "behaviour")
RECTIFICATION = ("planned", "ongoing", "done")


@dataclass(frozen=True)
class RowSpec:
    section: str
    item: str
    type: str
    sectors: tuple[str, ...] = ()
    guises: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    other: bool = False


@dataclass(frozen=True)
class SectionSpec:
    label: str
    by: str
    rows: tuple[RowSpec, ...]  # the `other` row last


def sections(layout: TableLayout) -> list[SectionSpec]:
    """The row skeleton of the overview layout, checked."""
    out = []
    for s in Reader(layout.file, layout.raw).children("sections"):
        by = s.text("by")
        if by not in SECTION_BY:
            raise s.fail("by", f"应为 {' 或 '.join(SECTION_BY)}")
        label = s.text("label")
        rows = []
        for item in s.children("items"):
            for t in item.children("types"):
                spec = RowSpec(
                    label, item.text("label"), t.text("label"), t.texts("sectors", []), t.texts("guises", []),
                    t.texts("target_groups", []),
                )
                if not (spec.sectors or spec.guises or spec.target_groups):
                    raise t.fail("label", "须至少给出 sectors、guises 或 target_groups 之一，否则无法归入此行")
                rows.append(spec)
        other = s.text("other")
        rows.append(RowSpec(label, other, other, other=True))
        out.append(SectionSpec(label, by, tuple(rows)))
    if not out:
        raise LayoutError(layout.file, "sections", "至少需要一个分区")
    return out


def problem_words(layout: TableLayout) -> dict[str, str]:
    """Screening rule id → the problem it shows, in the words of note 4 (主要问题)."""
    return Reader(layout.file, layout.raw).mapping("problems_by_rule")


def _first_index(rows: tuple[RowSpec, ...], attr: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, row in enumerate(rows):
        for value in getattr(row, attr):
            index.setdefault(value, i)
    return index


def place(institutions: pl.DataFrame, section: SectionSpec) -> pl.Series:
    """The row (index into section.rows) of each institution, null when the section leaves it out."""
    other = len(section.rows) - 1
    def lookup(column: str, attr: str) -> pl.Expr:
        return pl.col(column).replace_strict(_first_index(section.rows, attr), default=None, return_dtype=pl.Int64)

    by_sector, by_guise = lookup("sector", "sectors"), lookup("guise", "guises")
    by_group = lookup("target_group", "target_groups")
    if section.by == "sector":
        expr = pl.coalesce(by_sector, by_guise, pl.lit(other, dtype=pl.Int64))
    else:
        shows = pl.col("guise").is_not_null() | pl.col("target_group").is_not_null()
        expr = pl.when(shows).then(pl.coalesce(by_guise, by_group, pl.lit(other, dtype=pl.Int64)))
    return institutions.select(expr.alias("row")).to_series()


def _problems(group: pl.DataFrame, listed: int, separator: str) -> str:
    problems = pl.col("problems").explode(empty_as_null=False).drop_nulls()
    counts = group.select(problems.value_counts(sort=True)).unnest("problems")
    if counts.is_empty():
        return ""
    names = counts.sort(["count", "problems"], descending=[True, False])["problems"].head(listed).to_list()
    return separator.join(names)


def _figures(group: pl.DataFrame, layout: TableLayout) -> dict[str, Cell]:
    listed = int(layout.raw.get("problems_listed", 5))
    figures: dict[str, Cell] = {
        "screened": two_decimals(group.height),
        "with_problems": two_decimals(int(group["has_problem"].fill_null(False).sum())),
        "problems": _problems(group, listed, str(layout.raw.get("problems_separator", "、"))),
        "referred": two_decimals(int(group["referred_police"].fill_null(False).sum())),
        "amount": to_wan(sum((a for a in group["amount"].to_list() if a is not None), Decimal(0))),
        "participants": two_decimals(int(group["participants"].fill_null(0).sum())),
    }
    for state in RECTIFICATION:
        figures[state] = two_decimals(int((group["rectification"] == state).sum()))
    return figures


def _section_rows(institutions: pl.DataFrame, section: SectionSpec, layout: TableLayout) -> list[list[Cell]]:
    placed = institutions.with_columns(place(institutions, section).alias("_row"))
    rows = []
    for i, spec in enumerate(section.rows):
        values: dict[str, Any] = {"section": spec.section, "item": spec.item, "type": spec.type, "remarks": ""}
        values |= _figures(placed.filter(pl.col("_row") == i), layout)
        rows.append([values.get(k) for k in layout.keys])
    return rows


def overview_table(institutions: pl.DataFrame, layout: TableLayout, meta: Meta) -> BuiltTable:
    """Every row of the skeleton (zero where nothing was found), each section closed by its 合计 row."""
    data = require(institutions, INSTITUTIONS_SCHEMA, "排查机构")
    table = BuiltTable(layout, meta)
    item_col, type_col = layout.keys.index("item"), layout.keys.index("type")
    for section in sections(layout):
        first = len(table.rows)
        for row in _section_rows(data, section, layout):
            table.add(row)
        other_row = len(table.rows) - 1
        table.spans.append((other_row, item_col, other_row, type_col))
        table.add_total(range(first, len(table.rows)))
    return table
