"""Everything the model could learn from, one row per registry subject: the candidate frame.

Three sources, each under its own prefix so a feature's name says where it comes from:
- `registry.<column>`: every registry column as it comes (dates turned into days before the
  reference date), including extra columns the project has never seen named;
- `<side kind>.<aggregate>`: counts, sums, recency and per-value counts of each side table given;
- `screen.score`, `screen.sector`, `dim.<dimension>`, `rule.<rule>.hits|points`: the screening
  engine's result.
Which of these become features, and how, is decided once at training (`features.learn_features`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import polars as pl

from fundwatch.frames import LINE, SIDE_KINDS

# Columns that identify a subject or a record rather than describe it.
IDENTIFIERS: frozenset[str] = frozenset({LINE, "subject_key", "uscc", "id", "registration_number"})

SIDE_ZH: dict[str, str] = {
    "changes": "变更记录", "abnormal": "经营异常", "judicial": "司法信息",
    "ads": "广告宣传", "reports": "举报投诉", "news": "新闻舆情",
}
COLUMN_ZH: dict[str, str] = {
    "name": "企业名称", "business_scope": "经营范围", "registered_capital": "注册资本",
    "paid_in_capital": "实缴资本", "capital_currency": "注册资本币种", "established": "成立日期",
    "legal_rep": "法定代表人", "address": "住所", "operating_address": "经营场所", "status": "登记状态",
    "industry_code": "行业代码", "entity_type": "企业类型", "phone": "电话", "region_code": "行政区划",
    "township_code": "乡镇", "item": "变更事项", "reason": "列入原因", "cause": "案由", "kind": "案件类型",
    "channel": "渠道", "people": "涉及人数", "amount": "涉及金额", "sentiment": "情感倾向",
}
DIMENSION_ZH: dict[str, str] = {
    "compliance": "合规偏离", "returns": "收益诱惑", "complaints": "投诉举报", "spread": "涉众扩散",
    "words": "敏感词", "stability": "涉稳隐患", "funds": "资金异动",
}

# Recent activity counts within this many days before the reference date.
RECENT_DAYS = 365
# Per-value counts are made for a side-table column only when it reads like a code or a short word
# list (at most this many distinct values), and only for values seen with at least VALUE_MIN_SUBJECTS
# subjects: a free-text column (ad text) has as many values as rows, and a value of one subject only
# (its name, its case number) would let the model memorise that subject instead of learning.
VALUE_MAX_DISTINCT = 200
VALUE_MIN_SUBJECTS = 5
VALUE_TOP = 20
AGGREGATE_DECIMALS = 6
# Side-table columns of free text: what they say is the screening rules' business, not a count's.
SIDE_TEXT: frozenset[str] = frozenset({"text", "title", "before", "after"})
# The screening's own model dimension and hits never feed the model that produces them.
MODEL_DIMENSION = "dim_model"


class ScreeningLike(Protocol):
    """The screening engine's result: `scores` (SCORES_SCHEMA) and `hits` (HITS_SCHEMA)."""

    @property
    def scores(self) -> pl.DataFrame: ...

    @property
    def hits(self) -> pl.DataFrame: ...


@dataclass
class Candidates:
    """The candidate frame with what the features need to be named and explained."""

    frame: pl.DataFrame  # subject_key + one column per candidate
    as_of: date
    labels: dict[str, str] = field(default_factory=dict)  # column -> readable Chinese
    origins: dict[str, str] = field(default_factory=dict)  # column -> registry | <side kind> | screening | rules
    sides: frozenset[str] = frozenset()  # side tables given
    side_columns: frozenset[str] = frozenset()  # "<kind>.<column>" of every side-table column given
    money: set[str] = field(default_factory=set)  # columns in 元, shown in 万元


def side_frames(side: object) -> dict[str, pl.DataFrame]:
    """The side tables given, by kind, from a mapping or an object with one attribute per kind."""
    if isinstance(side, Mapping):
        pairs = [(k, side.get(k)) for k in SIDE_KINDS]
    else:
        pairs = [(k, getattr(side, k, None)) for k in SIDE_KINDS]
    return {k: v for k, v in pairs if isinstance(v, pl.DataFrame)}


