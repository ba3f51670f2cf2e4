"""重点风险线索统计表 (001 annex 1): one row per key lead, written as the table's notes say."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from fundwatch.reports.frames import KEY_LEADS_SCHEMA, require
from fundwatch.reports.layouts import TableLayout
from fundwatch.reports.tables import BuiltTable, Cell, Meta, to_wan, two_decimals


class ReportDataError(ValueError):
    """A ledger value the table's notes do not allow (e.g. 是否通过互联网 neither 线上 nor 线下)."""


def vocabulary_word(layout: TableLayout, vocabulary: str, value: Any, *, what: str, open_ended: bool = False) -> str:
    """The document's word for a ledger code; the word itself is accepted too.

    An open-ended vocabulary (处理结果: "如正在整改并正常营业、停业整改、移送公安等") lets
    other words through; a closed one (线上/线下, 是/否) refuses them.
    """
    words = layout.vocabularies[vocabulary]
    code = str(value).lower() if isinstance(value, bool) else str(value)
    if code in words:
        return words[code]
    if code in words.values() or open_ended:
        return code
    raise ReportDataError(f"{what}：{value!r} 不是可填写的值（可填：{'、'.join(words.values())}）")


def refund_text(layout: TableLayout, state: str | None, ratio: float | None, *, what: str) -> str:
    """资金清退情况: 正在清退 or 清退完毕 with the ratio (note 2)."""
    if not state:
        return layout.templates["refund_none"]
    word = vocabulary_word(layout, "refund", state, what=what)
    percent = two_decimals(Decimal(str(ratio or 0)))
    return layout.templates["refund"].format(state=word, ratio=percent)


def notification_text(layout: TableLayout, provinces: list[str] | None, count: int | None, text: str | None) -> str:
    """省际间风险通报情况: the provinces notified and how often (note 4); the ledger's words when it
    lists no provinces."""
    if not provinces:
        return text or layout.templates["notification_none"]
    joined = layout.templates.get("provinces_separator", "、").join(provinces)
    return layout.templates["notification"].format(provinces=joined, count=count or len(provinces))


def _row(layout: TableLayout, seq: int, lead: dict[str, Any]) -> list[Cell]:
    what = f"第{seq}条重点线索（{lead['name']}）"
    values: dict[str, Cell] = {
        "seq": seq,
        "name": lead["name"],
        "sector": lead["sector"],
        "fundraising_model": lead["fundraising_model"],
        "online": vocabulary_word(layout, "online", lead["online"], what=f"{what}的是否通过互联网")
        if lead["online"] else "",
        "amount": to_wan(lead["amount"]),
        "participants": two_decimals(lead["participants"]),
        "unpaid": to_wan(lead["unpaid"]),
        "cross_province": vocabulary_word(layout, "yes_no", bool(lead["cross_province"]), what=what),
        "measures": lead["measures"],
        "refund": refund_text(layout, lead["refund_state"], lead["refund_ratio"], what=f"{what}的资金清退情况"),
        "outcome": vocabulary_word(layout, "outcome", lead["outcome"], what=what, open_ended=True)
        if lead["outcome"] else "",
        "notification": notification_text(
            layout, lead["notified_provinces"], lead["notification_count"], lead["notification_text"]),
        "remarks": lead["remarks"],
    }
    return [values.get(key) for key in layout.keys]


def key_leads_table(leads: pl.DataFrame, layout: TableLayout, meta: Meta) -> BuiltTable:
    """The table for `leads` (KEY_LEADS_SCHEMA), largest amount first, with the 合计 row."""
    ordered = require(leads, KEY_LEADS_SCHEMA, "重点风险线索").sort(
        ["amount", "participants", "name"], descending=[True, True, False], nulls_last=True
    )
    table = BuiltTable(layout, meta)
    for seq, lead in enumerate(ordered.iter_rows(named=True), start=1):
        table.add(_row(layout, seq, lead))
    table.add_total(table.data_indices())
    return table
