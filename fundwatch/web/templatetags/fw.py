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


# The linker's kinds of evidence (fundwatch.linking.rules), as the office reads them.
EVIDENCE_ZH = {"uscc": "统一社会信用代码", "person_id": "身份证号", "phone": "电话", "website": "网站",
               "address": "地址", "brand": "字号", "person_name": "同名人员", "review": "人工复核"}


@register.filter
def evidence_kinds(kinds: str) -> str:
    """`phone,person_name` → 电话、同名人员."""
    return "、".join(EVIDENCE_ZH.get(k, k) for k in kinds.split(",") if k) if kinds else "—"


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "") if mapping else ""
