from __future__ import annotations

from functools import cache
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fundwatch.web.access import get_subject_for_user, requires
from fundwatch.web.forms import ReviewForm
from fundwatch.web.models import ChangeRecord, Lead, Link, Perm, Subject, User
from fundwatch.web.models.subjects import GRADE_CHOICES
from fundwatch.web.services.scoring import composite_note

HIDDEN = "（您无权查看的主体）"
# The changes whose "before" is an earlier name, address or legal representative, and how the page calls it.
EARLIER = {"name": "曾用名", "address": "曾用地址", "legal_rep": "曾任法定代表人"}


@cache
def change_kinds() -> dict[str, tuple[str, ...]]:
    """Words of a change record's item → the kind of change (linking.yaml, as the frequent-change watch reads it)."""
    from fundwatch.linking.config import load_linking_config

    return load_linking_config().change_kinds


@cache
def dimension_names() -> dict[str, str]:
    from fundwatch.runners.sinks import DIMENSION_ZH

    return DIMENSION_ZH


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
    user: User = request.user  # type: ignore[assignment]
    links = list(Link.objects.touching(subject).select_related("subject", "other", "entry"))
    names = dimension_names()
    return render(request, "web/subject_detail.html", {
        "subject": subject,
        "composite_note": composite_note(subject),
        "dimensions": [(names.get(k, k), v) for k, v in subject.dimensions.items()],
        "hits": subject.hits.all(),
        "leads": subject.leads.visible_to(user),
        "linked_leads": Lead.objects.visible_to(user).filter(signals__subject=subject).exclude(
            subject=subject).distinct(),
        "signals": subject.signals.visible_to(user)[:50],
        "people": subject.people.all(),
        "related": related_parties(subject, links, user),
        "cluster": cluster_members(subject, links, user),
        "changes": subject.changes.all(),
        "earlier": earlier_values(subject.changes.all()),
        "funds": subject.funds_warnings.all()[:50],
        "can_review": user.can(Perm.REVIEW_MATCHES),
        "can_reveal": user.can(Perm.REVEAL_IDENTITY),
        "review_form": ReviewForm(initial={"back": subject.pk}),
    })


def _visible(user: User, pks: set[int]) -> set[int]:
    return set(Subject.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def related_parties(subject: Subject, links: list[Link], user: User) -> list[dict[str, Any]]:
    """The subject's links seen from it. A party the user may not see is shown without name or reasons; a
    blacklist entry is shown to whoever sees the subject (一地警示)."""
    faces = [(link, link.facing(subject)) for link in links]
    visible = _visible(user, {f["party"].pk for _, f in faces if f["party"] is not None})
    rows = []
    for link, face in faces:
        party = face["party"]
        shown = party is None or party.pk in visible
        rows.append({"link": link, "party": party if shown else None, "entry": face["entry"],
                     "name": face["name"] if shown else HIDDEN, "shown": shown})
    return rows


def cluster_members(subject: Subject, links: list[Link], user: User) -> dict[str, Any]:
    """Everyone in the subject's related-party clusters: the subjects the user may see, how many are hidden,
    and the listed outfits in them."""
    clusters = {link.cluster for link in links}
    members: set[int] = set()
    listed: set[str] = set()
    for link in Link.objects.filter(cluster__in=clusters):
        members.add(link.subject_id)
        if link.other_id is not None:
            members.add(link.other_id)
        else:
            listed.add(link.other_name or link.other_key)
    members.discard(subject.pk)
    visible = _visible(user, members)
    return {"subjects": Subject.objects.filter(pk__in=visible).order_by("name"), "hidden": len(members - visible),
            "listed": sorted(listed), "size": len(members) + len(listed) + 1 if links else 0}


def earlier_values(changes: Any) -> list[tuple[str, list[ChangeRecord]]]:
    """Earlier names, addresses and legal representatives: the "before" of the matching change records."""
    found: dict[str, list[ChangeRecord]] = {kind: [] for kind in EARLIER}
    for change in changes:
        for kind, words in change_kinds().items():
            if any(word in change.item for word in words):
                if kind in found and change.before:
                    found[kind].append(change)
                break
    return [(EARLIER[kind], rows) for kind, rows in found.items() if rows]
