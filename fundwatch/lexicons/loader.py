"""Read the lexicon, scoring and profile YAML files into a checked, frozen `RuleSet`.

Every value is checked as it is read into the frozen dataclasses of
`fundwatch.lexicons.model` (unknown keys too: a misspelt key is an error, not a
silently ignored line), and the first problem raises `LexiconError` naming the
file, the entry and what is wrong (词库文件 sensitive.yaml 的 words 第3项“理财” › points：…).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from fundwatch.frames import DIMENSIONS
from fundwatch.lexicons.checks import At, LexiconError
from fundwatch.lexicons.model import (
    FIELD_GROUPS,
    REGISTRY_FIELDS,
    SIDE_FIELDS,
    Assignment,
    Corroboration,
    Entry,
    MultiplePattern,
    Profile,
    RatePattern,
    Records,
    RuleParams,
    RuleSet,
    ScopeMask,
    Scoring,
    Sector,
    Term,
    Tier,
)

DATA_DIR = Path(__file__).parent / "data"
PROFILES = "profiles"
FILES = (
    "sensitive.yaml", "sectors.yaml", "guises.yaml", "promises.yaml",
    "targets.yaml", "hazards.yaml", "records.yaml", "scoring.yaml",
)
GRADE_KEYS = ("red", "orange", "yellow", "blue")

# The rules the screening engine runs and what scoring.yaml must give each beyond
# dimension and cap: named thresholds, and whether it scores by tiers.
RULE_SCHEMA: dict[str, tuple[tuple[str, ...], bool]] = {
    "name_sensitive_word": ((), False),
    "scope_sensitive_word": ((), False),
    "key_sector": ((), False),
    "guise_words": ((), False),
    "promise_words": ((), False),
    "promise_rate": ((), False),
    "target_groups": ((), False),
    "recruitment_methods": ((), False),
    "complaint_count": ((), False),
    "complaint_people": ((), True),
    "complaint_amount": ((), True),
    "distress_words": ((), False),
    "negative_news": (("max_sentiment",), False),
    "judicial_record": ((), False),
    "abnormal_listing": ((), False),
    "frequent_changes": (("extra_points", "min_count", "window_days"), False),
    "out_of_area": ((), False),
    "capital_anomaly": (("min_registered_yuan",), False),
    "new_finance_company": (("max_age_days", "min_word_points"), False),
    "closed_but_advertising": (("max_ad_age_days",), False),
    "rebranded_name": ((), False),
}


def _read(directory: Path, name: str) -> tuple[Mapping[str, object], bytes]:
    at = At(name)
    path = directory / name
    try:
        raw = path.read_bytes()
    except OSError as err:
        at.fail(f"无法读取（{err.strerror or err}）")
    try:
        data = yaml.load(raw, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else "整个文件"
        raise LexiconError(name, where, f"YAML 格式错误：{getattr(err, 'problem', err)}") from err
    return at.mapping(data, (), tuple(data) if isinstance(data, dict) else ()), raw


def _label(index: int, raw: object, key: str = "word") -> str:
    if isinstance(raw, str):
        return f"第{index}项“{raw}”"
    if isinstance(raw, Mapping) and isinstance(raw.get(key), str):
        return f"第{index}项“{raw[key]}”"
    return f"第{index}项"


def _points(at: At, raw: object, fields: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    if not isinstance(raw, Mapping):
        value = at.number(raw)
        return tuple((f, value) for f in fields)
    allowed = [*fields, *(g for g, members in FIELD_GROUPS.items() if set(members) <= set(fields))]
    checked = at.mapping(raw, (), allowed)
    if not checked:
        at.fail("至少要给一个字段的分值")
    points: dict[str, float] = {}
    for key in sorted(checked, key=lambda k: k in fields):  # groups first, single fields override them
        value = at.at(key).number(checked[key])
        for field in FIELD_GROUPS.get(key, (key,)):
            points[field] = value
    return tuple((f, points[f]) for f in fields if f in points)


def _term(at: At, raw: object, fields: tuple[str, ...], default_points: float | None = None) -> Term:
    if isinstance(raw, str) and default_points is not None:
        return Term(at.text(raw), tuple((f, default_points) for f in fields))
    optional = ("except", "source") + (("points",) if default_points is not None else ())
    entry = at.mapping(raw, ("word",) + (() if default_points is not None else ("points",)), optional)
    word = at.at("word").text(entry["word"])
    points = (
        _points(at.at("points"), entry["points"], fields) if "points" in entry
        else tuple((f, float(default_points or 0.0)) for f in fields)
    )
    exceptions = at.at("except").texts(entry.get("except", []), allow_empty=True)
    for phrase in exceptions:
        if word not in phrase or phrase == word:
            at.at("except").fail(f"排除语“{phrase}”应是包含“{word}”的更长短语")
    return Term(word, points, exceptions)


def _terms(at: At, raw: object, fields: tuple[str, ...], default_points: float | None = None) -> tuple[Term, ...]:
    terms = tuple(_term(at.at(_label(i, r)), r, fields, default_points) for i, r in enumerate(at.items(raw), 1))
    at.unique([t.text for t in terms], "词")
    return terms


def _regex(at: At, pattern: str) -> str:
    try:
        pl.Series([""], dtype=pl.String).str.contains(pattern)
    except pl.exceptions.ComputeError as err:
        at.fail(f"正则表达式无效：{str(err).splitlines()[0]}")
    return pattern


def _tiers(at: At, raw: object, key: str) -> tuple[Tier, ...]:
    tiers = []
    for i, item in enumerate(at.items(raw), 1):
        here = at.at(f"第{i}档")
        entry = here.mapping(item, (key, "points"))
        tiers.append(Tier(here.at(key).number(entry[key], 0, 1e15), here.at("points").number(entry["points"])))
    if any(b.minimum <= a.minimum for a, b in itertools.pairwise(tiers)):
        at.fail(f"各档的 {key} 应从小到大排列")
    return tuple(tiers)


def _scope_masks(at: At, raw: object) -> tuple[ScopeMask, ...]:
    masks = []
    for i, item in enumerate(at.items(raw, allow_empty=True), 1):
        here = at.at(f"第{i}项")
        entry = here.mapping(item, ("triggers", "regex"))
        regex = _regex(here.at("regex"), here.at("regex").text(entry["regex"]))
        masks.append(ScopeMask(here.at("triggers").texts(entry["triggers"]), regex))
    return tuple(masks)


def _sensitive(data: Mapping[str, object]) -> tuple[tuple[Term, ...], tuple[ScopeMask, ...]]:
    at = At("sensitive.yaml")
    top = at.mapping(data, ("words",), ("scope_masks",))
    masks = _scope_masks(at.at("scope_masks"), top.get("scope_masks", []))
    return _terms(at.at("words"), top["words"], REGISTRY_FIELDS), masks


def _industry_codes(at: At, raw: object) -> tuple[str, ...]:
    codes = at.texts(raw, allow_empty=True)
    for code in codes:
        if not re.fullmatch(r"\d{2,4}", code):
            at.fail(f"行业代码“{code}”应为 GB/T 4754 的 2 至 4 位数字（带引号）")
    return codes


def _sector(at: At, raw: object, guise_ids: set[str]) -> Sector:
    optional = ("guise", "industry_codes", "entity_types", "source")
    entry = at.mapping(raw, ("id", "name", "points", "keywords"), optional)
    points = at.at("points").number(entry["points"])
    guise = at.at("guise").text(entry["guise"]) if "guise" in entry else ""
    if guise and guise not in guise_ids:
        at.at("guise").fail(f"集资名义“{guise}”在 guises.yaml 中不存在")
    return Sector(
        id=at.at("id").text(entry["id"]),
        name=at.at("name").text(entry["name"]),
        points=points,
        guise=guise,
        industry_codes=_industry_codes(at.at("industry_codes"), entry.get("industry_codes", [])),
        entity_types=at.at("entity_types").texts(entry.get("entity_types", []), allow_empty=True),
        keywords=_terms(at.at("keywords"), entry["keywords"], REGISTRY_FIELDS, points),
    )


def _sectors(data: Mapping[str, object], guise_ids: set[str]) -> tuple[Sector, ...]:
    at = At("sectors.yaml")
    top = at.mapping(data, ("sectors",))
    items = at.at("sectors").items(top["sectors"])
    sectors = tuple(_sector(at.at(f"sectors {_label(i, r, 'id')}"), r, guise_ids) for i, r in enumerate(items, 1))
    at.at("sectors").unique([s.id for s in sectors], "领域 id")
    return sectors


def _entries(at: At, raw: object, fields: tuple[str, ...], classes: set[str] | None = None) -> tuple[Entry, ...]:
    entries = []
    for i, item in enumerate(at.items(raw), 1):
        here = at.at(_label(i, item, "id"))
        required = ("id", "name", "terms") + (("class",) if classes is not None else ())
        entry = here.mapping(item, required, ("source",))
        behaviour_class = ""
        if classes is not None:
            behaviour_class = here.at("class").text(entry["class"])
            if behaviour_class not in classes:
                here.at("class").fail(f"重点行为类别“{behaviour_class}”未在 classes 中定义")
        terms = _terms(here.at("terms"), entry["terms"], fields)
        entries.append(Entry(here.at("id").text(entry["id"]), here.at("name").text(entry["name"]), terms,
                             behaviour_class))
    at.unique([e.id for e in entries], "id")
    return tuple(entries)


def _guises(data: Mapping[str, object]) -> tuple[tuple[tuple[str, str], ...], tuple[Entry, ...]]:
    at = At("guises.yaml")
    top = at.mapping(data, ("classes", "guises"))
    classes = []
    for i, item in enumerate(at.at("classes").items(top["classes"]), 1):
        here = at.at(f"classes {_label(i, item, 'id')}")
        entry = here.mapping(item, ("id", "name"))
        classes.append((here.at("id").text(entry["id"]), here.at("name").text(entry["name"])))
    guises = _entries(at.at("guises"), top["guises"], REGISTRY_FIELDS + SIDE_FIELDS, {c for c, _ in classes})
    return tuple(classes), guises


def _multiples(at: At, raw: object) -> MultiplePattern:
    entry = at.mapping(raw, ("regex", "points"))
    return MultiplePattern(_regex(at.at("regex"), at.at("regex").text(entry["regex"])),
                           at.at("points").number(entry["points"]))


def _promises(data: Mapping[str, object]) -> tuple[tuple[Term, ...], tuple[RatePattern, ...], tuple[Tier, ...]]:
    at = At("promises.yaml")
    top = at.mapping(data, ("words", "rates", "rate_tiers"), ("multiples",))
    rates = []
    for i, item in enumerate(at.at("rates").items(top["rates"]), 1):
        here = at.at(f"rates {_label(i, item, 'label')}")
        entry = here.mapping(item, ("label", "regex", "per_year"))
        regex = _regex(here.at("regex"), here.at("regex").text(entry["regex"]))
        rates.append(RatePattern(here.at("label").text(entry["label"]), regex,
                                 here.at("per_year").number(entry["per_year"], 1, 366)))
    tiers = _tiers(at.at("rate_tiers"), top["rate_tiers"], "min_percent")
    return _terms(at.at("words"), top["words"], SIDE_FIELDS), tuple(rates), tiers


def _targets(data: Mapping[str, object]) -> tuple[tuple[Entry, ...], tuple[Term, ...]]:
    at = At("targets.yaml")
    top = at.mapping(data, ("groups", "methods"))
    return _entries(at.at("groups"), top["groups"], SIDE_FIELDS), _terms(at.at("methods"), top["methods"], SIDE_FIELDS)


def _hazards(data: Mapping[str, object]) -> tuple[Term, ...]:
    at = At("hazards.yaml")
    top = at.mapping(data, ("words",))
    return _terms(at.at("words"), top["words"], ("reports", "news"))


def _change_categories(at: At, raw: object) -> tuple[Entry, ...]:
    categories = []
    for i, item in enumerate(at.items(raw), 1):
        here = at.at(_label(i, item, "id"))
        entry = here.mapping(item, ("id", "name", "words"))
        terms = _terms(here.at("words"), entry["words"], ("item",), 0.0)
        categories.append(Entry(here.at("id").text(entry["id"]), here.at("name").text(entry["name"]), terms))
    at.unique([c.id for c in categories], "id")
    return tuple(categories)


def _records(data: Mapping[str, object]) -> Records:
    at = At("records.yaml")
    keys = ("judicial_causes", "judicial_kinds", "abnormal_reasons", "change_categories", "closed_statuses")
    top = at.mapping(data, keys)
    return Records(
        judicial_causes=_terms(at.at("judicial_causes"), top["judicial_causes"], ("cause",)),
        judicial_kinds=_terms(at.at("judicial_kinds"), top["judicial_kinds"], ("kind",)),
        abnormal_reasons=_terms(at.at("abnormal_reasons"), top["abnormal_reasons"], ("reason",)),
        change_categories=_change_categories(at.at("change_categories"), top["change_categories"]),
        closed_statuses=at.at("closed_statuses").texts(top["closed_statuses"]),
    )


def _rule(at: At, raw: object, rule_id: str) -> RuleParams:
    names, needs_tiers = RULE_SCHEMA[rule_id]
    entry = at.mapping(raw, ("dimension", "cap", *names, *(("tiers",) if needs_tiers else ())), ("points",))
    dimension = at.at("dimension").text(entry["dimension"])
    if dimension not in DIMENSIONS:
        at.at("dimension").fail(f"维度“{dimension}”不存在（可用：{'、'.join(DIMENSIONS)}）")
    return RuleParams(
        dimension=dimension,
        cap=at.at("cap").number(entry["cap"]),
        points=at.at("points").number(entry.get("points", 0.0)),
        tiers=_tiers(at.at("tiers"), entry["tiers"], "min") if needs_tiers else (),
        thresholds=tuple((n, at.at(n).number(entry[n], -1e15, 1e15)) for n in names),
    )


def _grades(at: At, raw: object) -> tuple[tuple[str, float], ...]:
    entry = at.mapping(raw, GRADE_KEYS)
    grades = tuple((g, at.at(g).number(entry[g])) for g in GRADE_KEYS)
    if any(low >= high for (_, high), (_, low) in itertools.pairwise(grades)):
        at.fail("分级下限应为 red > orange > yellow > blue")
    return grades


def _corroboration(at: At, raw: object) -> Corroboration:
    entry = at.mapping(raw, ("min_groups", "standalone_points", "cap"))
    return Corroboration(
        min_groups=at.at("min_groups").integer(entry["min_groups"], 1, 10),
        standalone_points=at.at("standalone_points").number(entry["standalone_points"]),
        cap=at.at("cap").number(entry["cap"]),
    )


# Dimensions that come from outside the rules, each optional in scoring.yaml's external_weights.
EXTERNAL_DIMENSIONS = ("funds", "model")


def _scoring(data: Mapping[str, object]) -> tuple[str, Scoring]:
    at = At("scoring.yaml")
    keys = ("version", "weights", "grades", "corroboration", "evidence_per_rule", "fx_to_cny", "rules")
    top = at.mapping(data, keys, ("external_weights",))
    external = at.at("external_weights").mapping(top.get("external_weights", {}), (), EXTERNAL_DIMENSIONS)
    weights = at.at("weights").mapping(top["weights"], DIMENSIONS)
    fx = at.at("fx_to_cny").mapping(top["fx_to_cny"], (), tuple(top["fx_to_cny"]) if isinstance(
        top["fx_to_cny"], dict) else ())
    rules_at = at.at("rules")
    rules = rules_at.mapping(top["rules"], tuple(RULE_SCHEMA))
    scoring = Scoring(
        weights=tuple((d, at.at(f"weights › {d}").number(weights[d], 0, 1)) for d in DIMENSIONS),
        grades=_grades(at.at("grades"), top["grades"]),
        corroboration=_corroboration(at.at("corroboration"), top["corroboration"]),
        evidence_per_rule=at.at("evidence_per_rule").integer(top["evidence_per_rule"], 1, 100),
        fx_to_cny=tuple((str(c), at.at(f"fx_to_cny › {c}").number(v, 0, 1e6)) for c, v in fx.items()),
        rules=tuple((r, _rule(rules_at.at(r), rules[r], r)) for r in RULE_SCHEMA),
        external_weights=tuple((d, at.at(f"external_weights › {d}").number(external[d], 0, 1))
                               for d in EXTERNAL_DIMENSIONS if d in external),
    )
    return at.at("version").text(str(top["version"])), scoring


def _profile(name: str, data: Mapping[str, object], sector_ids: set[str]) -> Profile:
    at = At(f"{PROFILES}/{name}.yaml")
    top = at.mapping(data, ("name", "region_code", "place_names", "office", "default_department", "assignments"))
    region = at.at("region_code").text(str(top["region_code"]))
    if not re.fullmatch(r"\d{6}", region):
        at.at("region_code").fail(f"行政区划代码“{region}”应为 6 位数字（带引号）")
    rows = []
    for i, item in enumerate(at.at("assignments").items(top["assignments"]), 1):
        here = at.at(f"assignments {_label(i, item, 'area')}")
        entry = here.mapping(item, ("area", "department", "sectors"))
        sectors = here.at("sectors").texts(entry["sectors"])
        for sector in sectors:
            if sector not in sector_ids:
                here.at("sectors").fail(f"领域“{sector}”在 sectors.yaml 中不存在")
        rows.append(Assignment(here.at("area").text(entry["area"]), here.at("department").text(entry["department"]),
                               sectors))
    at.at("assignments").unique([s for r in rows for s in r.sectors], "领域（一个领域只能有一个牵头部门）")
    return Profile(
        id=name,
        name=at.at("name").text(top["name"]),
        region_code=region,
        place_names=at.at("place_names").texts(top["place_names"], allow_empty=True),
        office=at.at("office").text(top["office"]),
        default_department=at.at("default_department").text(top["default_department"]),
        assignments=tuple(rows),
    )


def list_profiles(directory: Path | None = None) -> list[str]:
    """Names of the locality profiles available (files under data/profiles/), sorted."""
    return sorted(p.stem for p in ((directory or DATA_DIR) / PROFILES).glob("*.yaml"))


def load_ruleset(profile: str = "menghai", directory: Path | None = None) -> RuleSet:
    """Load and check every lexicon file and the named profile from `directory` (default: the package's data).

    The version is scoring.yaml's `version` plus a short hash of the files read,
    so editing any word changes the version of the results.
    """
    base = directory or DATA_DIR
    if profile not in list_profiles(base):
        known = "、".join(list_profiles(base)) or "（无）"
        raise LexiconError(f"{PROFILES}/{profile}.yaml", "整个文件", f"没有这个地区配置（可用：{known}）")
    loaded = {name: _read(base, name) for name in (*FILES, f"{PROFILES}/{profile}.yaml")}
    data: dict[str, Any] = {name: content for name, (content, _) in loaded.items()}
    digest = hashlib.sha256(b"".join(raw for _, raw in loaded.values())).hexdigest()[:8]
    classes, guises = _guises(data["guises.yaml"])
    sectors = _sectors(data["sectors.yaml"], {g.id for g in guises})
    sensitive, masks = _sensitive(data["sensitive.yaml"])
    promises, rates, rate_tiers = _promises(data["promises.yaml"])
    multiples = _multiples(At("promises.yaml").at("multiples"), data["promises.yaml"].get("multiples"))
    targets, methods = _targets(data["targets.yaml"])
    version, scoring = _scoring(data["scoring.yaml"])
    return RuleSet(
        version=f"{version}+{digest}",
        profile=_profile(profile, data[f"{PROFILES}/{profile}.yaml"], {s.id for s in sectors}),
        sensitive=sensitive,
        scope_masks=masks,
        sectors=sectors,
        behaviour_classes=classes,
        guises=guises,
        promises=promises,
        rates=rates,
        multiples=multiples,
        rate_tiers=rate_tiers,
        targets=targets,
        methods=methods,
        hazards=_hazards(data["hazards.yaml"]),
        records=_records(data["records.yaml"]),
        scoring=scoring,
    )
