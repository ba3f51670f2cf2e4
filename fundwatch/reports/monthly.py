"""The monthly monitoring report of 002 五(四), due by the 5th of the next month: overall risk,
high-risk regions and sectors (with charts), new and existing leads, disposal progress.

A lead is existing (存量) at the month's end when it was opened by then and not closed by then;
new (新增) when it was opened within the month.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from fundwatch.reports.charts import bar_chart
from fundwatch.reports.document import Document, Figure, Heading, Paragraph, Table
from fundwatch.reports.frames import MONITORED_SCHEMA, MONTHLY_LEADS_SCHEMA, require
from fundwatch.reports.layouts import LayoutError, Reader, load_document
from fundwatch.reports.tables import to_wan, two_decimals, zh_date, zh_month

TEXT_KEYS = (
    "overall", "trend_up", "trend_down", "trend_same", "regions", "sectors", "none", "unplaced_township",
    "unplaced_sector", "new_leads", "class_count",
    "class_none", "disposal", "escalation", "no_escalation",
)


@dataclass(frozen=True)
class MonthlyLayout:
    file: str
    title: str
    subtitle: str
    due_day: int
    top: int
    escalation_amount: Decimal
    escalation_people: int
    lead_classes: dict[str, str]
    major_classes: tuple[str, ...]
    grades: dict[str, str]
    disposal: tuple[tuple[str, tuple[str, ...]], ...]
    headings: dict[str, str]
    texts: dict[str, str]
    next: tuple[str, ...]
    closing: str
    tables: dict[str, tuple[str, ...]]
    charts: dict[str, str]


def monthly_layout(r: Reader) -> MonthlyLayout:
    headings, texts, charts = r.mapping("headings"), r.mapping("texts"), r.mapping("charts")
    for key in ("overall", "hotspots", "regions", "sectors", "leads", "disposal", "next"):
        if key not in headings:
            raise r.fail(f"headings.{key}", "缺少此项")
    for key in TEXT_KEYS:
        if key not in texts:
            raise r.fail(f"texts.{key}", "缺少此项")
    for key in ("regions", "sectors"):
        if key not in charts:
            raise r.fail(f"charts.{key}", "缺少此项")
    tables = r.child("tables")
    escalation = r.child("escalation")
    return MonthlyLayout(
        file=r.file, title=r.text("title"), subtitle=r.text("subtitle"), due_day=int(r.number("due_day")),
        top=int(r.number("top")), escalation_amount=Decimal(escalation.text("amount_yuan")),
        escalation_people=int(escalation.number("participants")), lead_classes=r.mapping("lead_classes"),
        major_classes=r.texts("major_classes"),
        grades=r.mapping("grades"),
        disposal=tuple((d.text("label"), d.texts("states")) for d in r.children("disposal")),
        headings=headings, texts=texts, next=r.texts("next"), closing=r.text("closing"),
        tables={k: tables.texts(k) for k in ("regions", "sectors", "new_leads", "disposal")}, charts=charts,
    )


def load_monthly() -> MonthlyLayout:
    layout = monthly_layout(load_document("monthly"))
    if not 1 <= layout.due_day <= 28:
        raise LayoutError(layout.file, "due_day", "应在 1 到 28 之间")
    return layout


def month_bounds(period: str) -> tuple[date, date]:
    """`2018-05` → (2018-05-01, 2018-05-31)."""
    try:
        year, month = (int(p) for p in period.split("-"))
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        raise ValueError(f"统计月份 {period!r} 应写作 YYYY-MM，如 2018-05") from None


def last_month(today: date) -> str:
    """The month before `today`'s, YYYY-MM: what a report run in the first days of a month covers."""
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


def due_date(period: str, layout: MonthlyLayout) -> date:
    """The report's deadline: the due day of the month after `period`."""
    _, end = month_bounds(period)
    year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    return date(year, month, layout.due_day)


def _previous(period: str) -> str:
    start, _ = month_bounds(period)
    return f"{start.year - 1}-12" if start.month == 1 else f"{start.year}-{start.month - 1:02d}"


def existing_at(leads: pl.DataFrame, day: date) -> pl.DataFrame:
    return leads.filter((pl.col("opened") <= day) & (pl.col("closed").is_null() | (pl.col("closed") > day)))


def opened_in(leads: pl.DataFrame, period: str) -> pl.DataFrame:
    start, end = month_bounds(period)
    return leads.filter(pl.col("opened").is_between(start, end))


