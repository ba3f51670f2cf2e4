"""Account statements as banks hand them over, to the transactions frame of fund-flow monitoring.

CSV (UTF-8, GBK, GB18030; detected) or XLSX, Chinese or English headers, read
by the generic table reader. The money can come three ways: one amount column
with a direction column (借/贷, 收/付, 支出/收入, D/C …); one signed amount
column (negative = money out); or separate debit and credit columns
(借方发生额/贷方发生额). The time is one column (`2025-03-01 10:22:33`,
`2025/3/1 10:22`, `20250301102233`, `2025年3月1日`) or a date column and a
time-of-day column. Every row read is imported or rejected with its line and
reason: empty account, unreadable or zero amount, unknown direction, debit and
credit both filled, unreadable time. An unreadable balance is kept empty with
a warning.

Also here: the accounts file (账号 → 主体) and the leads file (keys of subjects
already in leads) the `funds` command takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl

from fundwatch.domain.dates import date_expr
from fundwatch.domain.text import fold_width_expr
from fundwatch.frames import LINE, REJECTS_SCHEMA
from fundwatch.funds.schema import IN, OUT, TRANSACTIONS_SCHEMA
from fundwatch.ingest.readers import (
    DEFAULT_BATCH_ROWS,
    Column,
    Imported,
    IngestError,
    TableSpec,
    concat_imported,
    iter_table,
    read_table,
)

__all__ = [
    "ACCOUNTS_SPEC", "LEADS_SPEC", "TRANSACTIONS_SPEC", "IngestError", "iter_transactions", "read_accounts",
    "read_lead_keys", "read_transactions",
]

TRANSACTIONS_SPEC = TableSpec(
    label="账户交易流水",
    columns=(
        Column("account", ("账号", "本方账号", "账户", "账户账号", "卡号", "客户账号", "account", "account_no"), "key",
               required=True),
        Column("holder", ("户名", "本方户名", "账户名称", "账户名", "客户名称", "holder", "account_name")),
        Column("counterparty_name", ("对方户名", "对方名称", "对方账户名称", "对手户名", "交易对手", "对方单位",
                                     "counterparty_name", "counterparty")),
        Column("counterparty_account", ("对方账号", "对方账户", "对方卡号", "对手账号", "counterparty_account")),
        Column("counterparty_bank", ("对方行名", "对方开户行", "对方银行", "对方开户机构", "对方行",
                                     "counterparty_bank")),
        Column("amount", ("交易金额", "金额", "发生额", "amount"), "money"),
        Column("debit", ("借方发生额", "借方金额", "支出金额", "付款金额", "支出", "debit"), "money"),
        Column("credit", ("贷方发生额", "贷方金额", "收入金额", "收款金额", "收入", "credit"), "money"),
        Column("direction", ("借贷标志", "借贷方向", "借贷", "收支标志", "收付标志", "收支", "交易方向", "方向",
                             "direction", "dc")),
        Column("balance", ("余额", "账户余额", "交易后余额", "balance"), "money"),
        Column("time", ("交易时间", "交易日期时间", "记账时间", "时间", "time", "datetime", "timestamp")),
        Column("date", ("交易日期", "记账日期", "日期", "date")),
        Column("channel", ("交易渠道", "渠道", "交易方式", "channel")),
        Column("memo", ("摘要", "交易摘要", "memo", "summary")),
        Column("note", ("附言", "用途", "备注", "交易附言", "remark", "purpose", "note")),
    ),
    any_of=(("amount", "debit", "credit"), ("time", "date")),
)

# Direction words as banks print them, upper-cased. 贷 (credit) is money in for the
# account holder, 借 (debit) money out.
IN_WORDS = ("贷", "贷方", "收", "收入", "入", "进", "存入", "转入", "来账", "C", "CR", "CREDIT", "+", "IN")
OUT_WORDS = ("借", "借方", "付", "支", "支出", "出", "取出", "转出", "往账", "D", "DR", "DEBIT", "-", "OUT")

ACCOUNTS_SPEC = TableSpec(
    label="账号与主体对应表",
    columns=(
        Column("account", TRANSACTIONS_SPEC.column("account").aliases, "key", required=True),
        Column("subject_key", ("主体标识", "统一社会信用代码", "社会信用代码", "身份证号", "证件号码", "subject_key",
                               "uscc", "id"), "key", required=True),
        Column("kind", ("主体类型", "账户类型", "类型", "kind", "type")),
        Column("name", ("户名", "名称", "主体名称", "企业名称", "name")),
    ),
)
KIND_WORDS: dict[str, str] = {
    "企业": "company", "公司": "company", "单位": "company", "对公": "company", "company": "company",
    "个人": "individual", "自然人": "individual", "对私": "individual", "individual": "individual",
    "person": "individual", "金融机构": "financial", "银行": "financial", "financial": "financial",
}

LEADS_SPEC = TableSpec(
    label="已有线索主体",
    columns=(
        Column("account", ("账号", "account")),
        Column("subject_key", ("主体标识", "统一社会信用代码", "社会信用代码", "subject_key", "uscc", "id")),
        Column("name", ("名称", "企业名称", "主体名称", "户名", "name")),
    ),
    any_of=(("account", "subject_key", "name"),),
)

_FAST_FORMAT = "%Y-%m-%d %H:%M:%S"
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y%m%d %H%M%S", "%Y-%m-%d")


def read_transactions(path: str | Path, *, encoding: str | None = None) -> Imported:
    """The whole statement file (TRANSACTIONS_SCHEMA) with its rejects; IngestError when unreadable."""
    return concat_imported(iter_transactions(path, encoding=encoding))


def iter_transactions(
    path: str | Path, *, encoding: str | None = None, batch_rows: int = DEFAULT_BATCH_ROWS
) -> Iterator[Imported]:
    """The statement file in batches (TRANSACTIONS_SCHEMA); IngestError when it cannot be read at all."""
    for batch in iter_table(path, TRANSACTIONS_SPEC, encoding=encoding, batch_rows=batch_rows):
        yield shape_transactions(batch)


def _stamp(text: pl.Expr) -> pl.Expr:
    """A date-time cell folded to `YYYY-M-D hh:mm:ss` or `YYYYMMDD hhmmss` shapes, then parsed."""
    folded = (
        fold_width_expr(text)
        .str.strip_chars()
        .str.replace_many(["年", "月", "日", "T"], ["-", "-", " ", " "])
        .str.replace(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})", "${1}-${2}-${3}")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    return pl.coalesce(
        *(folded.str.to_datetime(f, strict=False, time_unit="us") for f in _TIME_FORMATS),
        pl.when(folded.str.contains(r"^\d{14}$")).then(folded.str.to_datetime("%Y%m%d%H%M%S", strict=False,
                                                                               time_unit="us")),
        pl.when(folded.str.contains(r"^\d{8}$")).then(folded.str.to_datetime("%Y%m%d", strict=False, time_unit="us")),
    )


def parse_stamps(text: pl.Series) -> pl.Series:
    """Date-times from text: `YYYY-MM-DD hh:mm:ss` in one pass (what most exports hold); only the cells
    that fail it are folded and tried against the other forms."""
    parsed = text.str.to_datetime(_FAST_FORMAT, strict=False, time_unit="us")
    failed = (parsed.is_null() & text.is_not_null()).arg_true()
    if failed.is_empty():
        return parsed
    return parsed.scatter(failed, pl.select(_stamp(pl.lit(text.gather(failed)))).to_series())


def _times(frame: pl.DataFrame) -> pl.Series:
    """The transaction time from `time`, or from `date` plus a time of day (`10:22:33`, `102233`) in `time`."""
    time = pl.col("time")
    if frame.get_column("date").is_null().all():
        return parse_stamps(frame.get_column("time"))
    of_day = time.fill_null("").str.strip_chars().str.contains(r"^\d{1,2}:\d{2}(:\d{2})?$|^\d{6}$")
    day = date_expr(pl.col("date")).dt.strftime("%Y-%m-%d")
    clock = pl.when(of_day).then(
        time.str.strip_chars().str.replace(r"^(\d{2})(\d{2})(\d{2})$", "${1}:${2}:${3}")
    ).otherwise(pl.lit("00:00:00"))
    text = pl.when(time.is_not_null() & ~of_day).then(time).otherwise(pl.concat_str(day, pl.lit(" "), clock))
    return parse_stamps(frame.select(text.alias("time")).get_column("time"))


def _money(frame: pl.DataFrame) -> list[pl.Expr]:
    """Amount (positive) and direction from debit/credit columns, a direction column, or the sign."""
    word = pl.col("direction").str.strip_chars().str.to_uppercase()
    said = pl.when(word.is_in(IN_WORDS)).then(pl.lit(IN)).when(word.is_in(OUT_WORDS)).then(pl.lit(OUT))
    signed = pl.when(pl.col("amount") < 0).then(pl.lit(OUT)).when(pl.col("amount") > 0).then(pl.lit(IN))
    has_direction = not frame.get_column("direction").is_null().all()
    # With a direction column, a row without a direction word may still carry a minus sign.
    from_amount = pl.coalesce(said, pl.when(pl.col("amount") < 0).then(pl.lit(OUT))) if has_direction else signed
    debit, credit = pl.col("debit").abs().fill_null(0), pl.col("credit").abs().fill_null(0)
    both = (debit > 0) & (credit > 0)
    split = pl.when(~both & (debit > 0)).then(pl.lit(OUT)).when(~both & (credit > 0)).then(pl.lit(IN))
    direction = pl.when(pl.col("amount").is_not_null()).then(from_amount).otherwise(split)
    amount = pl.coalesce(pl.col("amount").abs(), pl.when(direction == OUT).then(debit).otherwise(credit))
    return [amount.alias("amount"), direction.alias("direction")]


def _problem(has_direction: bool) -> pl.Expr:
    """Why a row cannot be imported (Chinese), or null."""
    no_money = pl.col("amount").is_null() & pl.col("debit").is_null() & pl.col("credit").is_null()
    both = (pl.col("debit").abs().fill_null(0) > 0) & (pl.col("credit").abs().fill_null(0) > 0)
    unknown = "借贷标志无法识别（可用 借/贷、收/付、支出/收入、D/C）" if has_direction else "无法判断收支方向"
    return (
        pl.when(no_money).then(pl.lit("交易金额为空或无法识别"))
        .when(both).then(pl.lit("借方和贷方同时有金额"))
        .when(pl.col("amount_out") == 0).then(pl.lit("交易金额为0"))
        .when(pl.col("direction_out").is_null()).then(pl.lit(unknown))
        .when(pl.col("time_out").is_null()).then(pl.lit("交易时间为空或无法识别"))
    )


def shape_transactions(batch: Imported) -> Imported:
    """A batch read with TRANSACTIONS_SPEC to TRANSACTIONS_SCHEMA; rows that cannot be used join the rejects."""
    frame = batch.frame
    has_direction = not frame.get_column("direction").is_null().all()
    typed = frame.with_columns(
        *(e.name.suffix("_out") for e in _money(frame)), _times(frame).alias("time_out")
    ).with_columns(_problem(has_direction).alias("problem"))
    source = batch.headers
    column = (
        pl.when(pl.col("problem").str.contains("时间")).then(pl.lit(source.get("time") or source.get("date", "")))
        .when(pl.col("problem").str.contains("方向|借贷标志")).then(pl.lit(source.get("direction", "")))
        .otherwise(pl.lit(source.get("amount") or source.get("debit") or source.get("credit", "")))
    )
    problem = pl.col("problem")
    value = (
        pl.when(problem.str.contains("时间")).then(pl.concat_str("date", "time", separator=" ", ignore_nulls=True))
        .when(problem.str.contains("方向|借贷标志")).then(pl.col("direction"))
        .otherwise(pl.coalesce(pl.col("amount"), pl.col("debit"), pl.col("credit")).cast(pl.String))
    )
    rejects = typed.filter(problem.is_not_null()).select(
        LINE, column.alias("column"), value.alias("value"), problem.alias("reason"), pl.lit("reject").alias("severity"),
    )
    # An unreadable amount is null in the typed frame: its text is in the reader's warning for that cell.
    raw = batch.rejects.select(LINE, "column", pl.col("value").alias("raw"))
    rejects = rejects.join(raw, on=[LINE, "column"], how="left").with_columns(
        pl.coalesce("value", "raw").alias("value")
    ).unique([LINE, "column"], keep="first", maintain_order=True)
    memo = pl.concat_str("memo", "note", separator=" ", ignore_nulls=True)
    kept = typed.filter(pl.col("problem").is_null()).select(
        LINE, "account", "holder", "counterparty_name", "counterparty_account", "counterparty_bank",
        pl.col("amount_out").alias("amount"), pl.col("direction_out").alias("direction"), "balance",
        pl.col("time_out").alias("time"), "channel",
        pl.when(memo != "").then(memo).alias("memo"),
    )
    imported = Imported(kept.select([pl.col(c).cast(t) for c, t in TRANSACTIONS_SCHEMA.items()]), batch.rejects,
                        batch.read, batch.headers)
    return imported.without(rejects.select([pl.col(c).cast(t) for c, t in REJECTS_SCHEMA.items()]))


def read_accounts(path: str | Path, *, encoding: str | None = None) -> Imported:
    """The accounts file: account → subject_key, and kind (company | individual | financial) where given."""
    imported = read_table(path, ACCOUNTS_SPEC, encoding=encoding)
    word = pl.col("kind").str.strip_chars().str.to_lowercase()
    kind = word.replace_strict(KIND_WORDS, default=None, return_dtype=pl.String)
    frame = imported.frame.with_columns(kind.alias("kind_read"))
    unknown = frame.filter(pl.col("kind").is_not_null() & pl.col("kind_read").is_null()).select(
        LINE, pl.lit(imported.headers.get("kind", "类型")).alias("column"), pl.col("kind").alias("value"),
        pl.lit("无法识别的主体类型（可用 企业、个人、金融机构），已置空").alias("reason"),
        pl.lit("warning").alias("severity"),
    )
    return Imported(
        frame.select(LINE, "account", "subject_key", pl.col("kind_read").alias("kind"), "name"),
        pl.concat([imported.rejects, unknown], how="vertical").sort(LINE, maintain_order=True),
        imported.read,
        imported.headers,
    )


def read_lead_keys(path: str | Path, *, encoding: str | None = None) -> tuple[list[str], Imported]:
    """Every account, subject key and name in the leads file, and the file as read."""
    imported = read_table(path, LEADS_SPEC, encoding=encoding)
    values = pl.concat([imported.frame.get_column(c) for c in ("account", "subject_key", "name")])
    return sorted(set(values.drop_nulls().to_list())), imported
