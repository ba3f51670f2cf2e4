"""Bank transaction imports (账户资金异动): the import, the rows it could not take, and the warnings it raised."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from fundwatch.web.models.linking import RegionScoped
from fundwatch.web.models.regions import Region
from fundwatch.web.models.subjects import Signal, Subject


class TransactionImport(models.Model):
    """One bank transaction file taken in by the office, with its row accounting and results."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="辖区")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="导入人")
    at = models.DateTimeField("导入时间", auto_now_add=True)
    file_name = models.CharField("文件", max_length=200)
    accounts_name = models.CharField("账号对应表", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    read = models.IntegerField("读取行数", default=0)
    rejected = models.IntegerField("拒收行数", default=0)
    blanked = models.IntegerField("置空的值", default=0)
    accounts = models.IntegerField("扫描账户数", default=0)
    counts = models.JSONField("结果", default=dict)

    objects = RegionScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "交易流水导入"
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"流水导入 {self.pk}：{self.file_name}"

    @property
    def imported(self) -> int:
        return self.read - self.rejected


class ImportProblem(models.Model):
    """A row not imported (reject) or a value kept empty (warning), with its line and reason."""

    batch = models.ForeignKey(TransactionImport, on_delete=models.CASCADE, related_name="problems")
    table = models.CharField("表", max_length=32)
    line = models.IntegerField("行号", null=True)
    column = models.CharField("列", max_length=64, blank=True)
    value = models.CharField("值", max_length=200, blank=True)
    reason = models.CharField("原因", max_length=200)
    severity = models.CharField("处理", max_length=8, choices=(("reject", "未导入"), ("warning", "已导入，该值置空")))

    class Meta:
        verbose_name = verbose_name_plural = "导入问题"
        ordering = ("table", "line", "id")


class FundsWarningQuerySet(models.QuerySet["FundsWarning"]):
    def visible_to(self, user: Any) -> FundsWarningQuerySet:
        return self.filter(
            Q(subject__in=Subject.objects.visible_to(user))
            | Q(subject__isnull=True, batch__in=TransactionImport.objects.visible_to(user))
        )


class FundsWarning(models.Model):
    """One typology found on one account: the money, counts, time window and lines behind it."""

    batch = models.ForeignKey(TransactionImport, on_delete=models.CASCADE, related_name="warnings")
    # the importing county: the same account may be watched by two counties, each raising its own warning
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="辖区")
    subject = models.ForeignKey(Subject, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="funds_warnings", verbose_name="主体")
    account = models.CharField("账号", max_length=64)
    holder = models.CharField("户名", max_length=200, blank=True)
    typology = models.CharField("预警类型代码", max_length=32)
    typology_name = models.CharField("预警类型", max_length=64)
    score = models.FloatField("预警分值")
    amount = models.DecimalField("涉及金额（元）", max_digits=20, decimal_places=2)
    transactions = models.IntegerField("交易笔数")
    counterparties = models.IntegerField("对手方数")
    first_time = models.DateTimeField("起始时间")
    last_time = models.DateTimeField("截止时间")
    explanation = models.TextField("规则说明")
    evidence = models.TextField("预警依据")
    lines = models.JSONField("流水行号", default=list)
    signal = models.ForeignKey(Signal, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = FundsWarningQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "资金异动预警"
        ordering = ("-score", "id")
        constraints = (models.UniqueConstraint(fields=("region", "account", "typology", "first_time", "last_time"),
                                               name="funds_warning_once"),)

    def __str__(self) -> str:
        return f"{self.typology_name}：{self.holder or self.account}"
