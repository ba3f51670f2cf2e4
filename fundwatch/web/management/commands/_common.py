"""What the platform's management commands share: the acting user, and problems as exit code 2."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from fundwatch.web.models import User

UNREADABLE = 2


def acting_user(username: str) -> User:
    """The office account a command acts as: it is recorded as the one who imported or ran it."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有名为“{username}”的有效用户", returncode=UNREADABLE)
    if not user.can("import_data"):
        raise CommandError(f"用户“{username}”（{user.get_role_display() or '无角色'}）无权导入或比对，请用打非办账号",
                           returncode=UNREADABLE)
    return user


def existing(path: str | None) -> Path | None:
    if path is None:
        return None
    found = Path(path)
    if not found.is_file():
        raise CommandError(f"找不到文件 {path}", returncode=UNREADABLE)
    return found
