"""The append-only audit log: every change, and every view of a reporter's identity or an ID number."""

from __future__ import annotations

from typing import Any

from django.db import models

from fundwatch.web.models.scope import scope_q


class AuditImmutable(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet["AuditLog"]):
    def visible_to(self, user: Any) -> AuditQuerySet:
        if not user.is_authenticated or not user.can("view_audit"):
            return self.none()
        q = scope_q(user, region="region", sector=None, department=None, reporter=None)
        return self.none() if q is None else self.filter(q)

    def update(self, **kwargs: Any) -> int:
        raise AuditImmutable("审计日志不可修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutable("审计日志不可删除")


class AuditLog(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "新建"
        EDIT = "edit", "修改"
        TRANSITION = "transition", "流转"
        FOLLOW_UP = "follow_up", "跟进"
        UPLOAD = "upload", "上传附件"
        VIEW_IDENTITY = "view_identity", "查看举报人身份"
        VIEW_ID_NUMBER = "view_id_number", "查看身份证号"
        REWARD = "reward", "举报奖励"
        UPWARD_REPORT = "upward_report", "向上报告"
        IMPORT = "import", "导入"
        LINKING = "linking", "关联比对"
        REVIEW = "review", "关联复核"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # The actor is kept as plain values, not a foreign key: deleting a user must never touch the log.
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor = models.CharField("操作人", max_length=150)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    model = models.CharField("对象类型", max_length=32)
    object_id = models.CharField("对象ID", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    region = models.ForeignKey("web.Region", on_delete=models.DO_NOTHING, db_constraint=False, verbose_name="属地")
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ("-at", "-id")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutable("审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutable("审计日志不可删除")

    @classmethod
    def record(
        cls, user: Any, action: str, obj: models.Model, region_id: int,
        before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    ) -> AuditLog:
        actor = user.get_username() if user is not None and user.is_authenticated else "匿名"
        return cls.objects.create(
            actor_id=user.pk if user is not None and user.is_authenticated else None,
            actor=actor, action=action, model=type(obj).__name__, object_id=str(obj.pk),
            object_repr=str(obj)[:200], region_id=region_id, before=before, after=after,
        )
