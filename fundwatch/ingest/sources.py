"""Raw rows out of a file: CSV in any of the encodings offices use, or the first sheet of an XLSX.

Every batch is a frame of String columns named by the file's own headers,
plus `SOURCE_LINE`: the 1-based line of the row in the file (header = line 1)
or its row in the sheet. Nothing is typed here; `readers` does that.
"""

from __future__ import annotations

import codecs
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree

import polars as pl

from fundwatch.ingest.lines import LineNumbers

SOURCE_LINE = "\x00line"
SAMPLE_BYTES = 1 << 20
_COPY_CHUNK = 1 << 22
_DELIMITERS = (",", "\t", ";", "|")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class IngestError(Exception):
    """A file that cannot be read at all; the message is one Chinese sentence naming the file."""


def kind_of(path: Path) -> str:
    """'csv' or 'xlsx', decided by the file's first bytes and then its suffix."""
    if not path.exists():
        raise IngestError(f"找不到文件 {path}。")
    if not path.is_file():
        raise IngestError(f"{path} 不是文件。")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head.strip():
        raise IngestError(f"文件 {path} 是空的。")
    if head.startswith(_OLE_MAGIC):
        raise IngestError(f"文件 {path} 是旧版 Excel（.xls）格式，请另存为 .xlsx 或 CSV 后再导入。")
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise IngestError(f"文件 {path} 不是有效的 XLSX 文件（不是 zip 格式），可能已损坏或只是改了扩展名。")
    return "csv"


def raw_batches(
    path: Path, *, encoding: str | None, batch_rows: int, sheet: str | None = None
) -> Iterator[pl.DataFrame]:
    """Batches of at most `batch_rows` raw rows, every column a String, with `SOURCE_LINE`."""
    if kind_of(path) == "xlsx":
        yield from _xlsx_batches(path, batch_rows, sheet)
    else:
        yield from _csv_batches(path, encoding, batch_rows)


