"""`fundwatch demo-setup` end to end on a small county: generate, ingest, screen, store, open leads, accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from fundwatch.web.demo_setup import run_demo_setup
from fundwatch.web.models import AuditLog, Lead, Signal, Subject, User


def test_demo_setup_twice_is_the_same_as_once(db: Any, tmp_path: Path) -> None:
    # given a small demo county run through the whole chain
    counts, accounts = run_demo_setup("menghai", 300, 7, tmp_path / "demo", "demo-pass-123")
    assert counts["subjects"] == 300 == Subject.objects.count()
    # then every red and orange subject has an open lead, assigned to a department and a place
    hot = Subject.objects.filter(grade__in=["red", "orange"])
    assert hot.exists() and counts["leads"] == hot.count()
    assert {lead.subject_id for lead in Lead.objects.all()} == set(hot.values_list("pk", flat=True))
    assert not Lead.objects.filter(department__isnull=True).exists()
    assert Signal.objects.filter(channel="screening").count() == Subject.objects.filter(
        grade__in=["red", "orange", "yellow"]).count()
    assert accounts == ["office", "finance", "market", "township", "grid", "auditor", "admin"]
    assert User.objects.get(username="finance").unit.name == "县金融办"
    assert User.objects.get(username="market").unit.name == "县市场监督管理局"
    # and the ledger is mid-campaign: leads in rectification, two overdue, one to report upward
    assert Lead.objects.filter(status="rectifying").count() == 5 and Lead.objects.overdue().count() == 2
    assert Lead.objects.filter(needs_upward_report=True).count() == 1
    # when it runs again
    again, _ = run_demo_setup("menghai", 300, 7, tmp_path / "demo", "demo-pass-123")
    # then nothing is added
    assert (again["leads"], again["signals"]) == (0, 0)
    assert Lead.objects.count() == counts["leads"] and Signal.objects.count() == counts["signals"]
    assert Lead.objects.filter(status="rectifying").count() == 5
    assert AuditLog.objects.filter(action="import").count() == 2


def test_demo_setup_command_reports_a_bad_profile(db: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from fundwatch.cli import cli

    monkeypatch.setenv("FUNDWATCH_DEMO_PASSWORD", "demo-pass-123")
    result = CliRunner().invoke(cli, ["demo-setup", "--profile", "nowhere", "--subjects", "50"])
    assert result.exit_code == 2, result.output
    assert "nowhere" in result.output and "Traceback" not in result.output
