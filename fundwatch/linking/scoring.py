"""Evidence rows → one scored, explained row per pair, by the declared rules (fundwatch.linking.rules)."""

from __future__ import annotations

import polars as pl

from fundwatch.linking.config import LinkingConfig
from fundwatch.linking.rules import RULES

PAIR = ["subject_key", "matched_key"]
SCORED_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(), "matched_key": pl.String(), "score": pl.Float64(), "decision": pl.String(),
    "kind": pl.String(), "kinds": pl.String(), "reasons": pl.String(),
}


def rated(evidence: pl.DataFrame, config: LinkingConfig) -> pl.DataFrame:
    """Each evidence row with its points and clause; per pair and kind only the strongest row."""
    parts = []
    for rule in RULES:
        result = rule.func(config)
        parts.append(evidence.filter(pl.col("kind") == rule.kind).with_columns(
            result.points.cast(pl.Float64).alias("points"), result.detail.alias("detail"),
            pl.lit(rule.corroborating).alias("corroborating"),
        ))
    every = pl.concat(parts).filter(pl.col("points") != 0)
    strongest = pl.col("points").abs()
    return every.sort(strongest, descending=True).unique([*PAIR, "kind"], keep="first")


def score_pairs(evidence: pl.DataFrame, config: LinkingConfig) -> pl.DataFrame:
    """Pairs at or above the related threshold, with score, decision, kinds and reasons."""
    rows = rated(evidence, config)
    # a corroborating kind (a person's name) counts only beside independent positive evidence
    backed = rows.filter(~pl.col("corroborating") & (pl.col("points") > 0)).select(PAIR).unique()
    rows = pl.concat([rows.filter(~pl.col("corroborating")),
                      rows.filter(pl.col("corroborating")).join(backed, on=PAIR, how="semi")])
    clause = pl.format("{}（{}{}分）", pl.col("detail"), pl.when(pl.col("points") > 0).then(pl.lit("+")).otherwise(
        pl.lit("")), pl.col("points").round(1))
    rows = rows.sort([*PAIR, "points"], descending=[False, False, True]).with_columns(clause.alias("clause"))
    pairs = rows.group_by(PAIR, maintain_order=True).agg(
        pl.col("points").sum().clip(0, 100).round(1).alias("score"),
        pl.col("kind").first().alias("kind"),
        pl.col("kind").str.join(",").alias("kinds"),
        pl.col("clause").str.join("；").alias("reasons"),
    )
    decision = pl.when(pl.col("score") >= config.same).then(pl.lit("same")).otherwise(pl.lit("related"))
    return pairs.filter(pl.col("score") >= config.related).with_columns(decision.alias("decision")).select(
        list(SCORED_SCHEMA)
    )
