"""A locality changes what screening finds and who leads by editing YAML only."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from fundwatch.lexicons import DATA_DIR, load_ruleset
from fundwatch.lexicons.loader import FILES, PROFILES
from fundwatch.screening import SideTables, screen

from .factory import registry


def _copy(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    shutil.copytree(DATA_DIR / PROFILES, tmp_path / PROFILES)
    return tmp_path


def _edit(path: Path, change: Any) -> None:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_new_word_in_the_yaml_is_found(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    rows = registry({"name": "勐海县茶币数字科技有限公司"})
    before = screen(rows, SideTables(), load_ruleset(directory=data))
    _edit(data / "sensitive.yaml", lambda c: c["words"].append({"word": "茶币", "points": {"name": 30, "scope": 20}}))
    after = screen(rows, SideTables(), load_ruleset(directory=data))
    assert before.hits.filter(pl.col("rule") == "name_sensitive_word").is_empty()
    assert after.hits.filter(pl.col("rule") == "name_sensitive_word").get_column("matched").to_list() == ["茶币"]
    assert before.ruleset_version != after.ruleset_version


def test_moving_a_sector_to_another_department_is_an_edit_of_the_profile(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    rows = registry({"name": "勐海县云游旅行社有限公司", "business_scope": "旅行社服务"})

    def move(content: Any) -> None:
        rows_ = [r for r in content["assignments"] if "tourism" not in r["sectors"]]
        next(r for r in rows_ if r["department"] == "县商务局")["sectors"].append("tourism")
        content["assignments"] = rows_

    before = screen(rows, SideTables(), load_ruleset(directory=data)).scores.row(0, named=True)
    _edit(data / PROFILES / "menghai.yaml", move)
    after = screen(rows, SideTables(), load_ruleset(directory=data)).scores.row(0, named=True)
    assert (before["sector"], before["department"]) == ("旅游", "县文化体育广播电视和旅游局")
    assert (after["sector"], after["department"]) == ("旅游", "县商务局")


def test_the_profile_decides_which_sectors_are_key() -> None:
    # 批发和零售 is a key sector in Xiamen's table (001), not in Menghai's (000)
    rows = registry({"industry_code": "5127", "business_scope": "茶叶批发"})
    menghai = screen(rows, SideTables(), load_ruleset("menghai")).scores.row(0, named=True)
    xiamen = screen(rows, SideTables(), load_ruleset("xiamen")).scores.row(0, named=True)
    assert menghai["sector"] is None
    assert (xiamen["sector"], xiamen["department"]) == ("批发和零售", "市市场监督管理局")
