"""The linker on small hand-made registries: each kind of tie, name-only evidence, conflicts, hubs."""

from __future__ import annotations

from typing import Any

import polars as pl

from fundwatch.linking.config import LinkingConfig
from fundwatch.linking.engine import run
from fundwatch.linking.graph import related_parties
from fundwatch.linking.rules import RULES

ZHANG = "11010519491231002X"  # valid GB 11643 numbers
LI = "532822199001011237"


def _pairs(frame: pl.DataFrame, decision: str | None = None) -> set[tuple[str, str]]:
    if decision:
        frame = frame.filter(pl.col("decision") == decision)
    return set(zip(frame["subject_key"].to_list(), frame["matched_key"].to_list(), strict=True))


def test_every_rule_explains_itself() -> None:
    for rule in RULES:
        assert len(rule.explanation) > 8, rule.kind


def test_front_person_is_found_by_the_old_legal_reps_id(config: LinkingConfig, registry: Any, people: Any) -> None:
    # given a closed outfit whose legal rep now controls a new company run by a front person
    subjects = registry({"subject_key": "NEW", "name": "勐海县汇丰财富管理有限公司", "legal_rep": "李四",
                         "region_code": "532822", "address": "勐海县勐遮镇曼弄村8号"})
    listed = registry({"subject_key": "OLD", "name": "勐海县鑫源投资咨询有限公司", "legal_rep": "张三",
                       "region_code": "532822", "status": "注销", "address": "勐海县勐海镇象山路2号"})
    # when
    result = run(subjects, people=people(("NEW", "张三", ZHANG, "实际控制人")), watchlist=listed,
                 watchlist_people=people(("OLD", "张三", ZHANG, "法定代表人")), config=config)
    # then
    link = result.links.row(0, named=True)
    assert (link["subject_key"], link["matched_key"], link["decision"]) == ("NEW", "OLD", "same")
    assert "1101**********002X" in link["reasons"] and ZHANG not in link["reasons"]
    signal = result.watches.filter(pl.col("kind") == "reappearance").row(0, named=True)
    assert signal["matched_key"] == "OLD"
    assert "疑似挂名" in signal["reasons"] and "更名" in signal["reasons"] and "注销" in signal["reasons"]


def test_a_person_name_alone_never_links(config: LinkingConfig, registry: Any, people: Any) -> None:
    subjects = registry({"subject_key": "A", "name": "甲乙茶业有限公司", "legal_rep": "张伟", "region_code": "532822"})
    listed = registry({"subject_key": "B", "name": "丙丁投资有限公司", "legal_rep": "张伟", "region_code": "532822"})
    assert run(subjects, watchlist=listed, config=config).links.is_empty()


def test_the_same_name_with_different_ids_is_two_people(config: LinkingConfig, registry: Any, people: Any) -> None:
    subjects = registry({"subject_key": "A", "name": "鑫源茶业有限公司", "legal_rep": "张三", "region_code": "532822"})
    listed = registry({"subject_key": "B", "name": "鑫源投资有限公司", "legal_rep": "张三", "region_code": "532801"})
    with_ids = run(subjects, people=people(("A", "张三", LI, "法定代表人")), watchlist=listed,
                   watchlist_people=people(("B", "张三", ZHANG, "法定代表人")), config=config)
    without_ids = run(subjects, watchlist=listed, config=config)
    assert with_ids.links.is_empty()
    # the brand and the name together make at most a related party, never the same outfit
    assert _pairs(without_ids.links, "same") == set()


def test_a_shared_agent_phone_counts_little(config: LinkingConfig, registry: Any, people: Any) -> None:
    agent = "0691-5123456"
    rows = [{"subject_key": f"S{i}", "name": f"公司{i}号商贸有限公司", "phone": agent, "region_code": "532822"}
            for i in range(10)]
    private = {"subject_key": "P", "name": "远山茶业有限公司", "phone": "13800138000", "region_code": "532822"}
    listed = registry(
        {"subject_key": "B1", "name": "近水投资有限公司", "phone": agent, "region_code": "532822"},
        {"subject_key": "B2", "name": "高天投资有限公司", "phone": "13800138000", "region_code": "532822"},
    )
    result = run(registry(*rows, private), watchlist=listed, config=config)
    assert _pairs(result.links) == {("P", "B2")}


def test_uscc_and_website_and_address_tie(config: LinkingConfig, registry: Any, people: Any) -> None:
    subjects = registry(
        {"subject_key": "U", "uscc": "91532822MA6K1234X1", "name": "甲公司", "region_code": "532822"},
        {"subject_key": "W", "name": "乙丙商贸有限公司", "website": "https://www.yibing.com/", "region_code": "532822",
         "address": "勐海县勐海镇曼贺路12号3楼301室"},
    )
    listed = registry(
        {"subject_key": "U2", "uscc": "91532822MA6K1234X1", "name": "甲公司", "region_code": "532822"},
        {"subject_key": "W2", "name": "丁戊投资有限公司", "website": "yibing.com", "region_code": "532822",
         "address": "云南省西双版纳州勐海县勐海镇曼贺路12号3楼301室"},
    )
    links = run(subjects, watchlist=listed, config=config).links
    assert _pairs(links, "same") == {("U", "U2"), ("W", "W2")}
    w = links.filter(pl.col("subject_key") == "W").row(0, named=True)
    assert set(w["kinds"].split(",")) == {"website", "address"}


def test_within_a_registry_links_form_clusters(config: LinkingConfig, registry: Any, people: Any) -> None:
    subjects = registry(
        {"subject_key": "A", "name": "甲茶业有限公司", "phone": "13800138000", "region_code": "532822"},
        {"subject_key": "B", "name": "乙投资有限公司", "phone": "13800138000", "region_code": "532822"},
        {"subject_key": "C", "name": "丙商贸有限公司", "legal_rep": "王五", "region_code": "532822"},
        {"subject_key": "D", "name": "丁商贸有限公司", "region_code": "532822"},
    )
    who = people(("B", "王五", LI, "股东"), ("C", "王五", LI, "法定代表人"))
    result = run(subjects, people=who, config=config)
    assert _pairs(result.links) == {("A", "B"), ("B", "C")}
    assert set(result.links["cluster_id"].to_list()) == {"A"}
    seen_from_b = related_parties(result.links, "B")
    assert set(seen_from_b["matched_key"].to_list()) == {"A", "C"}
    assert set(seen_from_b["subject_key"].to_list()) == {"B"}
