"""Rules over the records of the side tables: complaints, news, lawsuits, abnormal listings, changes."""

from __future__ import annotations

import polars as pl

from fundwatch.screening.automaton import find_terms
from fundwatch.screening.context import Context
from fundwatch.screening.evidence import day, tier_points, wan_yuan
from fundwatch.screening.rules.common import hits


def _tiers(ctx: Context, rule_id: str) -> tuple[tuple[float, float], ...]:
    return tuple((t.minimum, t.points) for t in ctx.params(rule_id).tiers)


def _per_subject(ctx: Context) -> pl.DataFrame:
    return ctx.side["reports"].group_by("subject_key", maintain_order=True).agg(
        n=pl.len(), line=pl.col("line").min(), people=pl.col("people").sum(), amount=pl.col("amount").sum()
    )


def complaint_count(ctx: Context) -> pl.DataFrame:
    """群众举报投诉该主体。"""
    reports = _per_subject(ctx)
    counted = pl.concat_str(pl.col("n").cast(pl.String), pl.lit("起"))
    return hits(reports, subject_key=pl.col("subject_key"), points=pl.col("n") * ctx.params("complaint_count").points,
                table=pl.lit("reports"), field=pl.lit("subject_key"), matched=counted, source_line=pl.col("line"),
                clause=pl.concat_str(pl.lit("投诉举报"), counted))


def complaint_people(ctx: Context) -> pl.DataFrame:
    """举报投诉涉及群众人数多，涉众规模大。

    People are summed over the reports (a report that gives none counts none).
    """
    reports = _per_subject(ctx).filter(pl.col("people") > 0)
    people = pl.concat_str(pl.col("people").cast(pl.String), pl.lit("人"))
    return hits(reports, subject_key=pl.col("subject_key"),
                points=tier_points(pl.col("people"), _tiers(ctx, "complaint_people")), table=pl.lit("reports"),
                field=pl.lit("people"), matched=people, source_line=pl.col("line"),
                clause=pl.concat_str(pl.lit("投诉涉及"), people))


def complaint_amount(ctx: Context) -> pl.DataFrame:
    """举报投诉涉及金额大，风险敞口大。

    Amounts (元) are summed over the reports and shown in 万元.
    """
    reports = _per_subject(ctx).filter(pl.col("amount") > 0)
    amount = pl.concat_str(wan_yuan(pl.col("amount")), pl.lit("万元"))
    return hits(reports, subject_key=pl.col("subject_key"),
                points=tier_points(pl.col("amount").cast(pl.Float64), _tiers(ctx, "complaint_amount")),
                table=pl.lit("reports"), field=pl.lit("amount"), matched=amount, source_line=pl.col("line"),
                clause=pl.concat_str(pl.lit("投诉涉及金额"), amount))


def negative_news(ctx: Context) -> pl.DataFrame:
    """媒体有关于该主体的负面报道，舆论热度上升。"""
    params = ctx.params("negative_news")
    news = ctx.side["news"].filter(pl.col("sentiment") <= params.threshold("max_sentiment"))
    title = pl.coalesce(pl.col("title"), pl.col("text").str.slice(0, 20))
    clause = pl.concat_str(pl.lit("负面报道《"), title, pl.lit("》"),
                           pl.concat_str(pl.lit("（"), day(pl.col("date")), pl.lit("）")).fill_null(""))
    return hits(news, subject_key=pl.col("subject_key"), points=pl.lit(params.points), table=pl.lit("news"),
                field=pl.lit("sentiment"), matched=title, source_line=pl.col("line"), clause=clause)


def _strongest(found: pl.DataFrame, name: str) -> pl.DataFrame:
    """Per record (subject_key, line): the points of its strongest term, as column `name`."""
    return found.group_by("subject_key", "line").agg(pl.col("points").max().alias(name))


def judicial_record(ctx: Context) -> pl.DataFrame:
    """主体涉及非法吸收公众存款、集资诈骗等刑事案件或民间借贷等涉诉记录。

    A record scores its strongest cause plus its strongest kind (records.yaml).
    """
    records = ctx.side["judicial"]
    keys = ("subject_key", "line")
    causes = _strongest(find_terms(records, pl.col("cause"), keys, ctx.lexicons.cause, "cause"), "cause_points")
    kinds = _strongest(find_terms(records, pl.col("kind"), keys, ctx.lexicons.kind, "kind"), "kind_points")
    scored = (
        records.join(causes, on=list(keys), how="left", maintain_order="left")
        .join(kinds, on=list(keys), how="left", maintain_order="left")
        .with_columns(points=pl.col("cause_points").fill_null(0) + pl.col("kind_points").fill_null(0))
        .filter(pl.col("points") > 0)
    )
    detail = pl.concat_str(pl.col("kind"), day(pl.col("date")), separator="，", ignore_nulls=True)
    clause = pl.concat_str(pl.lit("涉诉“"), pl.col("cause").fill_null("案由不详"), pl.lit("”（"), detail, pl.lit("）"))
    return hits(scored, subject_key=pl.col("subject_key"), points=pl.col("points"), table=pl.lit("judicial"),
                field=pl.lit("cause"), matched=pl.col("cause"), source_line=pl.col("line"), clause=clause)


def abnormal_listing(ctx: Context) -> pl.DataFrame:
    """主体被列入经营异常名录。

    A listing scores its reason's points (records.yaml), else the rule's points.
    """
    listings = ctx.side["abnormal"]
    found = find_terms(listings, pl.col("reason"), ("subject_key", "line"), ctx.lexicons.reason, "reason")
    scored = listings.join(_strongest(found, "reason_points"), on=["subject_key", "line"], how="left",
                           maintain_order="left")
    detail = pl.concat_str(day(pl.col("date")), pl.col("reason"), separator="：", ignore_nulls=True)
    clause = pl.concat_str(pl.lit("列入经营异常名录"), pl.concat_str(pl.lit("（"), detail, pl.lit("）")).fill_null(""))
    return hits(scored, subject_key=pl.col("subject_key"),
                points=pl.col("reason_points").fill_null(ctx.params("abnormal_listing").points),
                table=pl.lit("abnormal"), field=pl.lit("reason"), matched=pl.col("reason").fill_null(""),
                source_line=pl.col("line"), clause=clause)
