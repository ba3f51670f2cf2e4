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
    """A registered rule: its function; its id is the function's name."""

    func: Callable[[Context], pl.DataFrame]

    @property
    def id(self) -> str:
        return self.func.__name__

    @property
    def explanation(self) -> str:
        """The first sentence of the docstring, up to and including the first 。"""
        doc = (self.func.__doc__ or "").strip()
        return doc[: doc.index("。") + 1] if "。" in doc else doc.splitlines()[0] if doc else ""


RULES: tuple[Rule, ...] = tuple(
    Rule(f)
    for f in (
        name_sensitive_word,
        scope_sensitive_word,
        key_sector,
        guise_words,
        promise_words,
        promise_rate,
        target_groups,
        recruitment_methods,
        complaint_count,
        complaint_people,
        complaint_amount,
        distress_words,
        negative_news,
        judicial_record,
        rebranded_name,
        frequent_changes,
        abnormal_listing,
        out_of_area,
        capital_anomaly,
        new_finance_company,
        closed_but_advertising,
    )
)

__all__ = ["RULES", "RULE_HIT_SCHEMA", "Rule"]
