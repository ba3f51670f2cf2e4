"""Rules over the registry itself: words in name and scope, key sector, registration place, capital, age, status."""

from __future__ import annotations

import datetime as dt

import polars as pl

from fundwatch.screening.automaton import escape
from fundwatch.screening.context import Context
from fundwatch.screening.evidence import CURRENCY_ZH, day, quoted, wan_yuan
from fundwatch.screening.rules.common import RULE_HIT_SCHEMA, hits, term_hits

_SECTOR_HOW = {"industry_code": "行业代码", "entity_type": "企业类型", "name": "名称含", "business_scope": "经营范围含"}


def name_sensitive_word(ctx: Context) -> pl.DataFrame:
    """企业名称含有涉金融敏感字样，属专项排查点名的对象。

    The words of 000 二(一) and 003 三(二), weighed in sensitive.yaml.
    """
    terms = ctx.registry_terms.filter(pl.col("field") == "name")
    return term_hits(terms, "sensitive", {"registry.name": "名称含敏感词"})


def scope_sensitive_word(ctx: Context) -> pl.DataFrame:
    """经营范围含有涉金融敏感字样，可能超范围从事金融业务。

    Prohibitions (未经批准不得从事……) are masked out of the scope first.
    """
    terms = ctx.registry_terms.filter(pl.col("field") == "business_scope")
    return term_hits(terms, "sensitive", {"registry.business_scope": "经营范围含敏感词"})


def key_sector(ctx: Context) -> pl.DataFrame:
    """主体属于非法集资案件多发的重点领域。

    The sector comes from the industry code, entity type or a keyword (see
    fundwatch.screening.sectors); its points are the sector's in sectors.yaml.
    """
    sectors = ctx.sectors
    how = pl.col("field").replace_strict(_SECTOR_HOW, return_dtype=pl.String)
    clause = pl.concat_str(pl.lit("属重点领域“"), pl.col("sector_name"), pl.lit("”（"), how, pl.lit("“"),
                           pl.col("matched"), pl.lit("”）"))
    return hits(sectors, subject_key=pl.col("subject_key"), points=pl.col("points"), table=pl.lit("registry"),
                field=pl.col("field"), matched=pl.col("sector_name"), source_line=pl.col("line"), clause=clause)


def out_of_area(ctx: Context) -> pl.DataFrame:
    """异地注册、在本地经营，属跨区域排查重点。

    000 四(一) 异地注册本地经营; 003 三(四) 注册地在外地. The USCC's region is
    outside the profile's region (and not its city or province), while the
    subject's region code or operating address is here.
    """
    profile = ctx.ruleset.profile

    def home(code: pl.Expr) -> pl.Expr:
        return (code.str.starts_with(profile.home_prefix) | code.is_in(profile.parent_codes)).fill_null(False)

    registered = pl.col("uscc").str.slice(2, 6)
    place = pl.coalesce(pl.col("operating_address"), pl.col("address"))
    names = list(profile.place_names)
    here = home(pl.col("region_code")) | (place.str.contains_any(names).fill_null(False) if names else False)
    found = ctx.registry.filter(pl.col("uscc").is_not_null() & ~home(registered)).filter(here)
    clause = pl.concat_str(pl.lit("异地注册本地经营（登记地区划代码"), registered, pl.lit("，经营地“"),
                           place.fill_null("本地").str.slice(0, 40), pl.lit("”）"))
    return hits(found, subject_key=pl.col("subject_key"), points=pl.lit(ctx.params("out_of_area").points),
                table=pl.lit("registry"), field=pl.lit("uscc"), matched=registered, source_line=pl.col("line"),
                clause=clause)


