"""Frequent changes of registration details within a rolling window."""

from __future__ import annotations

import datetime as dt

import polars as pl

from fundwatch.screening.automaton import find_terms
from fundwatch.screening.context import Context
from fundwatch.screening.evidence import day
from fundwatch.screening.rules.common import RULE_HIT_SCHEMA, hits, term_hits


def _watched(ctx: Context) -> pl.DataFrame:
    """The dated changes of watched items, one category each: subject_key, line, date, category, category_name."""
    changes = ctx.side["changes"].filter(pl.col("date").is_not_null())
    found = find_terms(changes, pl.col("item"), ("subject_key", "line", "date"), ctx.lexicons.item, "item")
    return found.unique(subset=["subject_key", "line"], keep="first", maintain_order=True).select(
        "subject_key", "line", "date", category="entry", category_name="entry_name"
    )


def _busiest_windows(watched: pl.DataFrame, days: int, min_count: int) -> pl.DataFrame:
    """Per subject, the window of `days` ending at a change that holds the most changes (the earliest such)."""
    ordered = watched.sort("subject_key", "date", "line")
    windows = ordered.rolling(index_column="date", period=f"{days}d", group_by="subject_key").agg(
        n=pl.len(), last_line=pl.col("line").last()
    )
    return (
        windows.filter(pl.col("n") >= min_count)
        .sort(["subject_key", "n", "date"], descending=[False, True, False])
        .unique(subset=["subject_key"], keep="first", maintain_order=True)
        .rename({"date": "end"})
        .with_columns(start=pl.col("end") - dt.timedelta(days=days))
    )


def _breakdown(watched: pl.DataFrame, busiest: pl.DataFrame, order: list[str]) -> pl.DataFrame:
    """住所2次、法定代表人1次 … for the changes inside each subject's busiest window."""
    inside = watched.join(busiest, on="subject_key", how="inner").filter(
        (pl.col("date") > pl.col("start")) & (pl.col("date") <= pl.col("end"))
    )
    counts = inside.group_by("subject_key", "category", "category_name").agg(k=pl.len(), first=pl.col("date").min())
    return (
        counts.sort(["subject_key", pl.col("category").replace_strict({c: i for i, c in enumerate(order)})])
        .group_by("subject_key", maintain_order=True)
        .agg(first=pl.col("first").min(),
             parts=pl.concat_str(pl.col("category_name"), pl.col("k").cast(pl.String), pl.lit("次")).str.join("、"))
    )


def frequent_changes(ctx: Context) -> pl.DataFrame:
    """短期内频繁变更住所、名称、法定代表人或高管信息。

    000 四(一), 001 五(二): 频繁变更注册地址和高管信息. At least min_count changes
    of the watched items (records.yaml) within window_days score the rule's
    points, and extra_points for each change beyond.
    """
    params = ctx.params("frequent_changes")
    min_count = int(params.threshold("min_count"))
    watched = _watched(ctx)
    if watched.is_empty():
        return pl.DataFrame(schema=RULE_HIT_SCHEMA)
    busiest = _busiest_windows(watched, int(params.threshold("window_days")), min_count)
    order = [c.id for c in ctx.ruleset.records.change_categories]
    found = busiest.join(_breakdown(watched, busiest, order), on="subject_key", how="inner", maintain_order="left")
    counted = pl.concat_str(pl.col("n").cast(pl.String), pl.lit("次"))
    clause = pl.concat_str(day(pl.col("first")), pl.lit("至"), day(pl.col("end")), pl.lit("间变更"), counted,
                           pl.lit("（"), pl.col("parts"), pl.lit("）"))
    points = params.points + (pl.col("n") - min_count) * params.threshold("extra_points")
    return hits(found, subject_key=pl.col("subject_key"), points=points, table=pl.lit("changes"), field=pl.lit("item"),
                matched=counted, source_line=pl.col("last_line"), clause=clause)


def rebranded_name(ctx: Context) -> pl.DataFrame:
    """更名前的名称含涉金融敏感字样或集资名义，更名后不再显示，有改头换面之嫌。

    000 四(一): 杜绝风险企业迁址后改头换面、卷土重来. A name change whose former
    name holds sensitive or guise words that the new name no longer holds; the
    former name's words score as name words do.
    """
    renames = ctx.side["changes"].join(
        _watched(ctx).filter(pl.col("category") == "name").select("subject_key", "line"),
        on=["subject_key", "line"], how="semi",
    )
    keys = ("subject_key", "line", "date", "before")
    registry = ctx.lexicons.registry
    before = find_terms(renames, pl.col("before"), keys, registry, "name").filter(
        pl.col("kind").is_in(["sensitive", "guise"]))
    after = find_terms(renames, pl.col("after"), keys, registry, "name").select("subject_key", "line", "term")
    dropped = before.join(after, on=["subject_key", "line", "term"], how="anti", maintain_order="left")
    terms = dropped.select(
        table=pl.lit("changes"), field=pl.lit("before"), subject_key="subject_key", line="line", date="date",
        detail="before", kind=pl.lit("former"), entry=pl.concat_str("kind", pl.lit(":"), "entry"),
        entry_name="entry_name", term="term", points="points",
    )
    return term_hits(terms, "former", {"changes": "曾用名含"})
