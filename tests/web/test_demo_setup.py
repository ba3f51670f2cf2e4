"""`fundwatch demo-setup` end to end on a small county: generate, ingest, screen, store, open leads, accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from fundwatch.web.demo_setup import run_demo_setup
from fundwatch.web.models import AuditLog, Lead, Link, Signal, Subject, TransactionImport, User, Watch
from fundwatch.web.services.scoring import scoring_ruleset


def test_demo_setup_twice_is_the_same_as_once(db: Any, tmp_path: Path) -> None:
    # given a small demo county run through the whole chain
    counts, accounts = run_demo_setup("menghai", 300, 7, tmp_path / "demo", "demo-pass-123")
    assert counts["subjects"] == 300 == Subject.objects.count() - counts["new_registrations"]
    # then every subject the screening graded red or orange has an open lead from it, assigned to a department and
    # a place
    lowest = dict(scoring_ruleset().scoring.grades)
    ruled = Subject.objects.filter(rules_score__gte=lowest["orange"])
    screened = Lead.objects.filter(source="screening", title__startswith="大数据筛查")
    assert ruled.exists() and counts["leads"] == screened.count()
    assert {lead.subject_id for lead in screened} == set(ruled.values_list("pk", flat=True))
    # and a subject the bank statement's warnings raised to red or orange has a lead from the bank-funds channel
    raised = Subject.objects.filter(grade__in=["red", "orange"]).exclude(pk__in=ruled)
    assert raised.exists() and all(s.leads.filter(source="bank_funds").exists() for s in raised)
    assert not Lead.objects.filter(department__isnull=True).exists()
    assert Signal.objects.filter(channel="screening", source_table__startswith="screening:").count() == (
        Subject.objects.filter(rules_score__gte=lowest["yellow"]).count())
    assert accounts == ["office", "finance", "market", "township", "grid", "auditor", "admin"]
    assert User.objects.get(username="finance").unit.name == "县金融办"
    assert User.objects.get(username="market").unit.name == "县市场监督管理局"
    # and the ledger is mid-campaign: leads in rectification, two overdue, one to report upward
    assert Lead.objects.filter(status="rectifying").count() == 5 and Lead.objects.overdue().count() == 2
    assert Lead.objects.filter(needs_upward_report=True).count() == 1
    # and the linker brought back the outfit of the closed lead: its lead is reopened as 死灰复燃
    assert counts["new_registrations"] == 2 and counts["reopened"] == 1
    reopened = Lead.objects.get(status="reopened")
    comeback = Watch.objects.get(kind="reappearance", matched_key=reopened.subject.key, subject__name__contains="汇通")
    assert comeback.signal.lead == reopened and Link.objects.filter(subject=comeback.subject, same=True).exists()
    # and the company behind a front person is put on the lead of the outfit it belongs to
    fronted = Watch.objects.get(subject__name="勐海县云岭佳和农业开发有限公司", kind="lead_match")
    assert fronted.signal.lead.status == "rectifying" and "疑似挂名" in fronted.reasons
    # and the bank statement raised warnings as signals, one subject's funds dimension among the others
    assert counts["fund_warnings"] >= 5 and counts["fund_signals"] == counts["fund_warnings"]
    assert Subject.objects.filter(dimensions__has_key="funds").exists()
    per_run = AuditLog.objects.filter(action="import").count()
    once = (Signal.objects.count(), Lead.objects.count(), Link.objects.count())
    # when it runs again
    again, _ = run_demo_setup("menghai", 300, 7, tmp_path / "demo", "demo-pass-123")
    # then nothing is added
    assert (again["leads"], again["signals"], again["watch_signals"], again["fund_signals"], again["engine_leads"],
            again["reopened"]) == (0, 0, 0, 0, 0, 0)
    assert (Signal.objects.count(), Lead.objects.count(), Link.objects.count()) == once
    assert Lead.objects.filter(status="rectifying").count() == 5
    # and every import is logged again, but the bank statement already taken in is not imported twice
    assert AuditLog.objects.filter(action="import").count() == 2 * per_run - 1
    assert TransactionImport.objects.count() == 1


def test_demo_setup_command_reports_a_bad_profile(db: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from fundwatch.cli import cli

    monkeypatch.setenv("FUNDWATCH_DEMO_PASSWORD", "demo-pass-123")
    result = CliRunner().invoke(cli, ["demo-setup", "--profile", "nowhere", "--subjects", "50"])
    assert result.exit_code == 2, result.output
    assert "nowhere" in result.output and "Traceback" not in result.output
