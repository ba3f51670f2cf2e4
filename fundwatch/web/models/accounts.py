"""Users, their role and scope, and the permissions each role carries (declared once, here)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from fundwatch.web.models.regions import Region, Unit


class Role(models.TextChoices):
    OFFICE = "office", "打非办"
    DEPARTMENT = "department", "成员单位"
    TOWNSHIP = "township", "乡镇"
    GRID = "grid", "网格员"
    AUDITOR = "auditor", "审计"
    ADMIN = "admin", "系统管理员"


class Perm(models.TextChoices):
    VIEW_DASHBOARD = "view_dashboard", "查看统计"
    VIEW_LEADS = "view_leads", "查看线索"
    EDIT_LEADS = "edit_leads", "办理线索"
    CREATE_LEADS = "create_leads", "新建线索"
    VIEW_SUBJECTS = "view_subjects", "查看主体"
    VIEW_SIGNALS = "view_signals", "查看信号"
    TRIAGE_SIGNALS = "triage_signals", "信号立线索"
    REVEAL_IDENTITY = "reveal_identity", "查看举报人和证件号"
    GRID_REPORT = "grid_report", "网格上报"
    VIEW_AUDIT = "view_audit", "查看审计日志"
    EXPORT = "export", "导出台账"
    IMPORT_DATA = "import_data", "导入流水与黑名单、运行关联比对"
    REVIEW_MATCHES = "review_matches", "复核关联"


_READERS = {Perm.VIEW_DASHBOARD, Perm.VIEW_LEADS, Perm.VIEW_SUBJECTS, Perm.VIEW_SIGNALS, Perm.EXPORT}
ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.OFFICE: frozenset(
        _READERS | {Perm.EDIT_LEADS, Perm.CREATE_LEADS, Perm.TRIAGE_SIGNALS, Perm.REVEAL_IDENTITY, Perm.VIEW_AUDIT,
                    Perm.IMPORT_DATA, Perm.REVIEW_MATCHES}
    ),
    Role.DEPARTMENT: frozenset(_READERS | {Perm.EDIT_LEADS}),
    Role.TOWNSHIP: frozenset(_READERS | {Perm.EDIT_LEADS, Perm.GRID_REPORT}),
    Role.GRID: frozenset({Perm.VIEW_LEADS, Perm.VIEW_SIGNALS, Perm.GRID_REPORT}),
    Role.AUDITOR: frozenset(_READERS | {Perm.VIEW_AUDIT}),
    Role.ADMIN: frozenset(_READERS | {Perm.VIEW_AUDIT}),
}


class User(AbstractUser):
    role = models.CharField("角色", max_length=16, choices=Role.choices, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name="单位")
    # The root of the user's jurisdiction: the county for the office, the township for a township user.
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name="辖区")
    full_name = models.CharField("姓名", max_length=32, blank=True)
    phone = models.CharField("电话", max_length=32, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    def can(self, perm: str) -> bool:
        """True when the user's role carries `perm` (a Perm value); scope is decided separately."""
        if not self.is_active or self.region_id is None:
            return False
        return perm in ROLE_PERMS.get(self.role, frozenset())

    @property
    def sectors(self) -> list[str]:
        return list(self.unit.sectors) if self.role == Role.DEPARTMENT and self.unit else []
