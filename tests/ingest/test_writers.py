"""Writing frames and rejects to CSV (GBK or UTF-8), Parquet and XLSX."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from fundwatch.frames import MONEY, REJECTS_SCHEMA
from fundwatch.ingest.writers import display_width, write_frame, write_rejects

FRAME = pl.DataFrame(
    {"name": ["勐海县茶业有限公司", "䶮𠀀商行"], "capital": [Decimal("1000000.00"), None],
     "established": [date(2018, 5, 22), None], "score": [81.25, 3.0]},
    schema={"name": pl.String, "capital": MONEY, "established": pl.Date, "score": pl.Float64},
)
HEADERS = {"name": "企业名称", "capital": "注册资本（元）", "established": "成立日期", "score": "风险指数"}


def test_gbk_csv_opens_in_excel_and_keeps_rare_characters(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_frame(FRAME, path, headers=HEADERS, encoding="gbk")
    text = path.read_bytes().decode("gb18030")
    assert text.splitlines()[0] == "企业名称,注册资本（元）,成立日期,风险指数"
    assert "䶮𠀀商行" in text
    assert path.read_bytes().split(b"\n")[1].decode("gbk").startswith("勐海县茶业有限公司,1000000.00,2018-05-22")


def test_utf8_sig_csv_has_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_frame(FRAME, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfname,capital")


def test_parquet_keeps_types_and_canonical_names(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    write_frame(FRAME, path, headers=HEADERS)
    assert pl.read_parquet(path).equals(FRAME)


def test_xlsx_has_chinese_headers_frozen_row_and_widths(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "out.xlsx"
    write_frame(FRAME, path, headers=HEADERS, sheet="排查结果")
    sheet = openpyxl.load_workbook(path)["排查结果"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == list(HEADERS.values())
    assert rows[1][:2] == ["勐海县茶业有限公司", 1000000]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["D"].width


def test_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="不支持的输出格式"):
        write_frame(FRAME, tmp_path / "out.txt")


def test_rejects_in_chinese(tmp_path: Path) -> None:
    rejects = pl.DataFrame(
        [(3, "企业名称", None, "企业名称为空", "reject"), (4, "注册资本", "很多", "无法识别的金额，已置空", "warning")],
        schema=REJECTS_SCHEMA, orient="row",
    )
    path = tmp_path / "rejects.csv"
    write_rejects(rejects, path, encoding="gbk")
    lines = path.read_bytes().decode("gbk").splitlines()
    assert lines[0] == "行号,列,值,原因,处理"
    assert lines[1:] == ["3,企业名称,,企业名称为空,未导入", "4,注册资本,很多,无法识别的金额，已置空,已导入，该值置空"]


def test_display_width_counts_cjk_twice() -> None:
    assert display_width("勐海a") == 5
