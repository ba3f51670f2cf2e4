"""Campaigns (专项活动): phases and deadlines, what each unit owes (plan, bulletins, summary),
what it has sent, and who is late. The campaign itself is data (campaign_<id>.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from fundwatch.reports.frames import SUBMISSIONS_SCHEMA, UNITS_SCHEMA, require
from fundwatch.reports.layouts import LAYOUT_DIR, LayoutError, Reader, TableLayout, read_yaml
from fundwatch.reports.tables import BuiltTable, Cell, Meta, zh_date

KINDS = ("plan", "bulletin", "summary")
DONE, LATE_DONE, PENDING, OVERDUE = "done", "late_done", "pending", "overdue"

PROGRESS_SCHEMA: dict[str, pl.DataType] = {
    "unit": pl.String(), "group": pl.String(), "obligation": pl.String(), "name": pl.String(), "kind": pl.String(),
    "due": pl.Date(), "owed": pl.Int64(), "sent": pl.Int64(), "on_time": pl.Int64(), "last_sent": pl.Date(),
    "status": pl.String(), "late": pl.Boolean(),
}


@dataclass(frozen=True)
class Phase:
    name: str
    start: date
    end: date


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    kinds: tuple[str, ...]
    units: tuple[str, ...]


@dataclass(frozen=True)
class Obligation:
    key: str
    name: str
    kind: str
    groups: tuple[str, ...]
    count: int
    due: date


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    document: str
    start: date
    end: date
    phases: tuple[Phase, ...]
    groups: tuple[Group, ...]
    obligations: tuple[Obligation, ...]
    kind_words: dict[str, str]

    def phase_on(self, day: date) -> list[Phase]:
        return [p for p in self.phases if p.start <= day <= p.end]


def _date(r: Reader, key: str) -> date:
    value = r.data.get(key)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise r.fail(key, f"应为日期 YYYY-MM-DD，实为 {value!r}") from None


def _obligation(r: Reader, groups: set[str]) -> Obligation:
    ob = Obligation(
        r.text("key"), r.text("name"), r.text("kind"), r.texts("groups"), int(r.number("count")), _date(r, "due")
    )
    if ob.kind not in KINDS:
        raise r.fail("kind", f"应为 {'、'.join(KINDS)} 之一")
    if unknown := [g for g in ob.groups if g not in groups]:
        raise r.fail("groups", f"未定义的单位分组：{'、'.join(unknown)}")
    if ob.count < 1:
        raise r.fail("count", "应报篇数至少为 1")
    return ob


def campaign_from(file: str, data: Any) -> Campaign:
    r = Reader(file, data)
    groups = tuple(
        Group(g.text("key"), g.text("name"), g.texts("kinds", []), g.texts("units", [])) for g in r.children("groups")
    )
    campaign = Campaign(
        id=r.text("id"), name=r.text("name"), document=r.text("document"), start=_date(r, "start"), end=_date(r, "end"),
        phases=tuple(Phase(p.text("name"), _date(p, "start"), _date(p, "end")) for p in r.children("phases")),
        groups=groups, obligations=tuple(_obligation(o, {g.key for g in groups}) for o in r.children("obligations")),
        kind_words=r.mapping("kinds"),
    )
    if campaign.end < campaign.start:
        raise r.fail("end", "结束日期早于开始日期")
    for i, ob in enumerate(campaign.obligations):
        if not campaign.start <= ob.due <= campaign.end:
            raise LayoutError(file, f"obligations[{i}].due", "截止日期不在活动期间内")
    return campaign


@cache
def load_campaign(campaign_id: str, directory: Path = LAYOUT_DIR) -> Campaign:
    path = directory / f"{campaign_id}.yaml"
    return campaign_from(path.name, read_yaml(path))


def unit_groups(campaign: Campaign, units: pl.DataFrame) -> pl.DataFrame:
    """unit, kind, group: a unit named by a group belongs to it, otherwise to the first group of its kind."""
    by_name = {u: g.key for g in reversed(campaign.groups) for u in g.units}
    by_kind = {k: g.key for g in reversed(campaign.groups) for k in g.kinds}
    rows = [
        {"unit": u, "kind": k, "group": by_name.get(u) or by_kind.get(k)}
        for u, k in require(units, UNITS_SCHEMA, "单位").iter_rows()
    ]
    return pl.DataFrame(rows, schema={"unit": pl.String, "kind": pl.String, "group": pl.String}).drop_nulls("group")


def _status(owed: int, sent: int, on_time: int, due: date, as_of: date) -> str:
    if on_time >= owed:
        return DONE
    if sent >= owed:
        return LATE_DONE
    return PENDING if as_of <= due else OVERDUE


def progress(campaign: Campaign, units: pl.DataFrame, submissions: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """One row per unit and obligation it owes (PROGRESS_SCHEMA): by group, units in the order given.

    Only what was sent from the campaign's start up to `as_of` counts; a submission after the
    deadline counts as sent but not as on time.
    """
    sent = require(submissions, SUBMISSIONS_SCHEMA, "报送记录").filter(
        pl.col("submitted_on").is_between(campaign.start, as_of)
    )
    rows = []
    order = {g.key: i for i, g in enumerate(campaign.groups)}
    members = unit_groups(campaign, units).with_row_index("_seq").with_columns(
        pl.col("group").replace_strict(order).alias("_order"))
    for _seq, unit, _kind, group, _ in members.sort(["_order", "_seq"]).iter_rows():
        mine = sent.filter(pl.col("unit") == unit)
        for ob in campaign.obligations:
            if group not in ob.groups:
                continue
            dates = mine.filter(pl.col("kind") == ob.kind)["submitted_on"]
            on_time = int((dates <= ob.due).sum())
            status = _status(ob.count, dates.len(), on_time, ob.due, as_of)
            rows.append({
                "unit": unit, "group": group, "obligation": ob.key, "name": ob.name, "kind": ob.kind, "due": ob.due,
                "owed": ob.count, "sent": dates.len(), "on_time": on_time, "last_sent": dates.max(),
                "status": status, "late": status in (LATE_DONE, OVERDUE),
            })
    return pl.DataFrame(rows, schema=PROGRESS_SCHEMA)


def late_units(table: pl.DataFrame) -> list[str]:
    """Units with anything overdue and still not sent, by name."""
    return sorted(set(table.filter(pl.col("status") == OVERDUE)["unit"].to_list()))


def upcoming(campaign: Campaign, as_of: date) -> list[Obligation]:
    """Obligations whose deadline is today or later, soonest first."""
    return sorted((o for o in campaign.obligations if o.due >= as_of), key=lambda o: (o.due, o.key))


def progress_table(table: pl.DataFrame, layout: TableLayout, meta: Meta, as_of: date) -> BuiltTable:
    t = layout.templates
    built = BuiltTable(layout, meta, unit_line=layout.unit_line.format(as_of=zh_date(as_of)))
    for seq, row in enumerate(table.iter_rows(named=True), start=1):
        missing = row["owed"] - row["sent"]
        values: dict[str, Cell] = {
            "seq": seq, "unit": row["unit"], "obligation": row["name"], "due": zh_date(row["due"]),
            "owed": row["owed"], "sent": row["sent"], "on_time": row["on_time"],
            "last_sent": zh_date(row["last_sent"]) if row["last_sent"] else "—",
            "status": t[row["status"]].format(missing=missing),
        }
        built.add([values.get(k) for k in layout.keys])
    built.add_total(built.data_indices())
    return built
