"""The generic table reader: encodings, formats, headers, types, line numbers, rejects and warnings."""

from __future__ import annotations

import random
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from fundwatch.frames import REJECTS_SCHEMA
from fundwatch.ingest import lines
from fundwatch.ingest.readers import Column, IngestError, TableSpec, iter_table, read_table
from fundwatch.ingest.sources import SAMPLE_BYTES, detect_encoding

from .files import csv_text, write_csv, write_xlsx

SPEC = TableSpec("测试表", (
    Column("key", ("编号", "id"), "key"),
    Column("name", ("企业名称", "name"), required=True, reject_empty=True),
    Column("capital", ("注册资本", "registered_capital"), "money", unit="万元"),
    Column("founded", ("成立日期", "established"), "date"),
    Column("people", ("人数",), "int"),
    Column("ratio", ("比例",), "float"),
))
HEADER = ["编号", "企业名称", "注册资本", "成立日期", "人数", "比例"]
ROWS = [
    ["A1", "勐海县茶业有限公司", "100万元人民币", "2018-05-22", "3", "0.5"],
    ["A2", "勐海县𠀀贸易有限公司", "1,000,000元", "2018年5月22日", "12", "1"],
    ["A3", "西双版纳投资咨询有限公司", "5000万美元", "20180522", "", ""],
]


def _same(a: pl.DataFrame, b: pl.DataFrame) -> None:
    assert a.to_dicts() == b.to_dicts()


def test_reads_typed_columns_in_spec_order(tmp_path: Path) -> None:
    got = read_table(write_csv(tmp_path / "t.csv", [HEADER, *ROWS]), SPEC)
    assert got.frame.columns == ["line", "key", "name", "capital", "capital_currency", "founded", "people", "ratio"]
    assert got.frame["line"].to_list() == [2, 3, 4]
    assert got.frame["capital"].to_list() == [Decimal("1000000.00"), Decimal("1000000.00"), Decimal("50000000.00")]
    assert got.frame["capital_currency"].to_list() == ["CNY", "CNY", "USD"]
    assert got.frame["founded"].to_list() == [date(2018, 5, 22)] * 3
    assert got.frame["people"].to_list() == [3, 12, None]
    assert got.frame["ratio"].to_list() == [0.5, 1.0, None]
    assert (got.read, got.rejected, got.warnings) == (3, 0, 0)
    assert got.rejects.schema == pl.Schema(REJECTS_SCHEMA)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    expected = read_table(write_csv(tmp_path / "u.csv", [HEADER, *ROWS]), SPEC).frame
    _same(read_table(write_csv(tmp_path / "e.csv", [HEADER, *ROWS], encoding=encoding), SPEC).frame, expected)


def test_gbk_is_detected(tmp_path: Path) -> None:
    rows = [HEADER, *(r for r in ROWS if "𠀀" not in r[1])]  # 𠀀 is GB18030 only
    expected = read_table(write_csv(tmp_path / "u.csv", rows), SPEC).frame
    _same(read_table(write_csv(tmp_path / "g.csv", rows, encoding="gbk"), SPEC).frame, expected)
    _same(read_table(tmp_path / "g.csv", SPEC, encoding="gbk").frame, expected)


def test_gbk_beyond_the_first_megabyte_is_detected(tmp_path: Path) -> None:
    ascii_rows = [[f"A{i}", "ascii name", "1", "", "", ""] for i in range(40_000)]
    rows = [HEADER, *ascii_rows, ["Z", "勐海茶厂", "", "", "", ""]]
    got = read_table(write_csv(tmp_path / "g.csv", rows, encoding="gbk"), SPEC)
    assert got.frame["name"][-1] == "勐海茶厂"


