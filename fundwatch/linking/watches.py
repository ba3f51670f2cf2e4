"""Watch signals: a listed outfit coming back, frequent changes, out-of-area registrations operating here.

All return frames of fundwatch.linking.frames.WATCH_SCHEMA with Chinese reasons.
"""

from __future__ import annotations

import polars as pl

from fundwatch.linking.config import LinkingConfig
from fundwatch.linking.frames import WATCH_SCHEMA
from fundwatch.linking.places import place_name, resolve_region

CHANGE_ZH: dict[str, str] = {"address": "住所", "name": "名称", "legal_rep": "法定代表人", "officers": "高管/股东"}


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=WATCH_SCHEMA)


def _differs(what: str, left: str, right: str) -> pl.Expr:
    l_col, r_col = pl.col(left), pl.col(right)
    changed = l_col.is_not_null() & r_col.is_not_null() & (l_col != r_col)
    return pl.when(changed).then(pl.format(what + "：{} → {}", r_col, l_col)).otherwise(None)


def match_signals(links: pl.DataFrame, subjects: pl.DataFrame, listed: pl.DataFrame,
                  config: LinkingConfig) -> pl.DataFrame:
    """A subject linked to a blacklist entry or a lead: what changed (name, place, legal rep) and why it matched.

    `links` are subject → listed links; a same-outfit link to a closed blacklist entry is a reappearance
    (死灰复燃), to a live one a blacklist match, to a lead a lead match; a related-party link to a
    blacklist entry is a blacklist relation.
    """
    if links.is_empty():
        return _empty()
    cols = ["subject_key", "name", "region_code", "legal_rep", "address", "status"]
    mine = subjects.select([c for c in cols if c in subjects.columns]).unique("subject_key")
    theirs = listed.select([c for c in cols if c in listed.columns]).unique("subject_key")
    theirs = theirs.rename({c: f"r_{c}" for c in theirs.columns if c != "subject_key"}).rename(
        {"subject_key": "matched_key"})
    frame = links.join(mine, on="subject_key", how="left").join(theirs, on="matched_key", how="left")
    codes = pl.concat([frame["region_code"], frame["r_region_code"]]).drop_nulls().unique().to_list()
    names = {code: f"{place_name(code)}（{code}）" for code in codes}
    frame = frame.with_columns(pl.col(c).replace_strict(names, default=pl.col(c)).alias(f"{c}_zh")
                               for c in ("region_code", "r_region_code"))
    closed = pl.col("r_status").fill_null("").str.contains_any(list(config.closed_statuses))
    same = pl.col("decision") == "same"
    kind = pl.when(pl.col("matched_list") == "lead").then(pl.lit("lead_match")).when(same & closed).then(
        pl.lit("reappearance")).when(same).then(pl.lit("blacklist_match")).otherwise(pl.lit("blacklist_related"))
    listed_as = pl.when(pl.col("matched_list") == "lead").then(pl.lit("线索主体")).otherwise(pl.lit("黑名单主体"))
    head = pl.format("与{}“{}”（{}）", listed_as, pl.col("matched_name"), pl.col("matched_key")) + pl.when(
        same).then(pl.lit("疑为同一主体")).otherwise(pl.lit("存在关联"))
    status = pl.when(closed).then(pl.format("原主体状态：{}", pl.col("r_status"))).otherwise(None)
    moved = pl.when(pl.col("region_code").is_not_null() & pl.col("r_region_code").is_not_null()
                    & (pl.col("region_code") != pl.col("r_region_code"))).then(
        pl.format("异地迁址：{} → {}", pl.col("r_region_code_zh"), pl.col("region_code_zh"))).otherwise(
        _differs("地址变更", "address", "r_address"))
    front = _differs("法定代表人不同（疑似挂名）", "legal_rep", "r_legal_rep")
    reasons = pl.concat_str([head, status, _differs("更名", "name", "r_name"), moved, front, pl.col("reasons")],
                            separator="；", ignore_nulls=True)
    return frame.select(pl.col("subject_key"), kind.alias("kind"), reasons.alias("reasons"),
                        pl.col("score"), pl.col("matched_key"))


