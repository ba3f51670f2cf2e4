"""The registry importer: keys, checks, duplicates across batches, regions, the output contract."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from fundwatch.domain.regions import AMBIGUOUS_COUNTY
from fundwatch.frames import REGISTRY_SCHEMA
from fundwatch.ingest.ahead import read_ahead
from fundwatch.ingest.readers import IngestError, iter_table
from fundwatch.ingest.registry import HASH_BITS, REGISTRY_SPEC, RegistryReader, iter_registry, load_registry
from fundwatch.ingest.sources import raw_batches

from .files import csv_text, uscc, write_csv, write_xlsx

HEADER = ["统一社会信用代码", "企业名称", "经营范围", "注册资本", "实缴资本", "成立日期", "法定代表人", "住所",
          "经营场所", "登记状态", "行业代码", "企业类型", "电话"]
ENGLISH = ["uscc", "name", "business_scope", "registered_capital", "paid_in_capital", "established", "legal_rep",
           "address", "operating_address", "status", "industry_code", "entity_type", "phone"]


def _row(code: str, name: str = "勐海县茶业有限公司", address: str = "云南省西双版纳傣族自治州勐海县勐海镇曼贺村",
         capital: str = "100万元人民币") -> list[str]:
    return [code, name, "茶叶种植、加工、销售", capital, "50", "2018-05-22", "岩温", address, "", "存续",
            "A0164", "有限责任公司(自然人投资或控股)", "0691-5123456"]


def test_output_follows_the_registry_schema(tmp_path: Path) -> None:
    rows = [[*HEADER, "注册号", "员工人数"], [*_row(uscc(1)), "532822000012345", "12"]]
    got = load_registry(write_csv(tmp_path / "r.csv", rows))
    assert got.frame.columns[: len(REGISTRY_SCHEMA)] == list(REGISTRY_SCHEMA)
    assert dict(list(got.frame.schema.items())[: len(REGISTRY_SCHEMA)]) == REGISTRY_SCHEMA
    assert got.frame.columns[len(REGISTRY_SCHEMA):] == ["registration_number", "员工人数"]
    row = got.frame.row(0, named=True)
    assert row["subject_key"] == row["uscc"] == uscc(1)
    assert row["registered_capital"] == Decimal("1000000.00")
    assert row["paid_in_capital"] == Decimal("500000.00")  # a bare number in a capital column is 万元
    assert (row["capital_currency"], row["established"]) == ("CNY", date(2018, 5, 22))
    assert (row["region_code"], row["township_code"]) == ("532822", "532822100")
    assert (row["registration_number"], row["员工人数"]) == ("532822000012345", 12)


def test_english_headers_and_xlsx(tmp_path: Path) -> None:
    rows = [ENGLISH, _row(uscc(1)), _row(uscc(2), capital="5000万美元")]
    from_csv = load_registry(write_csv(tmp_path / "e.csv", rows)).frame
    from_xlsx = load_registry(write_xlsx(tmp_path / "e.xlsx", rows)).frame
    assert from_csv.to_dicts() == from_xlsx.to_dicts()
    assert from_csv["capital_currency"].to_list() == ["CNY", "USD"]


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda c: c[:17], "统一社会信用代码应为18位，实为17位"),
    (lambda c: c[:3] + "A" + c[4:], "统一社会信用代码第3-8位应为行政区划代码（数字）"),
    (lambda c: c[:9] + "I" + c[10:], "统一社会信用代码含非法字符（不得含 I、O、Z、S、V）"),
    (lambda c: c[:16] + ("1" if c[16] != "1" else "2") + c[17], "统一社会信用代码中的组织机构代码校验位错误"),
    (lambda c: c[:17] + ("1" if c[17] != "1" else "2"), "统一社会信用代码校验位错误"),
], ids=["length", "region", "characters", "organisation-check", "uscc-check"])
def test_invalid_uscc_is_rejected_with_the_check_that_failed(tmp_path: Path, damage, reason) -> None:  # type: ignore[no-untyped-def]
    bad = damage(uscc(9))
    got = load_registry(write_csv(tmp_path / "r.csv", [HEADER, _row(uscc(1)), _row(bad)]))
    assert got.frame["line"].to_list() == [2]
    assert got.rejects.select("line", "column", "value", "reason", "severity").rows() == [
        (3, "统一社会信用代码", bad, reason, "reject")
    ]


def test_empty_key_and_empty_name_are_rejected(tmp_path: Path) -> None:
    rows = [HEADER, _row(""), _row(uscc(2), name=" "), _row(uscc(3))]
    got = load_registry(write_csv(tmp_path / "r.csv", rows))
    assert got.frame["line"].to_list() == [4]
    assert got.rejects.select("line", "reason").rows() == [(2, "统一社会信用代码为空"), (3, "企业名称为空")]
    assert got.read == got.frame.height + got.rejected == 3


def test_a_file_without_name_column_cannot_be_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "noname.csv", [["统一社会信用代码", "住所"], [uscc(1), "勐海县"]])
    with pytest.raises(IngestError, match=r"noname\.csv.*企业名称"):
        load_registry(path)


def test_a_file_without_any_key_column_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="统一社会信用代码"):
        load_registry(write_csv(tmp_path / "nokey.csv", [["企业名称"], ["甲"]]))


def test_id_column_keys_a_file_without_uscc(tmp_path: Path) -> None:
    rows = [["id", "企业名称", "住所"], ["S-001", "甲合作社", "勐海县勐遮镇"], ["", "乙", ""], ["S-001", "丙", ""]]
    got = load_registry(write_csv(tmp_path / "i.csv", rows))
    assert got.frame.select("subject_key", "uscc", "region_code", "township_code").rows() == [
        ("S-001", None, "532822", "532822103")
    ]
    assert got.rejects.select("line", "column", "reason").rows() == [(3, "id", "id为空"), (4, "id", "与第2行重复")]
    assert "id" not in got.frame.columns


def test_uscc_with_spaces_dashes_full_width_is_normalised(tmp_path: Path) -> None:
    code = uscc(4)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)
    rows = [HEADER, _row(f" {code[:8]}-{code[8:].lower()} "), _row(wide)]
    got = load_registry(write_csv(tmp_path / "n.csv", rows))
    assert got.frame["subject_key"].to_list() == [code]
    assert got.rejects.select("line", "value", "reason").rows() == [(3, code, "与第2行重复")]


def test_duplicates_are_caught_across_batches(tmp_path: Path) -> None:
    rows = [HEADER, _row(uscc(1)), _row(uscc(2)), _row(uscc(1)), _row(uscc(3)), _row(uscc(2)), _row(uscc(1))]
    path = write_csv(tmp_path / "d.csv", rows)
    for batch_rows in (1, 2, 10):
        batches = list(iter_registry(path, batch_rows=batch_rows))
        kept = [x for b in batches for x in b.frame["line"].to_list()]
        notes = [r for b in batches for r in b.rejects.select("line", "reason").rows()]
        assert kept == [2, 3, 5]
        assert notes == [(4, "与第2行重复"), (6, "与第3行重复"), (7, "与第2行重复")]
        assert sum(b.read for b in batches) == sum(b.frame.height + b.rejected for b in batches) == 6


def test_raw_batches_the_caller_started_reading_give_the_same_registry(tmp_path: Path) -> None:
    rows = [HEADER, _row(uscc(1)), _row(uscc(2)), _row(uscc(1)), _row(uscc(3))]
    path = write_csv(tmp_path / "r.csv", rows)
    raws = read_ahead(raw_batches(path, encoding=None, batch_rows=2))
    started = list(iter_registry(path, batch_rows=2, raws=raws))
    plain = list(iter_registry(path, batch_rows=2))
    assert [b.frame.rows() for b in started] == [b.frame.rows() for b in plain]
    assert [b.rejects.rows() for b in started] == [b.rejects.rows() for b in plain]


@pytest.mark.parametrize("hash_bits", [1, 4, HASH_BITS])
def test_duplicates_are_exact_however_often_hashes_share_a_bit(tmp_path: Path, hash_bits: int) -> None:
    """Few hash bits make most keys a candidate for a second look; only real repeats may be rejected."""
    numbers = [n % 97 if n % 5 == 0 else n for n in range(300)]
    path = write_csv(tmp_path / "d.csv", [HEADER, *(_row(uscc(n)) for n in numbers)])
    reader = RegistryReader(hash_bits=hash_bits)
    batches = [reader.shape(b) for b in iter_table(path, REGISTRY_SPEC, batch_rows=7)]
    first: dict[int, int] = {}
    expected = []
    for line, n in enumerate(numbers, start=2):
        if n in first:
            expected.append((line, f"与第{first[n]}行重复"))
        else:
            first[n] = line
    assert [r for b in batches for r in b.rejects.select("line", "reason").rows()] == expected
    assert [x for b in batches for x in b.frame["line"].to_list()] == sorted(first.values())


def test_unreadable_capital_and_date_are_warnings(tmp_path: Path) -> None:
    row = _row(uscc(1), capital="很多")
    row[5] = "2018-02-30"
    got = load_registry(write_csv(tmp_path / "w.csv", [HEADER, row]))
    assert got.frame.select("registered_capital", "established").row(0) == (None, None)
    assert got.rejects.select("column", "value", "severity").rows() == [
        ("注册资本", "很多", "warning"), ("成立日期", "2018-02-30", "warning")
    ]
    assert got.rejected == 0


def test_capital_header_in_yuan(tmp_path: Path) -> None:
    rows = [["统一社会信用代码", "企业名称", "注册资本（元）"], [uscc(1), "甲", "300000"]]
    assert load_registry(write_csv(tmp_path / "y.csv", rows)).frame["registered_capital"].to_list() == [
        Decimal("300000.00")
    ]


def test_regions_from_address_operating_address_and_uscc(tmp_path: Path) -> None:
    rows = [
        HEADER,
        _row(uscc(1, "110105"), address="吉林省长春市朝阳区前进大街"),
        _row(uscc(2, "220104"), address="朝阳区幸福路"),
        _row(uscc(3, "350203"), address="朝阳区幸福路"),
        _row(uscc(4, "350203"), address="某路1号"),
    ]
    rows.append(_row(uscc(5, "350203"), address=""))
    rows[-1][8] = "勐海县打洛镇"
    got = load_registry(write_csv(tmp_path / "g.csv", rows))
    assert got.frame.select("region_code", "township_code").rows() == [
        ("220104", None), ("220104", None), ("350203", None), ("350203", None), ("532822", "532822101"),
    ]
    assert got.rejects.select("line", "column", "reason", "severity").rows() == [
        (4, "住所", AMBIGUOUS_COUNTY, "warning")
    ]


def test_gbk_registry_with_every_value_form(tmp_path: Path) -> None:
    capitals = ["100万元人民币", "1,000,000元", "500.000000万人民币", "100万(元)", "5000万美元"]
    days = ["2018-05-22", "2018/5/22", "2018年5月22日", "20180522", "43242"]
    rows = [HEADER]
    for i, (capital, day) in enumerate(zip(capitals, days, strict=True)):
        row = _row(uscc(i), capital=capital)
        row[5] = day
        rows.append(row)
    got = load_registry(write_csv(tmp_path / "gbk.csv", rows, encoding="gbk"))
    assert got.frame["registered_capital"].to_list() == [
        Decimal("1000000.00"), Decimal("1000000.00"), Decimal("5000000.00"), Decimal("1000000.00"),
        Decimal("50000000.00"),
    ]
    assert set(got.frame["established"].to_list()) == {date(2018, 5, 22)}
    assert got.rejects.is_empty()


def test_header_only_registry(tmp_path: Path) -> None:
    got = load_registry(write_csv(tmp_path / "h.csv", [HEADER]))
    assert (got.read, got.frame.height) == (0, 0)
    assert got.frame.columns[: len(REGISTRY_SCHEMA)] == list(REGISTRY_SCHEMA)


def test_rejects_are_ordered_by_line(tmp_path: Path) -> None:
    rows = [HEADER, _row(uscc(1)), _row("bad"), _row(uscc(1)), _row(uscc(2), name="")]
    got = load_registry(write_csv(tmp_path / "o.csv", rows))
    assert got.rejects["line"].to_list() == [3, 4, 5]
    assert isinstance(got.rejects, pl.DataFrame)


def test_every_row_is_imported_or_rejected_on_its_own_line_whatever_the_batches(tmp_path: Path) -> None:
    """Bad keys, empty names, repeats, blank lines and names spanning lines, read in batches of any size."""
    rng = random.Random(11)
    rows: list[list[str]] = [HEADER]
    expected: dict[int, str] = {}  # line -> "kept" or the reason of its reject
    first_line: dict[str, int] = {}
    line = 2
    for _ in range(600):
        if rng.random() < 0.03:
            rows.append([])
            line += 1
            continue
        code = uscc(rng.randrange(400))
        name = rng.choice(["勐海县茶业有限公司", "勐海\n茶厂", "", "勐海县投资咨询有限公司"])
        if rng.random() < 0.05:
            code = code[:17]
        address = rng.choice(["勐海县勐遮镇曼恩村8号", "勐海县1号勐遮镇", "朝阳区1号"])
        rows.append(_row(code, name=name, address=address))
        if not name:
            expected[line] = "企业名称为空"
        elif len(code) != 18:
            expected[line] = "统一社会信用代码应为18位，实为17位"
        elif code in first_line:
            expected[line] = f"与第{first_line[code]}行重复"
        else:
            first_line[code] = line
            expected[line] = "kept"
        line += 1 + name.count("\n")
    path = tmp_path / "r.csv"
    path.write_text(csv_text(rows).replace('""\n', "\n"), encoding="utf-8")
    outcomes = []
    for batch_rows in (13, 128, 10_000):
        batches = list(iter_registry(path, batch_rows=batch_rows))
        got = {x: "kept" for b in batches for x in b.frame["line"].to_list()}
        for b in batches:
            got |= dict(b.rejects.filter(pl.col("severity") == "reject").select("line", "reason").iter_rows())
        assert got == expected
        outcomes.append([b.rejects for b in batches])
    frames = [pl.concat(parts) for parts in outcomes]
    assert frames[0].equals(frames[1]) and frames[1].equals(frames[2])
