from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fundwatch.web.access import requires
from fundwatch.web.models import AuditLog, Perm


@requires(Perm.VIEW_AUDIT)
def audit_list(request: HttpRequest) -> HttpResponse:
    entries = AuditLog.objects.visible_to(request.user)
    if request.GET.get("action"):
        entries = entries.filter(action=request.GET["action"])
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "web/audit_list.html", {"page": page, "actions": AuditLog.Action.choices})
