"""From hits to scores: rule totals, dimension scores, the composite index, grade and evidence.

The formula (all numbers from scoring.yaml):

1. A hit carries points p (0-100) from its lexicon word or rule parameters.
2. Per subject and rule:   r = min(cap_rule, sum of p over the rule's hits).
3. Per subject and dimension, the rules of the dimension saturate:
       D = 100 * (1 - prod over rules (1 - r / 100)).
   Two rules at 50 give 75, never more than 100; one rule alone gives its r.
4. The raw index combines the dimensions the same way, each scaled by its weight w:
       S = 100 * (1 - prod over dimensions (1 - w * D / 100)).
   A dimension at 100 alone gives 100 * w; every further dimension adds to what is left.
5. Corroboration: hits fall into independent groups (registry text = name, scope,
   industry code, entity type; registry facts = capital, dates, status,
   registration place; each side table). Unless a subject has hits in at least
   min_groups groups, or one rule's side-table hits alone reach standalone_points,
   S is cut to `cap` (39.9: below yellow). A finance word in a name, with the
   scope and sector that come with it, is one group and stays blue at most.
6. score = S rounded half up to one decimal; the grade is the first of red, orange,
   yellow, blue whose lower bound the score reaches, else green.

Evidence: the clauses of the hits, in rule order then table, line and text, at
most evidence_per_rule per rule (the last one kept says how many there were),
joined by “；”.
"""

from __future__ import annotations

import polars as pl

from fundwatch.frames import DIMENSIONS
from fundwatch.lexicons import RuleSet

REGISTRY_TEXT_FIELDS = ("name", "business_scope", "industry_code", "entity_type")


def evidence_group() -> pl.Expr:
    """The independent group of a hit: registry_text, registry_facts or the side table's name."""
    text = pl.col("field").is_in(REGISTRY_TEXT_FIELDS)
    return (
        pl.when(pl.col("table") != "registry").then(pl.col("table"))
        .when(text).then(pl.lit("registry_text"))
        .otherwise(pl.lit("registry_facts"))
    )


def _saturate(remaining: pl.Expr) -> pl.Expr:
    return 100.0 * (1.0 - remaining)


# Sums that must not depend on the order of their terms are taken over integers: points in
# millionths, logarithms in 2**-40ths. Float addition is not associative, and Polars adds a
# group's rows in an order that can vary between runs (same input, same output).
_POINT_SCALE = 1_000_000
_LOG_SCALE = float(2**40)


# Scores are shown with one decimal, rounded half up as on paper (2.75 -> 2.8): a float a hair below
# the half (2.7499999999) is float error, not a lower score.
_HALF_UP = 1e-9


def round_score(value: pl.Expr) -> pl.Expr:
    """A score or dimension (0-100) rounded half up to one decimal."""
    return (value + _HALF_UP).round(1)


def exact_sum(points: pl.Expr) -> pl.Expr:
    """The sum of `points` (an aggregation) taken over millionths, so it is the same in any order."""
    return (points * _POINT_SCALE).round().cast(pl.Int64).sum() / _POINT_SCALE


def _rule_totals(hits: pl.DataFrame, ruleset: RuleSet) -> pl.DataFrame:
    """Per subject and rule: total (capped) and side_total (its side-table hits alone, capped)."""
    caps = pl.col("rule").replace_strict({r: p.cap for r, p in ruleset.scoring.rules}, return_dtype=pl.Float64)
    side_points = pl.when(pl.col("table") != "registry").then(pl.col("points")).otherwise(0.0)
    return (
        hits.group_by("_row", "rule", "dimension")
        .agg(raw=exact_sum(pl.col("points")), side_raw=exact_sum(side_points))
        .with_columns(total=pl.min_horizontal("raw", caps).clip(0.0, 100.0),
                      side_total=pl.min_horizontal("side_raw", caps))
    )


