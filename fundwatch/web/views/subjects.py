from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fundwatch.web.access import get_subject_for_user, requires
from fundwatch.web.models import Perm, Subject
from fundwatch.web.models.subjects import GRADE_CHOICES


@requires(Perm.VIEW_SUBJECTS)
def subject_list(request: HttpRequest) -> HttpResponse:
    subjects = Subject.objects.visible_to(request.user).select_related("region")
    if request.GET.get("grade"):
        subjects = subjects.filter(grade=request.GET["grade"])
    if request.GET.get("q"):
        q = request.GET["q"].strip()
        subjects = subjects.filter(name__icontains=q) | subjects.filter(uscc=q.upper())
    page = Paginator(subjects.order_by("-score", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "web/subject_list.html", {"page": page, "grades": GRADE_CHOICES})


@requires(Perm.VIEW_SUBJECTS)
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_subject_for_user(request, pk)
    return render(request, "web/subject_detail.html", {
        "subject": subject,
        "hits": subject.hits.all(),
        "leads": subject.leads.visible_to(request.user),
        "signals": subject.signals.visible_to(request.user)[:50],
    })
