"""Report layouts as data: the tables' titles, header groups, columns, units, starred totals,
value vocabularies, footers and notes live in YAML under fundwatch/lexicons/data/reports/.

A locality edits those files, not this code. Every file is checked when it is loaded and a
problem is reported with the file, the entry and what is wrong (`LayoutError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LAYOUT_DIR = Path(__file__).resolve().parent.parent / "lexicons" / "data" / "reports"

# seq: 序号; label: a row label (overview sections); text: free text; word: a value from a vocabulary;
# money: 元 in the frame, written in 万元; number: a count.
COLUMN_KINDS = ("seq", "label", "text", "word", "money", "number")
NUMERIC_KINDS = ("money", "number")


class LayoutError(ValueError):
    """A layout file that cannot be used: names the file, the entry and the problem."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file, self.entry, self.problem = file, entry, problem
        super().__init__(f"报表版式文件 {file} 的 {entry}：{problem}")


class Reader:
    """Typed access to one YAML mapping, raising `LayoutError` with the entry's path."""

    def __init__(self, file: str, data: Any, path: str = "") -> None:
        self.file, self.path = file, path
        if not isinstance(data, dict):
            raise LayoutError(file, path or "文件", "应为键值映射（mapping）")
        self.data: dict[str, Any] = data

    def entry(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, problem: str) -> LayoutError:
        return LayoutError(self.file, self.entry(key), problem)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "缺少此项")
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.fail(key, f"应为文字，实为 {type(value).__name__}")
        return str(value)

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if self.data.get(key) is not None else None

    def number(self, key: str, default: float | None = None) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"应为数字，实为 {value!r}")
        return float(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"应为 true 或 false，实为 {value!r}")
        return value

    def texts(self, key: str, default: list[str] | None = None) -> tuple[str, ...]:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "缺少此项")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "应为文字列表")
        return tuple(value)

    def child(self, key: str) -> Reader:
        if key not in self.data:
            raise self.fail(key, "缺少此项")
        return Reader(self.file, self.data[key], self.entry(key))

    def children(self, key: str) -> list[Reader]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(key, "应为非空列表")
        return [Reader(self.file, item, f"{self.entry(key)}[{i}]") for i, item in enumerate(value)]

    def mapping(self, key: str) -> dict[str, str]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "应为键值映射")
        return {str(k).lower() if isinstance(k, bool) else str(k): str(v) for k, v in value.items()}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str
    group: str | None = None
    width: float = 12.0
    total: bool = False  # a starred (＊) column: summed on the 合计 row
    vocabulary: str | None = None
    merge_repeats: bool = False  # equal consecutive values are merged downwards (row labels)
    unit: str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class TableLayout:
    """One annexed table: what the office prints and sends upward."""

    id: str
    file: str
    title: str
    source: str
    unit_line: str
    columns: tuple[Column, ...]
    total_label: str | None  # None: the table has no 合计 row
    total_label_columns: int
    footer: tuple[str, ...]
    notes: tuple[str, ...]
    number_format: str
    landscape: bool = True  # A4 landscape; a narrow table may print portrait
    vocabularies: dict[str, dict[str, str]] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def group_spans(self) -> list[tuple[str | None, int, int]]:
        """(group or None, first column, last column) in the document's order."""
        spans: list[tuple[str | None, int, int]] = []
        for i, col in enumerate(self.columns):
            if spans and col.group is not None and spans[-1][0] == col.group:
                spans[-1] = (col.group, spans[-1][1], i)
            else:
                spans.append((col.group, i, i))
        return spans

    def word(self, vocabulary: str, code: str) -> str:
        return self.vocabularies[vocabulary][code]


