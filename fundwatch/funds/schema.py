"""The frames of fund-flow monitoring: transactions in, warnings and a per-subject dimension out.

These extend the shared contracts in `fundwatch.frames` for this engine only.
A transaction is one line of an account statement, seen from the account
holder's side: `direction` is "in" (收入/贷方) or "out" (支出/借方) and `amount`
is always positive.
"""

from __future__ import annotations

import polars as pl

from fundwatch.frames import LINE, MONEY

IN = "in"
OUT = "out"

TRANSACTIONS_SCHEMA: dict[str, pl.DataType] = {
    LINE: pl.Int64(),
    "account": pl.String(),  # 账号 of the statement's holder
    "holder": pl.String(),  # 户名
    "counterparty_name": pl.String(),  # 对方户名
    "counterparty_account": pl.String(),  # 对方账号
    "counterparty_bank": pl.String(),  # 对方行名
    "amount": MONEY,  # 元, > 0
    "direction": pl.String(),  # IN or OUT
    "balance": MONEY,  # 余额 after the transaction, or null when the bank gave none
    "time": pl.Datetime("us"),  # 交易时间
    "channel": pl.String(),  # 交易渠道: 网银, 手机银行, 柜面, ATM, 批量代发 ...
    "memo": pl.String(),  # 摘要/附言
}

# Who holds an account (or is a counterparty): read from the accounts file, else from the name.
KINDS: tuple[str, ...] = ("company", "individual", "financial", "cash", "unknown")

# The accounts file: which subject an account belongs to. `kind` may be null (then
# it is read from the holder's name).
ACCOUNTS_SCHEMA: dict[str, pl.DataType] = {
    "account": pl.String(),
    "subject_key": pl.String(),
    "kind": pl.String(),  # company | individual | financial, or null
}

TYPOLOGIES: tuple[str, ...] = (
    "public_deposits",  # 吸收公众资金
    "round_repeat",  # 整数金额、重复出资
    "fixed_payouts",  # 返本付息
    "payer_growth",  # 出资人数快速增长
    "pool_to_controllers",  # 归集后转入个人账户或取现
    "pass_through",  # 资金池/过渡账户
    "memo_words",  # 摘要敏感词
    "lead_links",  # 与已有线索主体资金往来
)

# One row per (account, typology) found.
WARNINGS_SCHEMA: dict[str, pl.DataType] = {
    "account": pl.String(),
    "holder": pl.String(),
    "subject_key": pl.String(),  # from the accounts file, or null when the account is not mapped
    "typology": pl.String(),  # one of TYPOLOGIES
    "typology_name": pl.String(),  # its Chinese name
    "score": pl.Float64(),  # 0-100, one decimal
    "amount": MONEY,  # 元: the money behind the warning
    "transactions": pl.Int64(),  # how many transactions are behind it
    "counterparties": pl.Int64(),  # how many distinct counterparties
    "first_time": pl.Datetime("us"),
    "last_time": pl.Datetime("us"),
    "explanation": pl.String(),  # the typology's rule, one Chinese sentence
    "evidence": pl.String(),  # readable Chinese: sums, counts, time window, sample lines
    "lines": pl.List(pl.Int64()),  # source lines of the transactions behind it
}

# The extra dimension for the screening engine: one row per subject with warnings.
SUBJECT_FUNDS_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "dim_funds": pl.Float64(),  # 0-100
    "typologies": pl.String(),  # the typologies behind it, Chinese names joined by "、"
    "evidence": pl.String(),  # one clause per warning
}
