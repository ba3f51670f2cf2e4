"""`fundwatch funds` as a person runs it: generated statements in, warnings and dimension files out."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

from fundwatch.cli import cli
from fundwatch.demo.transactions import generate_transactions, write_transactions
from fundwatch.funds import WARNINGS_SCHEMA


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    demo = generate_transactions(20_000, seed=3, risky=24)
    return write_transactions(demo, tmp_path_factory.mktemp("county"))


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["funds", *map(str, args)])
    return result.exit_code, result.output


def test_csv_statement_to_csv_warnings_and_dimension(county: dict[str, Path], tmp_path: Path) -> None:
    out, dimension, rejects = tmp_path / "warnings.csv", tmp_path / "dim.parquet", tmp_path / "rejects.csv"
    code, output = run(county["transactions"], "--accounts", county["accounts"], "--leads", county["leads"],
                       "--out", out, "--dimension", dimension, "--rejects", rejects, "--encoding", "gbk")
    assert code == 0, output
    warnings = pl.read_csv(out, encoding="gbk", infer_schema=False)
    assert {"account", "subject_key", "typology", "score", "evidence"} <= set(warnings.columns)
    truth = pl.read_csv(county["truth"], infer_schema=False)
    found = set(warnings.select("account", "typology").iter_rows())
    assert len(found & set(truth.iter_rows())) >= 0.9 * truth.height
    assert pl.read_parquet(dimension)["dim_funds"].is_between(0, 100).all()
    read = pl.read_csv(county["transactions"], encoding="gbk", infer_schema=False).height
    assert f"读取 {read:,} 行 = 导入 {read:,} + 拒收 0" in output
    assert "吸收公众资金" in output


def test_parquet_statement_and_xlsx_for_people(county: dict[str, Path], tmp_path: Path) -> None:
    demo = generate_transactions(5_000, seed=4, risky=10)
    paths = write_transactions(demo, tmp_path / "in", parquet=True)
    out = tmp_path / "warnings.xlsx"
    code, output = run(paths["transactions"], "--accounts", paths["accounts"], "--out", out)
    assert code == 0, output
    sheet = openpyxl.load_workbook(out).active
    headers = [cell.value for cell in sheet[1]]
    assert "预警依据" in headers and "主体标识" in headers and sheet.max_row > 1
    parquet = tmp_path / "warnings.parquet"
    assert run(paths["transactions"], "--out", parquet)[0] == 0
    assert pl.read_parquet(parquet).schema == pl.Schema(WARNINGS_SCHEMA)


def test_bad_rows_go_to_rejects(tmp_path: Path) -> None:
    statement = tmp_path / "s.csv"
    statement.write_text("账号,交易时间,借贷标志,交易金额\n6228001,2025-03-01,贷,100\n6228001,昨天,贷,100\n",
                         encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    code, output = run(statement, "--out", tmp_path / "w.csv", "--rejects", rejects)
    assert code == 0, output
    assert "读取 2 行 = 导入 1 + 拒收 1" in output
    rows = pl.read_csv(rejects, encoding="gbk", infer_schema=False)
    assert rows.row(0, named=True)["行号"] == "3" and "交易时间" in rows.row(0, named=True)["原因"]


@pytest.mark.parametrize(("make", "args", "message"), [
    (lambda p: p.write_bytes(b""), (), "是空的"),
    (lambda p: None, (), "找不到文件"),
    (lambda p: p.write_text("户名\n张三\n", encoding="utf-8"), (), "缺少账户交易流水必需的列"),
    (lambda p: p.write_text("账号,交易时间,交易金额\n1,2025-01-01,1\n", encoding="utf-8"), ("--out", "x.txt"),
     "不支持的输出格式"),
], ids=["empty", "missing", "no account column", "bad suffix"])
def test_unusable_input_is_one_message_and_exit_2(tmp_path: Path, make: object, args: tuple[str, ...],
                                                  message: str) -> None:
    statement = tmp_path / "s.csv"
    make(statement)  # type: ignore[operator]
    out = args or ("--out", str(tmp_path / "w.csv"))
    code, output = run(statement, *out)
    assert code == 2
    assert message in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


def test_help_documents_every_option() -> None:
    result = CliRunner().invoke(cli, ["funds", "--help"])
    assert result.exit_code == 0
    for option in ("--accounts", "--leads", "--out", "--dimension", "--rejects", "--encoding"):
        assert option in result.output
