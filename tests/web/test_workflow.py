"""Lead workflow, escalation, optimistic locking and the audit trail of each change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fundwatch.web.models import AuditLog, Lead, StaleEdit, WorkflowError
from fundwatch.web.workflow import TRANSITIONS, State


def test_transition_allowed_is_recorded_with_who_when_why(world: Any, personas: dict[str, Any]) -> None:
    # given a lead just found
    lead, office = world.lead, personas["office"]
    # when the office moves it to triage with a reason
    lead.transition(office, State.TRIAGE, "名称含敏感词，列入研判", lead.version)
    # then the state, the history and the audit log say so
    lead.refresh_from_db()
    assert lead.status == State.TRIAGE and lead.version == 2
    step = lead.transitions.get()
    assert (step.from_state, step.to_state, step.by) == ("found", "triage", office)
    assert step.reason == "名称含敏感词，列入研判"
    entry = AuditLog.objects.filter(action="transition", object_id=str(lead.pk)).get()
    assert entry.before["status"] == "found" and entry.after["status"] == "triage" and entry.actor == "office"


@pytest.mark.parametrize(("start", "target"), [("found", "rectifying"), ("found", "closed"), ("triage", "closed"),
                                                ("closed", "triage"), ("referred_police", "rectifying")])
def test_transition_not_allowed_is_refused(world: Any, personas: dict[str, Any], start: str, target: str) -> None:
    Lead.objects.filter(pk=world.lead.pk).update(status=start)
    world.lead.refresh_from_db()
    with pytest.raises(WorkflowError):
        world.lead.transition(personas["office"], target, "理由", world.lead.version, plan=_plan(world))
    world.lead.refresh_from_db()
    assert world.lead.status == start and not world.lead.transitions.exists()


def _plan(world: Any) -> dict[str, Any]:
    return {"rect_unit": world.finance, "rect_measures": "停止宣传，清退资金",
            "rect_deadline": timezone.localdate() + dt.timedelta(days=30)}


def test_every_state_can_reach_closed_and_closed_only_reopens() -> None:
    reachable = {State.CLOSED.value}
    changed = True
    while changed:
        before = len(reachable)
        reachable |= {s for s, targets in TRANSITIONS.items() if reachable & set(targets)}
        changed = len(reachable) != before
    assert reachable == {s.value for s in State}
    assert TRANSITIONS[State.CLOSED] == (State.REOPENED,)


def test_reopen_after_closing_comes_back(world: Any, personas: dict[str, Any]) -> None:
    lead, office = world.lead, personas["office"]
    for target in (State.TRIAGE, State.INSPECTION, State.MONITORING, State.CLOSED, State.REOPENED):
        lead.transition(office, target, f"转{target.label}", lead.version)
    assert lead.status == State.REOPENED and lead.closed_at is not None
    assert [t.to_state for t in lead.transitions.all()] == ["triage", "inspection", "monitoring", "closed", "reopened"]


def test_rectification_needs_a_plan(world: Any, personas: dict[str, Any]) -> None:
    lead, office = world.lead, personas["office"]
    lead.transition(office, State.TRIAGE, "研判", lead.version)
    lead.transition(office, State.INSPECTION, "现场核查", lead.version)
    with pytest.raises(WorkflowError, match="整改"):
        lead.transition(office, State.RECTIFYING, "责令整改", lead.version)
    lead.transition(office, State.RECTIFYING, "责令整改", lead.version, plan=_plan(world))
    assert lead.status == State.RECTIFYING and lead.rect_unit == world.finance


def test_overdue_rectification_surfaces(world: Any, personas: dict[str, Any]) -> None:
    # given a lead in rectification whose deadline passed yesterday
    Lead.objects.filter(pk=world.lead.pk).update(status=State.RECTIFYING,
                                                 rect_deadline=timezone.localdate() - dt.timedelta(days=1))
    # then it is overdue, in the model, the queryset and on the dashboard
    world.lead.refresh_from_db()
    assert world.lead.is_overdue
    assert list(Lead.objects.overdue()) == [world.lead]
    Lead.objects.filter(pk=world.lead.pk).update(rect_deadline=timezone.localdate())
    assert not Lead.objects.overdue().exists()


@pytest.mark.parametrize(("cross", "amount", "people", "flagged"), [
    (True, "500000000", 0, True), (True, "499999999.99", 999, False), (True, "0", 1000, True),
    (False, "900000000", 5000, False),
])
def test_cross_province_escalation_flag(world: Any, personas: dict[str, Any], cross: bool, amount: str, people: int,
                                        flagged: bool) -> None:
    lead = world.lead
    Lead.objects.filter(pk=lead.pk).update(cross_province=False, amount=0, participants=0, needs_upward_report=False,
                                           lead_class="general")
    lead.refresh_from_db()
    lead.write(personas["office"], {"cross_province": cross, "amount": Decimal(amount), "participants": people},
               lead.version)
    assert lead.needs_upward_report is flagged
    assert (lead.lead_class == "cross_province_major") is flagged


def test_reporting_upward_clears_the_flag(world: Any, personas: dict[str, Any]) -> None:
    assert world.lead.needs_upward_report
    world.lead.mark_reported_upward(personas["office"], world.lead.version)
    assert not world.lead.needs_upward_report and world.lead.upward_reported_at is not None
    assert AuditLog.objects.filter(action="upward_report").count() == 1


def test_second_of_two_concurrent_edits_is_refused(world: Any, personas: dict[str, Any]) -> None:
    # given two users who opened the same version of the lead
    first = Lead.objects.get(pk=world.lead.pk)
    second = Lead.objects.get(pk=world.lead.pk)
    # when both save
    first.write(personas["office"], {"measures": "约谈法定代表人"}, first.version)
    with pytest.raises(StaleEdit) as refused:
        second.write(personas["department_same_sector"], {"measures": "下达整改通知"}, second.version)
    # then the first edit stands and the second changed nothing
    assert refused.value.current.measures == "约谈法定代表人"
    assert Lead.objects.get(pk=world.lead.pk).measures == "约谈法定代表人"


def _edit_form(lead: Lead, **changes: Any) -> dict[str, Any]:
    data = {"subject_name": lead.subject_name, "title": lead.title, "sector": lead.sector, "online": "offline",
            "amount_wan": "60000", "unpaid_wan": "0", "participants": lead.participants, "cross_province": "on",
            "lead_class": lead.lead_class, "department": lead.department_id, "region": lead.region_id,
            "version": lead.version, "measures": "", "outcome": ""}
    return {**data, **changes}


def test_stale_edit_through_the_form_keeps_the_input_and_says_why(world: Any, personas: dict[str, Any],
                                                                   as_user: Any) -> None:
    # given the office and the finance department both opened the edit form of version 1
    url = reverse("lead_edit", kwargs={"pk": world.lead.pk})
    form_of_both = _edit_form(world.lead)
    as_user(personas["office"]).post(url, {**form_of_both, "measures": "约谈法定代表人"})
    # when the department saves its older copy
    response = as_user(personas["department_same_sector"]).post(url, {**form_of_both, "measures": "下达整改通知书"})
    # then it is refused with a message, its text is still in the form, and the office's edit stands
    assert response.status_code == 200
    page = response.content.decode()
    assert "未保存：此线索已被 office" in page and "下达整改通知书" in page
    assert Lead.objects.get(pk=world.lead.pk).measures == "约谈法定代表人"
    # and a deliberate second submit of the reviewed form goes through
    resubmit = response.context["form"].data
    response = as_user(personas["department_same_sector"]).post(url, resubmit)
    assert response.status_code == 302
    assert Lead.objects.get(pk=world.lead.pk).measures == "下达整改通知书"


def test_edit_form_rejects_bad_input_on_the_field(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    url = reverse("lead_edit", kwargs={"pk": world.lead.pk})
    bad = _edit_form(world.lead, amount_wan="很多", refund_status="refunding", refund_ratio="",
                     responsible_id_number="532822198001010011", responsible_contact="12345",
                     rect_measures="停业整改")
    response = as_user(personas["office"]).post(url, bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["amount_wan"] == ["请输入数字（单位：万元）"]
    assert "清退比例" in errors["refund_ratio"][0]
    assert "身份证号码无效" in errors["responsible_id_number"][0]
    assert "电话号码格式不正确" in errors["responsible_contact"][0]
    assert "整改计划" in errors["rect_unit"][0] and "整改计划" in errors["rect_deadline"][0]
    assert Lead.objects.get(pk=world.lead.pk).version == 1


def test_transition_through_the_page_with_a_photo(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    from .conftest import png_upload

    client = as_user(personas["township_same_place"])
    url = reverse("lead_transition", kwargs={"pk": world.lead.pk})
    client.post(url, {"to_state": "triage", "reason": "属地研判", "version": 1})
    response = client.post(url, {"to_state": "inspection", "reason": "现场核查：门店仍在营业", "version": 2,
                                 "photo": png_upload("现场.png", "blue")})
    assert response.status_code == 302
    lead = Lead.objects.get(pk=world.lead.pk)
    assert lead.status == "inspection"
    photo = lead.attachments.get(kind="inspection")
    assert photo.size > 0 and len(photo.sha256) == 64


def test_transition_with_a_bad_file_is_refused_whole(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(personas["office"])
    url = reverse("lead_transition", kwargs={"pk": world.lead.pk})
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = client.post(url, {"to_state": "triage", "reason": "研判", "version": 1, "photo": fake}, follow=True)
    assert "文件类型不符" in response.content.decode()
    assert Lead.objects.get(pk=world.lead.pk).status == "found"
