"""A subject's stored score folds its fund-flow dimension into its rules' score the way `fundwatch screen --funds`
does, always from the rules' score (never compounding), across bank-statement imports and re-screenings.

The expected values are computed here from scoring.yaml itself, in decimal arithmetic, not through the platform's
or the screening's code."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from django.urls import reverse

from fundwatch.demo.transactions import generate_transactions, write_transactions
from fundwatch.frames import DIMENSIONS, REGISTRY_SCHEMA, SCORES_SCHEMA
from fundwatch.lexicons import DATA_DIR
from fundwatch.screening.engine import SCREEN_HITS_SCHEMA
from fundwatch.web.models import AuditLog, FundsWarning, Lead, Signal, Subject
from fundwatch.web.provisioning import Importer
from fundwatch.web.rules import rules

from .conftest import SECTOR, make_user

SCORING = yaml.safe_load((DATA_DIR / "scoring.yaml").read_text(encoding="utf-8"))
WEIGHT = Decimal(str(SCORING["external_weights"]["funds"]))
CUTS = sorted(SCORING["grades"].items(), key=lambda kv: -kv[1])
# The firms of the statement, with the rules' scores a screening gave them: blue, yellow, green, yellow.
RULES = {"91532822MA6K2000X1": 35.0, "91532822MA6K2001X1": 45.0, "91532822MA6K2002X1": 12.3,
         "91532822MA6K2003X1": 50.0}


def expected_score(rules_score: float, dim: float) -> float:
    """score' = 100 * (1 - (1 - score/100) * (1 - w * D/100)), rounded half up to one decimal."""
    s, d = Decimal(str(rules_score)), Decimal(str(dim))
    raw = 100 * (1 - (1 - s / 100) * (1 - WEIGHT * d / 100))
    return float(raw.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def expected_grade(score: float) -> str:
    return next((name for name, low in CUTS if score >= low), "green")


def screening(rules_scores: dict[str, float]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Registry, scores and hits of a screening that gave each firm its rules' score."""
    registry = pl.DataFrame([{
        "line": n + 2, "subject_key": key, "uscc": key, "name": f"勐海县测试{n}号商贸有限公司",
        "business_scope": "茶叶销售", "registered_capital": Decimal("1000000.00"), "paid_in_capital": None,
        "capital_currency": "CNY", "established": dt.date(2020, 3, 1), "legal_rep": "岩温",
        "address": "勐海县勐海镇曼贺路 8 号", "operating_address": None, "status": "存续", "industry_code": "5126",
        "entity_type": "有限责任公司", "phone": "0691-5123456", "region_code": "532822",
        "township_code": "532822100",
    } for n, key in enumerate(rules_scores)], schema=REGISTRY_SCHEMA)
    scores = pl.DataFrame([{
        "subject_key": key, "name": f"勐海县测试{n}号商贸有限公司", "score": score,
        "grade": expected_grade(score), **{f"dim_{d}": 10.0 for d in DIMENSIONS}, "sector": SECTOR,
        "department": "县金融办", "region_code": "532822", "township_code": "532822100",
        "evidence": "经营范围含“投资”", "ruleset_version": "test-1",
    } for n, (key, score) in enumerate(rules_scores.items())], schema=SCORES_SCHEMA)
    return registry, scores, pl.DataFrame(schema=SCREEN_HITS_SCHEMA)


def screen(world: Any, rules_scores: dict[str, float], batch: str = "t1") -> None:
    registry, scores, hits = screening(rules_scores)
    Importer(world.county, batch=batch).run(registry, scores, hits, {})


def statement(tmp_path: Path, seed: int) -> dict[str, Path]:
    """A bank statement (and accounts file) where the screened firms hold the planted accounts."""
    holders = pl.DataFrame({"subject_key": list(RULES), "name": [f"勐海县测试{n}号商贸有限公司" for n in range(4)],
                            "label": [1] * len(RULES)})
    return write_transactions(generate_transactions(20_000, seed, risky=8, subjects=holders), tmp_path / str(seed))


def bank_import(paths: dict[str, Path], user: Any) -> Any:
    from fundwatch.web.services.funds import import_transactions

    return import_transactions(paths["transactions"], user, accounts=paths["accounts"])


def stored() -> dict[str, Subject]:
    return Subject.objects.in_bulk(list(RULES), field_name="key")


def assert_folded(rules_scores: dict[str, float]) -> dict[str, Subject]:
    """Every firm's score and grade are the formula's over its rules' score and its funds dimension."""
    subjects = stored()
    for key, rules_score in rules_scores.items():
        subject = subjects[key]
        assert subject.rules_score == rules_score
        dim = subject.dimensions.get("funds", 0.0)
        assert subject.score == expected_score(rules_score, dim), (key, rules_score, dim)
        assert subject.grade == expected_grade(subject.score)
    return subjects


@pytest.fixture
def office(world: Any) -> Any:
    return make_user("office", "office", world.county, world.office_unit)


def test_a_bank_statement_folds_the_funds_dimension_into_score_and_grade(world: Any, office: Any,
                                                                         tmp_path: Path) -> None:
    # given four firms screened at known rules' scores
    screen(world, RULES)
    before = stored()
    assert {k: (s.score, s.rules_score) for k, s in before.items()} == {k: (v, v) for k, v in RULES.items()}
    # when a bank statement gives them warnings
    batch = bank_import(statement(tmp_path, 11), office)
    # then each one's score is the command line's formula over its rules' score and its funds dimension
    subjects = assert_folded(RULES)
    raised = [s for s in subjects.values() if s.dimensions.get("funds", 0.0) > 0]
    assert len(raised) == len(RULES) and all(s.score > RULES[s.key] for s in raised)
    # and the same as the screening's own add_dimension gives
    from fundwatch.screening import add_dimension
    from fundwatch.web.services.scoring import scoring_ruleset

    frame = pl.DataFrame({"subject_key": list(RULES), "score": list(RULES.values()), "grade": [""] * len(RULES),
                          "evidence": [""] * len(RULES), "dim_words": [0.0] * len(RULES)})
    dims = pl.DataFrame({"subject_key": list(RULES), "dim_funds": [subjects[k].dimensions["funds"] for k in RULES]})
    cli = add_dimension(frame, dims, "funds", scoring_ruleset())
    assert dict(cli.select("subject_key", "score").iter_rows()) == {k: subjects[k].score for k in RULES}
    assert dict(cli.select("subject_key", "grade").iter_rows()) == {k: subjects[k].grade for k in RULES}
    # and every change is in the audit log, before and after, and counted in the import's entry
    for key, subject in subjects.items():
        entry = AuditLog.objects.get(model="Subject", object_id=str(subject.pk), action="edit")
        assert entry.before == {"score": RULES[key], "grade": before[key].grade}
        assert entry.after["score"] == subject.score and entry.after["grade"] == subject.grade
        assert entry.after["rules_score"] == RULES[key] and entry.after["dimensions"] == {
            "funds": subject.dimensions["funds"]}
        assert entry.actor == "office"
    assert batch.counts["rescored"] == len(RULES)
    assert AuditLog.objects.get(model="TransactionImport").after["rescored"] == len(RULES)


def test_a_firm_the_funds_raise_to_an_auto_open_grade_gets_a_lead(world: Any, office: Any, tmp_path: Path) -> None:
    # given firms screened below the auto-open grades
    screen(world, RULES)
    assert not Lead.objects.filter(subject__key__in=RULES).exists()
    # when a statement's warnings raise some of them to an auto-open grade
    batch = bank_import(statement(tmp_path, 11), office)
    limits = rules()
    subjects = stored()
    risen = [s for s in subjects.values() if s.grade in limits.auto_open_grades]
    weak = [s for s in risen if not FundsWarning.objects.filter(subject=s, score__gte=limits.funds_lead_score).exists()
            and not FundsWarning.objects.filter(subject=s, typology__in=limits.funds_lead_typologies).exists()]
    assert weak, "a firm with only weak warnings rises to an auto-open grade"
    # then each has an open lead from the bank-funds channel, as a screening that graded it so high would open,
    # carrying its new grade and score, with the statement's signals on it
    for subject in risen:
        lead = subject.open_lead()
        assert lead is not None and lead.subject == subject and lead.source == "bank_funds"
        assert lead.grade == subject.grade and lead.score == subject.score and lead.department == world.finance
        assert lead.title.startswith(f"资金异动计入后{subject.get_grade_display()}预警（风险指数 {subject.score:.1f}）")
        assert set(Signal.objects.filter(subject=subject, channel="bank_funds").values_list("lead", flat=True)) == {
            lead.pk}
    # and firms still below the auto-open grades get none
    for subject in subjects.values():
        if subject.grade not in limits.auto_open_grades:
            assert subject.open_lead() is None
    assert batch.counts["leads_opened"] == len(risen)


def test_importing_again_does_not_compound(world: Any, office: Any, tmp_path: Path) -> None:
    # given firms screened and given a funds dimension by one statement
    screen(world, RULES)
    first = statement(tmp_path, 11)
    bank_import(first, office)
    once = {k: (s.score, s.grade) for k, s in assert_folded(RULES).items()}
    edits = AuditLog.objects.filter(model="Subject").count()
    # when the same statement is imported again
    again = bank_import(first, office)
    # then nothing moves: the score is folded from the rules' score, not from the score already folded
    assert {k: (s.score, s.grade) for k, s in assert_folded(RULES).items()} == once
    assert again.counts["rescored"] == 0 and AuditLog.objects.filter(model="Subject").count() == edits
    # when another statement adds warnings to some of them
    dims = {k: s.dimensions["funds"] for k, s in stored().items()}
    bank_import(statement(tmp_path, 12), office)
    # then their dimension grows and their score is the formula over the rules' score and the new dimension
    subjects = assert_folded(RULES)
    grown = [k for k, s in subjects.items() if s.dimensions["funds"] > dims[k]]
    assert grown
    for key in grown:
        compounded = expected_score(once[key][0], subjects[key].dimensions["funds"])
        assert subjects[key].score < compounded


def test_a_new_screening_keeps_the_funds_dimension_folded_in(world: Any, office: Any, tmp_path: Path) -> None:
    # given firms screened and given a funds dimension
    screen(world, RULES)
    bank_import(statement(tmp_path, 11), office)
    dims = {k: s.dimensions["funds"] for k, s in stored().items()}
    folded = {k: s.score for k, s in stored().items()}
    # when the same screening is imported again
    screen(world, RULES)
    # then the funds dimension stays, folded in once
    assert {k: s.score for k, s in assert_folded(RULES).items()} == folded
    assert {k: s.dimensions["funds"] for k, s in stored().items()} == dims
    # when a new screening gives the firms other rules' scores
    rescreened = {key: score + 10.0 for key, score in RULES.items()}
    screen(world, rescreened, batch="t2")
    # then the dimension is folded into the new rules' scores
    subjects = assert_folded(rescreened)
    assert all(subjects[k].score != folded[k] for k in RULES)
    # and the screening's own signals follow its own grade, not the one bank statements raised
    for key, subject in subjects.items():
        signal = Signal.objects.filter(subject=subject, source_table="screening:t2").first()
        assert (signal is not None) == (expected_grade(rescreened[key]) in {"red", "orange", "yellow"})
        if signal is not None:
            assert signal.content.startswith(f"风险指数 {rescreened[key]:.1f}")


def test_a_screening_with_an_external_dimension_already_folded_in_is_refused(world: Any) -> None:
    registry, scores, hits = screening(RULES)
    with pytest.raises(ValueError, match="dim_funds"):
        Importer(world.county, batch="t1").run(registry, scores.with_columns(dim_funds=pl.lit(50.0)), hits, {})
    assert not Subject.objects.filter(key__in=RULES).exists()


def test_the_subject_page_shows_the_rules_score_beside_the_composite(world: Any, office: Any, tmp_path: Path,
                                                                     as_user: Any) -> None:
    screen(world, RULES)
    bank_import(statement(tmp_path, 11), office)
    subject = stored()["91532822MA6K2000X1"]
    client = as_user(office)
    page = client.get(reverse("subject_detail", kwargs={"pk": subject.pk})).content.decode()
    assert f"规则得分 {RULES[subject.key]:.1f}，含资金异动后 {subject.score:.1f}" in page
    # and a subject without fund-flow warnings shows its score alone
    plain = client.get(reverse("subject_detail", kwargs={"pk": world.subject.pk})).content.decode()
    assert "规则得分" not in plain and "88.5" in plain


MIGRATION = importlib.import_module("fundwatch.web.migrations.0004_subject_rules_score")


def test_the_migration_gives_old_rows_their_score_as_rules_score(world: Any) -> None:
    from django.apps import apps

    # given rows stored before rules scores were kept apart: a screened one and one never screened
    never = Subject.objects.create(key="91532822MA6K2999X1", name="未筛查主体", region=world.town)
    Subject.objects.filter(pk=world.subject.pk).update(rules_score=None)
    # when the migration's data step runs
    MIGRATION.copy_rules_scores(apps, None)
    # then the screened row's score is its rules' score, and the other stays without
    assert Subject.objects.get(pk=world.subject.pk).rules_score == 88.5
    assert Subject.objects.get(pk=never.pk).rules_score is None
    # and the migration runs it
    steps = [op for op in MIGRATION.Migration.operations if hasattr(op, "code")]
    assert [op.code for op in steps] == [MIGRATION.copy_rules_scores]


@pytest.mark.django_db(transaction=True)
def test_migrating_a_database_of_old_rows(world: Any) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # given the database as it was before 0004, with a screened row
    executor = MigrationExecutor(connection)
    executor.migrate([("web", "0003_linking_and_funds")])
    old = executor.loader.project_state([("web", "0003_linking_and_funds")]).apps.get_model("web", "Subject")
    assert old.objects.get(key=world.subject.key).score == 88.5
    # when it migrates
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    # then the row's rules score is its score
    assert Subject.objects.get(key=world.subject.key).rules_score == 88.5
