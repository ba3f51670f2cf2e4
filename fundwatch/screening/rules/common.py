"""What a rule returns, and the shared shape of rules that count lexicon words."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from fundwatch.screening.evidence import phrase, quoted, when_where
from fundwatch.screening.scores import exact_sum

# A rule's hits: the engine adds rule id, dimension and explanation.
RULE_HIT_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "points": pl.Float64(),
    "table": pl.String(),
    "field": pl.String(),
    "matched": pl.String(),
    "source_line": pl.Int64(),
    "clause": pl.String(),  # one clause of the evidence text
}


def hits(frame: pl.DataFrame, **columns: pl.Expr) -> pl.DataFrame:
    """`frame` projected to RULE_HIT_SCHEMA by one expression per column."""
    return frame.select(**{name: columns[name].cast(dtype) for name, dtype in RULE_HIT_SCHEMA.items()})


def term_hits(terms: pl.DataFrame, kind: str, opening: Mapping[str, str], closing: str = "",
              show: str = "term") -> pl.DataFrame:
    """One hit per text in which words of lexicon `kind` were found.

    An entry (a guise, a target group; for flat word lists the word itself)
    scores the points of its strongest word; a text scores the sum over its
    entries. The clause opens with `opening[place]`, quotes the words (or the
    entry names, `show="entry_name"`), adds `closing`, then date and channel.

    `terms` holds the words of each text together (as `find_terms` gives them), so a
    text is a run of rows: runs are numbered and grouped on that number.
    """
    ident = ["table", "field", "subject_key", "line"]
    found = terms.filter(pl.col("kind") == kind)
    new_text = pl.any_horizontal(pl.col(c).ne_missing(pl.col(c).shift()) for c in ident)
    found = found.with_columns(_text=new_text.fill_null(True).cum_sum())
    points = (
        found.group_by("_text", "entry").agg(pl.col("points").max())
        .group_by("_text").agg(exact_sum(pl.col("points")))  # the same whatever order the entries come in
    )
    per_text = (
        found.unique(subset=["_text", show], keep="first", maintain_order=True)
        .group_by("_text", maintain_order=True)
        .agg(*(pl.col(c).first() for c in ident), shown=pl.col(show), date=pl.col("date").first(),
             detail=pl.col("detail").first())
        .join(points, on="_text", how="left", maintain_order="left")
    )
    clause = pl.concat_str(phrase(opening), quoted(pl.col("shown")), pl.lit(closing),
                           when_where(pl.col("date"), pl.col("detail")))
    return hits(per_text, subject_key=pl.col("subject_key"), points=pl.col("points"), table=pl.col("table"),
                field=pl.col("field"), matched=pl.col("shown").list.join("、"), source_line=pl.col("line"),
                clause=clause)
