"""The frames that pass between layers: their column names and Polars types.

These are the contracts between ingest, the engines, the CLI and the platform.
Ingest produces them, engines take and return them, edges write them out.
Columns not listed here may follow (the registry keeps every extra column of
the source file as a typed attribute), but the listed ones are always present.
"""

from __future__ import annotations

import polars as pl

# Every row an importer reads is either in its frame or in its rejects; `line`
# is the 1-based line of the source file (header = line 1), or the sheet row.
LINE = "line"

# Amounts: exact decimals in 元 (never floats in storage); engines may cast.
MONEY = pl.Decimal(precision=20, scale=2)

REGISTRY_SCHEMA: dict[str, pl.DataType] = {
    LINE: pl.Int64(),
    "subject_key": pl.String(),  # the USCC, or the file's `id` column when it has no USCC
    "uscc": pl.String(),  # normalised 18-char USCC, or null
    "name": pl.String(),
    "business_scope": pl.String(),
    "registered_capital": MONEY,  # in units of `capital_currency`
    "paid_in_capital": MONEY,
    "capital_currency": pl.String(),  # ISO 4217: CNY, USD, HKD, EUR ...
    "established": pl.Date(),
    "legal_rep": pl.String(),
    "address": pl.String(),
    "operating_address": pl.String(),
    "status": pl.String(),
    "industry_code": pl.String(),
    "entity_type": pl.String(),
    "phone": pl.String(),
    "region_code": pl.String(),  # 6-digit GB/T 2260 county code (from address, else USCC)
    "township_code": pl.String(),  # 9-digit township code when the address names one, else null
}

# Rejects and warnings of any importer. severity: "reject" (row not imported)
# or "warning" (row imported, the value kept empty).
REJECTS_SCHEMA: dict[str, pl.DataType] = {
    LINE: pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "reason": pl.String(),  # readable Chinese
    "severity": pl.String(),
}

SIDE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "changes": {  # 变更记录
        LINE: pl.Int64(), "subject_key": pl.String(), "date": pl.Date(),
        "item": pl.String(), "before": pl.String(), "after": pl.String(),
    },
    "abnormal": {  # 经营异常
        LINE: pl.Int64(), "subject_key": pl.String(), "date": pl.Date(), "reason": pl.String(),
    },
    "judicial": {  # 司法/涉诉
        LINE: pl.Int64(), "subject_key": pl.String(), "date": pl.Date(),
        "cause": pl.String(), "kind": pl.String(),
    },
    "ads": {  # 广告/宣传
        LINE: pl.Int64(), "subject_key": pl.String(), "date": pl.Date(),
        "channel": pl.String(), "text": pl.String(),
    },
    "reports": {  # 举报/投诉
        LINE: pl.Int64(), "subject_key": pl.String(), "date": pl.Date(),
        "channel": pl.String(), "text": pl.String(), "people": pl.Int64(), "amount": MONEY,
    },
    "news": {  # 新闻/舆情; sentiment in [-1, 1], negative = bad press
        LINE: pl.Int64(), "subject_key": pl.String(), "date": pl.Date(),
        "title": pl.String(), "text": pl.String(), "sentiment": pl.Float64(),
    },
}
SIDE_KINDS: tuple[str, ...] = tuple(SIDE_SCHEMAS)

# One row per rule hit: the evidence behind every point of score.
HITS_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "rule": pl.String(),  # rule id, e.g. "name_sensitive_word"
    "dimension": pl.String(),  # one of DIMENSIONS
    "points": pl.Float64(),  # contribution to the dimension, 0-100 scale before weighting
    "table": pl.String(),  # registry | changes | abnormal | judicial | ads | reports | news | funds | model
    "field": pl.String(),
    "matched": pl.String(),  # the matched text or value
    "source_line": pl.Int64(),  # line in the source file of `table`
    "explanation": pl.String(),  # the rule's docstring sentence, readable Chinese
}

# The dimensions of the composite index (names of the dim_* columns).
DIMENSIONS: tuple[str, ...] = (
    "compliance",  # 合规偏离: sector, scope, capital, abnormal listings, changes
    "returns",  # 收益诱惑: promises of returns, guises
    "complaints",  # 投诉举报
    "spread",  # 涉众扩散: people involved, target groups, channels
    "words",  # 敏感词: sensitive words in name and scope
    "stability",  # 涉稳隐患: judicial, bad press, unpaid money
)

GRADES: tuple[str, ...] = ("red", "orange", "yellow", "blue", "green")
GRADE_ZH: dict[str, str] = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色", "green": "绿色"}

SCORES_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "name": pl.String(),
    "score": pl.Float64(),  # 0-100, one decimal
    "grade": pl.String(),  # one of GRADES
    **{f"dim_{d}": pl.Float64() for d in DIMENSIONS},
    "sector": pl.String(),  # key-sector name, or null
    "department": pl.String(),  # lead department from the profile's sector table
    "region_code": pl.String(),
    "township_code": pl.String(),
    "evidence": pl.String(),  # readable Chinese, one clause per hit
    "ruleset_version": pl.String(),
}

# Demo / test truth: which subjects were planted as risky, and how.
TRUTH_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "label": pl.Int8(),  # 1 = planted risky outfit, 0 = clean
    "guise": pl.String(),  # the fundraising guise planted, or null
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """An empty frame of the given schema."""
    return pl.DataFrame(schema=schema)


class ScreeningInputError(ValueError):
    """A frame handed to `fundwatch.screening.screen` lacks columns of its contract (the schemas above).

    Defined here, beside the contracts, so a caller can catch it without importing the engine."""