def _column(r: Reader, vocabularies: dict[str, dict[str, str]]) -> Column:
    kind = r.text("kind")
    if kind not in COLUMN_KINDS:
        raise r.fail("kind", f"未知列类型 {kind!r}，可选：{'、'.join(COLUMN_KINDS)}")
    col = Column(
        key=r.text("key"), header=r.text("header"), kind=kind, group=r.optional_text("group"),
        width=r.number("width", 12), total=r.flag("total"), vocabulary=r.optional_text("vocabulary"),
        merge_repeats=r.flag("merge_repeats"), unit=r.optional_text("unit"),
    )
    if col.width <= 0:
        raise r.fail("width", "列宽应大于 0")
    if col.total and not col.numeric:
        raise r.fail("total", f"只有数字列（money、number）可以标注合计，{col.header} 是 {kind}")
    if kind == "word" and col.vocabulary is None:
        raise r.fail("vocabulary", "word 列须指明取值词表")
    if col.vocabulary is not None and col.vocabulary not in vocabularies:
        raise r.fail("vocabulary", f"词表 {col.vocabulary!r} 未在 vocabularies 中定义")
    return col


def _check_columns(r: Reader, columns: list[Column]) -> None:
    seen: set[str] = set()
    closed: set[str] = set()
    previous: str | None = None
    for i, col in enumerate(columns):
        if col.key in seen:
            raise LayoutError(r.file, f"columns[{i}].key", f"列标识 {col.key!r} 重复")
        seen.add(col.key)
        if col.group != previous and previous is not None:
            closed.add(previous)
        if col.group in closed:
            raise LayoutError(r.file, f"columns[{i}].group", f"表头分组 {col.group!r} 的列不相邻，无法合并单元格")
        previous = col.group


def _total_row(r: Reader, columns: list[Column]) -> tuple[str | None, int]:
    """The 合计 row's label and how many columns it spans; (None, 1) for a table without one."""
    if r.data.get("total") is None:
        if any(c.total for c in columns):
            raise r.fail("total", "有标注合计的列，却没有合计行")
        return None, 1
    total = r.child("total")
    label_columns = int(total.number("label_columns", 1))
    if not 1 <= label_columns <= len(columns) or any(c.total for c in columns[:label_columns]):
        raise total.fail("label_columns", "合计标签所占列数须在 1 与列数之间，且不能盖住标注合计的列")
    return total.text("label", "合计"), label_columns


def table_layout(file: str, data: Any) -> TableLayout:
    """Check and build a table layout from the parsed YAML of `file`."""
    r = Reader(file, data)
    vocab_reader = r.data.get("vocabularies", {})
    if not isinstance(vocab_reader, dict):
        raise r.fail("vocabularies", "应为键值映射")
    vocabularies = {
        name: Reader(file, {"v": v}, f"vocabularies.{name}").mapping("v") for name, v in vocab_reader.items()
    }
    columns = [_column(c, vocabularies) for c in r.children("columns")]
    _check_columns(r, columns)
    label, label_columns = _total_row(r, columns)
    return TableLayout(
        id=r.text("id"), file=file, title=r.text("title"), source=r.text("source"), unit_line=r.text("unit_line", ""),
        columns=tuple(columns), total_label=label, total_label_columns=label_columns,
        footer=r.texts("footer"), notes=r.texts("notes", []), number_format=r.text("number_format", "0.00"),
        landscape=r.flag("landscape", True),
        vocabularies=vocabularies, templates=r.mapping("templates"), raw=r.data,
    )


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LayoutError(path.name, "文件", f"找不到 {path}") from None
    except yaml.YAMLError as exc:
        raise LayoutError(path.name, "文件", f"不是合法的 YAML：{exc}") from None


@cache
def load_table(name: str, directory: Path = LAYOUT_DIR) -> TableLayout:
    """The table layout `name` (file `<name>.yaml` in `directory`)."""
    path = directory / f"{name}.yaml"
    layout = table_layout(path.name, read_yaml(path))
    if layout.id != name:
        raise LayoutError(path.name, "id", f"应与文件名一致（{name}），实为 {layout.id!r}")
    return layout


@cache
def load_document(name: str, directory: Path = LAYOUT_DIR) -> Reader:
    """The raw checked mapping of a document layout (monthly report, notices); its module builds it."""
    path = directory / f"{name}.yaml"
    return Reader(path.name, read_yaml(path))