def capital_anomaly(ctx: Context) -> pl.DataFrame:
    """注册资本畸高而实缴资本为零，有虚张声势之嫌。"""
    params = ctx.params("capital_anomaly")
    fx = dict(ctx.ruleset.scoring.fx_to_cny)
    currency = pl.col("capital_currency").fill_null("CNY")
    yuan = pl.col("registered_capital").cast(pl.Float64) * currency.replace_strict(fx, default=None,
                                                                                   return_dtype=pl.Float64)
    found = ctx.registry.filter(pl.col("paid_in_capital") == 0).filter(yuan >= params.threshold("min_registered_yuan"))
    unit = currency.replace_strict(CURRENCY_ZH, default=currency, return_dtype=pl.String)
    stated = pl.concat_str(wan_yuan(pl.col("registered_capital")), pl.lit("万"), unit)
    return hits(found, subject_key=pl.col("subject_key"), points=pl.lit(params.points), table=pl.lit("registry"),
                field=pl.lit("registered_capital"), matched=stated, source_line=pl.col("line"),
                clause=pl.concat_str(pl.lit("注册资本"), stated, pl.lit("而实缴资本为零")))


def new_finance_company(ctx: Context) -> pl.DataFrame:
    """新设立不久即以涉金融字样命名。

    Needs the screening's as-of date; a subject younger than max_age_days whose
    name holds a sensitive word of at least min_word_points.
    """
    params = ctx.params("new_finance_company")
    if ctx.as_of is None:
        return pl.DataFrame(schema=RULE_HIT_SCHEMA)
    max_age = int(params.threshold("max_age_days"))
    words = (
        ctx.registry_terms.filter((pl.col("kind") == "sensitive") & (pl.col("field") == "name")
                                  & (pl.col("points") >= params.threshold("min_word_points")))
        .unique(subset=["subject_key", "term"], keep="first", maintain_order=True)
        .group_by("subject_key", maintain_order=True).agg(words=pl.col("term"))
    )
    young = ctx.registry.filter(pl.col("established") >= ctx.as_of - dt.timedelta(days=max_age))
    found = young.join(words, on="subject_key", how="inner", maintain_order="left")
    clause = pl.concat_str(pl.lit(f"成立不足{max_age}天（"), day(pl.col("established")), pl.lit("）即以"),
                           quoted(pl.col("words")), pl.lit("字样命名"))
    return hits(found, subject_key=pl.col("subject_key"), points=pl.lit(params.points), table=pl.lit("registry"),
                field=pl.lit("established"), matched=day(pl.col("established")), source_line=pl.col("line"),
                clause=clause)


def closed_but_advertising(ctx: Context) -> pl.DataFrame:
    """已注销或吊销的主体仍在发布宣传广告。

    "Still": its latest ad is at most max_ad_age_days before the as-of date
    (the registry does not say when the licence ended).
    """
    params = ctx.params("closed_but_advertising")
    if ctx.as_of is None:
        return pl.DataFrame(schema=RULE_HIT_SCHEMA)
    statuses = ctx.ruleset.records.closed_statuses
    closed = ctx.registry.filter(pl.col("status").str.contains("|".join(escape(s) for s in statuses)).fill_null(False))
    recent = ctx.as_of - dt.timedelta(days=int(params.threshold("max_ad_age_days")))
    ads = (
        # the ads may name every subject of a run: only the closed subjects' are read
        ctx.side["ads"].join(closed.select("subject_key"), on="subject_key", how="semi", maintain_order="left")
        .sort("date", "line", nulls_last=False)
        .group_by("subject_key", maintain_order=True)
        .agg(n=pl.len(), last=pl.col("date").last(), channel=pl.col("channel").last())
        .filter(pl.col("last") >= recent)
    )
    found = closed.join(ads, on="subject_key", how="inner", maintain_order="left")
    latest = pl.concat_str(day(pl.col("last")), pl.col("channel"), separator=" ", ignore_nulls=True)
    clause = pl.concat_str(pl.lit("登记状态为“"), pl.col("status"), pl.lit("”仍有广告宣传"),
                           pl.col("n").cast(pl.String), pl.lit("条（最近 "), latest, pl.lit("）"))
    return hits(found, subject_key=pl.col("subject_key"), points=pl.lit(params.points),
                table=pl.lit("registry"), field=pl.lit("status"), matched=pl.col("status"),
                source_line=pl.col("line"), clause=clause)
