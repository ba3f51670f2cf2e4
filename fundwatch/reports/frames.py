"""The frames the report renderers take: what `queries.py` builds from the ledger and what the
tests build from the demo county. Amounts are exact decimals in 元 (fundwatch.frames.MONEY).
"""

from __future__ import annotations

import polars as pl

from fundwatch.frames import MONEY

# One row per key lead (重点风险线索) — the columns of 001's annex 1 in the ledger's codes.
KEY_LEADS_SCHEMA: dict[str, pl.DataType] = {
    "lead_id": pl.String(),
    "name": pl.String(),
    "sector": pl.String(),  # 所属行业, as the profile names it
    "fundraising_model": pl.String(),  # 集资模式, e.g. 消费返利、售后包租
    "online": pl.String(),  # online | offline | both; null while the ledger does not say
    "amount": MONEY,  # 涉及金额, 元
    "participants": pl.Int64(),  # 涉及人数
    "unpaid": MONEY,  # 未兑付资金, 元
    "cross_province": pl.Boolean(),
    "measures": pl.String(),  # 采取的工作措施
    "refund_state": pl.String(),  # refunding | done | null or "" (nothing refunded yet), as the ledger's Refund
    "refund_ratio": pl.Float64(),  # percent of the money involved refunded, 0..100
    "outcome": pl.String(),  # an outcome code of the layout's vocabulary, or the ledger's words
    "notified_provinces": pl.List(pl.String()),  # provinces the lead was notified to
    "notification_count": pl.Int64(),
    "notification_text": pl.String(),  # the ledger's own words, used when no provinces are listed
    "remarks": pl.String(),
}

# One row per institution screened in the period (总体情况统计表): its sector, guise and what was found.
INSTITUTIONS_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "sector": pl.String(),  # key-sector name of the profile, or null
    "guise": pl.String(),  # fundraising guise id (brief), or null
    "target_group": pl.String(),  # 老年人、残疾人员、贫困人群、农民、大中专学生 …, or null
    "has_problem": pl.Boolean(),
    "problems": pl.List(pl.String()),  # 超范围经营、虚假宣传、设资金池 …
    "rectification": pl.String(),  # planned | ongoing | done | null
    "referred_police": pl.Boolean(),
    "amount": MONEY,
    "participants": pl.Int64(),
}

# The villages (社区、村) of the jurisdiction and whether each was screened and declared free.
VILLAGES_SCHEMA: dict[str, pl.DataType] = {
    "township_code": pl.String(),
    "township_name": pl.String(),
    "village_code": pl.String(),
    "village_name": pl.String(),
    "screened": pl.Boolean(),
    "declared_free": pl.Boolean(),
}

# Leads located in the jurisdiction, for the 无非法集资 table: an open lead keeps its area from being free.
AREA_LEADS_SCHEMA: dict[str, pl.DataType] = {
    "township_code": pl.String(),
    "village_code": pl.String(),  # null when the lead is only placed in a township
    "open": pl.Boolean(),
    "amount": MONEY,
    "participants": pl.Int64(),
}

# 职责分工表: one row per key sector of the active profile.
DUTIES_SCHEMA: dict[str, pl.DataType] = {
    "sector": pl.String(),  # 排查领域
    "departments": pl.List(pl.String()),  # 责任单位, lead department first
}

# Leads of the jurisdiction for the monthly monitoring report (002 五(四)): every lead open at any
# time up to the end of the month.
MONTHLY_LEADS_SCHEMA: dict[str, pl.DataType] = {
    "lead_id": pl.String(),
    "name": pl.String(),
    "township": pl.String(),  # name of the township; null when the lead is placed no lower than the county
    "sector": pl.String(),
    "channel": pl.String(),  # 线索来源, readable
    "grade": pl.String(),  # fundwatch.frames.GRADES
    "lead_class": pl.String(),  # general | major | cross_region | cross_province_major (002 五(五))
    "opened": pl.Date(),
    "closed": pl.Date(),  # null while open
    "state": pl.String(),  # the platform's workflow state code
    "amount": MONEY,
    "participants": pl.Int64(),
    "unpaid": MONEY,
    "refunded": MONEY,
    "cross_province": pl.Boolean(),
}

# Subjects under monitoring (应监测的企业) with their latest grade.
MONITORED_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "grade": pl.String(),
    "sector": pl.String(),
    "township": pl.String(),
}

# 黑名单: the risky subjects the office publishes (004 二(四)3).
BLACKLIST_SCHEMA: dict[str, pl.DataType] = {
    "name": pl.String(),
    "uscc": pl.String(),
    "address": pl.String(),
    "legal_rep": pl.String(),
    "reason": pl.String(),
    "listed_on": pl.Date(),
}

# A campaign's units and what they sent.
UNITS_SCHEMA: dict[str, pl.DataType] = {"unit": pl.String(), "kind": pl.String()}  # office | department | township
SUBMISSIONS_SCHEMA: dict[str, pl.DataType] = {
    "unit": pl.String(),
    "kind": pl.String(),  # plan | bulletin | summary
    "title": pl.String(),
    "submitted_on": pl.Date(),
}


def frame(rows: list[dict[str, object]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A frame of exactly `schema` from row dicts (missing keys are null)."""
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema, orient="row")


def require(df: pl.DataFrame, schema: dict[str, pl.DataType], what: str) -> pl.DataFrame:
    """`df` with the columns of `schema` in its types; a missing column is a programming error."""
    missing = [c for c in schema if c not in df.columns]
    if missing:
        raise ValueError(f"{what} 缺少列：{'、'.join(missing)}")
    return df.select([pl.col(c).cast(t) for c, t in schema.items()])
