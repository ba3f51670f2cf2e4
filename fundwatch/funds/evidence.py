"""How a finding is put into words and points: money in 万元, the time window, sample lines, the score.

Every typology returns findings (FINDING_SCHEMA): the measure its score is read
from, a summary sentence, and the transactions behind it. The engine turns them
into warnings with `finish`, so every warning reads the same way.
"""

from __future__ import annotations

import math

import polars as pl

from fundwatch.funds.config import ScoreScale

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "account": pl.String(),
    "measure": pl.Float64(),  # the typology's measure; the score is read from it
    "summary": pl.String(),  # readable Chinese
    "amount_cents": pl.Int64(),
    "transactions": pl.Int64(),
    "counterparties": pl.Int64(),
    "first_time": pl.Datetime("us"),
    "last_time": pl.Datetime("us"),
    "lines": pl.List(pl.Int64()),
}

SAMPLE_LINES = 5


def wan(cents: pl.Expr) -> pl.Expr:
    """Fen as 万元 with two decimals, rounded half up, e.g. `12.35万元` (exact integer arithmetic)."""
    hundredths = (cents + 5_000) // 10_000
    return pl.format("{}.{}万元", hundredths // 100, (hundredths % 100).cast(pl.String).str.zfill(2))


def yuan(cents: pl.Expr) -> pl.Expr:
    """Fen (a count or a median) as whole 元, e.g. `12000元`."""
    return pl.format("{}元", (cents / 100).round(0).cast(pl.Int64))


def percent(ratio: pl.Expr) -> pl.Expr:
    """A ratio as a whole percentage, e.g. `63%`."""
    return pl.format("{}%", (ratio * 100).round(0).cast(pl.Int64))


def day(when: pl.Expr) -> pl.Expr:
    return when.dt.strftime("%Y-%m-%d")


def score(measure: pl.Expr, threshold: float, scale: ScoreScale) -> pl.Expr:
    """`at_threshold` at the threshold, `at_full` at `full`, log-linear between, one decimal."""
    if scale.full <= threshold or threshold <= 0:
        return pl.lit(round(scale.at_full, 1))
    span = math.log(scale.full / threshold)
    fraction = (measure / threshold).log().clip(0.0, span) / span
    return (scale.at_threshold + (scale.at_full - scale.at_threshold) * fraction).round(1)


def evidence(summary: pl.Expr) -> pl.Expr:
    """The summary, the time window and the first sample lines.

    E.g. `…；时间 2025-01-03 至 2025-06-30；样例第 2、9 行`.
    """
    sample = pl.col("lines").list.head(SAMPLE_LINES).cast(pl.List(pl.String)).list.join("、")
    more = pl.when(pl.col("lines").list.len() > SAMPLE_LINES).then(pl.lit(" 等")).otherwise(pl.lit(""))
    return pl.format(
        "{}；时间 {} 至 {}；样例第 {} 行{}", summary, day(pl.col("first_time")), day(pl.col("last_time")), sample, more
    )
