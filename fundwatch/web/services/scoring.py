"""A subject's stored score: its rules' score (`rules_score`, from the latest screening) with the dimensions from
outside the rules it has in the platform (dim_funds from bank statements; dim_model if one is stored) folded in.

The fold is the command line's, `fundwatch.screening.add_dimension` (`fundwatch screen --funds`), one dimension
after the other in scoring.yaml's `external_weights` order:

    score = 100 * (1 - (1 - rules_score / 100) * (1 - w * D / 100)),  grade by scoring.yaml's cut-offs

and always from `rules_score`, never from the previous composite, so folding again never compounds. A subject
without a rules score (never screened) keeps what it has. The screening import (`provisioning.Importer`) and the
funds import (`services.funds.refresh_dimension`) both store scores through `fold`; a subject the fold raises to
an auto-open grade gets its lead through `open_graded_leads`, the screening import's rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl
from django.conf import settings

from fundwatch.lexicons import RuleSet, load_ruleset
from fundwatch.lexicons.loader import EXTERNAL_DIMENSIONS
from fundwatch.web.models import AuditLog, Signal, Subject, open_lead_for
from fundwatch.web.rules import rules

# Dimensions a subject may hold that do not come from the screening's rules (kept across re-screenings).
EXTERNAL = EXTERNAL_DIMENSIONS


@cache
def _ruleset(profile: str) -> RuleSet:
    return load_ruleset(profile)


def scoring_ruleset() -> RuleSet:
    """The platform's rule set (FUNDWATCH_PROFILE): its scoring.yaml gives the external weights and the grades."""
    return _ruleset(settings.FUNDWATCH_PROFILE)


@dataclass(frozen=True)
class Change:
    """A subject whose stored score or grade the fold changed, with what it had before."""

    subject: Subject
    score: float | None
    grade: str


def fold(subjects: Iterable[Subject]) -> list[Change]:
    """Set each subject's `score` and `grade` (in memory; the caller saves) from its `rules_score` and its stored
    external dimensions. Returns the subjects whose score or grade changed."""
    from fundwatch.screening import add_dimension
    from fundwatch.screening.scores import grade

    ruleset = scoring_ruleset()
    scored = [s for s in subjects if s.rules_score is not None]
    if not scored:
        return []
    names = [name for name, _ in ruleset.scoring.external_weights]
    frame = pl.DataFrame({
        "subject_key": [s.key for s in scored],
        "score": [float(s.rules_score or 0.0) for s in scored],
        "evidence": [""] * len(scored),
        **{f"dim_{name}": [float(s.dimensions.get(name) or 0.0) for s in scored] for name in names},
    }, schema_overrides={"evidence": pl.String})
    # add_dimension grades what it folds; the rules' score is graded first, for a rule set without external weights
    frame = frame.with_columns(grade=grade(pl.col("score"), ruleset))
    for name in names:
        frame = add_dimension(frame, frame.select("subject_key", f"dim_{name}"), name, ruleset)
    changes = []
    for subject, score, graded in zip(scored, frame["score"].to_list(), frame["grade"].to_list(), strict=True):
        if subject.score != score or subject.grade != graded:
            changes.append(Change(subject, subject.score, subject.grade))
        subject.score, subject.grade = score, graded
    return changes


def rescore(subjects: Sequence[Subject], user: Any, basis: str, title: Callable[[Subject], str]) -> dict[str, int]:
    """After a subject's external dimensions changed: fold, save, audit each change (before and after, with the
    rules score and the dimensions behind it, and `basis` saying why), and open a lead (`title`) for each subject
    the fold raised to an auto-open grade, by the screening import's rule (source and signals: bank funds)."""
    from fundwatch.web.models import Channel, Source

    changes = fold(subjects)
    Subject.objects.bulk_update([c.subject for c in changes], ["score", "grade"])
    for change in changes:
        subject = change.subject
        AuditLog.record(user, AuditLog.Action.EDIT, subject, subject.region_id,
                        before={"score": change.score, "grade": change.grade},
                        after={"score": subject.score, "grade": subject.grade, "rules_score": subject.rules_score,
                               "dimensions": {k: v for k, v in subject.dimensions.items() if k in EXTERNAL},
                               "basis": basis})
    risen = [c.subject for c in changes if c.subject.grade != c.grade]
    opened = open_graded_leads(risen, source=Source.BANK_FUNDS, channel=Channel.BANK_FUNDS, user=user, title=title)
    return {"rescored": len(changes), "leads_opened": opened}


def open_graded_leads(subjects: Iterable[Subject], *, source: str, channel: str, user: Any,
                      title: Callable[[Subject], str]) -> int:
    """Subjects at an auto-open grade (rules.yaml) without an open lead get one, by sector (the department leading
    on it, else the office) and place; the subject's signals of `channel` not yet on a lead go onto it. Returns how
    many leads were opened."""
    from fundwatch.web.services.common import responsible_unit

    opened = 0
    for subject in subjects:
        if subject.grade not in rules().auto_open_grades or subject.open_lead() is not None:
            continue
        lead, created = open_lead_for(subject, source=source, user=user, region=subject.region,
                                      subject_name=subject.name, title=title(subject)[:200],
                                      department=responsible_unit(subject))
        Signal.objects.filter(subject=subject, channel=channel, lead__isnull=True).update(lead=lead)
        opened += created
    return opened


def composite_note(subject: Subject) -> str:
    """What the subject page says beside a composite score that differs from the rules' score, else ""."""
    if subject.rules_score is None or subject.score is None or subject.rules_score == subject.score:
        return ""
    from fundwatch.runners.sinks import DIMENSION_ZH

    folded = "、".join(DIMENSION_ZH.get(k, k) for k in EXTERNAL if subject.dimensions.get(k))
    return f"规则得分 {subject.rules_score:.1f}，含{folded or '外部维度'}后 {subject.score:.1f}"
