"""Frames out to the files people open: CSV (GBK for Excel/WPS, or UTF-8), Parquet, XLSX.

`write_frame` picks the format by suffix. CSV written as "gbk" is encoded as
GB18030, which is byte-identical to GBK for every GBK character and can still
write the rare ones GBK lacks instead of failing. XLSX gets the given Chinese
headers, a bold frozen header row and column widths fitted to the content.
"""

from __future__ import annotations

import codecs
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import polars.selectors as cs

__all__ = ["REJECTS_HEADERS_ZH", "SEVERITY_ZH", "XLSX_MAX_ROWS", "write_frame", "write_rejects"]

XLSX_MAX_ROWS = 1_048_575  # a sheet's rows less the header
REJECTS_HEADERS_ZH: dict[str, str] = {
    "table": "表", "line": "行号", "column": "列", "value": "值", "reason": "原因", "severity": "处理",
}
SEVERITY_ZH: dict[str, str] = {"reject": "未导入", "warning": "已导入，该值置空"}
_COPY_CHUNK = 1 << 22
_WIDTH_SAMPLE = 2_000
_MAX_WIDTH = 60


def write_rejects(
    rejects: pl.DataFrame, path: str | Path, *, encoding: str = "utf-8-sig", chinese: bool = True
) -> None:
    """The rejects and warnings of an import (REJECTS_SCHEMA, maybe with `table`) as CSV or XLSX by suffix."""
    frame = rejects
    if chinese and "severity" in frame.columns:
        frame = frame.with_columns(pl.col("severity").replace(SEVERITY_ZH))
    write_frame(frame, path, headers=REJECTS_HEADERS_ZH if chinese else None, encoding=encoding, sheet="导入问题")


def write_frame(
    frame: pl.DataFrame,
    path: str | Path,
    *,
    headers: Mapping[str, str] | None = None,
    encoding: str = "utf-8-sig",
    sheet: str = "Sheet1",
) -> None:
    """`frame` to .csv, .parquet or .xlsx by the suffix of `path`; `headers` renames columns (e.g. to Chinese)."""
    path = Path(path)
    suffix = path.suffix.lower()
    named = frame.rename({k: v for k, v in (headers or {}).items() if k in frame.columns})
    if suffix == ".parquet":
        frame.write_parquet(path)  # machines read Parquet: keep the canonical column names
    elif suffix == ".csv":
        _write_csv(named, path, encoding)
    elif suffix == ".xlsx":
        _write_xlsx(named, path, sheet)
    else:
        raise ValueError(f"不支持的输出格式“{path.suffix or path.name}”，请用 .csv、.parquet 或 .xlsx")


def _write_csv(frame: pl.DataFrame, path: Path, encoding: str) -> None:
    name = codecs.lookup(encoding).name
    if name in ("utf-8", "utf-8-sig"):
        frame.write_csv(path, include_bom=name == "utf-8-sig")
        return
    target = "gb18030" if name in ("gbk", "gb2312", "cp936") else encoding
    with tempfile.TemporaryDirectory(prefix="fundwatch-") as scratch:
        utf8 = Path(scratch) / "utf8.csv"
        frame.write_csv(utf8)
        with utf8.open("r", encoding="utf-8", newline="") as source, path.open("wb") as sink:
            while chunk := source.read(_COPY_CHUNK):
                sink.write(chunk.encode(target, errors="replace"))


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _column_widths(frame: pl.DataFrame) -> dict[str | cs.Selector, tuple[str, ...] | int]:
    """Pixels per column, from the header and the first rows' text."""
    sample = frame.head(_WIDTH_SAMPLE)
    widths: dict[str | cs.Selector, tuple[str, ...] | int] = {}
    for column in frame.columns:
        values = sample.get_column(column).cast(pl.String).drop_nulls().to_list()
        chars = max([display_width(column), *(display_width(v) for v in values)]) + 2
        widths[column] = min(chars, _MAX_WIDTH) * 7 + 5
    return widths


def _write_xlsx(frame: pl.DataFrame, path: Path, sheet: str) -> None:
    if frame.height > XLSX_MAX_ROWS:
        limit = f"XLSX 一个工作表最多 {XLSX_MAX_ROWS:,} 行"
        raise ValueError(f"{limit}，此表有 {frame.height:,} 行，请改用 .csv 或 .parquet")
    frame.write_excel(
        path,
        worksheet=sheet,
        column_widths=_column_widths(frame),
        freeze_panes=(1, 0),
        autofit=False,
        header_format={"bold": True},
        float_precision=2,
    )
