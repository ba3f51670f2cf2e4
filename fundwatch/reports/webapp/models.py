"""Records only reports need. Every list goes through the platform's one scope rule (`scope_q`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from fundwatch.reports.campaigns import Campaign as CampaignDefinition
from fundwatch.reports.campaigns import load_campaign
from fundwatch.web.models.scope import scope_q


def _in_scope(qs: models.QuerySet[Any], user: Any, region: str) -> models.QuerySet[Any]:
    q = scope_q(user, region=region, sector=None, department=None, reporter=None)
    return qs.none() if q is None else qs.filter(q)


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def visible_to(self, user: Any) -> CampaignQuerySet:
        return _in_scope(self, user, "region")


class Campaign(models.Model):
    """A campaign (专项活动) run in a jurisdiction; its phases and obligations are data (campaign_<key>.yaml)."""

    key = models.CharField("活动方案", max_length=64, help_text="报表版式目录中的 campaign_*.yaml 文件名")
    name = models.CharField("活动名称", max_length=200)
    region = models.ForeignKey("web.Region", on_delete=models.PROTECT, verbose_name="辖区")

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "专项活动"
        constraints = (models.UniqueConstraint(fields=["key", "region"], name="campaign_once_per_region"),)

    def __str__(self) -> str:
        return self.name

    def definition(self) -> CampaignDefinition:
        return load_campaign(self.key)


class Kind(models.TextChoices):
    PLAN = "plan", "实施方案"
    BULLETIN = "bulletin", "工作动态信息"
    SUMMARY = "summary", "总结报告"


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def visible_to(self, user: Any) -> SubmissionQuerySet:
        return _in_scope(self, user, "campaign__region")


class Submission(models.Model):
    """What a unit sent to the office in a campaign (方案、工作动态、总结报告)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="submissions", verbose_name="专项活动"
    )
    unit = models.ForeignKey("web.Unit", on_delete=models.PROTECT, verbose_name="报送单位")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    submitted_on = models.DateField("报送日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "报送记录"
        ordering = ("-submitted_on", "-id")

    def __str__(self) -> str:
        return f"{self.unit}：{self.title}"


class AreaScreeningQuerySet(models.QuerySet["AreaScreening"]):
    def visible_to(self, user: Any) -> AreaScreeningQuerySet:
        return _in_scope(self, user, "region")


class AreaScreening(models.Model):
    """A village (社区、村) screened and, when nothing was found, declared free of illegal fundraising."""

    region = models.OneToOneField("web.Region", on_delete=models.PROTECT, verbose_name="村（社区）")
    screened_on = models.DateField("排查日期", null=True, blank=True)
    declared_free = models.BooleanField("申报无非法集资", default=False)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = AreaScreeningQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "村（社区）排查申报"

    def __str__(self) -> str:
        return str(self.region)


class BlacklistQuerySet(models.QuerySet["BlacklistEntry"]):
    def visible_to(self, user: Any) -> BlacklistQuerySet:
        return _in_scope(self, user, "region")


class BlacklistEntry(models.Model):
    """A subject on the published list of risky subjects (004 二(四)3), from `listed_on` until delisted."""

    subject = models.ForeignKey("web.Subject", null=True, blank=True, on_delete=models.PROTECT, verbose_name="主体")
    name = models.CharField("企业（主体）名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("经营地址", max_length=300, blank=True)
    legal_rep = models.CharField("法定代表人（负责人）", max_length=64, blank=True)
    reason = models.CharField("列入事由", max_length=300)
    region = models.ForeignKey("web.Region", on_delete=models.PROTECT, verbose_name="属地")
    listed_on = models.DateField("列入日期")
    delisted_on = models.DateField("移出日期", null=True, blank=True)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, verbose_name="列入人")

    objects = BlacklistQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "黑名单"
        ordering = ("listed_on", "name")

    def __str__(self) -> str:
        return self.name
