"""Checked reading of the raw YAML: every problem names the file, the entry and what is wrong.

The YAML files are edited by hand in a county office; a typo must stop the load
with a message a person can act on, never surface later as a wrong score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn


class LexiconError(ValueError):
    """A lexicon or profile file that cannot be used, with the file, the entry and the problem."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        super().__init__(f"词库文件 {file} 的 {entry}：{problem}")
        self.file = file
        self.entry = entry
        self.problem = problem


def checked_number(value: object, low: float, high: float, fail: Callable[[str], Exception]) -> float:
    """`value` as a number from `low` to `high`; otherwise `fail(problem)` is raised (a settings file's own
    error, naming the file and the entry)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail("应为数字")
    if not low <= value <= high:
        raise fail(f"应在 {low} 到 {high} 之间，实为 {value}")
    return float(value)


def checked_words(value: object, fail: Callable[[str], Exception]) -> tuple[str, ...]:
    """`value` as a non-empty list of words, each trimmed; otherwise `fail(problem)` is raised."""
    if not isinstance(value, list) or not value:
        raise fail("应为非空的词语列表")
    for word in value:
        if not isinstance(word, str) or not word.strip():
            raise fail(f"含有非文字或空白的词语：{word!r}")
    return tuple(word.strip() for word in value)


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "…"


@dataclass(frozen=True)
class At:
    """A place in a file: `file` and a readable path to the entry (整个文件 › words 第3项“理财”)."""

    file: str
    entry: str = "整个文件"

    def fail(self, problem: str) -> NoReturn:
        raise LexiconError(self.file, self.entry, problem)

    def at(self, label: str) -> At:
        return At(self.file, label if self.entry == "整个文件" else f"{self.entry} › {label}")

    def mapping(self, value: object, required: Sequence[str], optional: Sequence[str] = ()) -> Mapping[str, object]:
        """`value` as a mapping with all `required` keys and no keys outside required + optional."""
        if not isinstance(value, Mapping):
            self.fail(f"应为键值表（key: value），实为“{_shown(value)}”")
        # a misspelt key is both unknown and leaves a required one missing: name the misspelling
        unknown = [k for k in value if k not in required and k not in optional]
        if unknown:
            allowed = "、".join([*required, *optional])
            self.fail(f"未知字段“{_shown(unknown[0])}”（可用字段：{allowed}）")
        missing = [k for k in required if k not in value]
        if missing:
            self.fail(f"缺少必填项“{missing[0]}”")
        return value

    def items(self, value: object, *, allow_empty: bool = False) -> list[object]:
        if not isinstance(value, list):
            self.fail(f"应为列表（- …），实为“{_shown(value)}”")
        if not value and not allow_empty:
            self.fail("列表不能为空")
        return value

    def text(self, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f"应为非空文字，实为“{_shown(value)}”")
        return value.strip()

    def texts(self, value: object, *, allow_empty: bool = False) -> tuple[str, ...]:
        return tuple(self.at(f"第{i}项").text(v) for i, v in enumerate(self.items(value, allow_empty=allow_empty), 1))

    def number(self, value: object, low: float = 0.0, high: float = 100.0) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            self.fail(f"应为 {low:g} 到 {high:g} 之间的数，实为“{_shown(value)}”")
        return float(value)

    def integer(self, value: object, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"应为 {low} 到 {high} 之间的整数，实为“{_shown(value)}”")
        return value

    def unique(self, values: Sequence[str], what: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                self.fail(f"{what}“{value}”重复")
            seen.add(value)
