"""Write a built table to XLSX as an office prints it: title merged across, the unit line, header
groups merged over their columns, borders, widths, two-decimal number formats, the 合计 row as
SUM formulas carrying their values (so Excel and WPS recalculate after an edit and readers that
do not calculate still see the figure), the 填报人/电话/date footer, the notes, a frozen header
and an A4 landscape page that repeats the header rows and fits the width.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from fundwatch.reports.tables import BuiltTable, Cell, lines_needed

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
LINE_HEIGHT = 14.25  # points per wrapped line of 11-point text
A4 = 9  # xlsxwriter paper code


class _Formats:
    def __init__(self, book: Any, number_format: str) -> None:
        base = {"font_name": BODY_FONT, "font_size": 11, "valign": "vcenter", "text_wrap": True, "font_charset": 134}
        grid = {**base, "border": 1}

        def fmt(**extra: Any) -> Any:
            return book.add_format(extra)

        self.title = fmt(**{**base, "font_name": TITLE_FONT, "font_size": 18, "bold": True, "align": "center"})
        self.subtitle = fmt(**{**base, "align": "left"})
        self.unit = fmt(**{**base, "align": "right"})
        self.header = fmt(**{**grid, "bold": True, "align": "center", "bg_color": "#F2F2F2"})
        self.text = fmt(**{**grid, "align": "left"})
        self.center = fmt(**{**grid, "align": "center"})
        # a row label merged down over many rows is read at the top of its block, even across a page break
        self.label = fmt(**{**grid, "align": "center", "valign": "top"})
        self.number = fmt(**{**grid, "align": "right", "num_format": number_format})
        self.seq = fmt(**{**grid, "align": "center", "num_format": "0"})
        self.total_label = fmt(**{**grid, "bold": True, "align": "center"})
        self.total_number = fmt(**{**grid, "bold": True, "align": "right", "num_format": number_format})
        self.footer = fmt(**{**base, "align": "left"})
        self.note = fmt(**{**base, "align": "left", "font_size": 10})


def write_xlsx(table: BuiltTable, path: Path) -> None:
    path.write_bytes(xlsx_bytes(table))


def xlsx_bytes(table: BuiltTable) -> bytes:
    """The workbook of `table`: one sheet named after the title."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    try:
        sheet = book.add_worksheet(table.layout.title[:31])
        formats = _Formats(book, table.layout.number_format)
        widths = [c.width for c in table.layout.columns]
        for i, width in enumerate(widths):
            sheet.set_column(i, i, width)
        header_first, body_first = _write_head(sheet, table, formats)
        end = _write_body(sheet, table, formats, body_first, widths)
        last = _write_tail(sheet, table, formats, end + 1, widths)
        sheet.freeze_panes(body_first, 0)
        _print_setup(sheet, table, header_first, body_first - 1, last)
    finally:
        book.close()
    return out.getvalue()


def _merge(sheet: Any, r1: int, c1: int, r2: int, c2: int, value: Any, fmt: Any) -> None:
    if (r1, c1) == (r2, c2):
        sheet.write(r1, c1, value, fmt)
    else:
        sheet.merge_range(r1, c1, r2, c2, value, fmt)


def _write_head(sheet: Any, table: BuiltTable, f: _Formats) -> tuple[int, int]:
    layout, n = table.layout, table.width
    _merge(sheet, 0, 0, 0, n - 1, layout.title, f.title)
    sheet.set_row(0, 36)
    split = max(1, n - 3)
    _merge(sheet, 1, 0, 1, split - 1, table.meta.subtitle(), f.subtitle)
    _merge(sheet, 1, split, 1, n - 1, table.unit_text, f.unit)
    sheet.set_row(1, 20)
    first = 2
    if not layout.has_groups:
        for i, col in enumerate(layout.columns):
            sheet.write(first, i, col.header, f.header)
        sheet.set_row(first, _header_height(table, minimum=1))
        return first, first + 1
    for group, start, stop in layout.group_spans():
        if group is None:
            for i in range(start, stop + 1):
                _merge(sheet, first, i, first + 1, i, layout.columns[i].header, f.header)
        else:
            _merge(sheet, first, start, first, stop, group, f.header)
            for i in range(start, stop + 1):
                sheet.write(first + 1, i, layout.columns[i].header, f.header)
    height = _header_height(table)
    sheet.set_row(first, 22)
    sheet.set_row(first + 1, height)
    return first, first + 2


