"""Statements as banks hand them over: directions, signed amounts, debit/credit columns, times,
encodings, XLSX, and every row imported or reported with its line and reason."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from fundwatch.funds.schema import IN, OUT, TRANSACTIONS_SCHEMA
from fundwatch.ingest.transactions import IngestError, read_accounts, read_lead_keys, read_transactions

HEADER = "账号,户名,交易时间,借贷标志,交易金额,余额,对方户名,对方账号,对方行名,交易渠道,摘要,附言"


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "statement.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(("money_in", "money_out"), [("贷", "借"), ("收", "付"), ("收入", "支出"), ("C", "D"),
                                                     ("CR", "DR"), ("贷方", "借方")])
def test_direction_words(tmp_path: Path, money_in: str, money_out: str) -> None:
    text = (f"{HEADER}\n6228001,张三,2025-03-01 10:22:33,{money_in},1000.00,5000.00,李四,6217002,农行,手机银行,转账,\n"
            f"6228001,张三,2025-03-02 11:00:00,{money_out},200.00,4800.00,王五,6217003,农行,网银,消费,\n")
    imported = read_transactions(write(tmp_path, text))
    assert imported.frame["direction"].to_list() == [IN, OUT]
    assert imported.frame["amount"].to_list() == [Decimal("1000.00"), Decimal("200.00")]


def test_signed_amounts_without_a_direction_column(tmp_path: Path) -> None:
    text = "账号,交易时间,交易金额,对方户名\n6228001,2025-03-01,\"1,500.00\",李四\n6228001,2025-03-02,-300,王五\n"
    imported = read_transactions(write(tmp_path, text))
    assert imported.frame.select("direction", "amount").rows() == [(IN, Decimal("1500.00")), (OUT, Decimal("300.00"))]


def test_debit_and_credit_columns(tmp_path: Path) -> None:
    text = ("账号,交易日期,借方发生额,贷方发生额,对方户名\n"
            "6228001,20250301,,800.00,李四\n6228001,20250302,120.50,,王五\n6228001,20250303,10,20,赵六\n")
    imported = read_transactions(write(tmp_path, text))
    assert imported.frame.select("line", "direction", "amount").rows() == [
        (2, IN, Decimal("800.00")), (3, OUT, Decimal("120.50"))]
    assert imported.rejects.select("line", "reason").rows() == [(4, "借方和贷方同时有金额")]


@pytest.mark.parametrize(("columns", "cells", "expected"), [
    ("交易时间", "2025/3/1 9:05", datetime(2025, 3, 1, 9, 5)),
    ("交易时间", "2025年3月1日", datetime(2025, 3, 1)),
    ("交易时间", "20250301102233", datetime(2025, 3, 1, 10, 22, 33)),
    ("交易时间", "2025-03-01T10:22:33.5", datetime(2025, 3, 1, 10, 22, 33, 500_000)),
    ("交易日期,交易时间", "20250301,102233", datetime(2025, 3, 1, 10, 22, 33)),
    ("交易日期,交易时间", "2025-03-01,10:22", datetime(2025, 3, 1, 10, 22)),
])
def test_time_forms(tmp_path: Path, columns: str, cells: str, expected: datetime) -> None:
    text = f"账号,{columns},借贷标志,交易金额\n6228001,{cells},贷,100\n"
    assert read_transactions(write(tmp_path, text)).frame["time"].to_list() == [expected]


def test_bad_rows_are_reported_with_line_and_reason(tmp_path: Path) -> None:
    text = (f"{HEADER}\n"
            "6228001,张三,2025-03-01 10:22:33,贷,1000.00,5000.00,李四,6217002,农行,手机银行,转账,投资款\n"
            ",张三,2025-03-01,贷,300,1,,,,,,\n"
            "6228001,张三,不是时间,贷,300,1,,,,,,\n"
            "6228001,张三,2025-03-02,？,300,1,,,,,,\n"
            "6228001,张三,2025-03-03,贷,0,1,,,,,,\n"
            "6228001,张三,2025-03-04,贷,三百,1,,,,,,\n"
            "6228001,张三,2025-03-05,借,50,余额不详,,,,,,\n")
    imported = read_transactions(write(tmp_path, text))
    assert imported.read == 7 and imported.frame.height + imported.rejected == imported.read
    assert imported.frame["line"].to_list() == [2, 8]
    assert imported.frame["memo"].to_list() == ["转账 投资款", None]
    rows = imported.rejects.select("line", "column", "value", "severity").rows()
    assert rows == [
        (3, "账号", None, "reject"), (4, "交易时间", "不是时间", "reject"), (5, "借贷标志", "？", "reject"),
        (6, "交易金额", "0.00", "reject"), (7, "交易金额", "三百", "reject"), (8, "余额", "余额不详", "warning"),
    ]
    reasons = dict(imported.rejects.select("line", "reason").rows())
    assert reasons[4] == "交易时间为空或无法识别" and reasons[6] == "交易金额为0" and "借贷标志无法识别" in reasons[5]


def test_gbk_is_detected_and_encoding_can_be_given(tmp_path: Path) -> None:
    text = f"{HEADER}\n6228001,岩温,2025-03-01,贷,100,100,勐海县农村信用合作联社,,,,结息,\n"
    path = write(tmp_path, text, encoding="gbk")
    assert read_transactions(path).frame["holder"].to_list() == ["岩温"]
    assert read_transactions(path, encoding="gbk").frame["counterparty_name"].to_list() == ["勐海县农村信用合作联社"]


def test_xlsx_with_english_headers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["account", "holder", "time", "direction", "amount", "balance", "counterparty", "memo"])
    sheet.append(["6228001", "张三", datetime(2025, 3, 1, 10, 0), "C", 1000.5, 2000, "李四", "分红"])
    sheet.append(["6228001", "张三", datetime(2025, 3, 2, 11, 0), "D", 100, 1900, "王五", None])
    path = tmp_path / "statement.xlsx"
    book.save(path)
    imported = read_transactions(path)
    assert imported.frame.schema == pl.Schema(TRANSACTIONS_SCHEMA)
    assert imported.frame.select("line", "direction", "amount", "memo").rows() == [
        (2, IN, Decimal("1000.50"), "分红"), (3, OUT, Decimal("100.00"), None)]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "是空的"),
    ("户名,交易时间\n张三,2025-03-01\n".encode(), "缺少账户交易流水必需的列「账号」"),
    ("账号,户名\n6228001,张三\n".encode(), "交易金额"),
    (b"\x00\x01\x02binary", "不是文本表格"),
], ids=["empty", "no account column", "no amount column", "binary"])
def test_unreadable_files_are_one_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "statement.csv"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        read_transactions(path)


def test_accounts_and_leads_files(tmp_path: Path) -> None:
    accounts = write(tmp_path, "账号,主体标识,主体类型\n6228001,532822199001011234,个人\n5305001,91532822MA6K00001X,"
                               "企业\n5305002,91532822MA6K00002X,外星\n", name="accounts.csv")
    imported = read_accounts(accounts)
    assert imported.frame["kind"].to_list() == ["individual", "company", None]
    assert imported.rejects.select("line", "value", "severity").rows() == [(4, "外星", "warning")]
    leads = write(tmp_path, "名称,统一社会信用代码\n勐海金象财富管理有限公司,91532822MA6K00001X\n", name="leads.csv")
    keys, _ = read_lead_keys(leads)
    assert keys == ["91532822MA6K00001X", "勐海金象财富管理有限公司"]
