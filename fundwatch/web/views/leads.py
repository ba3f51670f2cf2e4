from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fundwatch.web.access import get_lead_for_user, requires
from fundwatch.web.forms import FollowUpForm, LeadForm, TransitionForm, UploadForm
from fundwatch.web.models import (
    Attachment,
    AuditLog,
    FollowUp,
    Kind,
    Lead,
    LeadClass,
    Perm,
    Source,
    StaleEdit,
    WorkflowError,
)
from fundwatch.web.templatetags.fw import wan
from fundwatch.web.workflow import OPEN_STATES, State

FILTERS = ("status", "grade", "lead_class", "region", "sector")


def filtered_leads(request: HttpRequest):  # type: ignore[no-untyped-def]
    leads = Lead.objects.visible_to(request.user).select_related("region", "department")
    for name in FILTERS:
        value = request.GET.get(name)
        if value:
            leads = leads.filter(**{name: value})
    if request.GET.get("open"):
        leads = leads.filter(status__in=OPEN_STATES)
    if request.GET.get("overdue"):
        leads = leads.overdue()
    if request.GET.get("upward"):
        leads = leads.filter(needs_upward_report=True)
    if request.GET.get("q"):
        leads = leads.filter(subject_name__icontains=request.GET["q"].strip())
    return leads


@requires(Perm.VIEW_LEADS)
def lead_list(request: HttpRequest) -> HttpResponse:
    leads = filtered_leads(request)
    page = Paginator(leads.order_by("-score", "-opened_at"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/lead_list.html", {
        "page": page, "states": State.choices, "classes": LeadClass.choices, "query": query.urlencode(),
    })