def reference_date(side: Mapping[str, pl.DataFrame], registry: pl.DataFrame | None = None) -> date:
    """The day recency is counted back from: the latest date in the side tables, else the latest establishment.

    The screening's own `default_as_of` rule, so both count days from the same day. Taken from the
    data rather than the clock so the same files always give the same features; the side tables
    are loaded whole, so every registry batch of one run gets the same date.
    """
    latest = [f.get_column("date").max() for f in side.values() if "date" in f.columns and f.height]
    if not any(isinstance(d, date) for d in latest) and registry is not None and "established" in registry.columns:
        latest = [registry.get_column("established").max()]
    dates = [d for d in latest if isinstance(d, date)]
    return max(dates) if dates else date(2000, 1, 1)


def _registry_part(registry: pl.DataFrame, as_of: date, cands: Candidates) -> pl.DataFrame:
    exprs: list[pl.Expr] = [pl.col("subject_key")]
    for column, dtype in registry.schema.items():
        if column in IDENTIFIERS:
            continue
        name = f"registry.{column}"
        label = COLUMN_ZH.get(column, column)
        if dtype in (pl.Date(), pl.Datetime()) or isinstance(dtype, pl.Datetime):
            name += ".days"
            label += "（距参考日天数）"
            exprs.append((pl.lit(as_of) - pl.col(column).cast(pl.Date)).dt.total_days().cast(pl.Float64).alias(name))
        elif dtype.is_numeric() or dtype == pl.Boolean() or dtype == pl.String():
            exprs.append(pl.col(column).alias(name))
            if isinstance(dtype, pl.Decimal):
                cands.money.add(name)
        else:
            continue
        cands.labels[name] = label
        cands.origins[name] = "registry"
    return registry.select(exprs)


def _frequent_values(frame: pl.DataFrame, column: str) -> list[str]:
    if frame.get_column(column).n_unique() > VALUE_MAX_DISTINCT:
        return []
    spread = (
        frame.filter(pl.col(column).is_not_null())
        .group_by(column).agg(pl.col("subject_key").n_unique().alias("subjects"))
        .filter(pl.col("subjects") >= VALUE_MIN_SUBJECTS)
        .sort(["subjects", column], descending=[True, False])
    )
    return sorted(str(v) for v in spread.get_column(column).head(VALUE_TOP).to_list())


def _side_part(kind: str, frame: pl.DataFrame, as_of: date, cands: Candidates) -> pl.DataFrame:
    zh = SIDE_ZH.get(kind, kind)
    named: dict[str, tuple[pl.Expr, str]] = {f"{kind}.count": (pl.len().cast(pl.Float64), f"{zh}条数")}
    if "date" in frame.columns:
        days = (pl.lit(as_of) - pl.col("date")).dt.total_days()
        named[f"{kind}.count_recent"] = ((days <= RECENT_DAYS).sum().cast(pl.Float64), f"{zh}近一年条数")
        named[f"{kind}.days_since_last"] = (days.min().cast(pl.Float64), f"距最近一条{zh}天数")
        named[f"{kind}.days_since_first"] = (days.max().cast(pl.Float64), f"距最早一条{zh}天数")
    for column, dtype in frame.schema.items():
        col_zh = COLUMN_ZH.get(column, column)
        if column in IDENTIFIERS or column == "date":
            continue
        if dtype.is_numeric():
            value = pl.col(column).cast(pl.Float64)
            for agg, agg_zh in (("sum", "合计"), ("max", "最大"), ("min", "最小"), ("mean", "平均")):
                # rounded: the order Polars adds a group in varies between runs, and so do the last bits
                expr = getattr(value, agg)().round(AGGREGATE_DECIMALS)
                named[f"{kind}.{column}.{agg}"] = (expr, f"{zh}{col_zh}{agg_zh}")
                if isinstance(dtype, pl.Decimal):
                    cands.money.add(f"{kind}.{column}.{agg}")
        elif dtype == pl.String() and column not in SIDE_TEXT:
            for value_text in _frequent_values(frame, column):
                expr = (pl.col(column) == value_text).sum().cast(pl.Float64)
                named[f"{kind}.{column}={value_text}"] = (expr, f"{zh}{col_zh}为“{value_text}”的条数")
    for name, (_, label) in named.items():
        cands.labels[name] = label
        cands.origins[name] = kind
    return frame.group_by("subject_key").agg(expr.alias(name) for name, (expr, _) in named.items())


