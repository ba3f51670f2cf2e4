"""The one scope rule behind every `visible_to(user)`: region subtree, sectors, own reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from fundwatch.web.models.accounts import User


def scope_q(user: User, *, region: str, sector: str | None, department: str | None, reporter: str | None) -> Q | None:
    """The filter of what `user` may see, given the lookups of a model's region, sector, department
    and reporting user; None when the user may see nothing at all.

    Everyone sees only their region's subtree. A member department sees, within it, the key sectors
    it leads on (职责分工) and what was assigned to it; a grid worker sees only what they reported.
    """
    from fundwatch.web.models.accounts import Role

    if not user.is_authenticated or not user.is_active or user.region is None or not user.role:
        return None
    in_region = Q(**{f"{region}__code__startswith": user.region.prefix})
    if user.role == Role.GRID:
        return in_region & Q(**{reporter: user}) if reporter else None
    if user.role == Role.DEPARTMENT:
        mine = Q(pk__in=[])
        if sector:
            mine |= Q(**{f"{sector}__in": user.sectors})
        if department and user.unit_id:
            mine |= Q(**{department: user.unit_id})
        return in_region & mine
    return in_region
