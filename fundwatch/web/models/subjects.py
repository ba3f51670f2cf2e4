"""Subjects (主体) with their latest screening, the rule hits behind it, and signals (线索来源)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from fundwatch.web.models.regions import Region, Unit
from fundwatch.web.models.scope import scope_q
from fundwatch.web.rules import rules

GRADE_CHOICES = [("red", "红色"), ("orange", "橙色"), ("yellow", "黄色"), ("blue", "蓝色"), ("green", "绿色")]


class SubjectQuerySet(models.QuerySet["Subject"]):
    def visible_to(self, user: Any) -> SubjectQuerySet:
        q = scope_q(user, region="region", sector="sector", department="department", reporter="signals__created_by")
        return self.none() if q is None else self.filter(q).distinct()


class Subject(models.Model):
    key = models.CharField("主体标识", max_length=64, unique=True, help_text="统一社会信用代码，无代码时为登记编号")
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    business_scope = models.TextField("经营范围", blank=True)
    registered_capital = models.DecimalField("注册资本", max_digits=20, decimal_places=2, null=True, blank=True)
    capital_currency = models.CharField("币种", max_length=3, default="CNY")
    established = models.DateField("成立日期", null=True, blank=True)
    legal_rep = models.CharField("法定代表人", max_length=64, blank=True)
    address = models.CharField("住所", max_length=300, blank=True)
    operating_address = models.CharField("经营地址", max_length=300, blank=True)
    status = models.CharField("登记状态", max_length=32, blank=True)
    entity_type = models.CharField("主体类型", max_length=64, blank=True)
    phone = models.CharField("电话", max_length=64, blank=True)
    # Where it is registered (GB/T 2260 county code of the registry), which may lie outside the county it
    # operates in; empty for subjects known only from reports.
    region_code = models.CharField("登记地区划代码", max_length=6, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="属地")
    sector = models.CharField("重点行业", max_length=64, blank=True, db_index=True)
    department = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="牵头部门")
    # The stored index: the rules' score of the latest screening (rules_score) with the dimensions from outside the
    # rules (dim_funds from bank statements) folded in by fundwatch.web.services.scoring, never folded twice.
    score = models.FloatField("风险指数", null=True, blank=True)
    rules_score = models.FloatField("规则得分", null=True, blank=True)
    grade = models.CharField("风险等级", max_length=8, choices=GRADE_CHOICES, blank=True, db_index=True)
    dimensions = models.JSONField("分维度得分", default=dict, blank=True)
    evidence = models.TextField("依据", blank=True)
    ruleset_version = models.CharField("规则版本", max_length=64, blank=True)
    screened_at = models.DateTimeField("筛查时间", null=True, blank=True)

    objects = SubjectQuerySet.as_manager()

    @classmethod
    def match(cls, text: str, county: Region) -> Subject | None:
        """The subject a report names, by USCC or exact name, within the county."""
        text = text.strip()
        if not text:
            return None
        found = cls.objects.filter(region__code__startswith=county.prefix)
        return found.filter(uscc=text.upper()).first() or found.filter(name=text).first()

    class Meta:
        verbose_name = verbose_name_plural = "主体"
        ordering = ("-score", "name")

    def __str__(self) -> str:
        return self.name

    def open_lead(self) -> Any:
        """The subject's own open lead, else an open lead one of its signals belongs to (the old lead a
        reappearing outfit was linked to), else None."""
        own = self.leads.open().first()
        if own is not None:
            return own
        from fundwatch.web.models.leads import Lead

        return Lead.objects.open().filter(signals__subject=self).order_by("-opened_at").first()


class Hit(models.Model):
    """One rule hit of the latest screening: the evidence behind a part of the score."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="hits")
    rule = models.CharField("规则", max_length=64)
    dimension = models.CharField("维度", max_length=32)
    points = models.FloatField("分值")
    table = models.CharField("来源表", max_length=32)
    field = models.CharField("字段", max_length=64, blank=True)
    matched = models.TextField("命中内容", blank=True)
    source_line = models.IntegerField("源文件行号", null=True, blank=True)
    explanation = models.TextField("说明")

    class Meta:
        verbose_name = verbose_name_plural = "规则命中"
        ordering = ("-points",)


