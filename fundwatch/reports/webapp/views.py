"""Download buttons for the official reports, and a campaign's progress page.

Who may download: the roles carrying the platform's EXPORT permission. What goes in: only what
the user may see (every query starts from `visible_to(user)`), and only a jurisdiction inside
the user's own (404 otherwise, as for any object out of scope).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from fundwatch.reports.campaigns import late_units, progress, upcoming
from fundwatch.reports.layouts import load_table
from fundwatch.reports.monthly import last_month, month_bounds
from fundwatch.reports.products import CONTENT_TYPES, PRODUCTS, NothingToReport, Order, filename
from fundwatch.reports.products import render as render_file
from fundwatch.reports.queries import campaign_frames
from fundwatch.reports.webapp.models import Campaign
from fundwatch.web.access import requires
from fundwatch.web.models import Perm, Region


def _jurisdiction(request: HttpRequest) -> Region:
    """The region asked for (default: the user's own); 404 unless it lies within the user's jurisdiction."""
    user: Any = request.user
    code = request.GET.get("region") or user.region.code
    region = get_object_or_404(Region, code=code)
    if not user.region.contains(region):
        raise Http404("辖区之外")
    return region


def _period(request: HttpRequest) -> str | None:
    period = request.GET.get("period") or last_month(timezone.localdate())
    try:
        month_bounds(period)
    except ValueError:
        return None
    return period


@requires(Perm.EXPORT)
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    regions = [user.region, *user.region.children.filter(level=Region.Level.TOWNSHIP)]
    return render(request, "reports/index.html", {
        "products": PRODUCTS.items(), "regions": regions, "period": last_month(timezone.localdate()),
        "campaigns": Campaign.objects.visible_to(user).select_related("region"),
    })


@requires(Perm.EXPORT)
def download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    product = PRODUCTS.get(kind)
    if product is None or fmt not in product.formats:
        raise Http404("没有这种报表或格式")
    period = _period(request)
    if period is None:
        return HttpResponseBadRequest("统计月份应写作 YYYY-MM".encode())
    user: Any = request.user
    order = Order(_jurisdiction(request), period, timezone.localdate(), user.full_name, user.phone, user=user)
    try:
        built = product.build(order)
    except NothingToReport as err:
        messages.error(request, str(err))
        return redirect("reports:index")
    response = HttpResponse(render_file(built, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = _attachment(filename(kind, order, fmt))
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"


@requires(Perm.EXPORT)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("region"), pk=pk)
    definition = campaign.definition()
    today = timezone.localdate()
    units, sent = campaign_frames(campaign, request.user)
    table = progress(definition, units, sent, today)
    words = load_table("campaign_progress").templates
    rows = [r | {"status_text": words[r["status"]].format(missing=r["owed"] - r["sent"])} for r in table.to_dicts()]
    return render(request, "reports/campaign.html", {
        "campaign": campaign, "definition": definition, "rows": rows, "late": late_units(table),
        "upcoming": upcoming(definition, today), "today": today,
    })
