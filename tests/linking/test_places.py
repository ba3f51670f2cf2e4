from __future__ import annotations

from fundwatch.linking.places import place_name, resolve_region


def test_an_unambiguous_county_is_found() -> None:
    assert resolve_region("云南省西双版纳傣族自治州勐海县勐海镇曼贺路12号").code == "532822"
    assert resolve_region("西双版纳州勐海县打洛镇").code == "532822"


def test_an_ambiguous_district_is_resolved_by_the_city_named_beside_it() -> None:
    assert resolve_region("北京市朝阳区建国路1号").code == "110105"
    assert resolve_region("吉林省长春市朝阳区人民大街1号").code == "220104"


def test_an_ambiguous_district_is_resolved_from_context() -> None:
    assert resolve_region("朝阳区建国路1号", context=("220100",)).code == "220104"
    assert resolve_region("朝阳区建国路1号", context=("110105",)).code == "110105"


def test_an_ambiguous_district_without_context_is_reported_not_guessed() -> None:
    resolved = resolve_region("朝阳区建国路1号")
    assert resolved.code is None
    assert resolved.problem is not None and "朝阳区" in resolved.problem and "110105" in resolved.problem


def test_an_address_without_places_is_reported() -> None:
    resolved = resolve_region("建国路1号")
    assert resolved.code is None and resolved.problem


def test_place_names() -> None:
    assert place_name("532822") == "云南省西双版纳傣族自治州勐海县"