# ---- CSV -----------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """utf-8 (BOM or not), utf-16 (BOM), else gb18030 (a superset of GBK); charset-normalizer as a last resort."""
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
        size = path.stat().st_size
        handle.seek(max(size - SAMPLE_BYTES // 4, len(head)))
        tail = handle.read()
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise IngestError(f"文件 {path} 不是文本表格（含有二进制内容），请提供 CSV 或 XLSX 文件。")
    for candidate in ("utf-8", "gb18030"):
        if _decodes(head, candidate, final=len(tail) == 0) and _tail_decodes(tail, candidate):
            return candidate
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        raise IngestError(f"无法识别文件 {path} 的字符编码，请用 --encoding 指定（如 utf-8、gbk、gb18030）。")
    return str(best.encoding)


def _decodes(data: bytes, encoding: str, *, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)(errors="strict").decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _tail_decodes(tail: bytes, encoding: str) -> bool:
    """Whether a sample taken mid-file decodes, once it starts at a character boundary.

    UTF-8 marks continuation bytes, so they are skipped. A GB18030 trail byte
    looks like a lead byte (both may be 0x81-0xFE), so the sample starts after
    its first line break, which is never part of a character; a sample without
    one is tried from each byte a character of up to four bytes may start at.
    """
    if _is_utf8(encoding):
        return _decodes(_utf8_resync(tail), encoding, final=True)
    newline = tail.find(b"\n")
    if newline >= 0:
        return _decodes(tail[newline + 1:], encoding, final=True)
    return any(_decodes(tail[skip:], encoding, final=True) for skip in range(min(4, len(tail) + 1)))


def _utf8_resync(data: bytes) -> bytes:
    """Drop the continuation bytes a UTF-8 sample taken mid-file may start with."""
    skip = 0
    while skip < min(3, len(data)) and 0x80 <= data[skip] <= 0xBF:
        skip += 1
    return data[skip:]


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")


def _csv_batches(path: Path, encoding: str | None, batch_rows: int) -> Iterator[pl.DataFrame]:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise IngestError(f"不认识的字符编码「{encoding}」（读取 {path} 时），可用 utf-8、gbk、gb18030。") from None
    chosen = encoding or detect_encoding(path)
    if _is_utf8(chosen):
        yield from _polars_batches(path, path, batch_rows, chosen)
        return
    with tempfile.TemporaryDirectory(prefix="fundwatch-") as scratch:
        utf8 = Path(scratch) / "utf8.csv"
        _transcode(path, utf8, chosen)
        yield from _polars_batches(path, utf8, batch_rows, chosen)


def _transcode(path: Path, target: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as sink:
        while chunk := source.read(_COPY_CHUNK):
            try:
                sink.write(decoder.decode(chunk))
            except UnicodeDecodeError as err:
                where = offset + err.start + 1
                hint = "请用 --encoding 指定正确的编码"
                raise IngestError(f"文件 {path} 在第 {where} 字节处无法按 {encoding} 解码，{hint}。") from None
            offset += len(chunk)
        try:
            sink.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise IngestError(f"文件 {path} 结尾不完整，无法按 {encoding} 解码。") from None


def _sniff_delimiter(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as handle:
        first = handle.readline()
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _polars_batches(shown: Path, path: Path, batch_rows: int, encoding: str) -> Iterator[pl.DataFrame]:
    """Raw batches read by Polars, line numbers counted across batches, line breaks in quoted fields included."""
    separator = _sniff_delimiter(path)
    frame = pl.scan_csv(
        path,
        separator=separator,
        infer_schema=False,
        truncate_ragged_lines=True,
        raise_if_empty=True,
        encoding="utf8",
    )
    try:
        headers = frame.collect_schema().names()
        lines = LineNumbers(path, separator, headers, SOURCE_LINE)
        empty = True
        for batch in frame.collect_batches(chunk_size=batch_rows):
            if batch.height:
                empty = False
                # The streaming reader hands out hundreds of small chunks; every later step is faster on one.
                yield lines.number(_empty_as_null(batch.rechunk()))
        if empty:  # a header and no rows: still one batch, so the header is checked
            yield lines.number(pl.DataFrame(schema=dict.fromkeys(headers, pl.String)))
    except pl.exceptions.NoDataError:
        raise IngestError(f"文件 {shown} 是空的（没有表头）。") from None
    except pl.exceptions.ComputeError as err:
        if "utf-8" in str(err):
            raise IngestError(
                f"文件 {shown} 含有不符合 {encoding} 编码的内容（编码不一致），请用 --encoding 指定正确的编码。"
            ) from None
        raise IngestError(f"无法把文件 {shown} 读作 CSV 表格：{err}".splitlines()[0]) from None
    except pl.exceptions.PolarsError as err:
        raise IngestError(f"无法把文件 {shown} 读作 CSV 表格：{err}".splitlines()[0]) from None


def _empty_as_null(batch: pl.DataFrame) -> pl.DataFrame:
    """Quoted empty cells (`""`) null like unquoted ones. The reader's `null_values=[""]` does the same
    but costs a third of the read; a batch rarely has such cells, so the columns are checked first."""
    flags = batch.select((pl.col(c).str.len_bytes() == 0).any() for c in batch.columns).row(0)
    emptied = [c for c, flagged in zip(batch.columns, flags, strict=True) if flagged]
    return batch.with_columns(pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in emptied)


# ---- XLSX ----------------------------------------------------------------


def _xlsx_batches(path: Path, batch_rows: int, sheet: str | None) -> Iterator[pl.DataFrame]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise IngestError(f"文件 {path} 不是有效的 XLSX 文件，可能已损坏。") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise IngestError(f"文件 {path} 中没有名为「{sheet}」的工作表（现有：{'、'.join(book.sheetnames)}）。")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        rows = enumerate(worksheet.iter_rows(values_only=True), start=worksheet.min_row or 1)
        yield from _sheet_batches(path, rows, batch_rows)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ElementTree.ParseError):
        raise IngestError(f"文件 {path} 的工作表内容已损坏，无法读取。") from None
    finally:
        book.close()


def _sheet_batches(
    path: Path, rows: Iterator[tuple[int, tuple[object, ...]]], batch_rows: int
) -> Iterator[pl.DataFrame]:
    headers: list[str] | None = None
    lines: list[int] = []
    cells: list[list[str | None]] = []
    for number, row in rows:
        values = [_cell_text(v) for v in row]
        if not any(values):
            continue
        if headers is None:
            headers = _unique_headers(values)
            continue
        lines.append(number)
        cells.append((values + [None] * len(headers))[: len(headers)])
        if len(cells) >= batch_rows:
            yield _sheet_frame(headers, lines, cells)
            lines, cells = [], []
    if headers is None:
        raise IngestError(f"文件 {path} 的工作表是空的（没有表头）。")
    yield _sheet_frame(headers, lines, cells)


def _sheet_frame(headers: list[str], lines: list[int], cells: list[list[str | None]]) -> pl.DataFrame:
    columns = {h: [row[i] for row in cells] for i, h in enumerate(headers)}
    frame = pl.DataFrame(columns, schema=dict.fromkeys(headers, pl.String))
    return frame.with_columns(pl.Series(SOURCE_LINE, lines, dtype=pl.Int64))


def _unique_headers(values: list[str | None]) -> list[str]:
    seen: dict[str, int] = {}
    headers = []
    for i, value in enumerate(values, start=1):
        name = (value or "").strip() or f"第{i}列"
        seen[name] = seen.get(name, 0) + 1
        headers.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return headers


def _cell_text(value: object) -> str | None:
    """A cell as the text a person would have typed: dates ISO, whole floats without `.0`."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    return str(value)
