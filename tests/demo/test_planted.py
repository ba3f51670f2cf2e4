"""Planted outfits: every guise, about 3%, findable by their traces but not by one word."""

from __future__ import annotations

from datetime import date

import polars as pl

from fundwatch.demo import GUISE_IDS, DemoCounty, generate_county
from fundwatch.demo.vocab import load_vocabulary

SIDE = ("changes", "abnormal", "judicial", "ads", "reports", "news")


def _planted_keys(county: DemoCounty) -> pl.Series:
    return county.truth.filter(pl.col("label") == 1)["subject_key"]


def _side(county: DemoCounty, kind: str, planted: bool) -> pl.DataFrame:
    frame = county.table(kind).join(county.truth, left_on="统一社会信用代码", right_on="subject_key")
    return frame.filter(pl.col("label") == int(planted))


def test_every_guise_is_planted(county: DemoCounty) -> None:
    assert set(county.truth["guise"].drop_nulls()) == set(GUISE_IDS)
    assert county.truth.filter(pl.col("label") == 0)["guise"].null_count() == county.truth.filter(
        pl.col("label") == 0).height


def test_about_three_percent_are_planted(county: DemoCounty) -> None:
    assert 0.027 <= county.truth["label"].mean() <= 0.033  # type: ignore[operator]
    several_chunks = generate_county(6000, 11, chunk_subjects=2000)
    assert 0.027 <= several_chunks.truth["label"].mean() <= 0.035  # type: ignore[operator]


def test_a_small_county_still_gets_every_guise() -> None:
    assert set(generate_county(200, 1).truth["guise"].drop_nulls()) == set(GUISE_IDS)


def _telling_words() -> list[str]:
    return sorted({w for g in load_vocabulary().guises for w in (*g.names, *g.scope)}, key=len)


def test_names_alone_do_not_give_every_outfit_away(labelled: pl.DataFrame) -> None:
    planted = labelled.filter(pl.col("label") == 1)
    telling = "|".join(w for g in load_vocabulary().guises for w in g.names)
    assert 0.3 <= planted["企业名称"].str.contains(telling).mean() <= 0.8  # type: ignore[operator]
    # The seeds' sensitive name words (000_) mark only some of them.
    sensitive = "交易所|交易中心|金融|资产管理|投资管理|信息服务|理财|基金|财富管理|众筹"
    assert 0.05 <= planted["企业名称"].str.contains(sensitive).mean() <= 0.5  # type: ignore[operator]
    ordinary = planted.filter(~pl.col("企业名称").str.contains(telling))
    assert ordinary.height > 20
    assert ordinary["企业名称"].str.contains("茶|商贸|农业|科技|旅|酒店|合作社").any()


def test_every_outfit_leaves_a_trace_of_fundraising(county: DemoCounty, labelled: pl.DataFrame) -> None:
    planted = labelled.filter(pl.col("label") == 1)
    words = "|".join(_telling_words())
    in_registry = set(planted.filter(pl.col("企业名称").str.contains(words) | pl.col("经营范围").str.contains(words))
                      ["subject_key"])
    promoted = {key for kind in ("ads", "reports") for key in _side(county, kind, True)["统一社会信用代码"]}
    assert set(planted["subject_key"]) <= in_registry | promoted
    # …and not every outfit shows everything.
    tables = pl.concat([_side(county, k, True).select("统一社会信用代码").unique().with_columns(t=pl.lit(k))
                        for k in SIDE])
    per_outfit = tables.group_by("统一社会信用代码").len()["len"]
    assert (per_outfit == len(SIDE)).mean() < 0.1  # type: ignore[operator]
    assert (per_outfit <= 2).mean() > 0.3  # type: ignore[operator]


def test_promotion_is_worded_many_ways_and_aims_at_vulnerable_groups(county: DemoCounty) -> None:
    ads = _side(county, "ads", True)["广告内容"]
    assert ads.n_unique() >= 0.95 * ads.len()
    promises = ["保本", "保息", "年化", "稳赚不赔", "零风险", "无风险", "固定回报", "月息", "日息", "返利", "翻",
                "回本"]
    assert sum(ads.str.contains(p).any() for p in promises) >= 10
    for group in ("老", "退休", "农民", "大学生"):
        assert ads.str.contains(group).any(), group
    assert ads.str.contains("|".join(promises)).mean() < 1.0  # some only hint


def test_complaints_name_people_and_unpaid_money(county: DemoCounty) -> None:
    reports = _side(county, "reports", True)
    counted = reports.filter(pl.col("涉及人数").is_not_null() & pl.col("涉及金额（元）").is_not_null())
    assert counted.height > 20
    assert counted["举报内容"].str.contains("万元").all()
    assert reports["举报内容"].n_unique() >= 0.95 * reports.height
    assert reports["涉及人数"].null_count() > 0  # tip-offs before money is lost


def _within_a_year(days: list[date]) -> bool:
    days = sorted(days)
    return any((days[i + 2] - days[i]).days <= 366 for i in range(len(days) - 2))


def test_some_outfits_change_address_rep_or_name_three_times_a_year(county: DemoCounty) -> None:
    key_items = ["住所变更", "法定代表人变更", "名称变更"]
    changes = _side(county, "changes", True).filter(pl.col("变更事项").is_in(key_items))
    dated = changes.with_columns(pl.col("变更日期").str.to_date()).group_by("统一社会信用代码").agg("变更日期")
    frequent = [key for key, days in dated.iter_rows() if len(days) >= 3 and _within_a_year(days)]
    assert len(frequent) >= 10
    chained = changes.sort("变更日期").group_by("统一社会信用代码", "变更事项", maintain_order=True).agg(
        "变更前内容", "变更后内容")
    for _, _, before, after in chained.iter_rows():
        assert before[1:] == after[:-1]  # each change starts where the last one ended


def test_collapsed_outfits_show_in_listings_courts_and_press(county: DemoCounty) -> None:
    assert _side(county, "abnormal", True)["列入经营异常名录原因"].str.contains("无法联系").any()
    causes = set(_side(county, "judicial", True)["案由"])
    assert {"非法吸收公众存款", "民间借贷纠纷"} <= causes
    news = _side(county, "news", True)
    assert news.height > 10 and (news["情感值"].cast(pl.Float64) < 0).all()
