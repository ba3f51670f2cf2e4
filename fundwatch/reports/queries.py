"""The platform's ledger of a jurisdiction (a region code's subtree) and a period (YYYY-MM) as the
frames the report renderers take.

Every query starts from the models' `visible_to(user)`; the command line, which runs as the
office of the whole database, passes no user and reads everything. The region filter on top
only narrows to the jurisdiction asked for.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import polars as pl
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

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
from fundwatch.reports.monthly import month_bounds
from fundwatch.reports.overview import problem_words
from fundwatch.reports.webapp.models import AreaScreening, BlacklistEntry, Campaign, Submission
from fundwatch.web.models import Hit, Lead, Region, Subject, Transition, Unit
from fundwatch.web.workflow import State

NOT_RISKY = (State.DISMISSED,)  # 排除风险: no longer a risk lead in any table
CLOSED = (State.CLOSED, State.DISMISSED)
TOWNSHIP_DIGITS, VILLAGE_DIGITS = 9, 12


class UnknownRegion(LookupError):
    pass


def ruleset() -> RuleSet:
    return load_ruleset(settings.FUNDWATCH_PROFILE)


def region_of(code: str | None) -> Region:
    """The jurisdiction: the region of `code`, or the platform's county."""
    wanted = code or settings.FUNDWATCH_COUNTY
    region = Region.objects.filter(code=wanted).first()
    if region is None:
        raise UnknownRegion(f"找不到行政区划代码 {wanted}（请先运行 fundwatch demo-setup 或导入区划）")
    return region


def _scoped(model: Any, user: Any) -> QuerySet[Any]:
    return model.objects.all() if user is None else model.objects.visible_to(user)


def leads_in(region: Region, user: Any = None) -> QuerySet[Lead]:
    return _scoped(Lead, user).filter(region__code__startswith=region.prefix).exclude(status__in=NOT_RISKY)


