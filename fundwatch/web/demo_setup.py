"""The demo county end to end, through the same engine as every other import: generate, ingest, screen, store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from fundwatch.frames import SIDE_KINDS
from fundwatch.web.demo_engines import run_engines
from fundwatch.web.models import AuditLog, Lead, Transition, User
from fundwatch.web.provisioning import Importer, create_demo_users, departments_of, load_regions, load_units


def run_demo_setup(profile: str, subjects: int, seed: int, out_dir: Path, password: str) -> tuple[dict[str, int],
                                                                                                   list[str]]:
    from fundwatch.demo import generate_county, write_county
    from fundwatch.ingest.registry import load_registry
    from fundwatch.ingest.side import load_side_table
    from fundwatch.lexicons import load_ruleset
    from fundwatch.screening import SideTables, screen

    ruleset = load_ruleset(profile)
    county = load_regions(ruleset.profile.region_code)
    load_units(county, departments_of(ruleset), office=ruleset.profile.default_department)
    write_county(generate_county(subjects, seed), out_dir)
    registry = load_registry(out_dir / "registry.csv").frame
    side = {kind: load_side_table(kind, out_dir / f"{kind}.csv").frame for kind in SIDE_KINDS
            if (out_dir / f"{kind}.csv").exists()}
    result = screen(registry, SideTables(**side), ruleset)
    counts = Importer(county, batch=f"demo-{seed}").run(registry, result.scores, result.hits, side)
    AuditLog.record(None, AuditLog.Action.IMPORT, county, county.pk, after={"source": "demo", **counts})
    accounts = create_demo_users(county, password)
    office = User.objects.get(username="office")
    advance_demo_leads(office)
    counts |= run_engines(county, ruleset, seed, out_dir, office)
    return counts, accounts


# The demo's ledger in mid-campaign: how many of the top leads reach each step (once, on a fresh ledger).
DEMO_STEPS = (
    ("triage", 14, "名称和经营范围命中敏感词，列入研判"),
    ("inspection", 10, "联合工作组现场核查"),
    ("rectifying", 6, "约谈负责人，下达责令整改通知书"),
    ("referred_police", 1, "涉嫌非法吸收公众存款，移送县公安局"),
)


def advance_demo_leads(office: Any) -> None:
    if Transition.objects.exists():
        return
    leads = list(Lead.objects.open().order_by("-score", "pk")[:14])
    today = timezone.localdate()
    for step, count, reason in DEMO_STEPS:
        for n, lead in enumerate(leads[:count]):
            plan = {}
            if step == "rectifying":
                # two of them already past the deadline, so the dashboard shows overdue rectifications
                plan = {"rect_unit": lead.department, "rect_measures": "停止宣传，制定清退方案，限期整改",
                        "rect_deadline": today + dt.timedelta(days=-5 if n in (1, 2) else 30)}
            lead.transition(office, step, reason, lead.version, plan=plan)
    if len(leads) > 6:
        # one outfit already dealt with: referred to the police and closed (the linker's demo brings it back)
        done = leads[6]
        for step, reason in (("referred_police", "涉嫌非法吸收公众存款，移送县公安局"),
                             ("closed", "公安机关已立案侦查，办结")):
            done.transition(office, step, reason, done.version)
    if leads:
        top = leads[0]
        top.write(office, {"cross_province": True, "amount": Decimal("620000000"), "participants": 1800,
                           "online": "both", "fundraising_model": "承诺高额回报，发展下线"}, top.version)


