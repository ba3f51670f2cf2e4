"""funds.yaml: the packaged file loads, and a bad one names the file, the entry and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fundwatch.funds import TYPOLOGIES, FundsConfigError, load_funds_config
from fundwatch.funds.config import PARAMETERS, default_path


def test_packaged_file_configures_every_typology() -> None:
    config = load_funds_config()
    assert set(config.typologies) == set(TYPOLOGIES)
    for name, typology in config.typologies.items():
        assert set(typology.params) == set(PARAMETERS[name])
        assert typology.score.at_threshold <= typology.score.at_full <= 100
    assert "投资" in config.memo_words and "银行" in config.financial_words


def _broken(tmp_path: Path, change: str) -> Path:
    data = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    if change == "missing typology":
        del data["typologies"]["pass_through"]
    elif change == "out of range":
        data["typologies"]["public_deposits"]["min_share"] = 1.5
    elif change == "not a number":
        data["typologies"]["round_repeat"]["unit"] = "一千"
    elif change == "unknown parameter":
        data["typologies"]["memo_words"]["min_words"] = 3
    elif change == "empty word list":
        data["memo"]["words"] = []
    elif change == "score upside down":
        data["typologies"]["lead_links"]["score"]["at_full"] = 10
    path = tmp_path / "funds.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "entry", "problem"), [
    ("missing typology", "typologies", "缺少：pass_through"),
    ("out of range", "typologies.public_deposits.min_share", "应在 0 到 1 之间，实为 1.5"),
    ("not a number", "typologies.round_repeat.unit", "应为数字"),
    ("unknown parameter", "typologies.memo_words", "未知的参数：min_words"),
    ("empty word list", "memo.words", "非空的词语列表"),
    ("score upside down", "typologies.lead_links.score.at_full", "应在 50.0 到 100 之间"),
])
def test_a_bad_file_names_file_entry_and_problem(tmp_path: Path, change: str, entry: str, problem: str) -> None:
    path = _broken(tmp_path, change)
    with pytest.raises(FundsConfigError) as caught:
        load_funds_config(path)
    message = str(caught.value)
    assert str(path) in message and f"“{entry}”" in message and problem in message


def test_an_unreadable_file_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "funds.yaml"
    path.write_text("typologies: [unclosed", encoding="utf-8")
    with pytest.raises(FundsConfigError, match="无法读取"):
        load_funds_config(path)
