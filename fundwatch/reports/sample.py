"""The demo county's ledger (勐海县) in the frames the report renderers take.

For the tests of the renderers (which must not need Django) and for the pictures in
docs/reports/. The subjects are the demo generator's (fundwatch.demo.generate_county), screened
by the screening engine with the profile's rule set: their names, sectors, townships, guises,
target groups and problems come from there, and the red and orange ones become the leads (as
the platform opens them). What the ledger adds later — dates, workflow states, money involved,
refunds, provinces notified, villages declared free, bulletins sent — is drawn from a seed.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from fundwatch.frames import SIDE_KINDS
from fundwatch.lexicons import RuleSet, load_ruleset
from fundwatch.reports.frames import (
    AREA_LEADS_SCHEMA,
    BLACKLIST_SCHEMA,
    INSTITUTIONS_SCHEMA,
    KEY_LEADS_SCHEMA,
    MONITORED_SCHEMA,
    MONTHLY_LEADS_SCHEMA,
    SUBMISSIONS_SCHEMA,
    UNITS_SCHEMA,
    VILLAGES_SCHEMA,
    frame,
)
from fundwatch.reports.layouts import load_table
from fundwatch.reports.overview import problem_words

REGIONS = Path(__file__).resolve().parent.parent / "lexicons" / "data" / "regions"
MEASURES = ("约谈法定代表人，下达责令整改通知书", "现场核查，调取合同和账册", "联合市场监管部门检查，责令停止宣传",
            "督促制定清退方案", "移送县公安局立案侦查")
OUTCOMES = ("正在整改并正常营业", "停业整改", "移送公安", "持续监测")
PROVINCES = ("四川省", "贵州省", "广西壮族自治区", "湖南省", "广东省")
STATES = ("found", "triage", "desk_check", "inspection", "monitoring", "rectifying", "referred_police", "closed",
          "reopened", "dismissed")
CLASSES = ("general", "general", "general", "major", "major", "cross_region", "cross_province_major")
CHANNELS = ("大数据筛查", "群众举报", "网格上报", "人工登记")
RECTIFICATION = {"rectifying": "ongoing", "closed": "done"}
LEAD_GRADES = ("red", "orange")  # the grades the platform opens a lead for


@dataclass
class SampleLedger:
    key_leads: pl.DataFrame
    institutions: pl.DataFrame
    villages: pl.DataFrame
    area_leads: pl.DataFrame
    monthly_leads: pl.DataFrame
    monitored: pl.DataFrame
    blacklist: pl.DataFrame
    units: pl.DataFrame
    submissions: pl.DataFrame
    ruleset: RuleSet


@dataclass
class Screened:
    """The demo county after the screening engine: one row per subject, with what its hits show."""

    subjects: pl.DataFrame  # subject_key, name, grade, sector, township_code, address, uscc, legal_rep
    facts: dict[str, dict[str, Any]]  # subject_key -> guise, target_group, problems
    reported: dict[str, tuple[int, Decimal]]  # subject_key -> people and money in public reports


def screen_demo(subjects: int, seed: int, rules: RuleSet) -> Screened:
    """Generate, import (through the importers, from the files an office exports) and screen the demo county."""
    from fundwatch.demo import generate_county, write_county
    from fundwatch.ingest.registry import load_registry
    from fundwatch.ingest.side import load_side_table
    from fundwatch.screening import SideTables, screen

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_county(generate_county(subjects, seed), out)
        registry = load_registry(out / "registry.csv").frame
        side = {k: load_side_table(k, out / f"{k}.csv").frame for k in SIDE_KINDS if (out / f"{k}.csv").exists()}
    result = screen(registry, SideTables(**side), rules)
    subjects_frame = result.scores.select("subject_key", "name", "grade", "sector", "township_code").join(
        registry.select("subject_key", "uscc", "legal_rep",
                        pl.coalesce("operating_address", "address").alias("address")),
        on="subject_key", how="left",
    )
    return Screened(subjects_frame, _facts(result.hits, rules), _reported(side.get("reports")))


def _facts(hits: pl.DataFrame, rules: RuleSet) -> dict[str, dict[str, Any]]:
    words = problem_words(load_table("overview"))
    guises = sorted(((t.text, g.id) for g in rules.guises for t in g.terms), key=lambda p: -len(p[0]))
    targets = sorted(((t.text, g.id) for g in rules.targets for t in g.terms), key=lambda p: -len(p[0]))
    facts: dict[str, dict[str, Any]] = {}
    for key, rule, matched in hits.sort("points", descending=True).select("subject_key", "rule", "matched").iter_rows():
        fact = facts.setdefault(key, {"guise": None, "target_group": None, "problems": []})
        text = matched or ""
        if rule == "guise_words" and fact["guise"] is None:
            fact["guise"] = next((g for w, g in guises if w in text), None)
        if rule == "target_groups" and fact["target_group"] is None:
            fact["target_group"] = next((g for w, g in targets if w in text), None)
        if rule in words and words[rule] not in fact["problems"]:
            fact["problems"].append(words[rule])
    return facts


def _reported(reports: pl.DataFrame | None) -> dict[str, tuple[int, Decimal]]:
    if reports is None or reports.is_empty():
        return {}
    sums = reports.group_by("subject_key").agg(pl.col("people").sum(), pl.col("amount").sum())
    return {k: (int(p or 0), Decimal(a or 0)) for k, p, a in sums.iter_rows()}


def _townships(county: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((REGIONS / f"{county}.yaml").read_text(encoding="utf-8"))
    return list(data["townships"])


def _money(rng: random.Random, reported: tuple[int, Decimal] | None) -> tuple[Decimal, int]:
    """Money and people involved: what public reports say, else a draw of the size of a county outfit."""
    if reported and reported[1] > 0:
        return reported[1], max(reported[0], 1)
    return Decimal(rng.randint(5, 60_000)) * 1000 + Decimal(rng.randint(0, 99)) / 100, rng.randint(3, 1500)


def _refund_state(refunded: Decimal | None, amount: Decimal) -> str | None:
    if refunded is None:
        return None
    return "done" if refunded >= amount * Decimal("0.9") else "refunding"


def _lead(rng: random.Random, i: int, subject: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    town = ctx["towns"].get(subject["township_code"] or "")
    village = rng.randrange(len(town["villages"])) if town and rng.random() < 0.7 else None
    opened = ctx["period_end"] - timedelta(days=rng.randint(0, 200))
    state = rng.choice(STATES)
    amount, people = _money(rng, ctx["screened"].reported.get(subject["subject_key"]))
    refunded = (amount * Decimal(rng.randint(5, 100)) / 100).quantize(Decimal("0.01")) if rng.random() < 0.3 else None
    provinces = rng.sample(PROVINCES, rng.randint(1, 2)) if rng.random() < 0.25 else []
    fact = ctx["screened"].facts.get(subject["subject_key"], {})
    guise = fact.get("guise")
    return subject | {
        "lead_id": f"XS{i:06d}", "sector": subject["sector"] or "其他", "guise": guise,
        "township": town["name"] if town else None,
        "village_code": f"{town['code']}{village + 1:03d}" if town and village is not None else None,
        "opened": opened, "state": state,
        "closed": opened + timedelta(days=rng.randint(3, 90)) if state == "closed" else None,
        "lead_class": rng.choice(CLASSES), "channel": rng.choice(CHANNELS), "amount": amount, "participants": people,
        "unpaid": (amount * Decimal(rng.randint(0, 80)) / 100).quantize(Decimal("0.01")),
        "refunded": refunded, "refund_state": _refund_state(refunded, amount),
        "refund_ratio": None if refunded is None else float(refunded / amount * 100),
        "cross_province": bool(provinces), "notified_provinces": provinces,
        "notification_count": len(provinces) + rng.randint(0, 2) if provinces else 0,
        "online": rng.choice(("online", "offline", "both")),
        "fundraising_model": ctx["guise_names"].get(guise, "承诺高额回报吸收资金"), "measures": rng.choice(MEASURES),
        "outcome": rng.choice(OUTCOMES), "remarks": "",
    }


def _institutions(
    rng: random.Random, screened: Screened, leads: list[dict[str, Any]], rules: RuleSet
) -> list[dict[str, Any]]:
    sector_ids = {s.name: s.id for s in rules.sectors}
    by_key = {lead["subject_key"]: lead for lead in leads}
    rows = []
    for key, sector in screened.subjects.select("subject_key", "sector").iter_rows():
        fact = screened.facts.get(key, {})
        lead = by_key.get(key)
        rows.append({
            "subject_key": key, "sector": sector_ids.get(sector or ""), "guise": fact.get("guise"),
            "target_group": fact.get("target_group"), "has_problem": lead is not None,
            "problems": fact.get("problems", []) if lead else [],
            "rectification": RECTIFICATION.get(lead["state"], rng.choice((None, "planned"))) if lead else None,
            "referred_police": bool(lead and lead["state"] == "referred_police"),
            "amount": lead["amount"] if lead else None, "participants": lead["participants"] if lead else None,
        })
    return rows


def _villages(rng: random.Random, towns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for town in towns:
        thorough = rng.random() < 0.5
        for n, name in enumerate(town["villages"], start=1):
            screened = thorough or rng.random() < 0.8
            rows.append({
                "township_code": town["code"], "township_name": town["name"], "village_code": f"{town['code']}{n:03d}",
                "village_name": name, "screened": screened, "declared_free": screened and rng.random() < 0.85,
            })
    return rows


def _units(rules: RuleSet, towns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    departments = dict.fromkeys(a.department for a in rules.profile.assignments if a.department != "县打非办")
    return [{"unit": t["name"], "kind": "township"} for t in towns] + [
        {"unit": d, "kind": "department"} for d in departments
    ] + [{"unit": "县公安局", "kind": "department"}]


def _submissions(rng: random.Random, units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    start = date(2018, 5, 1)
    rows = []
    for unit in units:
        diligence = rng.random()
        if diligence > 0.2:
            rows.append({"unit": unit["unit"], "kind": "plan", "title": "专项排查实施方案",
                         "submitted_on": start + timedelta(days=rng.randint(10, 30))})
        for k in range(int(diligence * 4.5)):
            rows.append({"unit": unit["unit"], "kind": "bulletin", "title": f"工作动态（第{k + 1}期）",
                         "submitted_on": start + timedelta(days=rng.randint(15, 95))})
        if diligence > 0.5:
            rows.append({"unit": unit["unit"], "kind": "summary", "title": "专项排查总结报告",
                         "submitted_on": date(2018, 7, 15) + timedelta(days=rng.randint(0, 14))})
    return rows


def demo_ledger(*, subjects: int = 1500, seed: int = 20180515, period_end: date = date(2018, 7, 31),
                profile: str = "menghai") -> SampleLedger:
    """The demo county's ledger up to `period_end`: every screened subject is an institution screened;
    the red and orange ones are leads, opened at some time in the 200 days before `period_end`."""
    rng = random.Random(seed)
    rules = load_ruleset(profile)
    screened = screen_demo(subjects, seed, rules)
    towns = _townships(rules.profile.region_code)
    ctx = {"towns": {t["code"]: t for t in towns}, "period_end": period_end, "screened": screened,
           "guise_names": {g.id: g.name.replace("/", "、") for g in rules.guises}}
    risky = screened.subjects.filter(pl.col("grade").is_in(LEAD_GRADES)).sort("subject_key")
    rows = [_lead(rng, i, subject, ctx) for i, subject in enumerate(risky.iter_rows(named=True), start=1)]
    current = [r for r in rows if r["state"] != "dismissed" and (r["closed"] is None or r["closed"] >= period_end)]
    units = _units(rules, towns)
    return SampleLedger(
        key_leads=frame(current, KEY_LEADS_SCHEMA),
        institutions=frame(_institutions(rng, screened, rows, rules), INSTITUTIONS_SCHEMA),
        villages=frame(_villages(rng, towns), VILLAGES_SCHEMA),
        area_leads=frame([r | {"open": r["closed"] is None and r["state"] != "dismissed"} for r in rows],
                         AREA_LEADS_SCHEMA),
        monthly_leads=frame(rows, MONTHLY_LEADS_SCHEMA),
        monitored=frame(screened.subjects.select("subject_key", "grade", "sector").to_dicts(), MONITORED_SCHEMA),
        blacklist=frame([r | {"reason": f"涉嫌以{r['fundraising_model']}名义非法集资，{r['outcome']}",
                              "listed_on": r["opened"] + timedelta(days=30)}
                         for r in rows if r["state"] == "referred_police"], BLACKLIST_SCHEMA),
        units=frame(units, UNITS_SCHEMA), submissions=frame(_submissions(rng, units), SUBMISSIONS_SCHEMA),
        ruleset=rules,
    )
