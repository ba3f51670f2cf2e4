"""From statement lines to the lean working frame every typology reads.

The working frame keeps one row per transaction with only what the rules use:
amounts as integer fen (exact, and fast to sum), who the counterparty is
(person, company, financial institution, cash), a key that identifies the
counterparty, the calendar month, and the memo only where it holds a memo word.
"""

from __future__ import annotations

import polars as pl

from fundwatch.frames import LINE
from fundwatch.funds.config import FundsConfig
from fundwatch.funds.schema import IN, KINDS

KIND = pl.Enum(list(KINDS))

# A person's name: 2-5 Chinese characters, a middle dot allowed (岩·温, 玉·香).
PERSON_NAME = r"^[\p{Han}·•]{2,5}$"

WORK_SCHEMA: dict[str, pl.DataType] = {
    LINE: pl.Int64(),
    "account": pl.String(),
    "inflow": pl.Boolean(),
    "cents": pl.Int64(),  # amount in fen
    "time": pl.Datetime("us"),
    "month": pl.Int32(),  # year * 12 + month - 1
    "cp_kind": KIND,
    "cp_key": pl.String(),  # counterparty account, else its name
    "cp_name": pl.String(),
    "memo_hit": pl.String(),  # the memo, only where it holds a memo word
    "balance_cents": pl.Int64(),
}

HOLDERS_SCHEMA: dict[str, pl.DataType] = {
    "account": pl.String(),
    "holder": pl.String(),
    "subject_key": pl.String(),
    "kind": KIND,
}


def name_kind(name: pl.Expr, config: FundsConfig) -> pl.Expr:
    """Who a name belongs to: financial institution, company (any organisation), individual, or unknown."""
    text = name.fill_null("").str.strip_chars()
    return (
        pl.when(text.str.contains_any(list(config.financial_words)))
        .then(pl.lit("financial"))
        .when(text.str.contains_any(list(config.org_words)))
        .then(pl.lit("company"))
        .when(text.str.contains(PERSON_NAME))
        .then(pl.lit("individual"))
        .otherwise(pl.lit("unknown"))
        .cast(KIND)
    )


def _is_cash(config: FundsConfig) -> pl.Expr:
    words = list(config.cash_words)
    return pl.col("counterparty_account").is_null() & (
        pl.col("memo").fill_null("").str.contains_any(words)
        | pl.col("counterparty_name").fill_null("").str.contains_any(words)
        | pl.col("channel").fill_null("").str.contains_any(list(config.cash_channels), ascii_case_insensitive=True)
    )


def _cents(col: str) -> pl.Expr:
    return (pl.col(col).cast(pl.Decimal(38, 2)) * 100).cast(pl.Int64)


def working_frame(transactions: pl.LazyFrame, config: FundsConfig) -> pl.LazyFrame:
    """The working frame (WORK_SCHEMA) of a transactions frame (TRANSACTIONS_SCHEMA)."""
    cp_kind = pl.when(_is_cash(config)).then(pl.lit("cash", dtype=KIND)).otherwise(
        name_kind(pl.col("counterparty_name"), config)
    )
    memo = pl.col("memo").fill_null("")
    memo_hit = (
        memo.str.contains_any(list(config.memo_words))
        & ~memo.str.contains_any(list(config.memo_exclude))
        & (pl.col("cp_kind") != "financial")
    )
    return (
        transactions.select(
            LINE,
            "account",
            (pl.col("direction") == IN).alias("inflow"),
            _cents("amount").alias("cents"),
            pl.col("time").cast(pl.Datetime("us")),
            (pl.col("time").dt.year().cast(pl.Int32) * 12 + pl.col("time").dt.month().cast(pl.Int32) - 1).alias(
                "month"
            ),
            cp_kind.alias("cp_kind"),
            pl.coalesce("counterparty_account", "counterparty_name").alias("cp_key"),
            pl.col("counterparty_name").alias("cp_name"),
            "memo",
            _cents("balance").alias("balance_cents"),
        )
        .with_columns(pl.when(memo_hit).then(pl.col("memo")).otherwise(None).alias("memo_hit"))
        .select(list(WORK_SCHEMA))
    )


def holders_frame(
    transactions: pl.LazyFrame, accounts: pl.LazyFrame | None, config: FundsConfig
) -> pl.LazyFrame:
    """One row per account (HOLDERS_SCHEMA): its holder, subject and kind (the accounts file's, else the name's)."""
    holders = transactions.group_by("account").agg(pl.col("holder").drop_nulls().first())
    if accounts is None:
        mapped = holders.with_columns(pl.lit(None, pl.String).alias("subject_key"), pl.lit(None, KIND).alias("kind"))
    else:
        mapped = holders.join(
            accounts.select("account", "subject_key", pl.col("kind").cast(KIND)).unique("account", keep="first"),
            on="account",
            how="left",
        )
    return mapped.with_columns(pl.coalesce("kind", name_kind(pl.col("holder"), config)).alias("kind")).select(
        list(HOLDERS_SCHEMA)
    )