def _gbk_with_tail_sample_at(lands_on: str, last_newline: bool) -> tuple[bytes, int]:
    """A GBK file over 1 MB ending in one long row of 北 (B1 B1 in GBK, a trail byte that looks like a lead byte
    and like a UTF-8 continuation byte), whose tail sample starts on a lead or a trail byte. The first megabyte
    is ASCII but for the header, too little for charset-normalizer to guess GBK from."""
    long_name = "北" * (SAMPLE_BYTES // 4)
    for pad in ("", "x"):
        rows = [HEADER, *([f"A{i}", "ascii name", "1", "", "", ""] for i in range(45_000)), ["Z", long_name, pad]]
        data = csv_text(rows).encode("gbk")
        data = data if last_newline else data.rstrip(b"\n")
        start = len(data) - SAMPLE_BYTES // 4
        if (start - data.index(long_name[0].encode("gbk"))) % 2 == (lands_on == "trail"):
            return data, start
    raise AssertionError("unreachable: one byte of padding changes the parity")


@pytest.mark.parametrize("lands_on", ["lead", "trail"])
@pytest.mark.parametrize("last_newline", [True, False])
def test_gbk_whose_tail_sample_starts_mid_character_is_detected(
    tmp_path: Path, lands_on: str, last_newline: bool
) -> None:
    data, start = _gbk_with_tail_sample_at(lands_on, last_newline)
    assert len(data) > 1 << 20 and data[start] == 0xB1
    path = tmp_path / "g.csv"
    path.write_bytes(data)
    assert detect_encoding(path) == "gb18030"
    assert read_table(path, SPEC).frame["name"][-1] == "北" * (SAMPLE_BYTES // 4)


def test_wrong_encoding_override_is_one_clear_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [HEADER, *ROWS[:1]], encoding="gbk")
    with pytest.raises(IngestError, match=r"g\.csv.*utf-8"):
        read_table(path, SPEC, encoding="utf-8")
    with pytest.raises(IngestError, match="不认识的字符编码"):
        read_table(path, SPEC, encoding="klingon")


def test_tab_and_semicolon_delimiters(tmp_path: Path) -> None:
    for delimiter in ("\t", ";"):
        got = read_table(write_csv(tmp_path / "d.csv", [HEADER, *ROWS], delimiter=delimiter), SPEC)
        assert got.frame["capital"][0] == Decimal("1000000.00")


def test_headers_match_case_space_full_width_and_units(tmp_path: Path) -> None:
    header = [" ID ", "Ｎａｍｅ", "Registered_Capital（元）", "ESTABLISHED", "人 数", "比例"]
    got = read_table(write_csv(tmp_path / "h.csv", [header, ["a", "甲", "300", "2018/5/22", "1", "2"]]), SPEC)
    assert got.headers["capital"] == "Registered_Capital（元）"
    assert got.frame.row(0, named=True) | {} == {
        "line": 2, "key": "a", "name": "甲", "capital": Decimal("300.00"), "capital_currency": "CNY",
        "founded": date(2018, 5, 22), "people": 1, "ratio": 2.0,
    }


def test_header_unit_wan(tmp_path: Path) -> None:
    spec = TableSpec("t", (Column("amount", ("金额",), "money"),))
    got = read_table(write_csv(tmp_path / "w.csv", [["金额（万元）"], ["3"]]), spec)
    assert got.frame["amount"].to_list() == [Decimal("30000.00")]


def test_missing_required_column_names_the_file_and_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "no_name.csv", [["编号", "注册资本"], ["A1", "1"]])
    with pytest.raises(IngestError, match=r"no_name\.csv.*企业名称"):
        read_table(path, SPEC)


def test_any_of_groups(tmp_path: Path) -> None:
    spec = TableSpec("t", (Column("a", ("甲",)), Column("b", ("乙",))), any_of=(("a", "b"),))
    assert read_table(write_csv(tmp_path / "b.csv", [["乙"], ["x"]]), spec).frame["b"].to_list() == ["x"]
    with pytest.raises(IngestError, match="「甲」或「乙」"):
        read_table(write_csv(tmp_path / "c.csv", [["丙"], ["x"]]), spec)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.csv", None, "找不到文件"),
    ("empty.csv", b"", "是空的"),
    ("blank.csv", b"  \n\n", "是空的"),
    ("binary.csv", bytes(range(256)) * 20, "二进制"),
    ("fake.xlsx", "编号,企业名称\nA1,甲\n".encode(), "不是有效的 XLSX"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Excel"),
])
def test_unreadable_files_are_one_clear_error(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as caught:
        read_table(path, SPEC)
    assert name in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="不是文件"):
        read_table(tmp_path, SPEC)


def test_garbage_without_nul_bytes_is_an_ingest_error(tmp_path: Path) -> None:
    rng = random.Random(2)
    path = tmp_path / "noise.csv"
    path.write_bytes(bytes(rng.randrange(128, 256) for _ in range(5000)))
    with pytest.raises(IngestError):
        read_table(path, SPEC)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(IngestError, match=r"other\.xlsx"):
        read_table(path, SPEC)


