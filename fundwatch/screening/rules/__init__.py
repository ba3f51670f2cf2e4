"""The rules, registered in one list. Each is a pure function Context -> hits (RULE_HIT_SCHEMA).

A rule's docstring opens with the Chinese sentence an analyst reads beside its
evidence; it becomes the `explanation` of every hit of the rule. Dimension, cap
and points of each rule are data (scoring.yaml); the order here is the order of
the evidence clauses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from fundwatch.screening.context import Context
from fundwatch.screening.rules.changes import frequent_changes, rebranded_name
from fundwatch.screening.rules.common import RULE_HIT_SCHEMA
from fundwatch.screening.rules.records import (
    abnormal_listing,
    complaint_amount,
    complaint_count,
    complaint_people,
    judicial_record,
    negative_news,
)
from fundwatch.screening.rules.registry import (
    capital_anomaly,
    closed_but_advertising,
    key_sector,
    name_sensitive_word,
    new_finance_company,
    out_of_area,
    scope_sensitive_word,
)
from fundwatch.screening.rules.texts import (
    distress_words,
    guise_words,
    promise_rate,
    promise_words,
    recruitment_methods,
    target_groups,
)


@dataclass(frozen=True)
class Rule:
    """A registered rule: its function (its id is the function's name) and what it reads.

    `reads` is "registry", "side" or "both". A rule reading both is `joint` when a hit needs a subject's
    registry row and its side records together (closed_but_advertising); otherwise its hits from the
    registry and from the side tables are found apart (guise_words), so the side tables' part can be
    found once per run rather than once per registry batch (see `fundwatch.screening.engine.prepare_side`).
    """

    func: Callable[[Context], pl.DataFrame]
    reads: str
    joint: bool = False

    def __post_init__(self) -> None:
        if self.reads not in ("registry", "side", "both"):
            raise ValueError(f"rule {self.id}: reads must be registry, side or both, not {self.reads!r}")
        if self.joint and self.reads != "both":
            raise ValueError(f"rule {self.id}: only a rule that reads both can be joint")

    @property
    def id(self) -> str:
        return self.func.__name__

    @property
    def explanation(self) -> str:
        """The first sentence of the docstring, up to and including the first 。"""
        doc = (self.func.__doc__ or "").strip()
        return doc[: doc.index("。") + 1] if "。" in doc else doc.splitlines()[0] if doc else ""

    @property
    def on_side(self) -> bool:
        """Whether the rule finds hits in the side tables alone (found once per run)."""
        return self.reads in ("side", "both") and not self.joint

    @property
    def on_registry(self) -> bool:
        """Whether the rule finds hits per registry batch (in the registry alone, or jointly)."""
        return self.reads in ("registry", "both")


RULES: tuple[Rule, ...] = (
    Rule(name_sensitive_word, "registry"),
    Rule(scope_sensitive_word, "registry"),
    Rule(key_sector, "registry"),
    Rule(guise_words, "both"),
    Rule(promise_words, "side"),
    Rule(promise_rate, "side"),
    Rule(target_groups, "side"),
    Rule(recruitment_methods, "side"),
    Rule(complaint_count, "side"),
    Rule(complaint_people, "side"),
    Rule(complaint_amount, "side"),
    Rule(distress_words, "side"),
    Rule(negative_news, "side"),
    Rule(judicial_record, "side"),
    Rule(rebranded_name, "side"),
    Rule(frequent_changes, "side"),
    Rule(abnormal_listing, "side"),
    Rule(out_of_area, "registry"),
    Rule(capital_anomaly, "registry"),
    Rule(new_finance_company, "registry"),
    Rule(closed_but_advertising, "both", joint=True),
)

__all__ = ["RULES", "RULE_HIT_SCHEMA", "Rule"]