def _money_sum(df: pl.DataFrame, column: str) -> Decimal:
    return sum((v for v in df[column].to_list() if v is not None), Decimal(0))


def hotspots(leads: pl.DataFrame, period: str, by: str, top: int, unplaced: str = "—") -> pl.DataFrame:
    """The `top` townships or sectors by existing leads at the month's end (then money): by, existing, new,
    amount (元), participants. Leads without a township or sector count under `unplaced`."""
    _, end = month_bounds(period)
    new_keys = set(opened_in(leads, period)["lead_id"].to_list())
    return (
        existing_at(leads, end)
        .with_columns(pl.col(by).fill_null(unplaced), pl.col("lead_id").is_in(list(new_keys)).alias("_new"))
        .group_by(by)
        .agg(
            pl.len().alias("existing"), pl.col("_new").sum().alias("new"),
            pl.col("amount").sum().alias("amount"), pl.col("participants").fill_null(0).sum().alias("participants"),
        )
        .sort(["existing", "amount", by], descending=[True, True, False], nulls_last=True)
        .head(top)
    )


def figures(leads: pl.DataFrame, monitored: pl.DataFrame, period: str, layout: MonthlyLayout) -> dict[str, Any]:
    """The numbers of section 一 (总体风险情况)."""
    start, end = month_bounds(period)
    existing = existing_at(leads, end)
    new, previous_new = opened_in(leads, period).height, opened_in(leads, _previous(period)).height
    grades = dict(monitored.group_by("grade").len().iter_rows())
    return {
        "monitored": monitored.height, **{g: grades.get(g, 0) for g in ("red", "orange", "yellow", "blue", "green")},
        "existing": existing.height, "major": int(existing["lead_class"].is_in(list(layout.major_classes)).sum()),
        "amount": to_wan(_money_sum(existing, "amount")), "unpaid": to_wan(_money_sum(existing, "unpaid")),
        "participants": int(existing["participants"].fill_null(0).sum()),
        "new": new, "change": new - previous_new,
        "closed": leads.filter(pl.col("closed").is_between(start, end)).height,
    }


def escalations(leads: pl.DataFrame, period: str, layout: MonthlyLayout) -> list[str]:
    """Names of existing cross-province leads at or above 5亿元 or 1000 people (002 五(五))."""
    _, end = month_bounds(period)
    big = existing_at(leads, end).filter(
        pl.col("cross_province").fill_null(False)
        & ((pl.col("amount") >= layout.escalation_amount) | (pl.col("participants") >= layout.escalation_people))
    )
    return big.sort("amount", descending=True)["name"].to_list()


def disposal_rows(leads: pl.DataFrame, period: str, layout: MonthlyLayout) -> list[tuple[str, int, Decimal, int]]:
    _, end = month_bounds(period)
    existing = existing_at(leads, end)
    rows = []
    for label, states in layout.disposal:
        part = existing.filter(pl.col("state").is_in(list(states)))
        people = int(part["participants"].fill_null(0).sum())
        rows.append((label, part.height, to_wan(_money_sum(part, "amount")), people))
    return rows


def _trend(layout: MonthlyLayout, change: int) -> str:
    if change > 0:
        return layout.texts["trend_up"].format(count=change)
    if change < 0:
        return layout.texts["trend_down"].format(count=-change)
    return layout.texts["trend_same"]


def _hotspot_blocks(leads: pl.DataFrame, period: str, layout: MonthlyLayout, by: str, key: str) -> list[Any]:
    """Section 二's part for townships (key "regions") or sectors (key "sectors"): text, table, chart."""
    top = hotspots(leads, period, by, layout.top, layout.texts[f"unplaced_{by}"])
    if top.is_empty():
        return [Heading(layout.headings[key], 2), Paragraph(layout.texts["none"])]
    names = top[by].to_list()
    png, readable = bar_chart(names, [float(v) for v in top["existing"].to_list()], xlabel="存量线索（条）")
    caption = layout.charts[key] + ("" if readable else "（图中序号对应下表各行）")
    rows = tuple(
        (r[by], str(r["existing"]), str(r["new"]), f"{to_wan(r['amount'])}", str(r["participants"]))
        for r in top.iter_rows(named=True)
    )
    return [
        Heading(layout.headings[key], 2),
        Paragraph(layout.texts[key].format(top="、".join(names))),
        Table(layout.tables[key], rows, numeric=(False, True, True, True, True), widths=(3, 1.2, 1.2, 1.6, 1.2)),
        Figure(png, caption),
    ]


