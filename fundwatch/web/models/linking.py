"""Linking in the platform: the blacklist, people behind subjects, change records, links, reviews, watches.

Links are the latest run's verdicts and are replaced by every run; reviews are
people's decisions on a pair and are kept for good (the latest one of a pair
wins), so a pair reviewed "not same" is never linked again; watches remember
which watch signals were raised, so a run raises each at most once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from fundwatch.web.masking import mask_id
from fundwatch.web.models.regions import Region
from fundwatch.web.models.scope import scope_q
from fundwatch.web.models.subjects import Signal, Subject

# How an uploaded blacklist entry is named to the linker, apart from the platform's subject keys.
ENTRY_PREFIX = "BL:"


def county_scope(user: Any) -> Q | None:
    """What county-level records (imports, runs, the blacklist) a user sees: the region subtree, never
    sectors or own reports (a department or grid worker sees none of them)."""
    return scope_q(user, region="region", sector=None, department=None, reporter=None)


class RegionScoped(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> RegionScoped:
        q = county_scope(user)
        return self.none() if q is None else self.filter(q)


class Decision(models.TextChoices):
    SAME = "same", "同一主体"
    NOT_SAME = "not_same", "不是同一主体"
    UNSURE = "unsure", "不确定"


class Listed(models.TextChoices):
    """Where the other side of a link comes from."""

    BLACKLIST = "blacklist", "黑名单"
    LEAD = "lead", "线索主体"
    REGISTRY = "registry", "登记主体"


class WatchlistEntry(models.Model):
    """An outfit on a blacklist file the office uploaded (another place's warning: 一地警示、全国受限); the
    county's own published list is fundwatch.reports' BlacklistEntry, which the linker reads as well."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="上传辖区")
    key = models.CharField("主体标识", max_length=64)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    name = models.CharField("名称", max_length=200)
    legal_rep = models.CharField("法定代表人", max_length=64, blank=True)
    address = models.CharField("住所", max_length=300, blank=True)
    operating_address = models.CharField("经营地址", max_length=300, blank=True)
    phone = models.CharField("电话", max_length=64, blank=True)
    region_code = models.CharField("登记地区划代码", max_length=6, blank=True)
    status = models.CharField("登记状态", max_length=64, blank=True)
    source = models.CharField("来源文件", max_length=200)
    line = models.IntegerField("行号", null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    objects = RegionScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "上传黑名单主体"
        ordering = ("name",)
        constraints = (models.UniqueConstraint(fields=("region", "key"), name="blacklist_unique_key"),)

    def __str__(self) -> str:
        return self.name

    @property
    def link_key(self) -> str:
        return ENTRY_PREFIX + self.key


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: Any) -> PersonQuerySet:
        return self.filter(
            Q(subject__in=Subject.objects.visible_to(user)) | Q(entry__in=WatchlistEntry.objects.visible_to(user))
        )


class Person(models.Model):
    """Who stands behind a subject or a blacklist entry: legal rep, controller, shareholder, officer."""

    subject = models.ForeignKey(Subject, null=True, blank=True, on_delete=models.CASCADE, related_name="people")
    entry = models.ForeignKey(WatchlistEntry, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="people")
    name = models.CharField("姓名", max_length=64, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    role = models.CharField("职务", max_length=32, blank=True)
    phone = models.CharField("电话", max_length=32, blank=True)
    source = models.CharField("来源文件", max_length=200)
    line = models.IntegerField("行号", null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering = ("role", "name", "id")

    def __str__(self) -> str:
        return f"{self.role or '人员'} {self.name}"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


class ChangeRecordQuerySet(models.QuerySet["ChangeRecord"]):
    def visible_to(self, user: Any) -> ChangeRecordQuerySet:
        return self.filter(subject__in=Subject.objects.visible_to(user))


class ChangeRecord(models.Model):
    """One change of registration (变更记录): what changed, when, before and after."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="changes")
    date = models.DateField("变更日期", null=True, blank=True)
    item = models.CharField("变更事项", max_length=200)
    before = models.TextField("变更前", blank=True)
    after = models.TextField("变更后", blank=True)
    source = models.CharField("来源", max_length=64)
    line = models.IntegerField("行号", null=True, blank=True)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "变更记录"
        ordering = ("-date", "-id")


class LinkRun(models.Model):
    """One run of the linker over a county's subjects, the blacklist and the subjects in leads."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="辖区")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="操作人")
    at = models.DateTimeField("时间", auto_now_add=True)
    counts = models.JSONField("结果", default=dict)
    config_version = models.CharField("规则版本", max_length=32, blank=True)

    objects = RegionScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "关联比对"
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"关联比对 {self.pk}"


class LinkQuerySet(models.QuerySet["Link"]):
    def visible_to(self, user: Any) -> LinkQuerySet:
        return self.filter(subject__in=Subject.objects.visible_to(user))

    def touching(self, subject: Subject) -> LinkQuerySet:
        return self.filter(Q(subject=subject) | Q(other=subject))


class Link(models.Model):
    """A link of the latest run: `subject` is the same outfit as, or a related party of, the other side
    (a platform subject or a blacklist entry), with the score and the reasons."""

    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="links")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="links", verbose_name="主体")
    other = models.ForeignKey(Subject, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                              verbose_name="关联主体")
    entry = models.ForeignKey(WatchlistEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                              verbose_name="黑名单主体")
    other_key = models.CharField("关联主体标识", max_length=80)
    other_name = models.CharField("关联主体名称", max_length=200, blank=True)
    listed = models.CharField("关联主体来源", max_length=16, choices=Listed.choices)
    score = models.FloatField("关联分值")
    same = models.BooleanField("疑为同一主体")
    kind = models.CharField("主要依据", max_length=32)
    kinds = models.CharField("依据种类", max_length=200)
    reasons = models.TextField("关联理由")
    review = models.CharField("人工复核", max_length=16, choices=Decision.choices, blank=True)
    cluster = models.CharField("关联群组", max_length=80, db_index=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "关联"
        ordering = ("-score", "id")

    def __str__(self) -> str:
        return f"{self.subject} ↔ {self.other_name or self.other_key}"

    def facing(self, subject: Subject) -> dict[str, Any]:
        """The link seen from `subject`: the other party (subject or blacklist entry) and its name."""
        if self.subject_id == subject.pk:
            return {"party": self.other, "entry": self.entry, "name": self.other_name or self.other_key}
        return {"party": self.subject, "entry": None, "name": self.subject.name}


class MatchReview(models.Model):
    """A person's decision on a pair: kept for good; later runs honour the latest one of each pair."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="辖区")
    subject_key = models.CharField("主体标识", max_length=80, db_index=True)
    matched_key = models.CharField("关联主体标识", max_length=80, db_index=True)
    decision = models.CharField("复核结论", max_length=16, choices=Decision.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="复核人")
    at = models.DateTimeField("复核时间", auto_now_add=True)

    objects = RegionScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "关联复核"
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.subject_key} / {self.matched_key}：{self.get_decision_display()}"


class WatchKind(models.TextChoices):
    REAPPEARANCE = "reappearance", "黑名单主体死灰复燃"
    BLACKLIST_MATCH = "blacklist_match", "疑似黑名单主体"
    BLACKLIST_RELATED = "blacklist_related", "与黑名单主体关联"
    LEAD_MATCH = "lead_match", "疑似已有线索主体"
    FREQUENT_CHANGES = "frequent_changes", "频繁变更"
    OUT_OF_AREA = "out_of_area", "异地注册本地经营"


class Watch(models.Model):
    """A watch signal raised once: per subject and matched party (or per kind when there is none)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="watches")
    key = models.CharField("去重键", max_length=80)
    kind = models.CharField("预警类型", max_length=24, choices=WatchKind.choices)
    matched_key = models.CharField("匹配主体标识", max_length=80, blank=True)
    score = models.FloatField("预警分值")
    reasons = models.TextField("预警理由")
    signal = models.ForeignKey(Signal, null=True, on_delete=models.SET_NULL, related_name="+")
    first_run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField("最近一次比对", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "关联预警"
        constraints = (models.UniqueConstraint(fields=("subject", "key"), name="watch_unique_key"),)
