"""People's decisions on proposed matches, honoured on every later run.

A review says of a pair (either order) that it is the same outfit, not the same,
or that the reviewer is unsure. The latest review of a pair wins. A pair
reviewed "not same" is never linked again, whatever the evidence; a pair
reviewed "same" is linked even when the evidence alone would not link it;
"unsure" keeps the engine's verdict and says so.
"""

from __future__ import annotations

import polars as pl

from fundwatch.linking.frames import DECISION_ZH

PAIR = ["subject_key", "matched_key"]
# Decisions as people type them → decision id.
DECISION_WORDS: dict[str, str] = {
    "same": "same", "not_same": "not_same", "not same": "not_same", "unsure": "unsure",
    "同一": "same", "是": "same", "同一主体": "same", "相同": "same",
    "不是同一": "not_same", "不同": "not_same", "否": "not_same", "不是同一主体": "not_same", "非同一主体": "not_same",
    "不确定": "unsure", "待定": "unsure", "存疑": "unsure",
}


def decision_id(col: pl.Expr) -> pl.Expr:
    """A decision as typed (同一主体, not same …) → same | not_same | unsure, or null when unknown."""
    return col.str.strip_chars().str.to_lowercase().replace_strict(DECISION_WORDS, default=None,
                                                                      return_dtype=pl.String)


def _unordered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.min_horizontal("subject_key", "matched_key").alias("a"),
        pl.max_horizontal("subject_key", "matched_key").alias("b"),
    )


def latest(reviews: pl.DataFrame) -> pl.DataFrame:
    """One row per unordered pair (columns a < b): its latest review, by `when` then by line, as written."""
    frame = reviews.with_columns(decision_id(pl.col("decision")).alias("decision")).filter(
        pl.col("decision").is_not_null()
    )
    frame = _unordered(frame).sort(["when", "line"], nulls_last=False)
    return frame.unique(["a", "b"], keep="last").select(*PAIR, "a", "b", "decision", "who", "when")


def review_clause() -> pl.Expr:
    zh = pl.col("decision_r").replace_strict(DECISION_ZH, default="", return_dtype=pl.String)
    who = pl.col("who").fill_null("未署名")
    return pl.format("人工复核：{}（{}，{}）", zh, who, pl.col("when").fill_null("日期不详"))


def apply_reviews(scored: pl.DataFrame, reviews: pl.DataFrame | None) -> pl.DataFrame:
    """The scored pairs with reviews honoured: not-same pairs dropped, same pairs added or confirmed."""
    if reviews is None or reviews.is_empty():
        return scored.with_columns(pl.lit(None, dtype=pl.String).alias("review"))
    last = latest(reviews).rename({"decision": "decision_r"})
    marks = last.drop(PAIR)
    kept = _unordered(scored).join(marks.filter(pl.col("decision_r") == "not_same"), on=["a", "b"], how="anti")
    kept = kept.join(marks, on=["a", "b"], how="left")
    reviewed = pl.col("decision_r").is_not_null()
    kept = kept.with_columns(
        pl.when(pl.col("decision_r") == "same").then(pl.lit("same")).otherwise(pl.col("decision")).alias("decision"),
        pl.when(reviewed).then(pl.concat_str([review_clause(), pl.col("reasons")], separator="；")).otherwise(
            pl.col("reasons")).alias("reasons"),
        pl.col("decision_r").alias("review"),
    )
    added = last.filter(pl.col("decision_r") == "same").join(kept, on=["a", "b"], how="anti").select(
        *PAIR, pl.lit(100.0).alias("score"), pl.lit("same").alias("decision"), pl.lit("review").alias("kind"),
        pl.lit("review").alias("kinds"), review_clause().alias("reasons"), pl.col("decision_r").alias("review"),
    )
    return pl.concat([kept.select(added.columns), added])
