"""Ordinary subjects: plain, and with the traps that fool naive screening."""

from __future__ import annotations

import polars as pl

from fundwatch.demo import DemoCounty
from fundwatch.demo.vocab import load_vocabulary


def _clean_side(county: DemoCounty, kind: str) -> pl.DataFrame:
    frame = county.table(kind).join(county.truth, left_on="统一社会信用代码", right_on="subject_key")
    return frame.filter(pl.col("label") == 0)


def test_the_traps_are_among_the_clean(labelled: pl.DataFrame) -> None:
    clean = labelled.filter(pl.col("label") == 0)
    scopes, names = clean["经营范围"].drop_nulls(), clean["企业名称"].drop_nulls()
    for clause in ("信息技术服务", "信息技术咨询服务", "以自有资金从事投资活动", "不得从事吸收存款"):
        assert scopes.str.contains(clause).any(), clause
    for word in ("保险代理", "银行", "保险股份有限公司", "旅行社", "培训学校", "幼儿园", "农民专业合作社",
                 "养老院|敬老院", "医院", "典当", "小额贷款", "房地产", "电子商务"):
        assert names.str.contains(word).any(), word


def test_ordinary_promotion_makes_no_promise_of_returns(county: DemoCounty) -> None:
    ads = _clean_side(county, "ads")["广告内容"]
    assert ads.len() > 100
    promises = "|".join(p.split("{")[0] for p in load_vocabulary().lure["promises"] if not p.startswith("{"))
    assert not ads.str.contains(promises).any()
    assert ads.str.contains("充值|赠").any()  # prepaid offers of ordinary shops


def test_a_few_clean_subjects_have_one_blemish(county: DemoCounty) -> None:
    subjects = county.truth.filter(pl.col("label") == 0).height
    for kind in ("reports", "abnormal", "judicial"):
        blemished = _clean_side(county, kind)["统一社会信用代码"].n_unique()
        assert 0 < blemished < 0.03 * subjects, kind
    assert _clean_side(county, "judicial")["案由"].str.contains("民间借贷纠纷").any()
    wages = _clean_side(county, "reports").filter(pl.col("举报内容").str.contains("工资"))
    assert (wages["涉及人数"].cast(pl.Int64) >= 5).all()
    news = _clean_side(county, "news")["情感值"].cast(pl.Float64)
    assert (news > 0).mean() > 0.6 and (news < 0).any()  # type: ignore[operator]


def test_clean_changes_are_few_and_routine(county: DemoCounty) -> None:
    changes = _clean_side(county, "changes")
    per_subject = changes.group_by("统一社会信用代码").len()["len"]
    assert per_subject.max() <= 2  # type: ignore[operator]
    assert "经营范围变更" in set(changes["变更事项"])