def change_kind(item: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """The watched kind of a change record's item (住所变更 → address), null when not watched."""
    out = pl.lit(None, dtype=pl.String)
    for kind, words in reversed(config.change_kinds.items()):
        out = pl.when(item.fill_null("").str.contains_any(list(words))).then(pl.lit(kind)).otherwise(out)
    return out


def frequent_changes(changes: pl.DataFrame, config: LinkingConfig) -> pl.DataFrame:
    """Subjects with at least `changes.count` watched changes within `changes.window_months` months."""
    watched = changes.with_columns(change_kind(pl.col("item"), config).alias("ckind")).filter(
        pl.col("ckind").is_not_null() & pl.col("date").is_not_null()
    ).sort("subject_key", "date")
    if watched.is_empty():
        return _empty()
    period = f"{config.change_window_months}mo"
    windows = watched.rolling(index_column="date", period=period, group_by="subject_key").agg(
        pl.len().alias("count"), pl.col("date").min().alias("start"), pl.col("ckind"),
    )
    best = windows.filter(pl.col("count") >= config.change_count).sort(
        ["subject_key", "count", "date"], descending=[False, True, True]
    ).unique("subject_key", keep="first")
    if best.is_empty():
        return _empty()
    exploded = best.explode("ckind", empty_as_null=True)
    tally = exploded.group_by("subject_key", "ckind").agg(pl.len().alias("k")).with_columns(
        pl.format("{}{}次", pl.col("ckind").replace_strict(CHANGE_ZH, return_dtype=pl.String), pl.col("k")).alias(
            "part")
    ).sort("subject_key", "k", descending=[False, True]).group_by("subject_key", maintain_order=True).agg(
        pl.col("part").str.join("、").alias("parts"))
    best = best.join(tally, on="subject_key")
    scores = config.watch_scores
    score = (scores["changes_base"] + scores["changes_step"] * (pl.col("count") - config.change_count)).clip(0, 100)
    reasons = pl.format("{}个月内变更{}次（{}，{}至{}），达到频繁变更标准（{}个月内{}次）",
                        pl.lit(config.change_window_months), pl.col("count"), pl.col("parts"), pl.col("start"),
                        pl.col("date"), pl.lit(config.change_window_months), pl.lit(config.change_count))
    return best.select("subject_key", pl.lit("frequent_changes").alias("kind"), reasons.alias("reasons"),
                       score.cast(pl.Float64).alias("score"), pl.lit(None, dtype=pl.String).alias("matched_key"))


def _registered_region(subjects: pl.DataFrame) -> pl.Expr:
    uscc = pl.col("uscc") if "uscc" in subjects.columns else pl.lit(None, dtype=pl.String)
    region = pl.col("region_code") if "region_code" in subjects.columns else pl.lit(None, dtype=pl.String)
    return region.fill_null(uscc.str.slice(2, 6))


def out_of_area(subjects: pl.DataFrame, config: LinkingConfig, home: str | None = None) -> pl.DataFrame:
    """Subjects registered outside the home county whose operating address is in it (异地注册本地经营)."""
    home_code = home or config.home_region
    if "operating_address" not in subjects.columns or not config.home_places:
        return _empty()
    region = _registered_region(subjects)
    rows = subjects.filter(
        region.is_not_null() & ~region.str.starts_with(home_code)
        & pl.col("operating_address").fill_null("").str.contains_any(list(config.home_places))
    ).select("subject_key", region.alias("registered"), "operating_address")
    keep = []
    for key, registered, address in rows.iter_rows():
        resolved = resolve_region(address, (home_code,))
        if resolved.code is None or resolved.code.startswith(home_code):
            keep.append((key, f"登记地为{place_name(registered)}（{registered}），经营地址“{address}”位于本县"))
    if not keep:
        return _empty()
    frame = pl.DataFrame(keep, schema={"subject_key": pl.String(), "reasons": pl.String()}, orient="row")
    return frame.select("subject_key", pl.lit("out_of_area").alias("kind"), "reasons",
                        pl.lit(config.watch_scores["out_of_area"]).alias("score"),
                        pl.lit(None, dtype=pl.String).alias("matched_key"))