@requires(Perm.EXPORT)
def lead_export(request: HttpRequest) -> HttpResponse:
    """The key-risk-lead table (001 附件1) as CSV in GBK, for Excel and WPS."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["序号", "企业名称", "所属行业", "集资模式", "是否通过互联网", "涉及金额（万元）", "涉及人数",
                     "未兑付资金（万元）", "是否跨省", "采取的工作措施", "资金清退情况", "处理结果",
                     "省际间风险通报情况", "线索类别", "责任部门", "属地", "状态"])
    for n, lead in enumerate(filtered_leads(request), start=1):
        refund = f"{lead.get_refund_status_display()} {lead.refund_ratio}%" if lead.refund_status else ""
        writer.writerow([n, lead.subject_name, lead.sector, lead.fundraising_model, lead.get_online_display(),
                         wan(lead.amount).replace(",", ""), lead.participants, wan(lead.unpaid).replace(",", ""),
                         "是" if lead.cross_province else "否", lead.measures, refund, lead.outcome,
                         lead.interprovincial_notice, lead.get_lead_class_display(), lead.department or "",
                         lead.region, lead.get_status_display()])
    # GBK so Excel and WPS open it directly; a character outside GBK becomes "?" rather than failing the export.
    response = HttpResponse(buffer.getvalue().encode("gbk", errors="replace"), content_type="text/csv; charset=gbk")
    response["Content-Disposition"] = f'attachment; filename="leads-{timezone.localdate():%Y%m%d}.csv"'
    return response


@requires(Perm.VIEW_LEADS)
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request, pk)
    user = request.user
    writable = user.can(Perm.EDIT_LEADS)  # type: ignore[union-attr]
    return render(request, "web/lead_detail.html", {
        "lead": lead,
        "writable": writable,
        "transition_form": TransitionForm(lead=lead, user=user) if writable else None,  # type: ignore[arg-type]
        "follow_up_form": FollowUpForm() if writable else None,
        "upload_form": UploadForm() if writable else None,
        "attachments": lead.attachments.all(),
        "signals": lead.signals.all()[:20],
        "hits": lead.subject.hits.all()[:20] if lead.subject else [],
        "transitions": lead.transitions.select_related("by"),
        "follow_ups": lead.follow_ups.select_related("by"),
        "can_reveal": user.can(Perm.REVEAL_IDENTITY),  # type: ignore[union-attr]
    })


@requires(Perm.CREATE_LEADS)
def lead_create(request: HttpRequest) -> HttpResponse:
    form = LeadForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        lead = form.save(commit=False)
        lead.amount, lead.unpaid = form.cleaned_data["amount"], form.cleaned_data["unpaid"]
        lead.source = Source.MANUAL
        lead.create(request.user)
        messages.success(request, f"已登记线索 {lead.code}")
        return redirect("lead_detail", pk=lead.pk)
    return render(request, "web/lead_form.html", {"form": form, "lead": None})


@requires(Perm.EDIT_LEADS)
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request, pk, write=True)
    form = LeadForm(request.POST or None, instance=lead, user=request.user)  # type: ignore[arg-type]
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            lead.write(request.user, form.changes(), form.cleaned_data["version"] or 0)
        except StaleEdit as stale:
            conflict = stale.current
            form.data = form.data.copy()
            form.data["version"] = str(conflict.version)
            messages.error(request, stale_message(conflict))
        else:
            messages.success(request, "已保存")
            return redirect("lead_detail", pk=lead.pk)
    return render(request, "web/lead_form.html", {"form": form, "lead": lead, "conflict": conflict})


def stale_message(current: Lead) -> str:
    last = AuditLog.objects.filter(model="Lead", object_id=str(current.pk)).first()
    who = f"{last.actor} 于 {timezone.localtime(last.at):%Y-%m-%d %H:%M}" if last else "他人"
    return (f"未保存：此线索已被 {who} 修改（现为第 {current.version} 版）。您填写的内容仍保留在表单中，"
            "请对照下方最新内容核对后再次提交。")


@require_POST
@requires(Perm.EDIT_LEADS)
def lead_transition(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request, pk, write=True)
    form = TransitionForm(request.POST, request.FILES, lead=lead, user=request.user)  # type: ignore[arg-type]
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("lead_detail", pk=lead.pk)
    try:
        with transaction.atomic():
            lead.transition(request.user, form.cleaned_data["to_state"], form.cleaned_data["reason"],
                            form.cleaned_data["version"], plan=form.plan())
            if form.cleaned_data.get("photo"):
                attachment = Attachment.store(form.cleaned_data["photo"], Kind.INSPECTION, request.user, lead=lead)
                AuditLog.record(request.user, AuditLog.Action.UPLOAD, attachment, lead.region_id,
                                after={"sha256": attachment.sha256, "size": attachment.size})
    except StaleEdit as stale:
        messages.error(request, stale_message(stale.current))
    except WorkflowError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"已流转为“{lead.get_status_display()}”")
    return redirect("lead_detail", pk=lead.pk)


@require_POST
@requires(Perm.EDIT_LEADS)
def lead_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request, pk, write=True)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        note = FollowUp.objects.create(lead=lead, by=request.user, text=form.cleaned_data["text"])
        AuditLog.record(request.user, AuditLog.Action.FOLLOW_UP, lead, lead.region_id, after={"text": note.text})
        messages.success(request, "已记录跟进情况")
    else:
        messages.error(request, "跟进情况：" + "；".join(form.errors.get("text", [])))
    return redirect("lead_detail", pk=lead.pk)


@require_POST
@requires(Perm.EDIT_LEADS)
def lead_upload(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request, pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = Attachment.store(form.cleaned_data["file"], form.cleaned_data["kind"], request.user,
                                          lead=lead, note=form.cleaned_data["note"])
        except ValidationError as problem:
            messages.error(request, "文件：" + "；".join(problem.messages))
        else:
            AuditLog.record(request.user, AuditLog.Action.UPLOAD, attachment, lead.region_id,
                            after={"sha256": attachment.sha256, "size": attachment.size})
            messages.success(request, f"已上传：{attachment}")
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}：{'；'.join(errors)}")
    return redirect("lead_detail", pk=lead.pk)


@require_POST
@requires(Perm.REVEAL_IDENTITY)
def lead_reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the responsible person's ID number once, and logs that it was seen."""
    lead = get_lead_for_user(request, pk)
    AuditLog.record(request.user, AuditLog.Action.VIEW_ID_NUMBER, lead, lead.region_id,
                    after={"field": "responsible_id_number"})
    return render(request, "web/revealed.html", {
        "title": f"{lead.code} 负责人身份证号", "back": lead,
        "rows": [("负责人", lead.responsible_person), ("身份证号", lead.responsible_id_number or "（未登记）")],
    })


@require_POST
@requires(Perm.EDIT_LEADS)
def lead_upward_report(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request, pk, write=True)
    if not lead.needs_upward_report:
        raise PermissionDenied("此线索不需要向上报告")
    try:
        lead.mark_reported_upward(request.user, int(request.POST.get("version") or 0))
    except StaleEdit as stale:
        messages.error(request, stale_message(stale.current))
    else:
        messages.success(request, "已记录向上级报告")
    return redirect("lead_detail", pk=lead.pk)
