"""`screen`: a registry batch and its side tables in, one graded, explained row per subject out.

Pure: frames in, frames out, no I/O. The rule set (words, weights, cut-offs,
profile) is data; the same frames and rule-set version give the same output,
row for row and byte for byte (hits are sorted on every column that could tie).
See fundwatch.screening.scores for the score formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

import polars as pl

from fundwatch.frames import (
    HITS_SCHEMA,
    REGISTRY_SCHEMA,
    SCORES_SCHEMA,
    SIDE_KINDS,
    SIDE_SCHEMAS,
    ScreeningInputError,
)
from fundwatch.lexicons import RuleSet
from fundwatch.screening.context import Context
from fundwatch.screening.rules import RULE_HIT_SCHEMA, RULES, Rule
from fundwatch.screening.scores import evidence, grade, subject_scores

# Screening.hits: HITS_SCHEMA, then the evidence clause of each hit.
SCREEN_HITS_SCHEMA: dict[str, pl.DataType] = {**HITS_SCHEMA, "clause": pl.String()}


@dataclass(frozen=True)
class SideTables:
    """The optional side tables of a screening, each per SIDE_SCHEMAS (extra columns are ignored)."""

    changes: pl.DataFrame | None = None
    abnormal: pl.DataFrame | None = None
    judicial: pl.DataFrame | None = None
    ads: pl.DataFrame | None = None
    reports: pl.DataFrame | None = None
    news: pl.DataFrame | None = None


@dataclass(frozen=True)
class Screening:
    """The result: `scores` (SCORES_SCHEMA, one row per registry row, same order) and `hits` (SCREEN_HITS_SCHEMA)."""

    scores: pl.DataFrame
    hits: pl.DataFrame
    ruleset_version: str


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType], what: str) -> pl.DataFrame:
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ScreeningInputError(f"{what}缺少列：{'、'.join(missing)}")
    return frame.select(pl.col(c).cast(t) for c, t in schema.items())


def _conformed_side(side: SideTables) -> dict[str, pl.DataFrame]:
    """Every side table conformed to its schema (a missing one empty)."""
    frames = {}
    for kind in SIDE_KINDS:
        given = getattr(side, kind)
        schema = SIDE_SCHEMAS[kind]
        frames[kind] = pl.DataFrame(schema=schema) if given is None else _conform(given, schema, f"附表“{kind}”")
    return frames


def default_as_of(side: SideTables) -> dt.date | None:
    """The latest date of the side tables: the same for every batch of a run; None without dated records.

    Not the registry's newest establishment: within a batch that one would
    always look new. Without an as-of date the age rules stay silent.
    """
    latest = [
        frame.get_column("date").max()
        for frame in (getattr(side, f.name) for f in fields(side))
        if frame is not None and "date" in frame.columns and frame.height
    ]
    dates = [d for d in latest if isinstance(d, dt.date)]
    return max(dates) if dates else None


def _rule_hits(ctx: Context, which: Callable[[Rule], bool]) -> pl.DataFrame:
    """The hits with points of the rules `which` picks, in `ctx`: rule id, dimension, explanation and
    `_order` (the rule's place in RULES) added."""
    parts = []
    for order, rule in enumerate(RULES):
        if not which(rule):
            continue
        params = ctx.params(rule.id)
        parts.append(rule.func(ctx).with_columns(
            rule=pl.lit(rule.id), dimension=pl.lit(params.dimension), explanation=pl.lit(rule.explanation),
            _order=pl.lit(order),
        ))
    if not parts:
        return _empty_rule_hits()
    return pl.concat(parts).filter(pl.col("points") > 0)


def _empty_rule_hits() -> pl.DataFrame:
    return pl.DataFrame(schema={**RULE_HIT_SCHEMA, "rule": pl.String(), "dimension": pl.String(),
                                "explanation": pl.String(), "_order": pl.Int32()})


@dataclass(frozen=True)
class PreparedSide:
    """Side tables made ready once for every registry batch of a run (`prepare_side`).

    `tables` are conformed to SIDE_SCHEMAS; `by_subject` holds the hits of the rules
    that read the side tables alone, for every subject they name, as one row of lists
    per subject (a batch finds its subjects' hits among a few subjects rather than
    among every hit).
    """

    tables: Mapping[str, pl.DataFrame]
    by_subject: pl.DataFrame
    ruleset: RuleSet
    as_of: dt.date | None


def prepare_side(side: SideTables, ruleset: RuleSet, *, as_of: dt.date | None = None) -> PreparedSide:
    """Conform the side tables and find the hits of the rules that read them alone, once per run.

    Every rule groups its hits by subject, so hits found over all subjects and then
    cut to a batch are the hits found in the batch's own records. `as_of` is by
    default the latest date of the side tables (`default_as_of`).
    """
    tables = _conformed_side(side)
    as_of = as_of or default_as_of(side)
    if all(table.is_empty() for table in tables.values()):  # no records, no hits: the rules need not run
        hits = _empty_rule_hits()
    else:
        ctx = Context(pl.DataFrame(schema=REGISTRY_SCHEMA), tables, ruleset, as_of)
        hits = _rule_hits(ctx, lambda rule: rule.on_side)
    by_subject = hits.group_by("subject_key", maintain_order=True).agg(pl.all())
    return PreparedSide(tables, by_subject, ruleset, as_of)


@dataclass(frozen=True)
class RegistryPass:
    """What screening a registry batch finds before its side tables are ready (`screen_registry`).

    `ctx` is the batch's conformed registry with empty side tables (its word matches and sectors
    found), `rows` gives each subject_key its first registry row `_row`, and `hits` are the hits of
    the rules that read the registry alone, with `_row`. `finish_screening` adds the rest.
    """

    ctx: Context
    rows: pl.DataFrame
    hits: pl.DataFrame


def screen_registry(registry: pl.DataFrame, ruleset: RuleSet, as_of: dt.date | None) -> RegistryPass:
    """The part of a batch's screening that reads no side table: the registry rules' hits and the sectors.

    A run does it while its side tables are still being prepared; `as_of` must be the date they give
    (`default_as_of`) unless one was chosen.
    """
    registry = _conform(registry, REGISTRY_SCHEMA, "登记数据")
    rows = registry.select("subject_key").with_row_index("_row").unique(subset=["subject_key"], keep="first")
    ctx = Context(registry, _conformed_side(SideTables()), ruleset, as_of)
    hits = _rule_hits(ctx, lambda rule: rule.on_registry and not rule.joint)
    _ = ctx.sectors  # found now, with the rest of the registry's own work
    return RegistryPass(ctx, rows, hits.join(rows, on="subject_key", how="inner", maintain_order="left"))


def collect_hits(passed: RegistryPass, side: PreparedSide) -> pl.DataFrame:
    """Every rule's hits with rule id, dimension and explanation, in evidence order.

    The registry rules' hits come from `passed`; the side tables' own hits from `side`;
    a joint rule reads the registry beside the run's whole side tables (it joins them
    to the batch itself). Joining `rows` (each subject_key of the batch and its first
    registry row, `_row`) keeps the hits of the batch's subjects, which carry `_row` in
    front of SCREEN_HITS_SCHEMA, so scores group on a number, not a text.
    """
    joint = passed.ctx.with_side(side.tables)
    rows = passed.rows
    found = pl.concat([
        passed.hits,
        _rule_hits(joint, lambda rule: rule.joint)
        .join(rows, on="subject_key", how="inner", maintain_order="left"),
    ])
    lists = [c for c in side.by_subject.columns if c != "subject_key"]
    own = (side.by_subject.join(rows, on="subject_key", how="inner")
           .explode(lists, empty_as_null=False).select(found.columns))
    tables = {t: i for i, t in enumerate(("registry", *SIDE_KINDS))}
    return (
        pl.concat([own, found])
        .with_columns(_table=pl.col("table").replace_strict(tables, return_dtype=pl.UInt8))
        # stable: hits that tie keep the order their rule produced them in, itself deterministic
        .sort(["_row", "_order", "_table", "source_line"], nulls_last=True, maintain_order=True)
        .select("_row", *(pl.col(c).cast(t) for c, t in SCREEN_HITS_SCHEMA.items()))
    )


def _sector_columns(ctx: Context, rows: pl.DataFrame) -> pl.DataFrame:
    """`_row`, sector and department of each subject with a key sector."""
    profile = ctx.ruleset.profile
    departments = {s.id: profile.department_of(s.id) for s in ctx.ruleset.key_sectors}
    return ctx.sectors.select(
        "subject_key", sector="sector_name",
        department=pl.col("sector").replace_strict(departments, default=None, return_dtype=pl.String),
    ).unique(subset=["subject_key"], keep="first", maintain_order=True).join(rows, on="subject_key").drop("subject_key")


def _key_rows(registry: pl.DataFrame, rows: pl.DataFrame) -> pl.Series:
    """For each registry row, the `_row` of its key's first row: the row itself unless keys repeat."""
    if rows.height == registry.height:
        return pl.int_range(registry.height, dtype=pl.UInt32, eager=True).alias("_row")
    return registry.select("subject_key").join(rows, on="subject_key", how="left", maintain_order="left").get_column(
        "_row")


def assemble_scores(ctx: Context, hits: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """One row per registry row, in registry order, per SCORES_SCHEMA."""
    ruleset = ctx.ruleset
    dims = [c for c in SCORES_SCHEMA if c.startswith("dim_")]
    # a subject with evidence but no key sector goes to the office that gathers the rest
    default = pl.when(pl.col("evidence").is_not_null()).then(pl.lit(ruleset.profile.default_department))
    # the per-subject frames are small: put them together first, then join the registry once, on row numbers
    per_subject = (
        subject_scores(hits, ruleset)
        .join(evidence(hits, ruleset.scoring.evidence_per_rule), on="_row", how="left")
        .join(_sector_columns(ctx, rows), on="_row", how="full", coalesce=True)
    )
    return (
        ctx.registry.select("subject_key", "name", "region_code", "township_code", _key_rows(ctx.registry, rows))
        .join(per_subject, on="_row", how="left", maintain_order="left")
        .with_columns(pl.col(dims).fill_null(0.0), score=pl.col("score").fill_null(0.0),
                      department=pl.coalesce(pl.col("department"), default), ruleset_version=pl.lit(ruleset.version))
        .with_columns(grade=grade(pl.col("score"), ruleset))
        .select(pl.col(c).cast(t) for c, t in SCORES_SCHEMA.items())
    )


def finish_screening(passed: RegistryPass, side: PreparedSide) -> Screening:
    """The batch's screening once its side tables are prepared: their hits and the joint rules' added to
    `passed`, then the scores."""
    ctx = passed.ctx
    if side.ruleset is not ctx.ruleset or side.as_of != ctx.as_of:
        raise ValueError("prepared side tables belong to another rule set or as-of date")
    hits = collect_hits(passed, side)
    return Screening(assemble_scores(ctx, hits, passed.rows), hits.drop("_row"), ctx.ruleset.version)


def screen(registry: pl.DataFrame, side: SideTables | PreparedSide, ruleset: RuleSet, *,
           as_of: dt.date | None = None) -> Screening:
    """Screen a registry batch against its side tables with `ruleset`.

    `as_of` dates the rules that look at age and recency (new_finance_company,
    closed_but_advertising); by default the latest date of the side tables (see
    `default_as_of`). Side tables may cover more subjects than the batch: they
    are cut to it. A run of many batches prepares its side tables once
    (`prepare_side`) and hands them to every batch; it may also screen a batch's
    registry (`screen_registry`) before they are ready and finish it after
    (`finish_screening`), which is what this does in one go.
    """
    if isinstance(side, SideTables):
        side = prepare_side(side, ruleset, as_of=as_of)
    elif side.ruleset is not ruleset or (as_of is not None and as_of != side.as_of):
        raise ValueError("prepared side tables belong to another rule set or as-of date")
    return finish_screening(screen_registry(registry, ruleset, side.as_of), side)
