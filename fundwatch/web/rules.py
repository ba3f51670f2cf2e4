"""The platform's thresholds, from data/rules.yaml, checked at load."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from fundwatch.funds.schema import TYPOLOGIES
from fundwatch.web.workflow import State

RULES_FILE = Path(__file__).with_name("data") / "rules.yaml"
GRADES = ("red", "orange", "yellow", "blue", "green")
# The linker's watch kinds (fundwatch.linking.frames.WATCH_SCHEMA).
WATCH_KINDS = ("reappearance", "blacklist_match", "blacklist_related", "lead_match", "frequent_changes", "out_of_area")


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
    funds_lead_score: float
    funds_lead_typologies: tuple[str, ...]
    blacklist_lead_states: tuple[str, ...]
    watches_open_lead: tuple[str, ...]


def _number(data: dict[str, Any], path: str, file: Path) -> int:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise RulesError(f"{file}: 缺少条目 {path}")
        node = node[part]
    if not isinstance(node, int) or isinstance(node, bool) or node < 0:
        raise RulesError(f"{file}: 条目 {path} 应为非负整数，实为 {node!r}")
    return node


def _choices(data: dict[str, Any], path: str, allowed: tuple[str, ...], file: Path) -> tuple[str, ...]:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, list) or any(v not in allowed for v in node):
        raise RulesError(f"{file}: 条目 {path} 应为 {', '.join(allowed)} 中的若干项，实为 {node!r}")
    return tuple(node)


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
        funds_lead_score=_score(data, "funds_opens_lead.score", file),
        funds_lead_typologies=_choices(data, "funds_opens_lead.typologies", TYPOLOGIES, file),
        blacklist_lead_states=_choices(data, "linking.blacklist_lead_states", tuple(State.values), file),
        watches_open_lead=_choices(data, "linking.watches_open_lead", WATCH_KINDS, file),
    )


def _score(data: dict[str, Any], path: str, file: Path) -> float:
    value = _number(data, path, file)
    if value > 100:
        raise RulesError(f"{file}: 条目 {path} 应在 0 到 100 之间，实为 {value}")
    return float(value)


@cache
def rules() -> Rules:
    return parse_rules(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")), RULES_FILE)
