"""The monthly monitoring report of 002: figures, sections, DOCX with Chinese fonts, PDF."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import docx
import polars as pl
import pytest
from docx.oxml.ns import qn

from fundwatch.reports.docx_render import docx_bytes
from fundwatch.reports.frames import MONITORED_SCHEMA, MONTHLY_LEADS_SCHEMA, frame
from fundwatch.reports.monthly import (
    due_date,
    escalations,
    existing_at,
    figures,
    hotspots,
    load_monthly,
    month_bounds,
    monthly_document,
    opened_in,
)
from fundwatch.reports.pdf_render import pdf_bytes

# 002 五(四): 总体风险情况、风险高发地区和行业、新增和存量线索情况、线索处置情况
SECTIONS = ["一、总体风险情况", "二、风险高发地区和行业", "三、新增和存量线索情况", "四、线索处置情况"]
PERIOD = "2018-07"


@pytest.fixture(scope="module")
def layout():  # type: ignore[no-untyped-def]
    return load_monthly()


@pytest.fixture(scope="module")
def document(ledger, layout):  # type: ignore[no-untyped-def]
    return monthly_document(
        ledger.monthly_leads, ledger.monitored, PERIOD, jurisdiction="勐海县",
        issuer="勐海县打击和处置非法集资工作领导小组办公室", report_date=date(2018, 8, 3), layout=layout,
    )


def lead(**values: object) -> dict[str, object]:
    return {"lead_id": str(values.get("name")), "lead_class": "general", "state": "found", "participants": 0} | values


def test_due_by_the_fifth_of_next_month(layout) -> None:  # type: ignore[no-untyped-def]
    assert due_date("2018-07", layout) == date(2018, 8, 5)
    assert due_date("2018-12", layout) == date(2019, 1, 5)
    assert month_bounds("2018-02") == (date(2018, 2, 1), date(2018, 2, 28))
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_bounds("2018/07")


def test_new_existing_and_closed(layout) -> None:  # type: ignore[no-untyped-def]
    leads = frame([
        lead(name="旧", opened=date(2018, 5, 3)),
        lead(name="新", opened=date(2018, 7, 9)),
        lead(name="结", opened=date(2018, 6, 1), closed=date(2018, 7, 20), state="closed"),
        lead(name="未来", opened=date(2018, 8, 2)),
        lead(name="上月", opened=date(2018, 6, 30)),
    ], MONTHLY_LEADS_SCHEMA)
    _, end = month_bounds(PERIOD)
    assert sorted(existing_at(leads, end)["name"]) == ["上月", "新", "旧"]
    assert opened_in(leads, PERIOD)["name"].to_list() == ["新"]
    f = figures(leads, frame([], MONITORED_SCHEMA), PERIOD, layout)
    assert (f["existing"], f["new"], f["closed"], f["change"]) == (3, 1, 1, -1)


def test_cross_province_leads_of_5_yi_or_1000_people_are_escalated(layout) -> None:  # type: ignore[no-untyped-def]
    leads = frame([
        lead(name="大", opened=date(2018, 7, 1), cross_province=True, amount=Decimal("500000000")),
        lead(name="众", opened=date(2018, 7, 1), cross_province=True, amount=Decimal(1), participants=1000),
        lead(name="小", opened=date(2018, 7, 1), cross_province=True, amount=Decimal("499999999.99"), participants=999),
        lead(name="省内", opened=date(2018, 7, 1), cross_province=False, amount=Decimal("900000000")),
    ], MONTHLY_LEADS_SCHEMA)
    assert escalations(leads, PERIOD, layout) == ["大", "众"]


def test_hotspots_rank_townships_by_existing_leads(ledger) -> None:  # type: ignore[no-untyped-def]
    top = hotspots(ledger.monthly_leads, PERIOD, "township", 5, "未明确所在乡镇")
    _, end = month_bounds(PERIOD)
    counts = existing_at(ledger.monthly_leads, end).group_by("township").len()
    assert None not in top["township"].to_list()
    assert top["existing"].to_list() == sorted(counts["len"].to_list(), reverse=True)[:5]


def test_the_sections_of_002_in_order(document) -> None:  # type: ignore[no-untyped-def]
    main = [h for h in document.headings() if h[0] in "一二三四五"]
    assert main[:4] == SECTIONS
    assert document.title == "勐海县非法集资监测报告" and document.subtitle == "（2018年7月）"


def test_overall_paragraph_carries_the_figures(document, ledger) -> None:  # type: ignore[no-untyped-def]
    f = figures(ledger.monthly_leads, ledger.monitored, PERIOD, load_monthly())
    text = document.blocks[1].text
    assert f"纳入监测的主体共{ledger.monitored.height}户" in text
    existing = existing_at(ledger.monthly_leads, date(2018, 7, 31))
    major = existing.filter(pl.col("lead_class") != "general").height
    assert f"存量风险线索{f['existing']}条（其中重大及以上线索{major}条）" in text
    assert f"本月新增线索{f['new']}条" in text
    assert f"涉及金额{f['amount']}万元" in text and re.search(r"涉及金额\d+\.\d\d万元", text)


def test_docx_has_chinese_fonts_headings_tables_and_charts(document) -> None:  # type: ignore[no-untyped-def]
    read = docx.Document(io.BytesIO(docx_bytes(document)))
    paragraphs = read.paragraphs
    assert paragraphs[0].text == "勐海县非法集资监测报告"
    headings = [p for p in paragraphs if p.style.name.startswith("Heading")]
    assert [p.text for p in headings if p.style.name == "Heading 1"][:4] == SECTIONS
    for p in headings:
        font = p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))
        assert font == ("黑体" if p.style.name == "Heading 1" else "楷体")
    body = next(p for p in paragraphs if p.text.startswith("截至"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert read.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert len(read.inline_shapes) == 2
    assert [t.rows[0].cells[0].text for t in read.tables][:2] == ["乡镇（街道）", "行业"]
    assert read.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)


def test_pdf_is_a_pdf_with_pages_and_the_cid_font(document) -> None:  # type: ignore[no-untyped-def]
    data = pdf_bytes(document)
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= 2
    assert b"STSong-Light" in data


def test_an_empty_month_still_makes_a_report(layout) -> None:  # type: ignore[no-untyped-def]
    doc = monthly_document(frame([], MONTHLY_LEADS_SCHEMA), frame([], MONITORED_SCHEMA), PERIOD, jurisdiction="勐海县",
                           issuer="办公室", report_date=date(2018, 8, 3), layout=layout)
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert "本月无。" in texts
    assert any("本月无须立即上报" in t for t in texts)
    assert pdf_bytes(doc).startswith(b"%PDF")
