"""Write a built table to CSV for Excel and WPS on Chinese Windows.

The bytes are GB18030: identical to GBK for every GBK character (what those programs read by
default), and still able to carry the rare characters of some names that GBK lacks.
One header row (a grouped column is prefixed with its group only when its header repeats),
the body, the 合计 rows; numbers with two decimals as the table's notes require.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

from fundwatch.reports.tables import BuiltTable, Cell

ENCODING = "gb18030"


def csv_headers(table: BuiltTable) -> list[str]:
    counts = Counter(c.header for c in table.layout.columns)
    return [
        f"{c.group}-{c.header}" if c.group and counts[c.header] > 1 else c.header for c in table.layout.columns
    ]


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def csv_text(table: BuiltTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_headers(table))
    for row in table.rows:
        writer.writerow([_text(v) for v in row])
    return out.getvalue()


def csv_bytes(table: BuiltTable) -> bytes:
    return csv_text(table).encode(ENCODING)


def write_csv(table: BuiltTable, path: Path) -> None:
    path.write_bytes(csv_bytes(table))
