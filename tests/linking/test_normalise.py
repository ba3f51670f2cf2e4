from __future__ import annotations

import polars as pl
import pytest
from stdnum.cn import ric

from fundwatch.linking import normalise as norm
from fundwatch.linking.config import LinkingConfig


def _one(expr: pl.Expr, value: str | None) -> str | None:
    return pl.DataFrame({"v": [value]}, schema={"v": pl.String}).select(expr).item()


@pytest.mark.parametrize(("raw", "name", "brand"), [
    ("云南省勐海县鑫源投资咨询有限公司", "鑫源投资咨询", "鑫源"),
    ("鑫源投资咨询（勐海）有限公司打洛分公司", "鑫源投资咨询", "鑫源"),
    ("西双版纳金鑫源财富管理股份有限公司", "金鑫源财富管理", "金鑫源"),
    ("勐海县勐遮镇曼弄茶叶专业合作社", "曼弄茶叶", "曼弄"),
    # a place that is the whole brand stays the brand
    ("朝阳茶业有限公司", "朝阳茶业", "朝阳"),
    ("ＸＹ 汇通 信息科技有限公司", "XY汇通信息科技", "XY汇通"),
])
def test_company_names_keep_brand_and_trade(config: LinkingConfig, raw: str, name: str, brand: str) -> None:
    normalised = _one(norm.company_name(pl.col("v"), config), raw)
    assert normalised == name
    assert _one(norm.brand(pl.col("v"), config), normalised) == brand


def test_branch_marker_is_recognised(config: LinkingConfig) -> None:
    assert _one(norm.is_branch(pl.col("v"), config), "鑫源投资咨询有限公司勐海营业部")
    assert not _one(norm.is_branch(pl.col("v"), config), "鑫源投资咨询有限公司")


@pytest.mark.parametrize(("raw", "expected"), [
    ("11010519491231002X", "11010519491231002X"),
    ("11010519491231002x", "11010519491231002X"),
    ("110105491231002", "11010519491231002X"),  # 15-digit number upgraded with its check digit
    ("110105194912310021", None),  # wrong check digit
    ("1101051949", None),
    (None, None),
])
def test_id_numbers_checked_by_gb11643(raw: str | None, expected: str | None) -> None:
    assert _one(norm.id_number(pl.col("v")), raw) == expected
    if expected is not None:
        assert ric.is_valid(expected)


def test_id_numbers_are_masked() -> None:
    assert _one(norm.mask_id(pl.col("v")), "532822199001011234") == "5328**********1234"
    assert _one(norm.mask_id(pl.col("v")), "123") == "***"
    assert norm.id_problem("110105194912310021") is not None
    assert norm.id_problem("11010519491231002X") is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("+86 138-0013-8000", "13800138000"),
    ("008613800138000", "13800138000"),
    ("(0691)5123456转8", "06915123456"),
    ("0691-5123456", "06915123456"),
    ("12345", None),
    ("无", None),
])
def test_phones(raw: str, expected: str | None) -> None:
    assert _one(norm.phone(pl.col("v")), raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("HTTPS://www.XinYuan.com/about?x=1", "xinyuan.com"),
    ("xinyuan.com:8080", "xinyuan.com"),
    ("mp.weixin.qq.com/s/abc", None),  # a shared platform says nothing about who runs it
    ("shop1.taobao.com", "shop1.taobao.com"),
    ("暂无", None),
])
def test_websites(config: LinkingConfig, raw: str, expected: str | None) -> None:
    assert _one(norm.website(pl.col("v"), config), raw) == expected


def test_address_key_drops_places_keeps_premises(config: LinkingConfig) -> None:
    frame = pl.DataFrame({"r": ["532822", "532822", None], "a": [
        "云南省西双版纳傣族自治州勐海县勐海镇曼贺路12号3楼301室", "勐海县 勐海镇 曼贺路１２号3楼301室", "曼贺路12号"]})
    keys = frame.select(norm.address_key(pl.col("r"), pl.col("a"), config)).to_series().to_list()
    assert keys == ["532822|勐海镇曼贺路12号3楼301室", "532822|勐海镇曼贺路12号3楼301室", None]


def test_person_names() -> None:
    assert _one(norm.person_name(pl.col("v")), " 玉罕 • 岩温 ") == "玉罕·岩温"
    assert _one(norm.person_name(pl.col("v")), "张 伟（法人）") == "张伟"
