"""Small table files written the way offices write them, for the import tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from fundwatch.domain.uscc import make_uscc


def csv_text(rows: Sequence[Sequence[object]], *, delimiter: str = ",", newline: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def write_csv(path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8", **options: str) -> Path:
    path.write_bytes(csv_text(rows, **options).encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, sheet: str = "Sheet1",
               first_sheet: str | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = first_sheet or sheet
    target = book.active if first_sheet is None else book.create_sheet(sheet)
    for row in rows:
        target.append(list(row))
    book.save(path)
    return path


def uscc(n: int, region: str = "532822") -> str:
    """The n-th valid USCC of a region (distinct for distinct n)."""
    return make_uscc("91", region, f"MA{n:06d}")
