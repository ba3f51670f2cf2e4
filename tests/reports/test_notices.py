"""The storefront notice of 004, the public warning and the published blacklist."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import docx

from fundwatch.reports.docx_render import docx_bytes
from fundwatch.reports.layouts import load_table
from fundwatch.reports.notices import Issuer, blacklist_notice, blacklist_table, public_warning, storefront_notice
from fundwatch.reports.pdf_render import pdf_bytes
from fundwatch.reports.tables import Meta
from fundwatch.reports.xlsx import write_xlsx

from .conftest import open_sheet

# 004 二(四)3, word for word
SENTENCE = "该公司不具备开展集资、吸储、保险、理财经营资格，谨防上当受骗"
ISSUER = Issuer("勐海县打击和处置非法集资工作领导小组办公室", "0691-5123117", date(2018, 6, 5))


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_storefront_notice_one_page_per_outfit() -> None:
    names = ["勐海普洱茶投资管理有限公司", "勐遮养生会所"]
    notice = storefront_notice(names, ISSUER)
    read = docx.Document(io.BytesIO(docx_bytes(notice)))
    text = "\n".join(p.text for p in read.paragraphs)
    assert text.count(SENTENCE) == 2
    for name in names:
        assert name in text
    assert "举报电话：0691-5123117" in text and "2018年6月5日" in text
    breaks = sum(1 for r in read.element.body.iter() if r.tag.endswith("}br") and r.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") == "page")
    assert breaks == 1
    assert pages(pdf_bytes(notice)) == 2


def test_public_warning_names_patterns_blacklist_and_hotline() -> None:
    warning = public_warning("勐海县", ["consumption_rebate", "elderly_care"], ["甲公司", "乙合作社"], ISSUER)
    text = "\n".join(getattr(b, "text", "") for b in warning.blocks)
    assert warning.title == "关于防范非法集资风险的提示"
    assert "“消费返利”、“养生养老、以房养老”" in text
    assert "甲公司、乙合作社" in text and "0691-5123117" in text
    quiet = public_warning("勐海县", [], [], ISSUER)
    assert "以下企业" not in "\n".join(getattr(b, "text", "") for b in quiet.blocks)


def test_blacklist_table_and_its_publication(ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layout = load_table("blacklist")
    path = tmp_path / "blacklist.xlsx"
    write_xlsx(blacklist_table(ledger.blacklist, layout, Meta("勐海县打非办")), path)
    sheet = open_sheet(path)
    assert [sheet.cell(3, c).value for c in range(1, 8)] == [
        "序号", "企业（主体）名称", "统一社会信用代码", "经营地址", "法定代表人（负责人）", "列入事由", "列入日期"]
    names = [sheet.cell(r, 2).value for r in range(4, 4 + ledger.blacklist.height)]
    assert sorted(names) == sorted(ledger.blacklist["name"].to_list())
    notice = blacklist_notice(ledger.blacklist, layout, ISSUER)
    assert notice.landscape
    assert f"{ledger.blacklist.height}家" in notice.blocks[0].text
    assert pdf_bytes(notice).startswith(b"%PDF")