def subject_scores(hits: pl.DataFrame, ruleset: RuleSet) -> pl.DataFrame:
    """One row per subject with hits (`_row`, as `collect_hits` numbers them): dim_* scores and score."""
    scoring = ruleset.scoring
    # products as sums of logs (in fixed point, see _LOG_SCALE); a rule at 100 leaves nothing of its
    # dimension, which the sum of logs cannot say (log 0), so it is counted apart as `full`.
    full = pl.col("total") >= 100.0
    left_of_rule = pl.when(full).then(1.0).otherwise(1.0 - pl.col("total") / 100.0)
    log_left = (left_of_rule.log() * _LOG_SCALE).round().cast(pl.Int64)
    in_dim = {d: pl.col("dimension") == d for d in DIMENSIONS}
    per_subject = (
        _rule_totals(hits, ruleset)
        .group_by("_row")
        .agg(*(pl.when(in_dim[d]).then(log_left).otherwise(0).sum().alias(f"dim_{d}") for d in DIMENSIONS),
             *((in_dim[d] & full).any().alias(f"full_{d}") for d in DIMENSIONS),
             standalone=pl.col("side_total").max())
        .with_columns(
            pl.when(pl.col(f"full_{d}")).then(100.0).otherwise(_saturate((pl.col(f"dim_{d}") / _LOG_SCALE).exp()))
            .alias(f"dim_{d}") for d in DIMENSIONS
        )
        .drop(*(f"full_{d}" for d in DIMENSIONS))
    )
    groups = hits.group_by("_row").agg(n_groups=evidence_group().n_unique())
    left = pl.lit(1.0)
    for d in DIMENSIONS:
        left = left * (1.0 - scoring.weight(d) * pl.col(f"dim_{d}") / 100.0)
    corroboration = scoring.corroboration
    corroborated = (pl.col("n_groups") >= corroboration.min_groups) | (
        pl.col("standalone") >= corroboration.standalone_points)
    raw = _saturate(left)
    score = round_score(pl.when(corroborated).then(raw).otherwise(pl.min_horizontal(raw, pl.lit(corroboration.cap))))
    return (
        per_subject.join(groups, on="_row", how="left")
        .with_columns(*(round_score(pl.col(f"dim_{d}")) for d in DIMENSIONS), score=score)
        .drop("n_groups", "standalone")
    )


def grade(score: pl.Expr, ruleset: RuleSet) -> pl.Expr:
    """The grade of a score by the cut-offs of scoring.yaml (green below the last)."""
    graded: pl.Expr = pl.lit("green")
    for name, low in reversed(ruleset.scoring.grades):
        graded = pl.when(score >= low).then(pl.lit(name)).otherwise(graded)
    return graded


def evidence(hits: pl.DataFrame, per_rule: int) -> pl.DataFrame:
    """_row, evidence: the clauses of `hits`, per_rule at most per rule and subject.

    `hits` must be in evidence order, each subject's hits of one rule together
    (as `collect_hits` sorts them): the rank of a hit within its rule is then its
    distance from the start of its run, with no window over string keys.
    """
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    new_run = ((pl.col("_row") != pl.col("_row").shift())
               | (pl.col("rule") != pl.col("rule").shift())).fill_null(True)
    ranked = (
        hits.select("_row", "rule", "clause")
        .filter(pl.col("clause").is_not_null() & (pl.col("clause") != ""))
        .with_columns(k=index - pl.when(new_run).then(index).forward_fill(), run=new_run.cum_sum())
        .with_columns(n=pl.len().over("run"))
    )
    more = pl.concat_str(pl.col("clause"), pl.lit("等共"), pl.col("n").cast(pl.String), pl.lit("处"))
    return (
        ranked.filter(pl.col("k") < per_rule)
        .with_columns(clause=pl.when((pl.col("k") == per_rule - 1) & (pl.col("n") > per_rule))
                      .then(more).otherwise(pl.col("clause")))
        .group_by("_row", maintain_order=True)
        .agg(pl.col("clause"))
        .select("_row", evidence=pl.col("clause").list.join("；"))
    )