def _local(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value is not None else None


def active_in(leads: QuerySet[Lead], period: str) -> QuerySet[Lead]:
    """Leads open at some time in the month: opened by its end, not closed before its start."""
    start, end = month_bounds(period)
    return leads.filter(opened_at__date__lte=end).exclude(closed_at__date__lt=start)


class Names:
    """Sector ids ↔ names of the active profile; the ledger may hold either."""

    def __init__(self, rules: RuleSet) -> None:
        self.name_of = {s.id: s.name for s in rules.sectors}
        self.id_of = {s.name: s.id for s in rules.sectors}

    def name(self, sector: str) -> str:
        return self.name_of.get(sector, sector)

    def id(self, sector: str) -> str | None:
        return self.id_of.get(sector, sector) or None


def key_leads_frame(region: Region, period: str, user: Any = None) -> pl.DataFrame:
    """One row per lead of the ledger open in the period (KEY_LEADS_SCHEMA)."""
    names = Names(ruleset())
    rows = []
    for lead in active_in(leads_in(region, user), period).order_by("-amount"):
        rows.append({
            "lead_id": lead.code, "name": lead.subject_name, "sector": names.name(lead.sector),
            "fundraising_model": lead.fundraising_model, "online": lead.online or None, "amount": lead.amount,
            "participants": lead.participants, "unpaid": lead.unpaid, "cross_province": lead.cross_province,
            "measures": lead.measures or lead.rect_measures, "refund_state": lead.refund_status or None,
            "refund_ratio": float(lead.refund_ratio) if lead.refund_ratio is not None else None,
            "outcome": lead.outcome or lead.get_status_display(), "notified_provinces": [],
            "notification_text": lead.interprovincial_notice, "remarks": lead.code,
        })
    return frame(rows, KEY_LEADS_SCHEMA)


def _entry_index(entries: tuple[Any, ...]) -> list[tuple[str, str]]:
    """(word, entry id) pairs, longest word first, to place a matched phrase."""
    pairs = [(term.text, entry.id) for entry in entries for term in entry.terms]
    return sorted(pairs, key=lambda p: -len(p[0]))


def _placed(matched: str, index: list[tuple[str, str]]) -> str | None:
    return next((entry for word, entry in index if word and word in matched), None)


def _hit_facts(subject_ids: list[int], rules: RuleSet) -> dict[int, dict[str, Any]]:
    """Per subject: the guise and target group its hits name, and the problems they show."""
    words = problem_words(load_table("overview"))
    guises, targets = _entry_index(rules.guises), _entry_index(rules.targets)
    facts: dict[int, dict[str, Any]] = defaultdict(lambda: {"guise": None, "target_group": None, "problems": []})
    hits = (Hit.objects.filter(subject_id__in=subject_ids).order_by("-points", "id")
            .values_list("subject_id", "rule", "matched"))
    for subject_id, rule, matched in hits:
        fact = facts[subject_id]
        if rule == "guise_words" and fact["guise"] is None:
            fact["guise"] = _placed(matched, guises)
        if rule == "target_groups" and fact["target_group"] is None:
            fact["target_group"] = _placed(matched, targets)
        if rule in words and words[rule] not in fact["problems"]:
            fact["problems"].append(words[rule])
    return facts


def _rectification(lead: Lead, through: set[str]) -> str | None:
    if lead.status == State.RECTIFYING:
        return "ongoing"
    if State.RECTIFYING in through and lead.status == State.CLOSED:
        return "done"
    return "planned" if lead.rect_measures else None


def institutions_frame(region: Region, period: str, user: Any = None) -> pl.DataFrame:
    """One row per subject screened by the period's end (and per lead without a subject) (INSTITUTIONS_SCHEMA)."""
    _, end = month_bounds(period)
    rules = ruleset()
    names = Names(rules)
    subjects = list(_scoped(Subject, user).filter(region__code__startswith=region.prefix)
                    .exclude(screened_at__date__gt=end).values_list("id", "key", "sector"))
    leads = list(active_in(leads_in(region, user), period).prefetch_related(
        Prefetch("transitions", queryset=Transition.objects.only("lead_id", "to_state"))))
    by_subject: dict[int | None, list[Lead]] = defaultdict(list)
    for lead in leads:
        by_subject[lead.subject_id].append(lead)
    facts = _hit_facts([s[0] for s in subjects], rules)
    rows = [_institution(key, sector, by_subject.get(pk, []), facts.get(pk), names) for pk, key, sector in subjects]
    rows += [_institution(lead.code, lead.sector, [lead], None, names) for lead in by_subject.get(None, [])]
    return frame(rows, INSTITUTIONS_SCHEMA)


def _institution(
    key: str, sector: str, leads: list[Lead], fact: dict[str, Any] | None, names: Names
) -> dict[str, Any]:
    fact = fact or {"guise": None, "target_group": None, "problems": []}
    through = {t.to_state for lead in leads for t in lead.transitions.all()}
    states = [_rectification(lead, through) for lead in leads]
    return {
        "subject_key": key, "sector": names.id(sector or (leads[0].sector if leads else "")),
        "guise": fact["guise"], "target_group": fact["target_group"], "has_problem": bool(leads),
        "problems": fact["problems"] if leads else [],
        "rectification": next((s for s in ("ongoing", "planned", "done") if s in states), None),
        "referred_police": any(lead.status == State.REFERRED_POLICE for lead in leads)
        or State.REFERRED_POLICE in through,
        "amount": sum((lead.amount for lead in leads), Decimal(0)) if leads else None,
        "participants": sum(lead.participants for lead in leads) if leads else None,
    }


def _township_code(code: str) -> str | None:
    return code[:TOWNSHIP_DIGITS] if len(code) >= TOWNSHIP_DIGITS else None


def county_free_frames(region: Region, user: Any = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(VILLAGES_SCHEMA, AREA_LEADS_SCHEMA) of the jurisdiction, as things stand."""
    places = {r.code: r for r in Region.objects.filter(code__startswith=region.prefix)}
    declared = {a.region.code: a for a in _scoped(AreaScreening, user).select_related("region")
                .filter(region__code__startswith=region.prefix)}
    villages = []
    for code, place in sorted(places.items()):
        if place.level != Region.Level.VILLAGE or place.parent is None:
            continue
        record = declared.get(code)
        villages.append({
            "township_code": place.parent.code, "township_name": places[place.parent.code].name, "village_code": code,
            "village_name": place.name, "screened": bool(record and record.screened_on),
            "declared_free": bool(record and record.declared_free),
        })
    leads = [
        {"township_code": _township_code(code), "village_code": code if len(code) == VILLAGE_DIGITS else None,
         "open": status not in CLOSED, "amount": amount, "participants": participants}
        for code, status, amount, participants in leads_in(region, user).values_list(
            "region__code", "status", "amount", "participants")
    ]
    return frame(villages, VILLAGES_SCHEMA), frame(leads, AREA_LEADS_SCHEMA)


def monthly_frames(region: Region, period: str, user: Any = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(MONTHLY_LEADS_SCHEMA, MONITORED_SCHEMA): every lead opened by the month's end, and the subjects
    under monitoring with their grade."""
    _, end = month_bounds(period)
    names = Names(ruleset())
    places = dict(Region.objects.filter(code__startswith=region.prefix).values_list("code", "name"))
    rows = []
    for lead in leads_in(region, user).filter(opened_at__date__lte=end).select_related("region"):
        township = _township_code(lead.region.code)
        closed = _local(lead.closed_at) if lead.status == State.CLOSED else None
        rows.append({
            "lead_id": lead.code, "name": lead.subject_name, "township": places.get(township or ""),
            "sector": names.name(lead.sector) or None, "channel": lead.get_source_display(), "grade": lead.grade,
            "lead_class": lead.lead_class, "opened": _local(lead.opened_at), "closed": closed,
            "state": lead.status, "amount": lead.amount, "participants": lead.participants, "unpaid": lead.unpaid,
            "refunded": lead.amount * lead.refund_ratio / 100 if lead.refund_ratio else None,
            "cross_province": lead.cross_province,
        })
    monitored = [
        {"subject_key": key, "grade": grade or "green", "sector": names.name(sector) or None, "township": None}
        for key, grade, sector in _scoped(Subject, user).filter(region__code__startswith=region.prefix)
        .exclude(screened_at__date__gt=end).values_list("key", "grade", "sector")
    ]
    return frame(rows, MONTHLY_LEADS_SCHEMA), frame(monitored, MONITORED_SCHEMA)


def blacklist_frame(region: Region, on: dt.date, user: Any = None) -> pl.DataFrame:
    """The subjects on the published list on day `on` (BLACKLIST_SCHEMA)."""
    entries = _scoped(BlacklistEntry, user).filter(region__code__startswith=region.prefix, listed_on__lte=on).exclude(
        delisted_on__lte=on)
    return frame(list(entries.values("name", "uscc", "address", "legal_rep", "reason", "listed_on")), BLACKLIST_SCHEMA)


def campaign_frames(campaign: Campaign, user: Any = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(UNITS_SCHEMA, SUBMISSIONS_SCHEMA): the units of the campaign's jurisdiction and what they sent."""
    units = Unit.objects.filter(region__code__startswith=campaign.region.prefix).values_list("name", "kind")
    sent = (_scoped(Submission, user).filter(campaign=campaign)
            .values_list("unit__name", "kind", "title", "submitted_on"))
    return (
        frame([{"unit": n, "kind": k} for n, k in units], UNITS_SCHEMA),
        frame([{"unit": u, "kind": k, "title": t, "submitted_on": d} for u, k, t, d in sent], SUBMISSIONS_SCHEMA),
    )


def guises_seen(region: Region, user: Any = None) -> list[str]:
    """Guise ids of the jurisdiction's open leads' subjects, most frequent first (for the public warning)."""
    rules = ruleset()
    index = _entry_index(rules.guises)
    counts: dict[str, int] = defaultdict(int)
    subjects = leads_in(region, user).exclude(status__in=CLOSED).values_list("subject_id", flat=True)
    for matched in Hit.objects.filter(subject_id__in=subjects, rule="guise_words").values_list("matched", flat=True):
        guise = _placed(matched, index)
        if guise:
            counts[guise] += 1
    return sorted(counts, key=lambda g: (-counts[g], g))
