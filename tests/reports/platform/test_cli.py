"""`fundwatch report ...` against the platform's database."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from fundwatch.commands.report import COMMANDS, report_group

from .conftest import PERIOD


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(report_group, list(args))


def test_the_group_is_exposed() -> None:
    assert [c.name for c in COMMANDS] == ["report"]
    assert set(report_group.commands) >= {"key-leads", "overview", "county-free", "duties", "monthly", "campaign",
                                          "blacklist", "notice", "warning"}
    for command in report_group.commands.values():
        assert command.help
        assert all(p.help for p in command.params if hasattr(p, "help") and not getattr(p, "hidden", False))


def test_key_leads_to_xlsx(ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "k.xlsx"
    result = run("key-leads", "--period", PERIOD, "--region", "532822", "--out", str(out), "--reporter", "刘建云",
                 "--phone", "5123117", "--date", "2018-07-25")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet["A1"].value == "重点风险线索统计表"
    assert sheet["B5"].value == "勐海聚财投资咨询有限公司"
    assert "2018年7月25日" in [c.value for row in sheet.iter_rows() for c in row]


def test_every_report_from_the_command_line(ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for command, suffix in (("overview", "csv"), ("county-free", "xlsx"), ("duties", "xlsx"), ("monthly", "docx"),
                            ("monthly", "pdf"), ("campaign", "xlsx"), ("blacklist", "xlsx"), ("warning", "pdf")):
        out = tmp_path / f"{command}.{suffix}"
        result = run(command, "--period", PERIOD, "--out", str(out))
        assert result.exit_code == 0, (command, result.output)
        assert out.stat().st_size > 0
    out = tmp_path / "notice.pdf"
    assert run("notice", "--subject", "勐海聚财投资咨询有限公司", "--out", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_unusable_input_is_one_message_and_exit_2(ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cases = [
        ("key-leads", "--period", "2018/07", "--out", str(tmp_path / "a.xlsx")),
        ("key-leads", "--region", "999999", "--out", str(tmp_path / "a.xlsx")),
        ("key-leads", "--out", str(tmp_path / "a.docx")),
        ("monthly", "--out", str(tmp_path / "missing" / "m.pdf")),
        ("notice", "--out", str(tmp_path / "n.pdf")),
    ]
    for args in cases:
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.output.startswith("错误：") and "Traceback" not in result.output
