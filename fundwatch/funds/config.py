"""The fund-flow settings (fundwatch/lexicons/data/funds.yaml), checked at load.

Every word list and every typology threshold lives in that file; a problem
names the file, the entry and what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fundwatch.funds.schema import TYPOLOGIES
from fundwatch.lexicons.checks import checked_number, checked_words

INF = float("inf")

# typology -> parameter -> (lowest, highest) allowed value
PARAMETERS: dict[str, dict[str, tuple[float, float]]] = {
    "public_deposits": {"min_amount": (0, INF), "min_payers": (2, INF), "max_median": (1, INF), "min_share": (0, 1)},
    "round_repeat": {"unit": (1, INF), "min_amount": (0, INF), "min_payments": (2, INF), "min_payers": (2, INF),
                     "min_round_share": (0, 1)},
    "fixed_payouts": {"min_payouts": (2, INF), "max_spread": (0, 1), "min_rate": (0, 1), "max_rate": (0, 1),
                      "min_payees": (2, INF)},
    "payer_growth": {"min_amount": (0, INF), "factor": (1, INF), "min_steps": (1, 24), "min_first": (1, INF),
                     "min_last": (1, INF), "over_before": (0, INF)},
    "pool_to_controllers": {"top": (1, 20), "min_amount": (0, INF), "min_share": (0, 1)},
    "pass_through": {"min_in": (0, INF), "max_imbalance": (0, 1), "max_holding_days": (0, 365)},
    "memo_words": {"min_transactions": (1, INF), "min_counterparties": (1, INF)},
    "lead_links": {"min_transactions": (1, INF), "min_amount": (0, INF)},
}
assert set(PARAMETERS) == set(TYPOLOGIES)

NAME_LISTS: tuple[str, ...] = ("financial_words", "org_words", "cash_words", "cash_channels")


class FundsConfigError(ValueError):
    """The funds file is unusable; the message names the file, the entry and the problem."""


@dataclass(frozen=True, slots=True)
class ScoreScale:
    """Score `at_threshold` when the measure meets its threshold, `at_full` at `full`, log-linear between."""

    at_threshold: float
    at_full: float
    full: float


@dataclass(frozen=True, slots=True)
class Typology:
    name: str  # Chinese
    params: Mapping[str, float]
    score: ScoreScale

    def __getitem__(self, key: str) -> float:
        return self.params[key]


@dataclass(frozen=True, slots=True)
class FundsConfig:
    version: str
    financial_words: tuple[str, ...]
    org_words: tuple[str, ...]
    cash_words: tuple[str, ...]
    cash_channels: tuple[str, ...]
    memo_words: tuple[str, ...]
    memo_exclude: tuple[str, ...]
    typologies: Mapping[str, Typology]


def default_path() -> Path:
    return Path(str(resources.files("fundwatch.lexicons").joinpath("data/funds.yaml")))


def load_funds_config(path: Path | None = None) -> FundsConfig:
    """Read and check the funds file (the packaged one when `path` is None)."""
    source = path or default_path()
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise FundsConfigError(f"{source}: 无法读取：{err}") from err
    return parse_funds_config(raw, str(source))


def _fail(where: str, entry: str, problem: str) -> FundsConfigError:
    return FundsConfigError(f"{where}: 条目“{entry}”{problem}")


def _mapping(value: Any, where: str, entry: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, entry, "应为键值表")
    return value


def _number(value: Any, where: str, entry: str, low: float, high: float) -> float:
    return checked_number(value, low, high, lambda problem: _fail(where, entry, problem))


def _words(value: Any, where: str, entry: str) -> tuple[str, ...]:
    return checked_words(value, lambda problem: _fail(where, entry, problem))


def _score(value: Any, where: str, entry: str) -> ScoreScale:
    data = _mapping(value, where, entry)
    unknown = set(data) - {"at_threshold", "at_full", "full"}
    if unknown:
        raise _fail(where, entry, f"有未知的键：{'、'.join(sorted(unknown))}")
    low = _number(data.get("at_threshold"), where, f"{entry}.at_threshold", 0, 100)
    high = _number(data.get("at_full"), where, f"{entry}.at_full", low, 100)
    return ScoreScale(low, high, _number(data.get("full"), where, f"{entry}.full", 0, INF))


def _typology(key: str, value: Any, where: str) -> Typology:
    entry = f"typologies.{key}"
    data = _mapping(value, where, entry)
    expected = PARAMETERS[key]
    unknown = set(data) - set(expected) - {"name", "score"}
    if unknown:
        raise _fail(where, entry, f"有未知的参数：{'、'.join(sorted(unknown))}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(where, f"{entry}.name", "应为中文名称")
    params = {p: _number(data.get(p), where, f"{entry}.{p}", low, high) for p, (low, high) in expected.items()}
    return Typology(name.strip(), params, _score(data.get("score"), where, f"{entry}.score"))


def parse_funds_config(raw: Any, where: str) -> FundsConfig:
    """Check a parsed funds file; `where` names it in every error."""
    data = _mapping(raw, where, "(文件)")
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise _fail(where, "version", "应为版本字符串")
    names = _mapping(data.get("names"), where, "names")
    memo = _mapping(data.get("memo"), where, "memo")
    typologies = _mapping(data.get("typologies"), where, "typologies")
    missing = [t for t in TYPOLOGIES if t not in typologies]
    if missing:
        raise _fail(where, "typologies", f"缺少：{'、'.join(missing)}")
    unknown = [t for t in typologies if t not in PARAMETERS]
    if unknown:
        raise _fail(where, "typologies", f"有未知的类型：{'、'.join(map(str, unknown))}")
    lists = {n: _words(names.get(n), where, f"names.{n}") for n in NAME_LISTS}
    return FundsConfig(
        version=version,
        financial_words=lists["financial_words"],
        org_words=lists["org_words"],
        cash_words=lists["cash_words"],
        cash_channels=lists["cash_channels"],
        memo_words=_words(memo.get("words"), where, "memo.words"),
        memo_exclude=_words(memo.get("exclude"), where, "memo.exclude"),
        typologies={t: _typology(t, typologies[t], where) for t in TYPOLOGIES},
    )