def test_header_only_file_reads_nothing(tmp_path: Path) -> None:
    got = read_table(write_csv(tmp_path / "h.csv", [HEADER]), SPEC)
    assert (got.read, got.frame.height, got.rejects.height) == (0, 0, 0)


def test_rejects_and_warnings(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["A1", "甲", "abc", "2018-02-30", "x", "y"],
        ["", "乙", "", "", "", ""],
        ["A3", "  ", "", "", "", ""],
        ["A4", "丁", "无", "-", "不详", "N/A"],
    ]
    got = read_table(write_csv(tmp_path / "r.csv", rows), SPEC)
    assert got.frame["line"].to_list() == [2, 5]
    assert got.frame.row(1, named=True)["capital"] is None
    notes = got.rejects.select("line", "column", "value", "reason", "severity").rows()
    assert notes == [
        (2, "注册资本", "abc", "无法识别的金额，已置空", "warning"),
        (2, "成立日期", "2018-02-30", "无法识别的日期，已置空", "warning"),
        (2, "人数", "x", "无法识别的整数，已置空", "warning"),
        (2, "比例", "y", "无法识别的数值，已置空", "warning"),
        (3, "编号", None, "编号为空", "reject"),
        (4, "企业名称", "  ", "企业名称为空", "reject"),
    ]
    assert got.read == got.frame.height + got.rejected


