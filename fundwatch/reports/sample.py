"""A seeded sample ledger of the demo county (勐海县) in the frames the report renderers take.

For the tests of the renderers (which must not need Django) and for the pictures in
docs/reports/. The townships and villages are the county's (regions/532822.yaml), the sectors,
guises and target groups the profile's (fundwatch.lexicons); the outfits are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import yaml

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

REGIONS = Path(__file__).resolve().parent.parent / "lexicons" / "data" / "regions"
BRANDS = (
    "普洱", "勐海", "版纳", "澜沧", "孔雀", "金象", "傣乡", "布朗", "南糯", "茶王", "雨林", "象山", "曼峨", "贺开",
)
FORMS = ("有限公司", "有限责任公司", "合作社", "会所", "中心")
PROBLEMS = ("超范围经营", "发布涉嫌非法集资广告资讯", "虚假宣传", "无办公场所和办公人员或与注册登记不符", "设资金池",
            "承诺保本高收益")
MEASURES = ("约谈法定代表人，下达责令整改通知书", "现场核查，调取合同和账册", "联合市场监管部门检查，责令停止宣传",
            "督促制定清退方案", "移送县公安局立案侦查")
OUTCOMES = ("正在整改并正常营业", "停业整改", "移送公安", "持续监测")
PROVINCES = ("四川省", "贵州省", "广西壮族自治区", "湖南省", "广东省")
STATES = ("found", "triage", "desk_check", "inspection", "monitoring", "rectifying", "referred_police", "closed",
          "reopened", "dismissed")
CLASSES = ("general", "general", "general", "major", "major", "cross_region", "cross_province_major")
CHANNELS = ("大数据筛查", "群众举报", "网格上报", "人工登记")
RECTIFICATION = {"rectifying": "ongoing", "closed": "done"}
GRADES = ("red", "orange", "yellow", "blue", "green", "green", "green")


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


def _townships(county: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((REGIONS / f"{county}.yaml").read_text(encoding="utf-8"))
    return list(data["townships"])


def _lead(rng: random.Random, i: int, towns: list[dict[str, Any]], rules: RuleSet, period_end: date) -> dict[str, Any]:
    sector = rng.choice(rules.key_sectors)
    town = rng.choice(towns)
    village = rng.randrange(len(town["villages"])) if rng.random() < 0.7 else None
    opened = period_end - timedelta(days=rng.randint(0, 200))
    state = rng.choice(STATES)
    amount = Decimal(rng.randint(5, 60_000)) * 1000 + Decimal(rng.randint(0, 99)) / 100
    refunded = (amount * Decimal(rng.randint(5, 100)) / 100).quantize(Decimal("0.01")) if rng.random() < 0.3 else None
    provinces = rng.sample(PROVINCES, rng.randint(1, 2)) if rng.random() < 0.25 else []
    return {
        "lead_id": f"XS{i:06d}", "name": f"勐海{rng.choice(BRANDS)}{sector.name}{rng.choice(FORMS)}",
        "sector": sector.name, "sector_id": sector.id, "guise": sector.guise or None,
        "township_code": town["code"], "township": town["name"],
        "village_code": f"{town['code']}{village + 1:03d}" if village is not None else None,
        "opened": opened, "state": state,
        "closed": opened + timedelta(days=rng.randint(3, 90)) if state == "closed" else None,
        "lead_class": rng.choice(CLASSES), "grade": rng.choice(("red", "orange", "orange", "yellow")),
        "channel": rng.choice(CHANNELS), "amount": amount, "participants": rng.randint(3, 1500),
        "unpaid": (amount * Decimal(rng.randint(0, 80)) / 100).quantize(Decimal("0.01")),
        "refunded": refunded, "refund_state": None if refunded is None else rng.choice(("refunding", "done")),
        "refund_ratio": None if refunded is None else float(refunded / amount * 100),
        "cross_province": bool(provinces), "notified_provinces": provinces,
        "notification_count": len(provinces) + rng.randint(0, 2) if provinces else 0,
        "online": rng.choice(("online", "offline", "both")),
        "fundraising_model": rng.choice([g.name for g in rules.guises]), "measures": rng.choice(MEASURES),
        "outcome": rng.choice(OUTCOMES), "remarks": "",
    }


def _institutions(rng: random.Random, rules: RuleSet, leads: list[dict[str, Any]], extra: int) -> list[dict[str, Any]]:
    targets = [t.id for t in rules.targets]
    rows = []
    for lead in leads:
        rows.append({
            "subject_key": lead["lead_id"], "sector": lead["sector_id"],
            "guise": lead["guise"] if rng.random() < 0.8 else rng.choice(rules.guises).id,
            "target_group": rng.choice(targets) if rng.random() < 0.3 else None, "has_problem": True,
            "problems": rng.sample(PROBLEMS, rng.randint(1, 3)),
            "rectification": RECTIFICATION.get(lead["state"], rng.choice((None, "planned"))),
            "referred_police": lead["state"] == "referred_police", "amount": lead["amount"],
            "participants": lead["participants"],
        })
    sector_ids = [s.id for s in rules.key_sectors] + ["film_culture", None]
    for i in range(extra):
        rows.append({"subject_key": f"S{i:05d}", "sector": rng.choice(sector_ids), "has_problem": False})
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


def sample_ledger(*, seed: int = 532822, leads: int = 40, clean: int = 260, period_end: date = date(2018, 7, 31),
                  profile: str = "menghai", county: str = "532822") -> SampleLedger:
    """The sample ledger: `leads` leads (all of them open for some time up to `period_end`) and `clean`
    screened institutions without problems."""
    rng = random.Random(seed)
    rules = load_ruleset(profile)
    towns = _townships(county)
    rows = [_lead(rng, i, towns, rules, period_end) for i in range(1, leads + 1)]
    current = [r for r in rows if r["state"] != "dismissed" and (r["closed"] is None or r["closed"] >= period_end)]
    units = _units(rules, towns)
    return SampleLedger(
        key_leads=frame(current, KEY_LEADS_SCHEMA),
        institutions=frame(_institutions(rng, rules, rows, clean), INSTITUTIONS_SCHEMA),
        villages=frame(_villages(rng, towns), VILLAGES_SCHEMA),
        area_leads=frame([r | {"open": r["closed"] is None and r["state"] != "dismissed"} for r in rows],
                         AREA_LEADS_SCHEMA),
        monthly_leads=frame(rows, MONTHLY_LEADS_SCHEMA),
        monitored=frame([{"subject_key": f"M{i}", "grade": rng.choice(GRADES)} for i in range(clean + leads)],
                        MONITORED_SCHEMA),
        blacklist=frame([r | {"uscc": None, "address": f"勐海县{r['township']}", "legal_rep": "",
                              "reason": f"涉嫌以{r['fundraising_model']}名义非法集资，{r['outcome']}",
                              "listed_on": r["opened"] + timedelta(days=30)}
                         for r in rows if r["state"] == "referred_police"], BLACKLIST_SCHEMA),
        units=frame(units, UNITS_SCHEMA), submissions=frame(_submissions(rng, units), SUBMISSIONS_SCHEMA),
        ruleset=rules,
    )
