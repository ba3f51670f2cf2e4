from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fundwatch.web import stats
from fundwatch.web.access import requires
from fundwatch.web.models import Lead, Perm, Role


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in users land on their dashboard; grid workers on their report form."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.role == Role.GRID:  # type: ignore[union-attr]
        return redirect("grid_report")
    return redirect("dashboard")


@requires(Perm.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    leads = Lead.objects.visible_to(request.user)
    context = {
        "figures": stats.figures(leads),
        "overdue": leads.overdue().select_related("region", "rect_unit")[:20],
        "upward": leads.filter(needs_upward_report=True).select_related("region")[:20],
    }
    return render(request, "web/dashboard.html", context)
