"""`screen`: a registry batch and its side tables in, one graded, explained row per subject out.

Pure: frames in, frames out, no I/O. The rule set (words, weights, cut-offs,
profile) is data; the same frames and rule-set version give the same output,
row for row and byte for byte (hits are sorted on every column that could tie).
See fundwatch.screening.scores for the score formula.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import polars as pl

from fundwatch.frames import HITS_SCHEMA, REGISTRY_SCHEMA, SCORES_SCHEMA, SIDE_KINDS, SIDE_SCHEMAS
from fundwatch.lexicons import RuleSet
from fundwatch.screening.context import Context
from fundwatch.screening.rules import RULES
from fundwatch.screening.scores import evidence, grade, subject_scores

# Screening.hits: HITS_SCHEMA, then the evidence clause of each hit.
SCREEN_HITS_SCHEMA: dict[str, pl.DataType] = {**HITS_SCHEMA, "clause": pl.String()}


class ScreeningInputError(ValueError):
    """A frame handed to `screen` lacks columns of its contract (fundwatch.frames)."""


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


def _side_frames(side: SideTables, keys: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Every side table conformed to its schema and cut to the subjects of this batch (missing ones empty)."""
    frames = {}
    for kind in SIDE_KINDS:
        given = getattr(side, kind)
        schema = SIDE_SCHEMAS[kind]
        frames[kind] = pl.DataFrame(schema=schema) if given is None else _conform(given, schema, f"附表“{kind}”")
    # the side tables name fewer subjects than a batch holds: match those once, then filter each table
    named = pl.concat([f.select("subject_key") for f in frames.values()]).unique()
    present = named.join(keys, on="subject_key", how="semi").get_column("subject_key").implode()
    return {kind: f.filter(pl.col("subject_key").is_in(present)) for kind, f in frames.items()}


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


def collect_hits(ctx: Context, rows: pl.DataFrame) -> pl.DataFrame:
    """Every rule's hits with rule id, dimension and explanation, in evidence order.

    `rows` gives each subject_key its first registry row, `_row`; the hits carry
    it in front of SCREEN_HITS_SCHEMA, so scores group on a number, not a text.
    """
    parts = []
    for order, rule in enumerate(RULES):
        params = ctx.params(rule.id)
        parts.append(rule.func(ctx).with_columns(
            rule=pl.lit(rule.id), dimension=pl.lit(params.dimension), explanation=pl.lit(rule.explanation),
            _order=pl.lit(order),
        ))
    found = pl.concat(parts).filter(pl.col("points") > 0)
    tables = {t: i for i, t in enumerate(("registry", *SIDE_KINDS))}
    return (
        found.join(rows, on="subject_key", how="inner", maintain_order="left")
        .with_columns(_table=pl.col("table").replace_strict(tables, return_dtype=pl.UInt8))
        # stable: hits that tie keep the order their rule produced them in, itself deterministic
        .sort(["_row", "_order", "_table", "source_line"], nulls_last=True, maintain_order=True)
        .select("_row", *(pl.col(c).cast(t) for c, t in SCREEN_HITS_SCHEMA.items()))
    )


def _sector_columns(ctx: Context) -> pl.DataFrame:
    profile = ctx.ruleset.profile
    departments = {s.id: profile.department_of(s.id) for s in ctx.ruleset.key_sectors}
    return ctx.sectors.select(
        "subject_key", sector="sector_name",
        department=pl.col("sector").replace_strict(departments, default=None, return_dtype=pl.String),
    ).unique(subset=["subject_key"], keep="first", maintain_order=True)


def assemble_scores(ctx: Context, hits: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """One row per registry row, in registry order, per SCORES_SCHEMA."""
    ruleset = ctx.ruleset
    dims = [c for c in SCORES_SCHEMA if c.startswith("dim_")]
    # a subject with evidence but no key sector goes to the office that gathers the rest
    default = pl.when(pl.col("evidence").is_not_null()).then(pl.lit(ruleset.profile.default_department))
    # the per-subject frames are small: put them together first, then join the registry once
    per_subject = (
        subject_scores(hits, ruleset)
        .join(evidence(hits, ruleset.scoring.evidence_per_rule), on="_row", how="left")
        .join(rows, on="_row", how="inner")
        .drop("_row")
        .join(_sector_columns(ctx), on="subject_key", how="full", coalesce=True)
    )
    return (
        ctx.registry.select("subject_key", "name", "region_code", "township_code")
        .join(per_subject, on="subject_key", how="left", maintain_order="left")
        .with_columns(pl.col(dims).fill_null(0.0), score=pl.col("score").fill_null(0.0),
                      department=pl.coalesce(pl.col("department"), default), ruleset_version=pl.lit(ruleset.version))
        .with_columns(grade=grade(pl.col("score"), ruleset))
        .select(pl.col(c).cast(t) for c, t in SCORES_SCHEMA.items())
    )


def screen(registry: pl.DataFrame, side: SideTables, ruleset: RuleSet, *, as_of: dt.date | None = None) -> Screening:
    """Screen a registry batch against its side tables with `ruleset`.

    `as_of` dates the rules that look at age and recency (new_finance_company,
    closed_but_advertising); by default the latest date of the side tables (see
    `default_as_of`). Side tables may cover more subjects than the batch: they
    are cut to it.
    """
    registry = _conform(registry, REGISTRY_SCHEMA, "登记数据")
    rows = registry.select("subject_key").with_row_index("_row").unique(subset=["subject_key"], keep="first")
    ctx = Context(registry, _side_frames(side, rows.select("subject_key")), ruleset, as_of or default_as_of(side))
    hits = collect_hits(ctx, rows)
    return Screening(assemble_scores(ctx, hits, rows), hits.drop("_row"), ruleset.version)
