"""A small JSON API over the same access rules as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from fundwatch.web import stats
from fundwatch.web.access import get_lead_for_user, requires
from fundwatch.web.models import Lead, Perm

CHINESE = {"ensure_ascii": False}


def lead_json(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.pk, "code": lead.code, "subject_name": lead.subject_name, "status": lead.status,
        "grade": lead.grade, "score": lead.score, "lead_class": lead.lead_class, "sector": lead.sector,
        "region": lead.region.code, "amount_yuan": str(lead.amount), "participants": lead.participants,
        "unpaid_yuan": str(lead.unpaid), "cross_province": lead.cross_province,
        "needs_upward_report": lead.needs_upward_report, "version": lead.version,
        "rect_deadline": lead.rect_deadline.isoformat() if lead.rect_deadline else None,
    }


@requires(Perm.VIEW_DASHBOARD)
def api_dashboard(request: HttpRequest) -> JsonResponse:
    return JsonResponse(stats.figures(Lead.objects.visible_to(request.user)), json_dumps_params=CHINESE)


@requires(Perm.VIEW_LEADS)
def api_leads(request: HttpRequest) -> JsonResponse:
    leads = Lead.objects.visible_to(request.user).select_related("region").order_by("-opened_at")[:500]
    return JsonResponse({"leads": [lead_json(lead) for lead in leads]}, json_dumps_params=CHINESE)


@requires(Perm.VIEW_LEADS)
def api_lead(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(lead_json(get_lead_for_user(request, pk)), json_dumps_params=CHINESE)
