"""Every rule with a positive and a negative case, and its docstring as the analyst's sentence.

A case is a registry (subject 0 is the one under test) and side tables; the
positive case must give the rule at least one hit on subject 0, the negative
case none. The table must name every registered rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from fundwatch.lexicons import RULE_SCHEMA, load_ruleset
from fundwatch.screening import RULES, SideTables, screen

from .factory import key, registry, side

S0 = key(0)
D = dt.date(2024, 3, 1)


@dataclass
class Case:
    rows: list[dict[str, Any]]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def run(self) -> pl.DataFrame:
        frames = {k: side(k, *({"subject_key": S0, "date": D, **r} for r in rows)) for k, rows in self.tables.items()}
        return screen(registry(*self.rows), SideTables(**frames), load_ruleset()).hits


def ad(text: str) -> Case:
    return Case([{}], {"ads": [{"channel": "微信", "text": text}]})


def report(**values: Any) -> Case:
    return Case([{}], {"reports": [{"channel": "12345", "text": "反映情况", **values}]})


def changes(*items_dates: tuple[str, dt.date]) -> Case:
    return Case([{}], {"changes": [{"item": item, "date": date} for item, date in items_dates]})


OUTSIDE = key(0, "530100")  # registered in Kunming

CASES: dict[str, tuple[Case, Case]] = {
    "name_sensitive_word": (
        Case([{"name": "勐海县鑫源财富管理有限公司"}]),
        Case([{"name": "勐海县鑫源信息技术有限公司"}]),
    ),
    "scope_sensitive_word": (
        Case([{"business_scope": "投资咨询；理财咨询"}]),
        # the prohibition names finance words and means the opposite
        Case([{"business_scope": "企业管理咨询（未经金融等监管部门批准，不得从事吸收存款、融资担保、代客理财、"
                                 "向社会公众集（融）资等金融业务）"}]),
    ),
    "key_sector": (
        Case([{"industry_code": "6637"}]),
        Case([{"industry_code": "0164", "business_scope": "茶叶种植；旅游商品销售"}]),
    ),
    "guise_words": (
        ad("加入会员，消费返利，买多少返多少"),
        ad("新茶上市，欢迎品鉴"),
    ),
    "promise_words": (
        ad("保本保息，稳赚不赔"),
        ad("投资有风险，本产品不保本"),
    ),
    "promise_rate": (
        ad("月息2%，按月付息"),
        ad("存款利率1.5%"),
    ),
    "target_groups": (
        ad("专为退休老人打造的理财计划"),
        ad("欢迎各界朋友"),
    ),
    "recruitment_methods": (
        ad("介绍亲友参加，推荐奖励多多"),
        ad("欢迎到店选购"),
    ),
    "complaint_count": (
        report(),
        Case([{}]),
    ),
    "complaint_people": (
        report(people=25),
        report(people=None),
    ),
    "complaint_amount": (
        report(amount=Decimal("300000")),
        report(amount=Decimal("500")),
    ),
    "distress_words": (
        report(text="老板跑路，钱无法兑付"),
        report(text="商品质量不好"),
    ),
    "negative_news": (
        Case([{}], {"news": [{"title": "公司涉嫌非法集资", "text": "…", "sentiment": -0.7}]}),
        Case([{}], {"news": [{"title": "公司获评诚信企业", "text": "…", "sentiment": 0.6}]}),
    ),
    "judicial_record": (
        Case([{}], {"judicial": [{"cause": "民间借贷纠纷", "kind": "民事"}]}),
        Case([{}], {"judicial": [{"cause": "买卖合同纠纷", "kind": "民事"}]}),
    ),
    "rebranded_name": (
        Case([{}], {"changes": [{"item": "名称变更", "before": "勐海县鑫源财富管理有限公司",
                                 "after": "勐海县鑫源商贸有限公司"}]}),
        # the word stays in the new name: the name rule sees it, this is no disguise
        Case([{}], {"changes": [{"item": "名称变更", "before": "勐海鑫源财富管理有限公司",
                                 "after": "勐海县鑫源财富管理有限公司"}]}),
    ),
    "frequent_changes": (
        changes(("住所变更", dt.date(2023, 1, 5)), ("法定代表人变更", dt.date(2023, 4, 1)),
                ("高级管理人员备案", dt.date(2023, 10, 1))),
        # three changes, but not within twelve months of each other
        changes(("住所变更", dt.date(2020, 1, 5)), ("法定代表人变更", dt.date(2021, 4, 1)),
                ("高级管理人员备案", dt.date(2022, 10, 1))),
    ),
    "abnormal_listing": (
        Case([{}], {"abnormal": [{"reason": "通过登记的住所或者经营场所无法联系"}]}),
        Case([{}], {"abnormal": []}),
    ),
    "out_of_area": (
        Case([{"subject_key": OUTSIDE, "uscc": OUTSIDE}]),
        # registered by the prefecture (532800) above the county: not elsewhere
        Case([{"subject_key": key(0, "532800"), "uscc": key(0, "532800")}]),
    ),
    "capital_anomaly": (
        Case([{"registered_capital": Decimal("100000000"), "paid_in_capital": Decimal("0")}]),
        Case([{"registered_capital": Decimal("100000000"), "paid_in_capital": Decimal("20000000")}]),
    ),
    "new_finance_company": (
        Case([{"name": "勐海县鑫源财富管理有限公司", "established": dt.date(2024, 1, 10)}],
             {"ads": [{"text": "开业"}]}),
        Case([{"name": "勐海县鑫源财富管理有限公司", "established": dt.date(2019, 1, 10)}],
             {"ads": [{"text": "开业"}]}),
    ),
    "closed_but_advertising": (
        Case([{"status": "吊销，未注销"}], {"ads": [{"text": "新品上市"}]}),
        # its last ad is years before the latest record: it stopped
        Case([{"status": "吊销，未注销"}], {"ads": [{"text": "新品上市", "date": dt.date(2021, 5, 1)}],
                                           "news": [{"title": "本地新闻", "text": "…", "sentiment": 0.1}]}),
    ),
}


def _rule_hits(case: Case, rule_id: str) -> pl.DataFrame:
    hits = case.run()
    return hits.filter((pl.col("rule") == rule_id) & (pl.col("subject_key") == case_subject(case)))


def case_subject(case: Case) -> str:
    return str(case.rows[0].get("subject_key", S0))


def test_the_case_table_names_every_rule() -> None:
    assert set(CASES) == {r.id for r in RULES}
    assert set(RULE_SCHEMA) == {r.id for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_a_chinese_sentence_for_the_analyst(rule: Any) -> None:
    assert rule.func.__doc__, f"{rule.id} has no docstring"
    assert re.search(r"[\u4e00-\u9fff]", rule.explanation) and rule.explanation.endswith("。")


@pytest.mark.parametrize("rule_id", list(CASES))
def test_rule_positive(rule_id: str) -> None:
    found = _rule_hits(CASES[rule_id][0], rule_id)
    assert found.height >= 1
    assert (found.get_column("points") > 0).all()
    assert found.get_column("explanation").to_list() == [next(r for r in RULES if r.id == rule_id).explanation] * (
        found.height)
    assert found.get_column("clause").str.len_chars().min() > 0  # type: ignore[operator]


@pytest.mark.parametrize("rule_id", list(CASES))
def test_rule_negative(rule_id: str) -> None:
    assert _rule_hits(CASES[rule_id][1], rule_id).is_empty()
