"""Screening results into the platform: subjects, evidence, signals, auto-opened leads; twice is the same as once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from fundwatch.frames import DIMENSIONS, HITS_SCHEMA, REGISTRY_SCHEMA, SCORES_SCHEMA, SIDE_SCHEMAS
from fundwatch.web.models import Hit, Lead, Signal, Subject, User
from fundwatch.web.provisioning import Importer, create_demo_users

from .conftest import OTHER_SECTOR, SECTOR

KEYS = ("91532822MA6K1001X1", "91532822MA6K1002X2", "91532822MA6K1003X3", "91532822MA6K1004X4")
# key, name, grade, sector, department, township (None: only the county is known)
ROWS = (
    (KEYS[0], "勐海鑫汇财富管理有限公司", "red", SECTOR, "县金融办", "532822100"),
    (KEYS[1], "勐遮惠农资金互助合作社", "orange", OTHER_SECTOR, "县市场监督管理局", "532822103"),
    (KEYS[2], "勐海茶香电子商务有限公司", "yellow", OTHER_SECTOR, "县市场监督管理局", None),
    (KEYS[3], "打洛边贸商行", "green", None, None, "532822101"),
)


def frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, dict[str, pl.DataFrame]]:
    registry = pl.DataFrame([{
        "line": n + 2, "subject_key": key, "uscc": key, "name": name, "business_scope": "投资咨询；财富管理",
        "registered_capital": Decimal("10000000.00"), "paid_in_capital": None, "capital_currency": "CNY",
        "established": dt.date(2019, 5, 1), "legal_rep": "岩温", "address": "勐海县勐海镇曼贺路 8 号",
        "operating_address": None, "status": "存续", "industry_code": "7212", "entity_type": "有限责任公司",
        "phone": "0691-5123456", "region_code": "532822", "township_code": town,
    } for n, (key, name, _, _, _, town) in enumerate(ROWS)], schema=REGISTRY_SCHEMA)
    scores = pl.DataFrame([{
        "subject_key": key, "name": name, "score": {"red": 91.0, "orange": 72.5, "yellow": 55.0}.get(grade, 5.0),
        "grade": grade, **{f"dim_{d}": 10.0 for d in DIMENSIONS}, "sector": sector, "department": dept,
        "region_code": "532822", "township_code": town, "evidence": "名称含“财富管理”；经营范围含“投资咨询”",
        "ruleset_version": "test-1",
    } for key, name, grade, sector, dept, town in ROWS], schema=SCORES_SCHEMA)
    hits = pl.DataFrame([{
        "subject_key": KEYS[0], "rule": "name_sensitive_word", "dimension": "words", "points": 40.0,
        "table": "registry", "field": "name", "matched": "财富管理", "source_line": 2,
        "explanation": "名称含金融敏感词",
    }], schema=HITS_SCHEMA)
    judicial = pl.DataFrame([{"line": 2, "subject_key": KEYS[0], "date": dt.date(2026, 3, 1),
                              "cause": "民间借贷纠纷", "kind": "被告"}], schema=SIDE_SCHEMAS["judicial"])
    return registry, scores, hits, {"judicial": judicial}


def test_import_stores_subjects_evidence_signals_and_opens_leads(world: Any) -> None:
    # given screening results of four subjects, one red and one orange
    registry, scores, hits, side = frames()
    # when they are imported
    counts = Importer(world.county, batch="t1").run(registry, scores, hits, side)
    # then every subject is stored with its grade and place, and the evidence behind it
    assert counts["subjects"] == 4 and counts["hits"] == 1
    red = Subject.objects.get(key=KEYS[0])
    assert red.grade == "red" and red.region == world.town and red.department == world.finance
    assert Subject.objects.get(key=KEYS[2]).region == world.county
    assert Hit.objects.get(subject=red).explanation == "名称含金融敏感词"
    # red and orange open leads assigned by sector (department) and place (township); yellow does not
    opened = {lead.subject.key: lead for lead in Lead.objects.filter(subject__key__in=KEYS)}
    assert set(opened) == {KEYS[0], KEYS[1]} and counts["leads"] == 2
    assert opened[KEYS[0]].department == world.finance and opened[KEYS[0]].region == world.town
    assert opened[KEYS[1]].department == world.market and opened[KEYS[1]].region == world.other_town
    assert opened[KEYS[0]].source == "screening" and opened[KEYS[0]].status == "found"
    # screening and judicial records became signals of their channels, tied to the lead
    channels = sorted(Signal.objects.filter(subject=red).values_list("channel", flat=True))
    assert channels == ["judicial", "screening"]
    assert Signal.objects.get(subject=red, channel="screening").lead == opened[KEYS[0]]


def test_import_twice_changes_nothing(world: Any) -> None:
    registry, scores, hits, side = frames()
    Importer(world.county, batch="t1").run(registry, scores, hits, side)
    before = (Subject.objects.count(), Hit.objects.count(), Signal.objects.count(), Lead.objects.count())
    counts = Importer(world.county, batch="t1").run(registry, scores, hits, side)
    assert counts["leads"] == 0 and counts["signals"] == 0
    assert (Subject.objects.count(), Hit.objects.count(), Signal.objects.count(), Lead.objects.count()) == before


def test_department_sees_its_sector_only(world: Any, personas: dict[str, Any]) -> None:
    Importer(world.county, batch="t1").run(*frames())
    seen = set(Lead.objects.visible_to(personas["department_other_sector"]).values_list("subject__key", flat=True))
    assert seen == {KEYS[1]}
    assert not Subject.objects.visible_to(personas["other_county_office"]).exists()


def test_office_row_of_the_sector_table_stays_the_office(world: Any) -> None:
    from fundwatch.web.models import Unit
    from fundwatch.web.provisioning import load_units

    load_units(world.county, {"勐海县打非办": ["policy_banner"], "县金融办": [SECTOR]})
    office = Unit.objects.get(name="勐海县打非办")
    assert office.kind == "office" and office.sectors == ["policy_banner"]


@pytest.mark.parametrize("times", [1, 2])
def test_demo_accounts_one_per_role(world: Any, times: int) -> None:
    for _ in range(times):
        made = create_demo_users(world.county, "demo-pass-123")
    assert made == ["office", "finance", "market", "township", "grid", "auditor", "admin"]
    finance, market = User.objects.get(username="finance"), User.objects.get(username="market")
    assert finance.unit == world.finance and market.unit == world.market
    assert User.objects.get(username="township").region == first_township(world)
    assert User.objects.get(username="admin").is_staff and User.objects.get(username="office").check_password(
        "demo-pass-123")
    assert User.objects.filter(username__in=made).count() == 7


def first_township(world: Any) -> Any:
    return world.county.children.filter(level="township").order_by("code").first()
