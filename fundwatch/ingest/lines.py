"""Source line numbers of CSV rows when quoted fields may hold line breaks.

The line of data row k is 2 + k + the line breaks inside quoted fields of the
header and of rows before k. Finding those line breaks by searching every
parsed cell costs as much as reading the file; instead the file's bytes are
scanned once for quoted fields (memchr-fast `find`), and only the few that
contain a line break are counted. A file with very many quoted fields (every
cell quoted) falls back to counting in the parsed cells.
"""

from __future__ import annotations

import itertools
import mmap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

# Quotes visited one by one (about a microsecond each) before falling back to counting in the cells
# (about as costly as a tenth of the read): one per kilobyte of file, or QUOTE_SCAN_LIMIT if that is larger.
QUOTE_SCAN_LIMIT = 10_000
_BOM = b"\xef\xbb\xbf"


class LineNumbers:
    """Numbers the rows of the batches of one file, in order.

    The file is scanned for quoted line breaks in a thread, while Polars parses the first batch; the
    first call to `number` waits for the scan.
    """

    def __init__(self, path: Path, separator: str, headers: list[str], line_column: str) -> None:
        self._column = line_column
        self._rows = 0  # data rows numbered so far
        self._next_line = 2 + sum(h.count("\n") for h in headers)
        self._scan = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fundwatch-quotes")
        self._scanned = self._scan.submit(quoted_line_breaks, path, separator)
        self._scan.shutdown(wait=False)
        self._ready = False

    def _wait_for_scan(self) -> None:
        self._inner = self._scanned.result()
        self._ready = True
        if self._inner is None:
            return
        rows = sorted(r for r in self._inner if r >= 0)
        self._first = 2 + self._inner.get(-1, 0)
        self._break_rows = pl.Series(rows, dtype=pl.Int64)
        self._breaks_before = pl.Series(itertools.accumulate((self._inner[r] for r in rows), initial=0),
                                        dtype=pl.Int64)

    def number(self, batch: pl.DataFrame) -> pl.DataFrame:
        """`batch` (the next rows of the file) with its line numbers."""
        if not self._ready:
            self._wait_for_scan()
        if self._inner is None:
            numbered = _count_in_cells(batch, self._next_line, self._column)
            if batch.height:
                last = batch.row(batch.height - 1, named=True)
                breaks = sum(str(v).count("\n") for v in last.values() if v)
                self._next_line = int(numbered.get_column(self._column)[-1]) + 1 + breaks
        else:
            rows = pl.int_range(self._rows, self._rows + batch.height, dtype=pl.Int64, eager=True)
            before = self._breaks_before.gather(self._break_rows.search_sorted(rows, side="left"))
            numbered = batch.with_columns((self._first + rows + before).alias(self._column))
        self._rows += batch.height
        return numbered


def quoted_line_breaks(path: Path, separator: str) -> dict[int, int] | None:
    """Data row (-1 = header) → line breaks inside its quoted fields; None when there are too many quotes."""
    if path.stat().st_size == 0:
        return {}
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        spans = _multiline_quotes(data, separator.encode(), max(QUOTE_SCAN_LIMIT, len(data) // 1_000))
        return None if spans is None else _rows_of(data, spans)


def _opens_field(data: mmap.mmap, at: int, starts: tuple[int, ...]) -> bool:
    """A quote opens a quoted field only at the start of a field (else it is a literal character)."""
    return at == 0 or data[at - 1] in starts or (at == len(_BOM) and data[:at] == _BOM)


def _multiline_quotes(data: mmap.mmap, separator: bytes, limit: int) -> list[tuple[int, int]] | None:
    """(start, end) of the quoted fields that contain a line break."""
    starts = (separator[0], ord("\n"), ord("\r"))
    spans: list[tuple[int, int]] = []
    visited = 0
    at = data.find(b'"')
    while at >= 0:
        visited += 1
        if visited > limit:
            return None
        if not _opens_field(data, at, starts):
            at = data.find(b'"', at + 1)
            continue
        end = data.find(b'"', at + 1)
        while end >= 0 and data[end + 1:end + 2] == b'"':  # "" is an escaped quote inside the field
            end = data.find(b'"', end + 2)
        end = len(data) if end < 0 else end
        if data.find(b"\n", at, end) >= 0:
            spans.append((at, end))
        at = data.find(b'"', end + 1)
    return spans


def _rows_of(data: mmap.mmap, spans: list[tuple[int, int]]) -> dict[int, int]:
    """Which row each span belongs to: the line breaks before it that end records, less the header's."""
    breaks: dict[int, int] = {}
    position = total = inner = 0
    for start, end in spans:
        total += data[position:start].count(b"\n")
        inside = data[start:end].count(b"\n")
        row = total - inner - 1
        breaks[row] = breaks.get(row, 0) + inside
        total += inside
        inner += inside
        position = end
    return breaks


def _count_in_cells(batch: pl.DataFrame, first_line: int, column: str) -> pl.DataFrame:
    """Line of each row = first line + rows before it + line breaks inside the cells before it."""
    inner = pl.sum_horizontal(pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in batch.columns)
    before = (inner.cum_sum() - inner).cast(pl.Int64)
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    return batch.with_columns((pl.lit(first_line, pl.Int64) + index + before).alias(column))
