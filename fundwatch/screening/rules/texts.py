"""Rules over texts: guises, promises, stated rates, target groups, recruiting methods, distress."""

from __future__ import annotations

import polars as pl

from fundwatch.screening.context import Context
from fundwatch.screening.evidence import phrase, tier_points, when_where
from fundwatch.screening.rules.common import hits, term_hits

_SAYS = {"ads": "广告", "reports": "举报反映其", "news": "新闻报道其"}


def _says(verb: str) -> dict[str, str]:
    return {place: opening + verb for place, opening in _SAYS.items()}


def guise_words(ctx: Context) -> pl.DataFrame:
    """以消费返利、资金互助、虚拟货币、养生养老等非法集资常用名义命名或宣传。

    The guises of 000 二(三), 001 三(二) and 002 二, in name, scope, ads, reports and news.
    """
    terms = pl.concat([ctx.registry_terms, ctx.side_terms])
    opening = {"registry.name": "名称含集资名义", "registry.business_scope": "经营范围含集资名义",
               "ads": "广告含集资名义", "reports": "举报提及集资名义", "news": "新闻提及集资名义"}
    return term_hits(terms, "guise", opening)


def promise_words(ctx: Context) -> pl.DataFrame:
    """宣传承诺保本、保息、高收益、无风险等回报，属违法违规宣传。

    000 二(三): 承诺固定收益、保本保收益……明示或暗示保本、无风险.
    """
    return term_hits(ctx.side_terms, "promise", _says("承诺"))


def promise_rate(ctx: Context) -> pl.DataFrame:
    """宣传的收益率或回报倍数明显高于正常水平。

    Each rate pattern of promises.yaml finds stated rates, annualised and scored
    by the rate tiers; a claim of multiplying the money (翻10倍) scores the
    multiples' points. A text scores its strongest claim.
    """
    patterns = [rate.regex for rate in ctx.ruleset.rates] + [ctx.ruleset.multiples.regex]
    # one pass finds the few texts that state any rate; the patterns then run on those alone
    texts = ctx.side_texts.filter(pl.col("text").str.contains("|".join(f"(?:{p})" for p in patterns)))
    keys = ("table", "subject_key", "line", "date", "detail")

    def claims(regex: str) -> pl.DataFrame:
        return (texts.select(*keys, stated=pl.col("text").str.extract_all(regex))
                .filter(pl.col("stated").list.len() > 0).explode("stated", empty_as_null=False))

    per_mille = pl.col("stated").str.extract(r"千分之(\d+(?:\.\d+)?)$", 1).cast(pl.Float64) / 10
    percent = pl.col("stated").str.extract(r"(\d+(?:\.\d+)?)\s*[%％分]$", 1).cast(pl.Float64)
    tiers = tuple((t.minimum, t.points) for t in ctx.ruleset.rate_tiers)
    rated = [
        claims(rate.regex).with_columns(annual=pl.coalesce(per_mille, percent) * rate.per_year).with_columns(
            points=tier_points(pl.col("annual"), tiers),
            note=pl.concat_str(pl.lit("（折合年化"), pl.col("annual").round(1).cast(pl.String), pl.lit("%）")))
        .drop("annual")
        for rate in ctx.ruleset.rates
    ]
    multiples = ctx.ruleset.multiples
    boasts = claims(multiples.regex).with_columns(points=pl.lit(multiples.points), note=pl.lit(""))
    best = (
        pl.concat([*rated, boasts])
        .filter(pl.col("points") > 0)
        .sort(["table", "line", "points", "stated"], descending=[False, False, True, False])
        .unique(subset=["table", "line"], keep="first", maintain_order=True)
        .with_columns(field=pl.lit("text"))
    )
    clause = pl.concat_str(phrase(_says("宣称收益“")), pl.col("stated"), pl.lit("”"), pl.col("note"),
                           when_where(pl.col("date"), pl.col("detail")))
    return hits(best, subject_key=pl.col("subject_key"), points=pl.col("points"), table=pl.col("table"),
                field=pl.col("field"), matched=pl.col("stated"), source_line=pl.col("line"), clause=clause)


def target_groups(ctx: Context) -> pl.DataFrame:
    """以老年人、残疾人员、贫困人群、农民、学生等为主要目标群体。

    000 二(三) and 001 三(二); a group scores once per text (its strongest word).
    """
    return term_hits(ctx.side_terms, "target", _says("针对"), closing="群体", show="entry_name")


def recruitment_methods(ctx: Context) -> pl.DataFrame:
    """通过熟人推荐、发展下线、免费旅游、讲座等方式向不特定对象招揽。

    000 二(三): 熟人推荐、摆摊设点、虚构授权、战略合作; the usual lures besides.
    """
    return term_hits(ctx.side_terms, "method", _says("以"), closing="等方式招揽")


def distress_words(ctx: Context) -> pl.DataFrame:
    """举报或新闻反映跑路、无法兑付、群众维权等涉稳情形。"""
    return term_hits(ctx.side_terms, "hazard", {"reports": "举报提及", "news": "新闻提及"})
