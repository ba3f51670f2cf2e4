"""Template filters: money in 万元 with two decimals, grade colours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def wan(value: Any) -> str:
    """元 → 万元 with two decimals and thousands separators (001 注5: 所有数字均保留小数点后2位)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) / Decimal(10000):,.2f}"


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "") if mapping else ""