def _header_height(table: BuiltTable, minimum: int = 2) -> float:
    lines = max(lines_needed(c.header, c.width) for c in table.layout.columns)
    return max(minimum, lines) * LINE_HEIGHT + 6


def _cell_format(table: BuiltTable, f: _Formats, r: int, c: int, value: Cell) -> Any:
    col = table.layout.columns[c]
    if table.kinds[r] == "total":
        return f.total_number if col.numeric else f.total_label
    if col.kind == "seq":
        return f.seq
    if col.numeric:
        return f.number
    if col.kind == "label":
        return f.label if col.merge_repeats else f.center
    return f.center if col.kind == "word" else f.text


def _write_body(sheet: Any, table: BuiltTable, f: _Formats, first: int, widths: list[float]) -> int:
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in table.merges():
        merged[(r1, c1)] = (r2, c2)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                merged.setdefault((r, c), (-1, -1))
    for r, row in enumerate(table.rows):
        lines = 1
        for c, value in enumerate(row):
            span = merged.get((r, c))
            if span == (-1, -1):
                continue
            fmt = _cell_format(table, f, r, c, value)
            if span is not None:
                if span[0] == r and fmt is f.label:
                    fmt = f.center  # merged across, not down: centred like any one-row label
                _merge(sheet, first + r, c, first + span[0], span[1], _plain(value), fmt)
                continue
            _write_cell(sheet, table, first, r, c, value, fmt)
            if isinstance(value, str):
                lines = max(lines, lines_needed(value, widths[c]))
        sheet.set_row(first + r, max(lines, 1) * LINE_HEIGHT + 8)
    return first + len(table.rows)


def _plain(value: Cell) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else value


def _write_cell(sheet: Any, table: BuiltTable, first: int, r: int, c: int, value: Cell, fmt: Any) -> None:
    if table.kinds[r] == "total" and table.layout.columns[c].total:
        rows = table.totals_of[r]
        ranges = _ranges([first + i for i in rows])
        cells = ",".join(
            xl_rowcol_to_cell(a, c) if a == b else f"{xl_rowcol_to_cell(a, c)}:{xl_rowcol_to_cell(b, c)}"
            for a, b in ranges
        )
        sheet.write_formula(first + r, c, f"=SUM({cells})" if cells else "=0", fmt, _plain(value))
    elif isinstance(value, Decimal | int) and not isinstance(value, bool):
        sheet.write_number(first + r, c, float(value), fmt)
    else:
        sheet.write_string(first + r, c, "" if value is None else str(value), fmt)


def _ranges(rows: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for row in rows:
        if spans and spans[-1][1] == row - 1:
            spans[-1] = (spans[-1][0], row)
        else:
            spans.append((row, row))
    return spans


def _write_tail(sheet: Any, table: BuiltTable, f: _Formats, row: int, widths: list[float]) -> int:
    n = table.width
    total_width = sum(widths)
    for line in table.summary:
        _merge(sheet, row, 0, row, n - 1, line, f.footer)
        sheet.set_row(row, lines_needed(line, total_width) * LINE_HEIGHT + 6)
        row += 1
    values = table.meta.footer_values()
    parts = [p.format(**values) for p in table.layout.footer]
    bounds = [round(i * n / len(parts)) for i in range(len(parts) + 1)]
    for part, start, stop in zip(parts, bounds, bounds[1:], strict=False):
        _merge(sheet, row, start, row, max(start, stop - 1), part, f.footer)
    sheet.set_row(row, 24)
    row += 1
    for note in table.layout.notes:
        _merge(sheet, row, 0, row, n - 1, note, f.note)
        sheet.set_row(row, lines_needed(note, total_width) * 13 + 4)
        row += 1
    return row - 1


def _print_setup(sheet: Any, table: BuiltTable, header_first: int, header_last: int, last: int) -> None:
    if table.layout.landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_first, header_last)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    sheet.print_area(0, 0, last, table.width - 1)
