"""`fundwatch funds`: bank statements in, fund-flow warnings (账户资金异动预警) out."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click
import polars as pl
from rich.table import Table

from fundwatch.commands.common import InputProblem, row_progress, stderr_console

if TYPE_CHECKING:
    from fundwatch.funds import FundsResult

_FILE = click.Path(path_type=Path, dir_okay=False)
SUFFIXES = (".csv", ".parquet", ".xlsx")

WARNING_HEADERS_ZH: dict[str, str] = {
    "account": "账号", "holder": "户名", "subject_key": "主体标识", "typology": "预警类型代码",
    "typology_name": "预警类型", "score": "预警分值", "amount": "涉及金额（元）", "transactions": "交易笔数",
    "counterparties": "对手方数", "first_time": "起始时间", "last_time": "截止时间", "explanation": "规则说明",
    "evidence": "预警依据", "lines": "流水行号",
}
DIMENSION_HEADERS_ZH: dict[str, str] = {
    "subject_key": "主体标识", "dim_funds": "资金异动得分", "typologies": "预警类型", "evidence": "预警依据",
}


def _check_suffix(path: Path | None, option: str) -> None:
    if path is not None and path.suffix.lower() not in SUFFIXES:
        raise InputProblem(f"不支持的输出格式“{path.suffix or path.name}”：{option} 请用 .csv、.parquet 或 .xlsx")


@dataclass
class Statement:
    frame: pl.LazyFrame  # TRANSACTIONS_SCHEMA
    rejects: pl.DataFrame  # REJECTS_SCHEMA with `table`
    read: int | None  # rows read, None for a Parquet file taken as it is


def _spill_statement(source: Path, encoding: str | None, scratch: Path) -> Statement:
    """Import the statement batch by batch into a Parquet file in `scratch`, so memory does not follow
    the size of the file."""
    import pyarrow.parquet as pq

    from fundwatch.frames import REJECTS_SCHEMA
    from fundwatch.funds.schema import TRANSACTIONS_SCHEMA
    from fundwatch.ingest.transactions import iter_transactions

    target = scratch / "transactions.parquet"
    writer = pq.ParquetWriter(target, pl.DataFrame(schema=TRANSACTIONS_SCHEMA).to_arrow().schema)
    rejects, read = [pl.DataFrame(schema=REJECTS_SCHEMA)], 0
    with row_progress("导入流水") as progress:
        for batch in iter_transactions(source, encoding=encoding):
            writer.write_table(batch.frame.to_arrow())
            rejects.append(batch.rejects)
            read += batch.read
            progress(read)
    writer.close()
    notes = pl.concat(rejects, how="vertical").select(pl.lit("transactions").alias("table"), pl.all())
    return Statement(pl.scan_parquet(target), notes, read)


def _parquet_statement(source: Path) -> Statement:
    """A Parquet file already in the transactions frame (the exchange format of batch runs)."""
    from fundwatch.frames import REJECTS_SCHEMA
    from fundwatch.funds.schema import TRANSACTIONS_SCHEMA

    frame = pl.scan_parquet(source)
    try:
        names = frame.collect_schema().names()
    except (OSError, pl.exceptions.PolarsError) as err:
        raise InputProblem(f"无法读取 Parquet 文件 {source}：{str(err).splitlines()[0]}") from err
    missing = [c for c in TRANSACTIONS_SCHEMA if c not in names]
    if missing:
        raise InputProblem(f"Parquet 文件 {source} 缺少交易流水的列：{'、'.join(missing)}")
    typed = frame.select([pl.col(c).cast(t) for c, t in TRANSACTIONS_SCHEMA.items()])
    return Statement(typed, pl.DataFrame(schema={"table": pl.String(), **REJECTS_SCHEMA}), None)


def _side_files(accounts: Path | None, leads: Path | None, encoding: str | None) -> tuple[
        pl.DataFrame | None, list[str], list[pl.DataFrame]]:
    from fundwatch.ingest.transactions import read_accounts, read_lead_keys

    notes = []
    mapped = None
    if accounts is not None:
        imported = read_accounts(accounts, encoding=encoding)
        mapped = imported.frame
        notes.append(imported.rejects.select(pl.lit("accounts").alias("table"), pl.all()))
    keys: list[str] = []
    if leads is not None:
        keys, imported = read_lead_keys(leads, encoding=encoding)
        notes.append(imported.rejects.select(pl.lit("leads").alias("table"), pl.all()))
    return mapped, keys, notes


def _for_people(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    """CSV and XLSX hold no lists: the source lines become one text cell, times read as people write them."""
    if path.suffix.lower() == ".parquet":
        return frame
    return frame.with_columns(
        pl.col(pl.List(pl.Int64)).cast(pl.List(pl.String)).list.join("、"),
        pl.col(pl.Datetime).dt.strftime("%Y-%m-%d %H:%M:%S"),
    )


def _write(frame: pl.DataFrame, path: Path, headers: dict[str, str], sheet: str) -> None:
    from fundwatch.ingest.writers import write_frame

    chinese = headers if path.suffix.lower() == ".xlsx" else None
    write_frame(_for_people(frame, path), path, headers=chinese, encoding="gbk", sheet=sheet)


@click.command("funds")
@click.argument("transactions", type=_FILE)
@click.option("--accounts", type=_FILE, default=None,
              help="账号与主体对应表 (CSV/XLSX): 账号, 主体标识 (USCC or ID number), "
                   "optional 主体类型 (企业/个人/金融机构).")
@click.option("--leads", type=_FILE, default=None,
              help="已有线索主体 (CSV/XLSX): any of 账号, 主体标识, 名称; money to or from them is a warning.")
@click.option("--out", type=_FILE, required=True,
              help="Warnings, one row per account and typology: .csv (GBK), .parquet, or .xlsx (Chinese headers).")
@click.option("--dimension", type=_FILE, default=None,
              help="Per-subject funds dimension (subject_key, dim_funds 0-100, evidence) for the screening: "
                   ".csv, .parquet or .xlsx. Needs --accounts.")
@click.option("--rejects", type=_FILE, default=None,
              help="CSV or XLSX of rows not imported and values kept empty: table, line, column, value, reason.")
@click.option("--encoding", default=None,
              help="Encoding of the CSV inputs (utf-8, gbk, gb18030); detected when omitted.")
def funds_command(transactions: Path, accounts: Path | None, leads: Path | None, out: Path,
                  dimension: Path | None, rejects: Path | None, encoding: str | None) -> None:
    """Scan TRANSACTIONS (bank statements: CSV, XLSX, or Parquet in the transactions frame) for fund-flow
    typologies of illegal fundraising: 吸收公众资金, 整数金额重复出资, 返本付息, 出资人数快速增长,
    归集资金转入个人账户或取现, 资金池/过渡账户, 摘要含投资理财字样, 与已有线索主体往来.

    Every row read is imported or listed in --rejects; the summary shows read = imported + rejected.
    """
    from fundwatch.funds import FundsConfigError, load_funds_config, scan
    from fundwatch.ingest.readers import IngestError
    from fundwatch.ingest.writers import write_rejects

    for path, option in ((out, "--out"), (dimension, "--dimension")):
        _check_suffix(path, option)
    try:
        config = load_funds_config()
        mapped, keys, notes = _side_files(accounts, leads, encoding)
        with tempfile.TemporaryDirectory(prefix="fundwatch-funds-") as scratch:
            if transactions.suffix.lower() == ".parquet" and transactions.is_file():
                statement = _parquet_statement(transactions)
            else:
                statement = _spill_statement(transactions, encoding, Path(scratch))
            result = scan(statement.frame, config, accounts=mapped, leads=keys)
    except (IngestError, FundsConfigError) as err:
        raise InputProblem(str(err)) from err
    try:
        _write(result.warnings, out, WARNING_HEADERS_ZH, "资金异动预警")
        if dimension is not None:
            _write(result.subjects, dimension, DIMENSION_HEADERS_ZH, "资金异动得分")
        if rejects is not None:
            write_rejects(pl.concat([statement.rejects, *notes], how="vertical_relaxed"), rejects, encoding="gbk")
    except (OSError, ValueError) as err:
        raise InputProblem(f"无法写入结果文件：{err}") from err
    _summary(statement, result, out, rejects, echo=stderr_console().print)


def _summary(statement: Statement, result: FundsResult, out: Path, rejects: Path | None,
             echo: Callable[..., None]) -> None:
    if statement.read is not None:
        notes = statement.rejects.filter(pl.col("table") == "transactions")
        rejected = notes.filter(pl.col("severity") == "reject").select(pl.col("line").n_unique()).item()
        warned = notes.filter(pl.col("severity") == "warning").height
        echo(f"读取 {statement.read:,} 行 = 导入 {statement.read - rejected:,} + 拒收 {rejected:,}"
             f"（另有 {warned:,} 个值无法识别，已留空）")
    echo(f"扫描 {result.scanned:,} 笔交易、{result.accounts:,} 个账户，发现预警 {result.warnings.height:,} 条，"
         f"涉及已对应主体 {result.subjects.height:,} 个")
    if result.warnings.height:
        table = Table(title="按预警类型", title_justify="left")
        table.add_column("预警类型")
        table.add_column("账户数", justify="right")
        table.add_column("最高分", justify="right")
        counts = result.warnings.group_by("typology_name").agg(pl.len(), pl.col("score").max())
        for name, n, top in counts.sort("len", descending=True).iter_rows():
            table.add_row(name, f"{n:,}", f"{top:.1f}")
        echo(table)
    echo(f"结果已写入 {out}" + (f"；拒收与警告见 {rejects}" if rejects else ""))


COMMANDS = [funds_command]
