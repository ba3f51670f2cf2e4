"""Scores: saturation, weights and cut-offs from data, corroboration (the generic-word trap), evidence, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from fundwatch.frames import GRADES, SCORES_SCHEMA
from fundwatch.lexicons import RuleSet, load_ruleset
from fundwatch.screening import SCREEN_HITS_SCHEMA, Screening, ScreeningInputError, SideTables, screen
from fundwatch.screening.scores import grade

from .factory import key, registry, side

RULESET = load_ruleset()
S0, S1, S2 = key(0), key(1), key(2)


def _one(screening: Screening, subject: str = S0) -> dict[str, object]:
    return screening.scores.filter(pl.col("subject_key") == subject).row(0, named=True)


def _with_scoring(ruleset: RuleSet, **changes: object) -> RuleSet:
    return dataclasses.replace(ruleset, scoring=dataclasses.replace(ruleset.scoring, **changes))


def test_an_ordinary_it_company_is_green() -> None:
    company = {"name": "勐海县云端信息技术有限公司", "business_scope": "信息技术服务；信息技术咨询服务；软件开发；"
               "互联网信息服务；网络技术服务", "industry_code": "6510"}
    result = screen(registry(company), SideTables(), RULESET)
    assert _one(result)["grade"] == "green"
    assert result.hits.is_empty()


@pytest.mark.parametrize("name, scope", [
    ("勐海县鑫源财富管理有限公司", "财富管理；资产管理；投资咨询；理财咨询"),
    ("勐海县恒通信息服务有限公司", "信息服务；金融信息服务；投资管理"),
    ("勐海县聚财金融服务有限公司", "金融信息服务；融资担保；基金管理；股权众筹；网络借贷信息中介"),
])
def test_finance_words_alone_stay_below_yellow(name: str, scope: str) -> None:
    # every registry-text rule fires, yet it is one kind of evidence: at most blue
    result = screen(registry({"name": name, "business_scope": scope}), SideTables(), RULESET)
    row = _one(result)
    assert result.hits.height >= 3
    assert row["grade"] in {"blue", "green"}
    assert row["score"] <= RULESET.scoring.corroboration.cap  # type: ignore[operator]


def test_independent_signals_push_a_finance_name_up() -> None:
    rows = registry({"name": "勐海县鑫源财富管理有限公司", "business_scope": "财富管理；投资咨询"})
    alone = _one(screen(rows, SideTables(), RULESET))
    ads = side("ads", {"subject_key": S0, "date": dt.date(2024, 1, 5), "channel": "微信",
                       "text": "保本保息，年化18%，推荐亲友有奖"})
    reports = side("reports", {"subject_key": S0, "date": dt.date(2024, 2, 1), "text": "到期无法兑付",
                               "people": 40, "amount": Decimal("1200000")})
    backed = _one(screen(rows, SideTables(ads=ads, reports=reports), RULESET))
    assert backed["score"] > alone["score"]  # type: ignore[operator]
    assert GRADES.index(str(backed["grade"])) <= GRADES.index("orange")


def test_a_single_strong_side_table_rule_stands_alone() -> None:
    # one criminal case of illegal fundraising is a lead by itself
    judicial = side("judicial", {"subject_key": S0, "date": dt.date(2023, 5, 1), "cause": "非法吸收公众存款罪",
                                 "kind": "刑事"})
    row = _one(screen(registry({}), SideTables(judicial=judicial), RULESET))
    assert row["dim_stability"] == 100.0
    assert row["score"] == round(100 * RULESET.scoring.weight("stability"), 1)


def test_rules_of_a_dimension_saturate() -> None:
    # two rules of the stability dimension at 25 each: 100 * (1 - 0.75 * 0.75) = 43.75
    judicial = side("judicial", {"subject_key": S0, "date": dt.date(2023, 5, 1), "cause": "民间借贷纠纷",
                                 "kind": "民事"})
    news = side("news", {"subject_key": S0, "date": dt.date(2023, 6, 1), "title": "某公司遭投诉", "text": "…",
                         "sentiment": -0.5})
    row = _one(screen(registry({}), SideTables(judicial=judicial, news=news), RULESET))
    assert row["dim_stability"] == pytest.approx(43.8, abs=0.05)


def test_caps_and_weights_come_from_data() -> None:
    judicial = side("judicial", *({"subject_key": S0, "date": dt.date(2023, m, 1), "cause": "民间借贷纠纷",
                                   "kind": "民事"} for m in range(1, 7)))
    frames = SideTables(judicial=judicial)
    capped = dict(RULESET.scoring.rules)
    capped["judicial_record"] = dataclasses.replace(capped["judicial_record"], cap=50.0)
    low_cap = _with_scoring(RULESET, rules=tuple(capped.items()))
    heavier = _with_scoring(low_cap, weights=tuple((d, 1.0 if d == "stability" else w)
                                                   for d, w in RULESET.scoring.weights))
    assert _one(screen(registry({}), frames, low_cap))["dim_stability"] == 50.0
    assert _one(screen(registry({}), frames, heavier))["score"] == 50.0


@pytest.mark.parametrize("score, expected", [
    (100.0, "red"), (80.0, "red"), (79.9, "orange"), (60.0, "orange"), (59.9, "yellow"), (40.0, "yellow"),
    (39.9, "blue"), (20.0, "blue"), (19.9, "green"), (0.0, "green"),
])
def test_grade_cut_offs(score: float, expected: str) -> None:
    assert pl.select(grade(pl.lit(score), RULESET)).item() == expected


def test_grade_cut_offs_come_from_data() -> None:
    stricter = _with_scoring(RULESET, grades=(("red", 90.0), ("orange", 70.0), ("yellow", 50.0), ("blue", 30.0)))
    assert pl.select(grade(pl.lit(85.0), stricter)).item() == "orange"
    assert pl.select(grade(pl.lit(25.0), stricter)).item() == "green"


def test_evidence_reads_as_one_chinese_sentence_per_hit() -> None:
    rows = registry({"name": "勐海县鑫源财富管理有限公司", "business_scope": "茶叶销售"})
    ads = side("ads", {"subject_key": S0, "date": dt.date(2023, 4, 2), "channel": "微信", "text": "保本保息"})
    reports = side("reports", *({"subject_key": S0, "date": dt.date(2023, 5, d), "text": "投诉", "people": p,
                                 "amount": Decimal(a)} for d, p, a in [(1, 20, "500000"), (2, 12, "300000"),
                                                                      (3, 10, "60000")]))
    evidence = _one(screen(rows, SideTables(ads=ads, reports=reports), RULESET))["evidence"]
    assert evidence == ("名称含敏感词“财富管理”；属重点领域“民间投融资中介”（名称含“财富管理”）；"
                        "广告承诺“保本保息”（2023-04-02 微信）；投诉举报3起；投诉涉及42人；投诉涉及金额86.00万元")


def test_evidence_keeps_a_few_clauses_per_rule_and_counts_the_rest() -> None:
    per_rule = RULESET.scoring.evidence_per_rule
    ads = side("ads", *({"subject_key": S0, "date": dt.date(2023, 1, d), "channel": "微信", "text": "稳赚不赔"}
                        for d in range(1, per_rule + 3)))
    result = screen(registry({}), SideTables(ads=ads), RULESET)
    evidence = str(_one(result)["evidence"])
    assert evidence.count("广告承诺") == per_rule
    assert evidence.endswith(f"等共{per_rule + 2}处")
    assert result.hits.filter(pl.col("rule") == "promise_words").height == per_rule + 2


def test_scores_follow_the_registry_row_for_row() -> None:
    rows = registry({}, {"name": "勐海县鑫源财富管理有限公司"}, {})
    result = screen(rows, SideTables(), RULESET)
    assert result.scores.schema == pl.Schema(SCORES_SCHEMA)
    assert result.hits.schema == pl.Schema(SCREEN_HITS_SCHEMA)
    assert result.scores.get_column("subject_key").to_list() == [S0, S1, S2]
    assert result.scores.get_column("ruleset_version").unique().to_list() == [RULESET.version]


def test_side_rows_of_other_subjects_are_ignored() -> None:
    ads = side("ads", {"subject_key": key(99), "date": dt.date(2023, 1, 1), "text": "保本保息"})
    result = screen(registry({}), SideTables(ads=ads), RULESET)
    assert result.hits.is_empty()


def test_department_follows_the_sector_else_the_office() -> None:
    rows = registry({"industry_code": "6637"}, {"name": "勐海县鑫源商贸有限公司"}, {})
    ads = side("ads", {"subject_key": S1, "date": dt.date(2023, 1, 1), "text": "消费返利"})
    scores = screen(rows, SideTables(ads=ads), RULESET).scores
    assert scores.get_column("sector").to_list() == ["网络借贷", None, None]
    assert scores.get_column("department").to_list() == ["西双版纳银监分局（县金融办配合）", "县打非办", None]


def test_same_input_gives_the_same_output_whatever_the_order_of_side_rows() -> None:
    rows = registry({"name": "勐海县鑫源财富管理有限公司"}, {"name": "勐海县福寿养生养老有限公司"}, {})
    texts = ["保本保息，年化15%", "以房养老，月息2%", "免费旅游，老年朋友专享", "消费返利"]
    ads = side("ads", *({"subject_key": key(i % 2), "date": dt.date(2023, 1, i + 1), "channel": "微信",
                         "text": t} for i, t in enumerate(texts)))
    first = screen(rows, SideTables(ads=ads), RULESET)
    again = screen(rows, SideTables(ads=ads), RULESET)
    shuffled = screen(rows, SideTables(ads=ads.reverse()), RULESET)
    assert first.scores.equals(again.scores) and first.hits.equals(again.hits)
    assert first.scores.equals(shuffled.scores) and first.hits.equals(shuffled.hits)


def test_a_registry_without_its_columns_is_refused() -> None:
    with pytest.raises(ScreeningInputError, match="business_scope"):
        screen(registry({}).drop("business_scope"), SideTables(), RULESET)


def test_an_empty_batch_gives_empty_frames_of_the_contract() -> None:
    result = screen(registry(), SideTables(), RULESET)
    assert result.scores.is_empty() and result.scores.schema == pl.Schema(SCORES_SCHEMA)
    assert result.hits.is_empty() and result.hits.schema == pl.Schema(SCREEN_HITS_SCHEMA)


def test_screening_in_batches_gives_the_rows_of_one_screening() -> None:
    rows = registry({"name": "勐海县鑫源财富管理有限公司", "established": dt.date(2024, 1, 1)}, {},
                    {"name": "勐海县福寿养生养老有限公司"}, {"status": "注销"})
    ads = side("ads", *({"subject_key": key(i), "date": dt.date(2024, 2, i + 1), "channel": "微信",
                         "text": "保本保息，以房养老"} for i in range(4)))
    frames = SideTables(ads=ads)
    whole = screen(rows, frames, RULESET).scores
    batches = pl.concat([screen(rows.slice(0, 2), frames, RULESET).scores,
                         screen(rows.slice(2), frames, RULESET).scores])
    assert whole.equals(batches)


def test_corroboration_holds_back_registry_text_however_loud() -> None:
    loud = registry({"name": "勐海县消费返利资金互助理财有限公司",
                     "business_scope": "消费返利；资金互助；虚拟货币；网络借贷；股权众筹；财富管理"})
    held = _one(screen(loud, SideTables(), RULESET))
    uncapped = _with_scoring(RULESET, corroboration=dataclasses.replace(RULESET.scoring.corroboration, cap=100.0))
    free = _one(screen(loud, SideTables(), uncapped))
    assert free["score"] > 40.0  # type: ignore[operator]
    assert held["score"] == RULESET.scoring.corroboration.cap and held["grade"] == "blue"
