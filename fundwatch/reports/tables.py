"""A table ready to write: the layout, its body rows in display values, totals and merges.

Display values are what the office reads: words from the layout's vocabularies, money in 万元
rounded to two decimals (half up, as offices round), counts as decimals. The 合计 row sums the
rounded cells, so the printed column adds up to the printed total.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from fundwatch.reports.layouts import TableLayout

Cell = str | Decimal | int | None
CENT = Decimal("0.01")
WAN = Decimal(10_000)


def to_wan(amount: Decimal | int | float | None) -> Decimal:
    """元 → 万元 with two decimals; a missing amount counts as zero."""
    if amount is None:
        return Decimal("0.00")
    return (Decimal(str(amount)) / WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def two_decimals(value: Decimal | int | float | None) -> Decimal:
    return Decimal("0.00") if value is None else Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


BLANK_DATE = "\u3000" * 4 + "年" + "\u3000" * 2 + "月" + "\u3000" * 2 + "日"  # room to write a date by hand


def display_width(text: str) -> int:
    """Width in Excel column units: a Chinese character takes two, a Latin one one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """How many lines `text` wraps to in a cell `width` units wide (explicit newlines count)."""
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def zh_month(period: str) -> str:
    """`2018-05` → `2018年5月`."""
    year, month = period.split("-")
    return f"{int(year)}年{int(month)}月"


@dataclass(frozen=True)
class Meta:
    """Who fills the table in, for which jurisdiction and period."""

    jurisdiction: str = ""  # 填报单位
    period: str = ""  # YYYY-MM, or empty
    reporter: str = ""
    phone: str = ""
    filled_on: date | None = None

    def footer_values(self) -> dict[str, str]:
        blank = "\u3000" * 4
        return {
            "reporter": self.reporter or blank,
            "phone": self.phone or blank,
            "date": zh_date(self.filled_on) if self.filled_on else BLANK_DATE,
        }

    def subtitle(self) -> str:
        parts = []
        if self.jurisdiction:
            parts.append(f"填报单位：{self.jurisdiction}")
        if self.period:
            parts.append(f"统计期间：{zh_month(self.period)}")
        return "\u3000\u3000".join(parts)


@dataclass
class BuiltTable:
    layout: TableLayout
    meta: Meta
    rows: list[list[Cell]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # "data" | "total" per row
    summary: tuple[str, ...] = ()  # lines under the table, above the footer
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # merges a builder asks for
    totals_of: dict[int, list[int]] = field(default_factory=dict)  # total row -> the data rows it sums
    unit_line: str | None = None  # the layout's unit line with its placeholders filled, when it has some

    @property
    def unit_text(self) -> str:
        return self.layout.unit_line if self.unit_line is None else self.unit_line

    @property
    def width(self) -> int:
        return len(self.layout.columns)

    def add(self, row: Sequence[Cell], kind: str = "data") -> None:
        if len(row) != self.width:
            raise ValueError(f"{self.layout.id}: 行有 {len(row)} 格，版式有 {self.width} 列")
        self.rows.append(list(row))
        self.kinds.append(kind)

    def add_total(self, data_rows: Iterable[int], label: str | None = None) -> None:
        """A 合计 row over `data_rows` (indices into `rows`): starred columns summed, the rest empty."""
        picked = list(data_rows)
        row: list[Cell] = [None] * self.width
        row[0] = label or self.layout.total_label or "合计"
        for i, col in enumerate(self.layout.columns):
            if col.total:
                row[i] = sum((self._number(r, i) for r in picked), Decimal("0.00"))
        self.add(row, "total")
        self.totals_of[len(self.rows) - 1] = picked

    def _number(self, r: int, i: int) -> Decimal:
        value = self.rows[r][i]
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            return Decimal(0)
        return Decimal(value)

    def data_indices(self) -> list[int]:
        return [i for i, k in enumerate(self.kinds) if k == "data"]

    def merges(self) -> list[tuple[int, int, int, int]]:
        """(first row, first col, last row, last col) in body coordinates: total labels and repeated row labels."""
        spans = list(self.spans)
        label_end = self.layout.total_label_columns - 1
        for r, kind in enumerate(self.kinds):
            if kind == "total" and label_end > 0:
                spans.append((r, 0, r, label_end))
        for c, col in enumerate(self.layout.columns):
            if col.merge_repeats:
                spans.extend(self._repeat_spans(c))
        return spans

    def _label_columns(self, c: int) -> list[int]:
        """The merged label columns left of `c`: a label merges only within its parent label's span."""
        return [p for p in range(c) if self.layout.columns[p].merge_repeats]

    def _repeat_spans(self, c: int) -> list[tuple[int, int, int, int]]:
        spans = []
        start = 0
        for r in range(1, len(self.rows) + 1):
            same = (
                r < len(self.rows) and self.kinds[r] == "data" and self.kinds[start] == "data"
                and self.rows[r][c] == self.rows[start][c] and self.rows[r][c] not in (None, "")
                and all(self.rows[r][p] == self.rows[start][p] for p in self._label_columns(c))
            )
            if not same:
                if r - 1 > start:
                    spans.append((start, c, r - 1, c))
                start = r
        return spans
