from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fundwatch.web.access import public, requires
from fundwatch.web.forms import GridReportForm, ReportForm
from fundwatch.web.intake import take_grid_report, take_public_report
from fundwatch.web.models import Perm, Region, Signal


@public
def public_report(request: HttpRequest) -> HttpResponse:
    """群众举报: anyone may report; they get a receipt number and see nothing else."""
    county = get_object_or_404(Region, code=settings.FUNDWATCH_COUNTY)
    form = ReportForm(request.POST or None, request.FILES or None, county=county)
    if request.method == "POST" and form.is_valid():
        signal, _ = take_public_report(form.cleaned_data)
        return render(request, "web/report_done.html", {"receipt": signal.receipt, "county": county})
    return render(request, "web/report_form.html", {"form": form, "county": county})


@requires(Perm.GRID_REPORT)
def grid_report(request: HttpRequest) -> HttpResponse:
    form = GridReportForm(request.POST or None, request.FILES or None, user=request.user)  # type: ignore[arg-type]
    done = None
    if request.method == "POST" and form.is_valid():
        done = take_grid_report(form.cleaned_data, request.user)
        form = GridReportForm(user=request.user)  # type: ignore[arg-type]
    mine = Signal.objects.visible_to(request.user).filter(created_by=request.user).select_related("lead")[:20]
    return render(request, "web/grid_form.html", {"form": form, "done": done, "mine": mine})
