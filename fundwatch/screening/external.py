"""Dimensions from outside the rules: fund-flow warnings and the learned model.

They join the index the way every dimension does, by saturation, after the
rules' corroboration cap, since each is a source of its own (a bank's statement,
a model of the office's case history):

    score' = 100 * (1 - (1 - score / 100) * (1 - w * D / 100))

with w the dimension's weight in scoring.yaml's `external_weights`. The grade is
recomputed from the new score and the dimension's evidence is appended.
"""

from __future__ import annotations

import polars as pl

from fundwatch.lexicons import RuleSet
from fundwatch.screening.scores import grade, round_score


def add_dimension(scores: pl.DataFrame, dims: pl.DataFrame, name: str, ruleset: RuleSet) -> pl.DataFrame:
    """`scores` with `dim_<name>` from `dims` (subject_key, dim_<name>, evidence_<name>) in the index.

    Subjects absent from `dims` get 0 for the dimension and keep their score. A null or
    empty `evidence_<name>` adds nothing to the evidence. `dim_<name>` is placed after the
    other dimension columns.
    """
    column, extra = f"dim_{name}", f"evidence_{name}"
    weight = ruleset.scoring.weight(name)
    text = pl.col(extra).cast(pl.String) if extra in dims.columns else pl.lit(None, pl.String).alias(extra)
    incoming = dims.select("subject_key", pl.col(column).cast(pl.Float64), text)
    joined = scores.drop(column, strict=False).join(incoming, on="subject_key", how="left", maintain_order="left")
    dim = pl.col(column).fill_null(0.0).clip(0.0, 100.0)
    score = round_score(100.0 * (1.0 - (1.0 - pl.col("score") / 100.0) * (1.0 - weight * dim / 100.0)))
    has_extra = pl.col(extra).is_not_null() & (pl.col(extra) != "")
    evidence = (
        pl.when(has_extra & pl.col("evidence").is_not_null() & (pl.col("evidence") != ""))
        .then(pl.concat_str(pl.col("evidence"), pl.lit("；"), pl.col(extra)))
        .when(has_extra).then(pl.col(extra))
        .otherwise(pl.col("evidence"))
    )
    dims_end = max(i for i, c in enumerate(scores.columns) if c.startswith("dim_")) + 1
    rest = [c for c in scores.columns if c != column]
    order = [*rest[:dims_end], column, *rest[dims_end:]] if column not in scores.columns else scores.columns
    return (
        joined.with_columns(dim.alias(column), score=score, evidence=evidence)
        .with_columns(grade=grade(pl.col("score"), ruleset))
        .select(order)
    )