def test_quoted_empty_cells_are_empty_like_unquoted_ones(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(",".join(HEADER) + '\n"","甲","","",,""\nA2,"",,"",1,\n"A3",丙,"",,"",""\n', encoding="utf-8")
    got = read_table(path, SPEC)
    assert got.frame.select("line", "key", "name", "capital", "founded", "people", "ratio").rows() == [
        (4, "A3", "丙", None, None, None, None),
    ]
    assert got.rejects.select("line", "column", "value", "reason").rows() == [
        (2, "编号", None, "编号为空"), (3, "企业名称", None, "企业名称为空"),
    ]


def test_text_is_trimmed_and_keys_folded(tmp_path: Path) -> None:
    rows = [HEADER, ["Ａ１ ２", " 甲公司\u3000", "", "", "", ""], ["B1", "乙", "", "", "", ""]]
    got = read_table(write_csv(tmp_path / "t.csv", rows), SPEC)
    assert got.frame["key"].to_list() == ["A12", "B1"]
    assert got.frame["name"].to_list() == ["甲公司", "乙"]


@pytest.fixture(params=["scan the file", "count in cells"])
def line_counting(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of numbering lines: the quoted-field scan, and its fallback for files full of quotes."""
    if request.param == "count in cells":
        monkeypatch.setattr(lines, "QUOTE_SCAN_LIMIT", 0)
    return str(request.param)


def test_line_numbers_count_quoted_newlines_blank_lines_and_batches(tmp_path: Path, line_counting: str) -> None:
    text = (
        "\ufeff\"编号\",企业名称\r\n"
        "A1,\"甲\r\n公司\"\r\n"  # lines 2-3
        "\r\n"  # line 4, blank
        "A2,乙\r\n"  # line 5
        "A3,\"丙\"\"\n\n\"\"公司\"\r\n"  # lines 6-8, escaped quotes around the line breaks
        "A4,丁\r\n"  # line 9
    )
    path = tmp_path / "l.csv"
    path.write_bytes(text.encode())
    for batch_rows in (1, 2, 3, 100):
        batches = list(iter_table(path, SPEC, batch_rows=batch_rows))
        numbers = [line for b in batches for line in b.frame["line"].to_list()]
        assert numbers == [2, 5, 6, 9], batch_rows
        assert sum(b.read for b in batches) == 4
    assert read_table(path, SPEC).frame["name"].to_list() == ["甲\r\n公司", "乙", '丙"\n\n"公司', "丁"]


def test_a_line_break_in_the_header(tmp_path: Path, line_counting: str) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes('编号,"企业名称",\"备\n注"\nA1,甲,x\nA2,乙,y\n'.encode())
    assert read_table(path, SPEC).frame["line"].to_list() == [3, 4]


def test_extra_columns_are_kept_and_typed(tmp_path: Path) -> None:
    header = ["编号", "企业名称", "员工数", "评分", "核准日期", "行业代码", "备注", "line"]
    rows = [header, ["A1", "甲", "10", "1.5", "2020-01-02", "0721", "x", "7"],
            ["A2", "乙", "", "2", "2020/1/3", "7212", "", "8"]]
    got = read_table(write_csv(tmp_path / "x.csv", rows), SPEC)
    extras = got.frame.select("员工数", "评分", "核准日期", "行业代码", "备注", "line_原表")
    assert extras.schema == pl.Schema({"员工数": pl.Int64, "评分": pl.Float64, "核准日期": pl.Date,
                                       "行业代码": pl.String, "备注": pl.String, "line_原表": pl.Int64})
    assert extras.row(1) == (None, 2.0, date(2020, 1, 3), "7212", None, 8)


def test_extra_column_types_hold_across_batches(tmp_path: Path) -> None:
    rows = [["编号", "企业名称", "员工数"], ["A1", "甲", "10"], ["A2", "乙", "很多"]]
    batches = list(iter_table(write_csv(tmp_path / "b.csv", rows), SPEC, batch_rows=1))
    assert [b.frame["员工数"].to_list() for b in batches] == [[10], [None]]
    assert batches[1].rejects.select("line", "column", "severity").rows() == [(3, "员工数", "warning")]


def test_xlsx_first_sheet_with_native_cells(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["A1", "甲", 300, datetime(2018, 5, 22), 3, 0.25],
        [None, None, None, None, None, None],
        ["A2", "乙", "100万元人民币", 43242, 4.0, None],
        ["A3", "丙", 1.5, "2018/5/22", None, None],
    ]
    got = read_table(write_xlsx(tmp_path / "t.xlsx", rows), SPEC)
    frame = got.frame
    assert frame["line"].to_list() == [2, 4, 5]
    assert frame["capital"].to_list() == [Decimal("3000000.00"), Decimal("1000000.00"), Decimal("15000.00")]
    assert frame["founded"].to_list() == [date(2018, 5, 22)] * 3
    assert frame["people"].to_list() == [3, 4, None]
    assert got.read == 3


def test_xlsx_named_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [HEADER, ROWS[0]], sheet="名录", first_sheet="说明")
    assert read_table(path, SPEC, sheet="名录").frame["key"].to_list() == ["A1"]
    with pytest.raises(IngestError, match="没有名为「名册」的工作表"):
        read_table(path, SPEC, sheet="名册")


def test_xlsx_batches_keep_sheet_rows(tmp_path: Path) -> None:
    rows = [HEADER] + [[f"A{i}", f"名{i}", "", "", "", ""] for i in range(7)]
    batches = list(iter_table(write_xlsx(tmp_path / "b.xlsx", rows), SPEC, batch_rows=3))
    assert [b.frame["line"].to_list() for b in batches] == [[2, 3, 4], [5, 6, 7], [8]]


def test_every_row_read_is_imported_or_rejected(tmp_path: Path, line_counting: str) -> None:
    """A generated messy file: random blanks, bad values, quoted newlines; any batch size."""
    rng = random.Random(7)
    cells = {
        "key": ["A", "B7", "", " ", "Ｃ9"],
        "name": ["甲公司", "", "乙\n公司", "  ", "丙,丁"],
        "capital": ["100万", "abc", "", "1,000元", "无"],
        "founded": ["2018-05-22", "2018-02-30", "", "43242", "x"],
    }
    rows = [HEADER[:4]]
    expected_lines, line = [], 2
    for _ in range(500):
        if rng.random() < 0.05:
            rows.append([])
            line += 1
            continue
        row = [rng.choice(cells[k]) for k in ("key", "name", "capital", "founded")]
        rows.append(row)
        if any(row):  # a line of empty cells (",,,") is blank, like an empty line
            expected_lines.append(line)
        line += 1 + sum(v.count("\n") for v in row)
    text = csv_text(rows).replace('""\n', "\n")  # csv writes an empty row as "" + newline
    path = tmp_path / "messy.csv"
    path.write_text(text, encoding="utf-8")
    for batch_rows in (1, 37, 1000):
        batches = list(iter_table(path, SPEC, batch_rows=batch_rows))
        read = sum(b.read for b in batches)
        kept = [x for b in batches for x in b.frame["line"].to_list()]
        rejected = {x for b in batches for x in b.rejects.filter(pl.col("severity") == "reject")["line"].to_list()}
        assert read == len(kept) + len(rejected) == len(expected_lines)
        assert sorted([*kept, *rejected]) == expected_lines


def test_workbook_with_a_damaged_sheet(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, ROWS[0]])
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # the sheet's XML cut off half-way
            target.writestr(item, data)
    with pytest.raises(IngestError, match=r"damaged\.xlsx"):
        read_table(damaged, SPEC)
