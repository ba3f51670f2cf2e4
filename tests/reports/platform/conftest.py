"""A small ledger of 勐海县 in the platform's database, and named personas to ask for reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

PERIOD = "2018-07"
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ)


@dataclass
class Ledger:
    county: Any
    other_county: Any
    leads: dict[str, Any]
    subjects: dict[str, Any]


def _lead(name: str, region: Any, sector: str, opened: str, **fields: Any) -> Any:
    from fundwatch.web.models import Lead, Source

    closed = fields.pop("closed", None)
    lead = Lead(subject_name=name, title=f"{name}涉嫌非法集资", source=Source.SCREENING, region=region, sector=sector,
                **fields).create(None)
    Lead.objects.filter(pk=lead.pk).update(opened_at=at(opened), closed_at=at(closed) if closed else None)
    lead.refresh_from_db()
    return lead


def _subject(key: str, name: str, region: Any, sector: str, hits: list[tuple[str, str]]) -> Any:
    from fundwatch.web.models import Hit, Subject

    subject = Subject.objects.create(key=key, name=name, region=region, sector=sector, grade="red", score=85.0,
                                     screened_at=at("2018-06-01"))
    for rule, matched in hits:
        Hit.objects.create(subject=subject, rule=rule, dimension="returns", points=30, table="registry",
                           explanation=rule, matched=matched)
    return subject


@pytest.fixture
def ledger(db):  # type: ignore[no-untyped-def]
    from fundwatch.web.models import Region
    from fundwatch.web.provisioning import load_regions, load_units

    county, other = load_regions("532822"), load_regions("532823")
    load_units(county, {"县金融办": ["investment_intermediary"], "县住房和城乡建设局": ["real_estate"]})
    load_units(other, {"勐腊县金融办": ["investment_intermediary"]})
    town, farm = Region.objects.get(code="532822100"), Region.objects.get(code="532822103")
    village = Region.objects.get(code="532822100001")
    tea = _subject("91532822MA6K0001X0", "勐海聚财投资咨询有限公司", village, "investment_intermediary",
                   [("guise_words", "消费返利"), ("target_groups", "老年人"), ("abnormal_listing", "")])
    house = _subject("91532822MA6K0002X0", "勐遮安居房地产开发有限公司", farm, "real_estate", [])
    leads = {
        "tea": _lead(tea.name, village, "investment_intermediary", "2018-05-03", subject=tea,
                     amount=Decimal("12345678.90"), participants=356, unpaid=Decimal("5000000"),
                     cross_province=True, online="both", refund_status="refunding", refund_ratio=Decimal("35.12"),
                     outcome="停业整改",
                     interprovincial_notice="已向四川省通报2次", fundraising_model="消费返利", status="rectifying"),
        "house": _lead(house.name, farm, "real_estate", "2018-07-09", subject=house, amount=Decimal("800000"),
                       participants=45, status="referred_police"),
        "old": _lead("勐海旧案商贸有限公司", town, "real_estate", "2018-01-02", closed="2018-03-01", status="closed"),
        "gone": _lead("勐海排除风险有限公司", town, "investment_intermediary", "2018-07-02", status="dismissed"),
        "later": _lead("勐海八月新设有限公司", town, "investment_intermediary", "2018-08-02"),
        "mengla": _lead("勐腊外县投资有限公司", Region.objects.get(code="532823"), "investment_intermediary",
                        "2018-07-05", amount=Decimal("990000")),
    }
    return Ledger(county, other, leads, {"tea": tea, "house": house})


def make_user(username: str, role: str, region: Any, unit: Any = None) -> Any:
    from fundwatch.web.models import User

    return User.objects.create_user(username=username, password="pw-Fundwatch-1", role=role, region=region,
                                    unit=unit, full_name=username, phone="0691-5123117")


@pytest.fixture
def people(ledger):  # type: ignore[no-untyped-def]
    """office and auditor of 勐海县; 县金融办 (investment_intermediary); 勐海镇 township; a grid worker;
    勐腊县's office."""
    from fundwatch.web.models import Region, Unit

    town = Region.objects.get(code="532822100")
    return {
        "office": make_user("office", "office", ledger.county, Unit.objects.get(name="勐海县打非办")),
        "finance": make_user("finance", "department", ledger.county, Unit.objects.get(name="县金融办")),
        "township": make_user("township", "township", town, Unit.objects.get(name=town.name)),
        "grid": make_user("grid", "grid", town),
        "auditor": make_user("auditor", "auditor", ledger.county),
        "mengla": make_user("mengla", "office", ledger.other_county),
    }