def _class_counts(df: pl.DataFrame, layout: MonthlyLayout) -> str:
    """`一般线索3条、重大线索1条` in the layout's class order; classes without leads left out."""
    counts = dict(df.group_by("lead_class").len().iter_rows())
    parts = [
        layout.texts["class_count"].format(name=name, count=counts[code])
        for code, name in layout.lead_classes.items() if counts.get(code)
    ]
    return "、".join(parts) or layout.texts["class_none"]


def _lead_blocks(leads: pl.DataFrame, period: str, layout: MonthlyLayout) -> list[Any]:
    _, end = month_bounds(period)
    new = opened_in(leads, period).sort(["amount", "name"], descending=[True, False], nulls_last=True)
    existing = existing_at(leads, end)
    text = layout.texts["new_leads"].format(
        new=new.height, existing=existing.height, new_classes=_class_counts(new, layout),
        existing_classes=_class_counts(existing, layout),
    )
    blocks: list[Any] = [Heading(layout.headings["leads"]), Paragraph(text)]
    if new.height:
        rows = tuple(
            (str(i), r["name"], r["township"] or "", r["sector"] or "", r["channel"] or "",
             layout.lead_classes.get(r["lead_class"] or "", r["lead_class"] or ""), f"{to_wan(r['amount'])}",
             str(r["participants"] or 0))
            for i, r in enumerate(new.iter_rows(named=True), start=1)
        )
        blocks.append(Table(layout.tables["new_leads"], rows, numeric=(False,) * 6 + (True, True),
                            widths=(0.8, 4, 2, 2, 2, 1.5, 1.8, 1.3)))
    return blocks


def _disposal_blocks(leads: pl.DataFrame, period: str, layout: MonthlyLayout, closed: int) -> list[Any]:
    _, end = month_bounds(period)
    existing = existing_at(leads, end)
    refunding = existing.filter(pl.col("refunded").fill_null(0) > 0)
    refunded, base = _money_sum(refunding, "refunded"), _money_sum(refunding, "amount")
    ratio = two_decimals(refunded / base * 100) if base else Decimal("0.00")
    rows = tuple(
        (label, str(n), f"{amount}", str(people)) for label, n, amount, people in disposal_rows(leads, period, layout)
    )
    names = escalations(leads, period, layout)
    return [
        Heading(layout.headings["disposal"]),
        Paragraph(layout.texts["disposal"].format(
            closed=closed, refunding=refunding.height, refunded=to_wan(refunded), ratio=ratio)),
        Table(layout.tables["disposal"], rows, numeric=(False, True, True, True), widths=(3, 1.2, 1.8, 1.2)),
        Paragraph(
            layout.texts["escalation"].format(names="、".join(names)) if names else layout.texts["no_escalation"]
        ),
    ]


def monthly_document(
    leads: pl.DataFrame, monitored: pl.DataFrame, period: str, *, jurisdiction: str, issuer: str,
    report_date: date, layout: MonthlyLayout,
) -> Document:
    """The monthly report of `jurisdiction` for `period` (YYYY-MM)."""
    leads = require(leads, MONTHLY_LEADS_SCHEMA, "监测线索")
    monitored = require(monitored, MONITORED_SCHEMA, "监测主体")
    _, end = month_bounds(period)
    f = figures(leads, monitored, period, layout)
    doc = Document(layout.title.format(jurisdiction=jurisdiction), layout.subtitle.format(month=zh_month(period)))
    overall = layout.texts["overall"].format(
        month_end=zh_date(end), jurisdiction=jurisdiction, trend=_trend(layout, f["change"]), **f)
    doc.add(Heading(layout.headings["overall"]), Paragraph(overall), Heading(layout.headings["hotspots"]))
    doc.add(*_hotspot_blocks(leads, period, layout, "township", "regions"))
    doc.add(*_hotspot_blocks(leads, period, layout, "sector", "sectors"))
    doc.add(*_lead_blocks(leads, period, layout))
    doc.add(*_disposal_blocks(leads, period, layout, f["closed"]))
    doc.add(Heading(layout.headings["next"]), *(Paragraph(f"{i}. {t}") for i, t in enumerate(layout.next, start=1)))
    for line in layout.closing.format(issuer=issuer, report_date=zh_date(report_date)).split("\n"):
        doc.add(Paragraph(line, align="right", indent=False))
    return doc
