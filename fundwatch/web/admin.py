"""Django admin: user, unit and region management for the admin role; the audit log read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from fundwatch.web.models import AuditLog, Region, Unit, User


@admin.register(User)
class FundwatchUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "full_name", "role", "unit", "region", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("职责与辖区", {"fields": ("role", "unit", "region", "full_name", "phone")}))


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "level")
    search_fields = ("code", "name")
    list_filter = ("level",)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "actor", "action", "model", "object_repr")
    list_filter = ("action", "model")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
