"""Text as offices type it: full-width characters, stray spaces, placeholder values.

Registry exports mix full-width digits and punctuation (`３００万`, `（元）`) with
ASCII; everything that parses numbers, dates or codes folds them first.
"""

from __future__ import annotations

import polars as pl

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
FULL_WIDTH: tuple[str, ...] = (*(chr(c) for c in range(0xFF01, 0xFF5F)), "\u3000")
HALF_WIDTH: tuple[str, ...] = (*(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)), " ")

# Values people type into a cell to mean "nothing here"; they are empty, not unreadable.
PLACEHOLDERS: tuple[str, ...] = (
    "-", "--", "—", "——", "/", "无", "暂无", "空", "不详", "未知", "null", "none", "nan", "n/a", "na",
)


def fold_width(raw: str) -> str:
    """Full-width ASCII forms and the ideographic space folded to ASCII."""
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else " " if c == "\u3000" else c for c in raw)


def fold_width_expr(col: pl.Expr) -> pl.Expr:
    """Vectorised `fold_width`."""
    return col.str.replace_many(list(FULL_WIDTH), list(HALF_WIDTH))


def blank_expr(col: pl.Expr) -> pl.Expr:
    """True where a raw cell is empty, only spaces, or a placeholder such as `无` or `-`."""
    stripped = col.str.strip_chars()
    return col.is_null() | (stripped == "") | stripped.str.to_lowercase().is_in(list(PLACEHOLDERS))


def clean_string_expr(col: pl.Expr) -> pl.Expr:
    """Surrounding whitespace removed; an empty cell becomes null (placeholders are kept as typed)."""
    stripped = col.str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)
