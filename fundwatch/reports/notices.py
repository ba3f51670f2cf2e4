"""What the office posts and publishes (004 二(四)): the storefront notice on a risky outfit's
premises, the published blacklist, and a warning to the public. Texts are data (notices.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from fundwatch.reports.document import Document, PageBreak, Paragraph, Table
from fundwatch.reports.frames import BLACKLIST_SCHEMA, require
from fundwatch.reports.layouts import Reader, TableLayout, load_document
from fundwatch.reports.tables import BuiltTable, Cell, Meta, zh_date


@dataclass(frozen=True)
class Issuer:
    """Who signs: the office's full name, its report hotline, the date."""

    name: str
    hotline: str
    day: date


def notice_texts() -> Reader:
    return load_document("notices")


def storefront_notice(names: list[str], issuer: Issuer, texts: Reader | None = None) -> Document:
    """One A4 page per outfit, to be posted in a prominent place of its premises."""
    t = (texts or notice_texts()).child("storefront")
    doc = Document("", page_numbers=False)
    for i, name in enumerate(names):
        if i:
            doc.add(PageBreak())
        doc.add(
            Paragraph(t.text("title"), align="center", indent=False, size=48, bold=True, space_before=40),
            Paragraph(t.text("subject_line").format(name=name), align="center", indent=False, size=26, bold=True,
                      space_before=50),
            Paragraph(t.text("body"), align="justify", indent=True, size=30, bold=True, space_before=30),
            Paragraph(t.text("report_line").format(hotline=issuer.hotline), indent=True, size=18, space_before=50),
            Paragraph(t.text("sign").format(issuer=issuer.name), align="right", indent=False, size=18,
                      space_before=60),
            Paragraph(t.text("date").format(date=zh_date(issuer.day)), align="right", indent=False, size=18),
        )
    return doc


def _guise_phrase(guises: list[str], words: dict[str, str]) -> str:
    return "、".join(f"“{words.get(g, g)}”" for g in guises)


def public_warning(jurisdiction: str, guises: list[str], blacklisted: list[str], issuer: Issuer,
                   texts: Reader | None = None) -> Document:
    """风险提示 for the public: the guises seen most (most frequent first), the blacklisted names, the hotline."""
    all_texts = texts or notice_texts()
    t, words = all_texts.child("warning"), all_texts.mapping("guise_words")
    doc = Document(t.text("title"))
    doc.add(Paragraph(t.text("opening").format(jurisdiction=jurisdiction)))
    doc.add(Paragraph(t.text("patterns_intro").format(patterns=_guise_phrase(guises, words)) if guises
                      else t.text("patterns_none")))
    doc.add(Paragraph(t.text("signs")))
    if blacklisted:
        doc.add(Paragraph(t.text("blacklist").format(names="、".join(blacklisted))))
    doc.add(Paragraph(t.text("report").format(issuer=issuer.name, hotline=issuer.hotline)))
    doc.add(Paragraph(""), Paragraph(t.text("sign").format(issuer=issuer.name), align="right", indent=False),
            Paragraph(t.text("date").format(date=zh_date(issuer.day)), align="right", indent=False))
    return doc


def _blacklist_cells(row: dict[str, object], seq: int) -> dict[str, Cell]:
    listed = row["listed_on"]
    return {
        "seq": seq, "name": str(row["name"] or ""), "uscc": str(row["uscc"] or "—"),
        "address": str(row["address"] or ""),
        "legal_rep": str(row["legal_rep"] or ""), "reason": str(row["reason"] or ""),
        "listed_on": zh_date(listed) if isinstance(listed, date) else "",
    }


def blacklist_table(blacklist: pl.DataFrame, layout: TableLayout, meta: Meta) -> BuiltTable:
    """The published list, longest listed first, as a table for XLSX and CSV."""
    rows = require(blacklist, BLACKLIST_SCHEMA, "黑名单").sort(["listed_on", "name"], nulls_last=True)
    table = BuiltTable(layout, meta)
    for seq, row in enumerate(rows.iter_rows(named=True), start=1):
        cells = _blacklist_cells(row, seq)
        table.add([cells.get(k) for k in layout.keys])
    return table


def blacklist_notice(
    blacklist: pl.DataFrame, layout: TableLayout, issuer: Issuer, texts: Reader | None = None
) -> Document:
    """The public notice that publishes the list (公告 with the table), landscape A4."""
    t = (texts or notice_texts()).child("blacklist_notice")
    table = blacklist_table(blacklist, layout, Meta())
    doc = Document(t.text("title"), landscape=True, body_size=14)
    doc.add(Paragraph(t.text("opening").format(count=len(table.rows))))
    doc.add(Table(
        tuple(c.header for c in layout.columns), tuple(tuple(str(v or "") for v in row) for row in table.rows),
        widths=tuple(c.width for c in layout.columns),
    ))
    doc.add(Paragraph(t.text("closing").format(hotline=issuer.hotline)), Paragraph(""),
            Paragraph(t.text("sign").format(issuer=issuer.name), align="right", indent=False),
            Paragraph(t.text("date").format(date=zh_date(issuer.day)), align="right", indent=False))
    return doc