def _zero_filled(name: str) -> bool:
    """Counts and sums are 0 for a subject with no rows; maxima, means and recency stay unknown."""
    return name.endswith((".count", ".count_recent", ".sum", ".hits", ".points")) or "=" in name


def _screening_part(screening: ScreeningLike, cands: Candidates) -> tuple[pl.DataFrame, pl.DataFrame]:
    scores = screening.scores
    dims = [c for c in scores.columns if c.startswith("dim_") and c != MODEL_DIMENSION]
    exprs = [pl.col("subject_key"), pl.col("score").cast(pl.Float64).alias("screen.score")]
    cands.labels["screen.score"] = "规则风险指数"
    for column in dims:
        dimension = column.removeprefix("dim_")
        exprs.append(pl.col(column).cast(pl.Float64).alias(f"dim.{dimension}"))
        cands.labels[f"dim.{dimension}"] = f"{DIMENSION_ZH.get(dimension, dimension)}维度得分"
    if "sector" in scores.columns:
        exprs.append(pl.col("sector").alias("screen.sector"))
        cands.labels["screen.sector"] = "所属重点领域"
    part = scores.select(exprs)
    for name in part.columns[1:]:
        cands.origins[name] = "screening"
    return part, _rule_part(screening.hits, cands)


def _rule_part(hits: pl.DataFrame, cands: Candidates) -> pl.DataFrame:
    hits = hits.filter(pl.col("table") != "model")
    per_rule = hits.group_by("subject_key", "rule").agg(
        pl.len().cast(pl.Float64).alias("hits"),
        pl.col("points").sum().cast(pl.Float64).round(AGGREGATE_DECIMALS).alias("points"),
        pl.col("explanation").first().alias("explanation"),
    )
    for rule, explanation in per_rule.select("rule", "explanation").unique("rule").sort("rule").iter_rows():
        text = (explanation or rule)[:40]
        cands.labels[f"rule.{rule}.hits"] = f"规则“{text}”命中次数"
        cands.labels[f"rule.{rule}.points"] = f"规则“{text}”得分"
        cands.origins[f"rule.{rule}.hits"] = cands.origins[f"rule.{rule}.points"] = "rules"
    long = pl.concat([
        per_rule.select("subject_key", pl.format("rule.{}.hits", "rule").alias("feature"), pl.col("hits").alias("v")),
        per_rule.select("subject_key", pl.format("rule.{}.points", "rule").alias("feature"),
                        pl.col("points").alias("v")),
    ])
    if long.is_empty():
        return pl.DataFrame(schema={"subject_key": pl.String()})
    return long.sort("feature").pivot(on="feature", index="subject_key", values="v", aggregate_function=None)


def candidate_frame(
    registry: pl.DataFrame,
    side: Mapping[str, pl.DataFrame],
    screening: ScreeningLike,
    as_of: date,
) -> Candidates:
    """One row per registry subject with every candidate feature (see the module docstring)."""
    columns = frozenset(f"{kind}.{column}" for kind, frame in side.items() for column in frame.columns)
    cands = Candidates(frame=pl.DataFrame(), as_of=as_of, sides=frozenset(side), side_columns=columns)
    frame = _registry_part(registry, as_of, cands)
    parts = [_side_part(kind, side[kind], as_of, cands) for kind in SIDE_KINDS if kind in side]
    scores, rules = _screening_part(screening, cands)
    for part in [*parts, scores, rules]:
        frame = frame.join(part, on="subject_key", how="left", coalesce=True)
    zero = [c for c in frame.columns if cands.origins.get(c) not in (None, "registry", "screening") and _zero_filled(c)]
    cands.frame = frame.with_columns(pl.col(zero).fill_null(0.0))
    return cands
