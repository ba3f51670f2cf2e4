"""The platform's thresholds, from data/rules.yaml, checked at load."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).with_name("data") / "rules.yaml"
GRADES = ("red", "orange", "yellow", "blue", "green")


class RulesError(ValueError):
    pass


@dataclass(frozen=True)
class Rules:
    upward_amount: Decimal
    upward_participants: int
    auto_open_grades: tuple[str, ...]
    report_amount: Decimal
    report_participants: int
    due_soon_days: int


def _number(data: dict[str, Any], path: str, file: Path) -> int:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise RulesError(f"{file}: 缺少条目 {path}")
        node = node[part]
    if not isinstance(node, int) or isinstance(node, bool) or node < 0:
        raise RulesError(f"{file}: 条目 {path} 应为非负整数，实为 {node!r}")
    return node


def parse_rules(data: Any, file: Path) -> Rules:
    if not isinstance(data, dict):
        raise RulesError(f"{file}: 顶层应为映射")
    grades = data.get("auto_open_grades")
    if not isinstance(grades, list) or not grades or any(g not in GRADES for g in grades):
        raise RulesError(f"{file}: 条目 auto_open_grades 应为 {', '.join(GRADES)} 中的若干项，实为 {grades!r}")
    return Rules(
        upward_amount=Decimal(_number(data, "upward_report.amount_yuan", file)),
        upward_participants=_number(data, "upward_report.participants", file),
        auto_open_grades=tuple(grades),
        report_amount=Decimal(_number(data, "report_opens_lead.amount_yuan", file)),
        report_participants=_number(data, "report_opens_lead.participants", file),
        due_soon_days=_number(data, "rectification_due_soon_days", file),
    )


@cache
def rules() -> Rules:
    return parse_rules(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")), RULES_FILE)
