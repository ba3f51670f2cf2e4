"""The linking settings (fundwatch/lexicons/data/linking.yaml), checked at load.

Every threshold, point, hub size, word list and the change-watch window live in
that file; a problem names the file, the entry and what is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from fundwatch.lexicons.checks import checked_number, checked_words

POINT_KINDS: tuple[str, ...] = (
    "uscc", "person_id_key", "person_id_other", "person_name", "phone", "website", "address",
    "brand_same", "brand_similar", "person_id_conflict",
)
HUB_KINDS: tuple[str, ...] = ("phone", "address", "website", "person_name", "brand")
WATCH_SCORES: tuple[str, ...] = ("changes_base", "changes_step", "out_of_area")
CHANGE_KINDS: tuple[str, ...] = ("address", "name", "legal_rep", "officers")
ROLES: tuple[str, ...] = ("legal_rep", "controller", "shareholder", "officer")
WORD_LISTS: tuple[str, ...] = ("org_forms", "branch_markers", "trade_words", "filler_words", "shared_hosts",
                               "closed_statuses")


class LinkingConfigError(ValueError):
    """The linking file is unusable; the message names the file, the entry and the problem."""


@dataclass(frozen=True, slots=True)
class LinkingConfig:
    version: str
    home_region: str
    same: float
    related: float
    points: dict[str, float]
    hub_size: dict[str, int]
    brand_similarity: float
    max_block: int
    change_count: int
    change_window_months: int
    change_kinds: dict[str, tuple[str, ...]]
    roles: dict[str, tuple[str, ...]]
    org_forms: tuple[str, ...]
    branch_markers: tuple[str, ...]
    trade_words: tuple[str, ...]
    filler_words: tuple[str, ...]
    shared_hosts: tuple[str, ...]
    closed_statuses: tuple[str, ...]
    watch_scores: dict[str, float]
    home_places: tuple[str, ...] = ()  # the home county's short name and township names, from the regions data


DATA_DIR = Path(__file__).resolve().parent.parent / "lexicons" / "data"


def default_path() -> Path:
    return DATA_DIR / "linking.yaml"


def load_linking_config(path: Path | None = None) -> LinkingConfig:
    """Read and check the linking file (the packaged one when `path` is None)."""
    source = path or default_path()
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise LinkingConfigError(f"{source}: 无法读取：{err}") from err
    config = parse_linking_config(raw, str(source))
    return replace(config, home_places=home_places(config.home_region))


def home_places(home_region: str) -> tuple[str, ...]:
    """The home county's name without its 县/区/市 and its townships' names, from its regions file if any."""
    regions = DATA_DIR / "regions" / f"{home_region}.yaml"
    if not regions.exists():
        return ()
    data = yaml.safe_load(regions.read_text(encoding="utf-8")) or {}
    county = str(data.get("county", {}).get("name", ""))
    names = [county[:-1]] if len(county) > 2 and county[-1] in "县区市旗" else []
    names += [str(t["name"]) for t in data.get("townships", []) if isinstance(t, dict) and t.get("name")]
    return tuple(n for n in names if n)


def _fail(where: str, entry: str, problem: str) -> LinkingConfigError:
    return LinkingConfigError(f"{where}: 条目“{entry}”{problem}")


def _number(data: dict[str, Any], key: str, where: str, entry: str, low: float, high: float) -> float:
    return checked_number(data.get(key), low, high, lambda problem: _fail(where, entry, problem))


def _words(value: Any, where: str, entry: str) -> tuple[str, ...]:
    return checked_words(value, lambda problem: _fail(where, entry, problem))


def _section(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise _fail(where, key, "缺失或不是映射")
    return value


def _word_map(raw: dict[str, Any], key: str, ids: tuple[str, ...], where: str) -> dict[str, tuple[str, ...]]:
    section = _section(raw, key, where)
    missing = [k for k in ids if k not in section]
    unknown = [k for k in section if k not in ids]
    if missing or unknown:
        raise _fail(where, key, f"应恰好含 {', '.join(ids)}（缺 {missing}，多 {unknown}）")
    return {k: _words(section[k], where, f"{key}.{k}") for k in ids}


def parse_linking_config(raw: Any, where: str) -> LinkingConfig:
    """Check a parsed linking file; `where` names it in errors."""
    if not isinstance(raw, dict):
        raise LinkingConfigError(f"{where}: 顶层应为映射")
    home = raw.get("home_region")
    if not isinstance(home, str) or not (len(home) == 6 and home.isdigit()):
        raise _fail(where, "home_region", "应为6位行政区划代码（加引号的字符串）")
    thresholds = _section(raw, "thresholds", where)
    same = _number(thresholds, "same", where, "thresholds.same", 1, 100)
    related = _number(thresholds, "related", where, "thresholds.related", 1, same)
    points_raw = _section(raw, "points", where)
    points = {k: _number(points_raw, k, where, f"points.{k}", -100, 100) for k in POINT_KINDS}
    # the linker drops pairs found by brand alone; that is sound only while a brand alone stays unrelated
    if max(points["brand_same"], points["brand_similar"]) >= related:
        raise _fail(where, "points.brand_same",
                    "与 brand_similar 均应低于 thresholds.related（字号本身不足以关联两个主体）")
    hubs_raw = _section(raw, "hub_size", where)
    hubs = {k: int(_number(hubs_raw, k, where, f"hub_size.{k}", 1, 10_000)) for k in HUB_KINDS}
    changes = _section(raw, "changes", where)
    words = {k: _words(raw.get(k), where, k) for k in WORD_LISTS}
    watch_raw = _section(raw, "watch_scores", where)
    watch = {k: _number(watch_raw, k, where, f"watch_scores.{k}", 0, 100) for k in WATCH_SCORES}
    return LinkingConfig(
        version=str(raw.get("version", "")),
        home_region=home,
        same=same,
        related=related,
        points=points,
        hub_size=hubs,
        brand_similarity=_number(raw, "brand_similarity", where, "brand_similarity", 1, 100),
        max_block=int(_number(raw, "max_block", where, "max_block", 2, 1_000_000)),
        change_count=int(_number(changes, "count", where, "changes.count", 1, 1000)),
        change_window_months=int(_number(changes, "window_months", where, "changes.window_months", 1, 240)),
        change_kinds=_word_map(changes, "kinds", CHANGE_KINDS, where),
        roles=_word_map(raw, "roles", ROLES, where),
        org_forms=words["org_forms"],
        branch_markers=words["branch_markers"],
        trade_words=words["trade_words"],
        filler_words=words["filler_words"],
        shared_hosts=words["shared_hosts"],
        closed_statuses=words["closed_statuses"],
        watch_scores=watch,
    )
