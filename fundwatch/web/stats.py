"""The dashboard's figures over whatever leads a user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from fundwatch.web.models import Lead, LeadClass, Region
from fundwatch.web.models.subjects import GRADE_CHOICES
from fundwatch.web.workflow import OPEN_STATES, State


def _counts(leads: QuerySet[Lead], field: str) -> dict[str, int]:
    return {row[field] or "": row["n"] for row in leads.values(field).annotate(n=Count("id")).order_by()}


def figures(leads: QuerySet[Lead], today: dt.date | None = None) -> dict[str, Any]:
    """Leads by grade, sector, place and status; new and existing this month; overdue rectifications."""
    today = today or timezone.localdate()
    month_start = timezone.make_aware(dt.datetime(today.year, today.month, 1))
    open_leads = leads.filter(status__in=OPEN_STATES)
    grades = _counts(open_leads, "grade")
    statuses = _counts(leads, "status")
    sectors = _counts(open_leads, "sector")
    region_counts = _counts(open_leads, "region")
    regions = {r.pk: r.name for r in Region.objects.filter(pk__in=[k for k in region_counts if k])}
    return {
        "total": leads.count(),
        "open": open_leads.count(),
        "new_this_month": leads.filter(opened_at__gte=month_start).count(),
        "existing": open_leads.filter(opened_at__lt=month_start).count(),
        "overdue": leads.overdue(today).count(),
        "upward": leads.filter(needs_upward_report=True).count(),
        "major": open_leads.exclude(lead_class=LeadClass.GENERAL).count(),
        "by_grade": [{"key": k, "name": label, "value": grades.get(k, 0)} for k, label in GRADE_CHOICES],
        "by_status": [{"key": s.value, "name": s.label, "value": statuses.get(s.value, 0)} for s in State],
        "by_sector": sorted(
            ({"name": k or "未归类", "value": v} for k, v in sectors.items()), key=lambda r: -r["value"]
        ),
        "by_region": sorted(
            ({"name": regions.get(k, "未定位"), "value": v} for k, v in region_counts.items()),
            key=lambda r: -r["value"],
        ),
    }