class Channel(models.TextChoices):
    """The seven monitoring channels of 002 (四、监测预警措施), plus upper-office pushes and media."""

    JUDICIAL = "judicial", "司法信息通报"
    BANK_FUNDS = "bank_funds", "账户资金异动"
    REGULATOR = "regulator", "行业主管监管"
    ADS_OPINION = "ads_opinion", "广告和舆情监测"
    GRID = "grid", "基层网格排查"
    PUBLIC_REPORT = "public_report", "群众举报"
    SCREENING = "screening", "大数据筛查"
    UPPER_OFFICE = "upper_office", "上级推送"
    MEDIA = "media", "媒体报道"


class SignalQuerySet(models.QuerySet["Signal"]):
    def visible_to(self, user: Any) -> SignalQuerySet:
        q = scope_q(
            user, region="region", sector="subject__sector", department="lead__department", reporter="created_by"
        )
        return self.none() if q is None else self.filter(q)


class Signal(models.Model):
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices, db_index=True)
    received_at = models.DateTimeField("时间", db_index=True)
    content = models.TextField("内容")
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals", verbose_name="主体"
    )
    subject_name = models.CharField("涉及主体（原文）", max_length=200, blank=True)
    address = models.CharField("地点", max_length=300, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="属地")
    people = models.IntegerField("涉及人数", null=True, blank=True)
    amount = models.DecimalField("涉及金额（元）", max_digits=20, decimal_places=2, null=True, blank=True)
    source_table = models.CharField("来源表", max_length=32, blank=True)
    source_line = models.IntegerField("源文件行号", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name="上报人"
    )
    lead = models.ForeignKey(
        "web.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="signals", verbose_name="线索"
    )
    receipt = models.CharField("回执号", max_length=20, unique=True, null=True, blank=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "信号"
        ordering = ("-received_at",)

    def warrants_lead(self, urgent: bool = False) -> bool:
        """A report opens a lead by itself when urgent, large enough (thresholds in data/rules.yaml),
        or about a subject already graded at an auto-open grade."""
        limits = rules()
        return (
            urgent
            or (self.people or 0) >= limits.report_participants
            or (self.amount or 0) >= limits.report_amount
            or (self.subject is not None and self.subject.grade in limits.auto_open_grades)
        )

    def __str__(self) -> str:
        return f"{self.get_channel_display()}：{self.subject_name or self.content[:20]}"


class RewardStatus(models.TextChoices):
    NONE = "none", "未申请"
    APPLIED = "applied", "已申请"
    VERIFIED = "verified", "查证属实待奖励"
    PAID = "paid", "已发放"
    REJECTED = "rejected", "不予奖励"


class Reporter(models.Model):
    """Who made a public report: shown to office staff only, each showing logged."""

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="reporter")
    anonymous = models.BooleanField("匿名", default=True)
    name = models.CharField("举报人姓名", max_length=32, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    reward_status = models.CharField("奖励状态", max_length=16, choices=RewardStatus.choices, default=RewardStatus.NONE)
    reward_amount = models.DecimalField("奖励金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "举报人"

    def masked(self) -> dict[str, str]:
        from fundwatch.web.masking import mask_id, mask_name, mask_phone

        if self.anonymous:
            return {"name": "匿名", "phone": "—", "id_number": "—"}
        return {"name": mask_name(self.name), "phone": mask_phone(self.phone), "id_number": mask_id(self.id_number)}

    def revealed(self) -> dict[str, str]:
        missing = "（未留）"
        return {"name": self.name or missing, "phone": self.phone or missing, "id_number": self.id_number or missing}
