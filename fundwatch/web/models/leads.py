"""The key-risk-lead ledger (重点风险线索管理台账, 001 附件1) and its workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from fundwatch.web.models.audit import AuditLog
from fundwatch.web.models.regions import Region, Unit
from fundwatch.web.models.scope import scope_q
from fundwatch.web.models.subjects import GRADE_CHOICES, Subject
from fundwatch.web.rules import rules
from fundwatch.web.workflow import OPEN_STATES, State, allowed


class StaleEdit(Exception):
    """Someone saved the lead after this edit was started; nothing of the edit was written."""

    def __init__(self, current: Lead) -> None:
        super().__init__("stale edit")
        self.current = current


class WorkflowError(ValueError):
    pass


class LeadQuerySet(models.QuerySet["Lead"]):
    def visible_to(self, user: Any) -> LeadQuerySet:
        q = scope_q(user, region="region", sector="sector", department="department", reporter="signals__created_by")
        return self.none() if q is None else self.filter(q).distinct()

    def open(self) -> LeadQuerySet:
        return self.filter(status__in=OPEN_STATES)

    def overdue(self, today: dt.date | None = None) -> LeadQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=State.RECTIFYING, rect_deadline__lt=today)


class LeadClass(models.TextChoices):
    """002 五(五): general, major, cross-prefecture, cross-province major."""

    GENERAL = "general", "一般线索"
    MAJOR = "major", "重大线索"
    CROSS_REGION = "cross_region", "跨州（市）线索"
    CROSS_PROVINCE_MAJOR = "cross_province_major", "跨省重大线索"


class Online(models.TextChoices):
    """001 附表注1: 是否通过互联网."""

    ONLINE = "online", "线上"
    OFFLINE = "offline", "线下"
    BOTH = "both", "线上线下相结合"


class Refund(models.TextChoices):
    NONE = "", "未清退"
    REFUNDING = "refunding", "正在清退"
    DONE = "done", "清退完毕"


class Source(models.TextChoices):
    SCREENING = "screening", "大数据筛查"
    PUBLIC_REPORT = "public_report", "群众举报"
    GRID = "grid", "网格上报"
    BANK_FUNDS = "bank_funds", "账户资金异动"
    MANUAL = "manual", "人工登记"


# The ledger fields a user edits through the lead form; everything else changes through workflow actions.
EDITABLE = (
    "subject_name", "title", "sector", "fundraising_model", "online", "amount", "participants", "unpaid",
    "cross_province", "measures", "refund_status", "refund_ratio", "outcome", "interprovincial_notice", "lead_class",
    "department",
    "region", "business_address", "responsible_person", "responsible_contact", "responsible_id_number",
    "rect_unit", "rect_measures", "rect_deadline",
)


class Lead(models.Model):
    title = models.CharField("问题概述", max_length=200)
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.PROTECT, related_name="leads", verbose_name="主体"
    )
    subject_name = models.CharField("企业名称", max_length=200)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    sector = models.CharField("所属行业", max_length=64, blank=True, db_index=True)
    fundraising_model = models.CharField("集资模式", max_length=200, blank=True)
    online = models.CharField("是否通过互联网", max_length=8, choices=Online.choices, blank=True)
    amount = models.DecimalField("涉及金额（元）", max_digits=20, decimal_places=2, default=Decimal(0))
    participants = models.PositiveIntegerField("涉及人数", default=0)
    unpaid = models.DecimalField("未兑付资金（元）", max_digits=20, decimal_places=2, default=Decimal(0))
    cross_province = models.BooleanField("是否跨省", default=False)
    measures = models.TextField("采取的工作措施", blank=True)
    refund_status = models.CharField("资金清退情况", max_length=12, choices=Refund.choices, blank=True)
    refund_ratio = models.DecimalField("清退比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    outcome = models.CharField(
        "处理结果", max_length=200, blank=True, help_text="如：正在整改并正常营业、停业整改、移送公安"
    )
    interprovincial_notice = models.TextField("省际间风险通报情况", blank=True)
    lead_class = models.CharField("线索类别", max_length=24, choices=LeadClass.choices, default=LeadClass.GENERAL)
    department = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="leads", verbose_name="责任部门"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="属地")
    grade = models.CharField("风险等级", max_length=8, choices=GRADE_CHOICES, blank=True, db_index=True)
    score = models.FloatField("风险指数", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=State.choices, default=State.FOUND, db_index=True)
    # Archive (004 二(二)): where it operates and who answers for it.
    business_address = models.CharField("详细经营地址", max_length=300, blank=True)
    responsible_person = models.CharField("负责人", max_length=64, blank=True)
    responsible_contact = models.CharField("负责人联系方式", max_length=64, blank=True)
    responsible_id_number = models.CharField("负责人身份证号", max_length=18, blank=True)
    # Rectification plan: responsible unit, measures and deadline (明确整改责任、整改措施和时间安排).
    rect_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="整改责任单位"
    )
    rect_measures = models.TextField("整改措施", blank=True)
    rect_deadline = models.DateField("整改期限", null=True, blank=True)
    needs_upward_report = models.BooleanField("须立即向上报告", default=False, db_index=True)
    upward_reported_at = models.DateTimeField("已向上报告", null=True, blank=True)
    opened_at = models.DateTimeField("立线索时间", default=timezone.now, db_index=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    version = models.PositiveIntegerField("版本", default=1)

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "线索"
        ordering = ("-opened_at", "-id")

    def __str__(self) -> str:
        return f"{self.code} {self.subject_name}"

    @property
    def code(self) -> str:
        return f"XS{self.pk or 0:06d}"

    @property
    def is_overdue(self) -> bool:
        return self.status == State.RECTIFYING and self.rect_deadline is not None and (
            self.rect_deadline < timezone.localdate()
        )

    def refresh_flags(self) -> None:
        """Cross-province leads of >= 5亿元 or >= 1000 people (thresholds in data) are cross-province major
        and must be reported upward at once (002 五(五))."""
        limits = rules()
        big = self.amount >= limits.upward_amount or self.participants >= limits.upward_participants
        if self.cross_province and big:
            self.lead_class = LeadClass.CROSS_PROVINCE_MAJOR
        self.needs_upward_report = self.cross_province and big and self.upward_reported_at is None

    def snapshot(self, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
        return {f: _plain(getattr(self, f)) for f in fields}

    def create(self, user: Any) -> Lead:
        self.refresh_flags()
        self.created_by = user if user is not None and user.is_authenticated else None
        self.save()
        AuditLog.record(user, AuditLog.Action.CREATE, self, self.region_id, after=self.snapshot(EDITABLE))
        return self

    def write(self, user: Any, changes: dict[str, Any], expected_version: int, action: str = AuditLog.Action.EDIT,
              extra: dict[str, Any] | None = None) -> None:
        """Apply `changes` only if nobody saved since `expected_version`; audit before and after."""
        with transaction.atomic():
            current = Lead.objects.get(pk=self.pk)
            if current.version != expected_version:
                raise StaleEdit(current)
            before = current.snapshot(list(changes))
            for field, value in changes.items():
                setattr(current, field, value)
            current.refresh_flags()
            values = {f: getattr(current, f) for f in {*changes, "lead_class", "needs_upward_report"}}
            # The version condition in the UPDATE itself makes the check atomic on SQLite and PostgreSQL alike.
            written = Lead.objects.filter(pk=self.pk, version=expected_version).update(
                **values, version=expected_version + 1, updated_at=timezone.now()
            )
            if written != 1:
                raise StaleEdit(Lead.objects.get(pk=self.pk))
            after = current.snapshot(list(changes))
            changed = {f for f in changes if before[f] != after[f]}
            AuditLog.record(
                user, action, current, current.region_id,
                before={f: before[f] for f in changed} | (extra or {}), after={f: after[f] for f in changed},
            )
        self.refresh_from_db()

    def transition(self, user: Any, to: str, reason: str, expected_version: int,
                   plan: dict[str, Any] | None = None) -> Transition:
        """Move the lead to `to`, if the workflow allows it, recording who, when and why."""
        if not allowed(self.status, to):
            raise WorkflowError(f"不能从“{self.get_status_display()}”转为“{State(to).label}”")
        if not reason.strip():
            raise WorkflowError("请填写流转理由")
        changes: dict[str, Any] = {"status": to, **(plan or {})}
        if to == State.RECTIFYING and not all((changes.get("rect_unit"), changes.get("rect_measures"),
                                               changes.get("rect_deadline"))):
            raise WorkflowError("责令整改须明确整改责任单位、整改措施和整改期限")
        if to == State.CLOSED:
            changes["closed_at"] = timezone.now()
        from_state = self.status
        with transaction.atomic():
            self.write(user, changes, expected_version, AuditLog.Action.TRANSITION, extra={"reason": reason})
            return Transition.objects.create(lead=self, from_state=from_state, to_state=to, by=user, reason=reason)

    def mark_reported_upward(self, user: Any, expected_version: int) -> None:
        self.write(user, {"upward_reported_at": timezone.now()}, expected_version, AuditLog.Action.UPWARD_REPORT)


def open_lead_for(subject: Subject | None, *, source: str, user: Any, region: Region, subject_name: str,
                  title: str, signal: Any = None, **fields: Any) -> tuple[Lead, bool]:
    """The subject's open lead, or a new one assigned by sector (department) and place (region);
    a signal that prompted it is attached. Returns (lead, created)."""
    existing = subject.open_lead() if subject is not None else None
    from_subject: dict[str, Any] = {}
    if subject is not None:
        from_subject = {
            "sector": subject.sector, "department": subject.department, "grade": subject.grade,
            "score": subject.score, "business_address": subject.operating_address or subject.address,
            "responsible_person": subject.legal_rep,
        }
    lead = existing or Lead(subject=subject, subject_name=subject_name, title=title, source=source, region=region,
                            **{**from_subject, **fields})
    if existing is None:
        lead.create(user)
    if signal is not None:
        signal.lead = lead
        signal.save(update_fields=["lead"])
    return lead, existing is None


class Transition(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField("原状态", max_length=16, choices=State.choices)
    to_state = models.CharField("新状态", max_length=16, choices=State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="办理人")
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("理由")

    class Meta:
        verbose_name = verbose_name_plural = "流转记录"
        ordering = ("at", "id")


class FollowUp(models.Model):
    """一事一策: the follow-up notes of a key lead."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="follow_ups")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="记录人")
    at = models.DateTimeField("时间", auto_now_add=True)
    text = models.TextField("跟进情况")

    class Meta:
        verbose_name = verbose_name_plural = "跟进记录"
        ordering = ("-at", "-id")


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value for the audit log."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal | dt.date | dt.datetime):
        return str(value)
    return value


