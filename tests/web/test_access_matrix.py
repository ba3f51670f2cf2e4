"""Every view and endpoint of the project, called as every persona, gives exactly the allowed answer.

The matrix below is the single statement of who may do what. A URL pattern that
is not in it fails `test_every_view_is_in_the_matrix`, so a new view cannot ship
without saying who may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import PERSONAS

A, OF, DS, DO, TS, TO, G, X, AU, AD = PERSONAS

# Who gets what: status per persona. `in` = the fixture lead (or its subject) shows in the answer.
SIGNED_IN = {OF, DS, DO, TS, TO, G, X, AU, AD}
READERS = {OF, DS, DO, TS, TO, X, AU, AD}  # every role but the grid worker
IN_SCOPE = {OF, DS, TS, AU, AD}  # those who see the lead: its county, its sector, its township
WRITERS = {OF, DS, DO, TS, TO, X}  # roles that handle leads; scope decides which leads


def answers(ok: int, allowed: set[str], denied: int, scoped: set[str] | None = None,
            outside: int = 404) -> dict[str, int]:
    """`ok` for `allowed` personas in scope; `outside` for allowed ones out of scope; `denied` for the rest;
    anonymous users are sent to the login page."""
    table = {A: 302}
    for persona in SIGNED_IN:
        if persona not in allowed:
            table[persona] = denied
        elif scoped is not None and persona not in scoped:
            table[persona] = outside
        else:
            table[persona] = ok
    return table


def lead_pk(w: Any) -> dict[str, Any]:
    return {"pk": w.lead.pk}


def signal_pk(w: Any) -> dict[str, Any]:
    return {"pk": w.signal.pk}


NONE: Callable[[Any], dict[str, Any]] = lambda w: {}  # noqa: E731

# name: (method, url kwargs, expected per persona, list views: personas who see the fixture lead/subject)
MATRIX: dict[str, tuple[str, Callable[[Any], dict[str, Any]], dict[str, int], set[str] | None]] = {
    "home": ("GET", NONE, {A: 302, **dict.fromkeys(SIGNED_IN, 302)}, None),
    "login": ("GET", NONE, {A: 200, **dict.fromkeys(SIGNED_IN, 200)}, None),
    "logout": ("POST", NONE, {A: 302, **dict.fromkeys(SIGNED_IN, 302)}, None),
    "dashboard": ("GET", NONE, answers(200, READERS, 403), None),
    "lead_list": ("GET", NONE, answers(200, SIGNED_IN, 403), IN_SCOPE),
    "lead_export": ("GET", NONE, answers(200, READERS, 403), IN_SCOPE),
    "lead_create": ("GET", NONE, answers(200, {OF, X}, 403), None),
    "lead_detail": ("GET", lead_pk, answers(200, SIGNED_IN, 403, IN_SCOPE), None),
    "lead_edit": ("GET", lead_pk, answers(200, WRITERS, 403, IN_SCOPE), None),
    "lead_transition": ("POST", lead_pk, answers(302, WRITERS, 403, IN_SCOPE), None),
    "lead_follow_up": ("POST", lead_pk, answers(302, WRITERS, 403, IN_SCOPE), None),
    "lead_upload": ("POST", lead_pk, answers(302, WRITERS, 403, IN_SCOPE), None),
    "lead_reveal_id": ("POST", lead_pk, answers(200, {OF, X}, 403, IN_SCOPE), None),
    "lead_upward_report": ("POST", lead_pk, answers(302, WRITERS, 403, IN_SCOPE), None),
    "subject_list": ("GET", NONE, answers(200, READERS, 403), IN_SCOPE),
    "subject_detail": ("GET", lambda w: {"pk": w.subject.pk}, answers(200, READERS, 403, IN_SCOPE), None),
    "signal_list": ("GET", NONE, answers(200, SIGNED_IN, 403), IN_SCOPE),
    "signal_detail": ("GET", signal_pk, answers(200, SIGNED_IN, 403, IN_SCOPE), None),
    "signal_open_lead": ("POST", signal_pk, answers(302, {OF, X}, 403, IN_SCOPE), None),
    "signal_reveal": ("POST", signal_pk, answers(200, {OF, X}, 403, IN_SCOPE), None),
    "signal_reward": ("POST", signal_pk, answers(302, {OF, X}, 403, IN_SCOPE), None),
    "attachment_download": ("GET", lambda w: {"pk": w.attachment.pk}, answers(200, SIGNED_IN, 403, IN_SCOPE), None),
    "public_report": ("GET", NONE, {A: 200, **dict.fromkeys(SIGNED_IN, 200)}, None),
    "grid_report": ("GET", NONE, answers(200, {TS, TO, G}, 403), None),
    "audit_list": ("GET", NONE, answers(200, {OF, X, AU, AD}, 403), {OF, AU, AD}),
    "api_dashboard": ("GET", NONE, answers(200, READERS, 403), None),
    "api_leads": ("GET", NONE, answers(200, SIGNED_IN, 403), IN_SCOPE),
    "api_lead": ("GET", lead_pk, answers(200, SIGNED_IN, 403, IN_SCOPE), None),
    # the official reports (fundwatch.reports.webapp): whoever may export, for their own jurisdiction
    "reports:index": ("GET", NONE, answers(200, READERS, 403), None),
    "reports:campaign": ("GET", lambda w: {"pk": w.campaign.pk}, answers(200, READERS, 403, {OF, AU, AD}),
                         None),
    "reports:download": ("GET", lambda w: {"kind": "duties", "fmt": "csv"}, answers(200, READERS, 403), None),
    # linking and funds: the office imports and runs; the subject page shows the results to whoever sees it
    "person_reveal": ("POST", lambda w: {"pk": w.person.pk}, answers(200, {OF, X}, 403, IN_SCOPE), None),
    "link_review": ("POST", lambda w: {"pk": w.link.pk}, answers(302, {OF, X}, 403, IN_SCOPE), None),
    "linking_home": ("GET", NONE, answers(200, {OF, X}, 403), {OF}),
    "linking_run": ("POST", NONE, answers(302, {OF, X}, 403), None),
    "linking_upload": ("POST", NONE, answers(200, {OF, X}, 403), {OF}),
    "funds_home": ("GET", NONE, answers(200, {OF, X}, 403), None),
    "funds_import_detail": ("GET", lambda w: {"pk": w.batch.pk}, answers(200, {OF, X}, 403, {OF}), {OF}),
    "funds_rejects": ("GET", lambda w: {"pk": w.batch.pk}, answers(200, {OF, X}, 403, {OF}), None),
}
# Django's admin site: staff only (the admin role); everyone else is sent to its login page.
ADMIN_ANSWERS = {**dict.fromkeys(PERSONAS, 302), AD: 200}


def url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= url_names(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else
                               namespace)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>")
    return names


def test_every_view_is_in_the_matrix() -> None:
    # given the project's URLconf, all of it
    names = url_names(get_resolver().url_patterns)
    # then every view outside the admin site has a row, and every row a view
    ours = {n for n in names if not n.startswith("admin:")}
    assert ours - set(MATRIX) == set(), "views without a row in the access matrix"
    assert set(MATRIX) - ours == set(), "matrix rows of views that no longer exist"
    assert all(set(row[2]) == set(PERSONAS) for row in MATRIX.values())


def linked_and_funded(world: Any, office: Any) -> None:
    """The fixture subject with a link to an uploaded blacklist entry, a person behind it, and a bank import
    that raised a warning on it and refused a row."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from fundwatch.reports.webapp.models import Campaign
    from fundwatch.web.models import (
        FundsWarning,
        ImportProblem,
        Link,
        LinkRun,
        Person,
        TransactionImport,
        WatchlistEntry,
    )

    world.campaign = Campaign.objects.create(key="campaign_menghai_2018", name="2018年专项排查", region=world.county)
    entry = WatchlistEntry.objects.create(region=world.county, key="B1", name="景洪聚财投资有限公司",
                                          source="黑名单.csv")
    run = LinkRun.objects.create(region=world.county, by=office)
    world.link = Link.objects.create(run=run, subject=world.subject, entry=entry, other_key=entry.link_key,
                                     other_name=entry.name, listed="blacklist", score=80.0, same=True, kind="phone",
                                     kinds="phone", reasons="联系电话相同（+45分）", cluster=world.subject.key)
    world.person = Person.objects.create(subject=world.subject, name="岩温", id_number="532822198001010010",
                                         role="法定代表人", source="人员.csv")
    world.batch = TransactionImport.objects.create(region=world.county, by=office, file_name="流水.csv",
                                                   sha256="0" * 64, read=3, rejected=1)
    when = timezone.make_aware(dt.datetime(2025, 3, 1, 10))
    FundsWarning.objects.create(
        batch=world.batch, region=world.county, subject=world.subject, account="6228480001", holder=world.subject.name,
        typology="public_deposits", typology_name="吸收公众资金", score=85.0, amount=Decimal("2484712.00"),
        transactions=168, counterparties=153, first_time=when, last_time=when, explanation="许多个人小额转入",
        evidence="153名个人转入168笔",
    )
    ImportProblem.objects.create(batch=world.batch, table="transactions", line=3, column="交易金额", value="abc",
                                 reason="交易金额为空或无法识别", severity="reject")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name: str, persona: str, world: Any, personas: dict[str, Any], as_user: Any) -> None:
    linked_and_funded(world, personas["office"])
    # given the persona signed in (or not)
    method, kwargs, expected, sees = MATRIX[name]
    client = as_user(personas[persona])
    url = reverse(name, kwargs=kwargs(world))
    # when it calls the view
    response = client.post(url) if method == "POST" else client.get(url)
    # then it gets exactly the allowed answer
    assert response.status_code == expected[persona], f"{name} as {persona}"
    if persona == A and expected[A] == 302 and name not in {"logout"}:
        assert response["Location"].startswith(reverse("login"))
    if sees is not None and response.status_code == 200:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        shown = world.lead.subject_name.encode("gbk" if name == "lead_export" else "utf-8") in body
        problem = "is hidden" if persona in sees else "leaks"
        assert shown == (persona in sees), f"{name} as {persona}: the lead {problem}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_site(persona: str, personas: dict[str, Any], as_user: Any) -> None:
    response = as_user(personas[persona]).get(reverse("admin:index"))
    assert response.status_code == ADMIN_ANSWERS[persona]
