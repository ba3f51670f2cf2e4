"""`fundwatch demo-data` writes the same files as the API and fails cleanly on an unusable folder."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fundwatch.cli import cli
from fundwatch.demo import generate_county, write_county
from fundwatch.demo.export import FILES


def test_demo_data_writes_the_county(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo-data", str(tmp_path / "out"), "--subjects", "600", "--seed", "4"])
    assert result.exit_code == 0, result.output
    assert "植入风险主体" in result.output and "truth.csv" in result.output
    write_county(generate_county(600, 4), tmp_path / "api")
    for name in FILES:
        assert (tmp_path / "out" / f"{name}.csv").read_bytes() == (tmp_path / "api" / f"{name}.csv").read_bytes()
    assert "真值表" in (tmp_path / "out" / "README.txt").read_text(encoding="utf-8")


def test_an_unwritable_folder_is_one_chinese_message_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(cli, ["demo-data", str(tmp_path / "file" / "out"), "--subjects", "50"])
    assert result.exit_code == 2
    assert "错误：无法写入目录" in result.output
    assert "Traceback" not in result.output


def test_every_option_has_help() -> None:
    result = CliRunner().invoke(cli, ["demo-data", "--help"])
    assert result.exit_code == 0
    for option in ("--subjects", "--seed", "--encoding"):
        assert option in result.output
