"""关联比对: the office runs the linker, uploads blacklist and people files, and reviews proposed matches."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fundwatch.web.access import get_for_user, requires
from fundwatch.web.forms import ListUploadForm, ReviewForm
from fundwatch.web.models import AuditLog, Link, LinkRun, Perm, Person, User, WatchKind, WatchlistEntry
from fundwatch.web.services.common import ServiceProblem, county_of, spooled
from fundwatch.web.services.linking import RUN_COUNTS, review_link, run_linking
from fundwatch.web.services.uploads import import_people, import_watchlist


def _page(request: HttpRequest, form: ListUploadForm, status: int = 200) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    county = county_of(user)
    pending = Link.objects.visible_to(user).filter(same=True, review="").select_related("subject", "other")
    return render(request, "web/linking.html", {
        "form": form,
        "runs": LinkRun.objects.visible_to(user).select_related("by")[:10],
        "run_counts": RUN_COUNTS,
        "entries": WatchlistEntry.objects.visible_to(user).count(),
        "people": Person.objects.filter(subject__region__code__startswith=county.prefix).count(),
        "pending": pending[:100],
        "watch_kinds": WatchKind.choices,
    }, status=status)


@requires(Perm.IMPORT_DATA)
def linking_home(request: HttpRequest) -> HttpResponse:
    return _page(request, ListUploadForm())


@require_POST
@requires(Perm.IMPORT_DATA)
def linking_run(request: HttpRequest) -> HttpResponse:
    record = run_linking(request.user)  # type: ignore[arg-type]
    shown = "，".join(f"{label} {record.counts.get(key, 0):,}" for key, label in RUN_COUNTS)
    messages.success(request, f"关联比对完成：{shown}")
    return redirect("linking_home")


@require_POST
@requires(Perm.IMPORT_DATA)
def linking_upload(request: HttpRequest) -> HttpResponse:
    form = ListUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
    try:
        with spooled(upload) as path:
            if kind == "blacklist":
                taken = import_watchlist(path, request.user)  # type: ignore[arg-type]
            else:
                taken = import_people(path, request.user, of_blacklist=kind == "blacklist_people")  # type: ignore[arg-type]
    except ServiceProblem as problem:
        form.add_error("file", str(problem))
        return _page(request, form)
    messages.success(request, f"{upload.name}：{taken.summary()}")
    for line in taken.problems:
        messages.warning(request, line)
    return redirect("linking_home")


@require_POST
@requires(Perm.REVIEW_MATCHES)
def link_review(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_for_user(request, Link, pk, write=True)
    form = ReviewForm(request.POST)
    back = form.data.get("back")
    target = link.other_id if back and str(link.other_id) == back else link.subject_id
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}：{'；'.join(errors)}")
        return redirect("subject_detail", pk=target)
    review = review_link(link, request.user, form.cleaned_data["decision"], form.cleaned_data["note"])  # type: ignore[arg-type]
    later = "，以后的比对不再关联这两个主体" if review.decision == "not_same" else "，以后的比对将沿用此结论"
    messages.success(request, f"已记录复核结论：{review.get_decision_display()}{later}")
    return redirect("subject_detail", pk=target)


@require_POST
@requires(Perm.REVEAL_IDENTITY)
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows a person's ID number once, and logs that it was seen."""
    person = get_for_user(request, Person, pk)
    owner = person.subject or person.entry
    region = person.subject.region_id if person.subject else person.entry.region_id  # type: ignore[union-attr]
    AuditLog.record(request.user, AuditLog.Action.VIEW_ID_NUMBER, person, region,
                    after={"field": "id_number", "of": str(owner)})
    return render(request, "web/revealed.html", {
        "title": f"{owner} · {person.role or '人员'}身份证号", "back_subject": person.subject,
        "rows": [("姓名", person.name or "—"), ("职务", person.role or "—"),
                 ("身份证号", person.id_number or "（未登记）")],
    })
