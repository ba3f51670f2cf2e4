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
6. score = S rounded to one decimal; the grade is the first of red, orange,
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


def _rule_totals(hits: pl.DataFrame, ruleset: RuleSet) -> pl.DataFrame:
    """Per subject and rule: total (capped) and side_total (its side-table hits alone, capped)."""
    caps = pl.col("rule").replace_strict({r: p.cap for r, p in ruleset.scoring.rules}, return_dtype=pl.Float64)
    side_points = pl.when(pl.col("table") != "registry").then(pl.col("points")).otherwise(0.0)
    return (
        hits.group_by("_row", "rule", "dimension")
        .agg(raw=pl.col("points").sort().sum(), side_raw=side_points.sort().sum())
        .with_columns(total=pl.min_horizontal("raw", caps).clip(0.0, 100.0),
                      side_total=pl.min_horizontal("side_raw", caps))
    )


def subject_scores(hits: pl.DataFrame, ruleset: RuleSet) -> pl.DataFrame:
    """One row per subject with hits (`_row`, as `collect_hits` numbers them): dim_* scores and score."""
    scoring = ruleset.scoring
    # products as sums of logs: a rule at 100 gives log(0) = -inf, and exp(-inf) = 0 leaves nothing.
    # Every float sum adds its group's values in sorted order: a group's rows arrive in an order
    # that varies between runs, and float addition is not associative (same input, same output).
    per_subject = (
        _rule_totals(hits, ruleset)
        .with_columns(log_left=(1.0 - pl.col("total") / 100.0).log())
        .group_by("_row")
        .agg(*(pl.when(pl.col("dimension") == d).then(pl.col("log_left")).otherwise(0.0).sort().sum()
               .alias(f"dim_{d}") for d in DIMENSIONS),
             standalone=pl.col("side_total").max())
        .with_columns(_saturate(pl.col(f"dim_{d}").exp()).alias(f"dim_{d}") for d in DIMENSIONS)
    )
    groups = hits.select("_row", group=evidence_group()).unique().group_by("_row").agg(n_groups=pl.len())
    left = pl.lit(1.0)
    for d in DIMENSIONS:
        left = left * (1.0 - scoring.weight(d) * pl.col(f"dim_{d}") / 100.0)
    corroboration = scoring.corroboration
    corroborated = (pl.col("n_groups") >= corroboration.min_groups) | (
        pl.col("standalone") >= corroboration.standalone_points)
    raw = _saturate(left)
    score = pl.when(corroborated).then(raw).otherwise(pl.min_horizontal(raw, pl.lit(corroboration.cap))).round(1)
    return (
        per_subject.join(groups, on="_row", how="left")
        .with_columns(*(pl.col(f"dim_{d}").round(1) for d in DIMENSIONS), score=score)
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
