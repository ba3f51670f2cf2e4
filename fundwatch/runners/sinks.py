"""Where screening results go: a file written batch by batch.

CSV and Parquet are streamed (memory does not grow with the registry); XLSX is
for people and is written at close with Chinese headers and grades.
CSV is GBK by default (written with the GB18030 codec, identical to GBK for
every GBK character and lossless for the rare ones) so Excel and WPS open it
with no import dialog; `utf-8` is there for machines.
"""

from __future__ import annotations

import io
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import polars as pl

if TYPE_CHECKING:
    import pyarrow.parquet as pq

from fundwatch.frames import DIMENSIONS, GRADE_ZH

SUFFIXES = (".csv", ".parquet", ".xlsx")

DIMENSION_ZH: dict[str, str] = {
    "compliance": "合规偏离",
    "returns": "收益诱惑",
    "complaints": "投诉举报",
    "spread": "涉众扩散",
    "words": "敏感词",
    "stability": "涉稳隐患",
    "funds": "资金异动",
    "model": "模型概率",
}

SCORE_HEADERS_ZH: dict[str, str] = {
    "subject_key": "主体标识（统一社会信用代码）",
    "name": "企业名称",
    "score": "风险指数",
    "grade": "风险等级",
    **{f"dim_{d}": f"{z}得分" for d, z in DIMENSION_ZH.items()},
    "sector": "所属重点领域",
    "department": "牵头部门",
    "region_code": "行政区划代码",
    "township_code": "乡镇代码",
    "evidence": "风险依据",
    "ruleset_version": "规则版本",
}
assert all(f"dim_{d}" in SCORE_HEADERS_ZH for d in DIMENSIONS)

# Output columns with few distinct values, worth a Parquet dictionary.
_FEW_VALUES = frozenset({"grade", "sector", "department", "region_code", "township_code", "ruleset_version"})


class Sink(Protocol):
    def write(self, frame: pl.DataFrame) -> None: ...
    def close(self) -> None: ...


class CsvSink:
    def __init__(self, path: Path, encoding: str = "gbk") -> None:
        self._codec = "gb18030" if encoding.lower() in {"gbk", "gb18030", "gb2312"} else encoding
        self._bom = self._codec == "utf-8-sig"
        self._file = path.open("wb")
        self._header = True

    def write(self, frame: pl.DataFrame) -> None:
        buffer = io.StringIO()
        frame.write_csv(buffer, include_header=self._header)
        self._header = False
        self._file.write(buffer.getvalue().encode(self._codec))

    def close(self) -> None:
        self._file.close()


class ParquetSink:
    """Batches appended to one Parquet file by a writer thread, so compressing a batch overlaps screening the
    next; at most one batch waits. Only the few-valued columns are dictionary-encoded: for keys, names and
    evidence a dictionary is work thrown away. PyArrow, slow to import, is imported by the writer thread
    while the first batch is read and screened."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._writer: pq.ParquetWriter | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fundwatch-parquet")
        self._pending: Future[None] | None = self._pool.submit(_import_pyarrow)

    def write(self, frame: pl.DataFrame) -> None:
        self._wait()
        self._pending = self._pool.submit(self._append, frame)

    def _append(self, frame: pl.DataFrame) -> None:
        import pyarrow.parquet as pq

        table = frame.to_arrow()
        if self._writer is None:
            dictionary = [c for c in table.column_names if c in _FEW_VALUES]
            self._writer = pq.ParquetWriter(self._path, table.schema, compression="zstd", use_dictionary=dictionary)
        self._writer.write_table(table)

    def _wait(self) -> None:
        """Let the batch being written finish; its error, if any, is raised here."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self) -> None:
        try:
            self._wait()
            if self._writer is None:
                import pyarrow.parquet as pq

                self._writer = pq.ParquetWriter(self._path, pl.DataFrame().to_arrow().schema)
            self._writer.close()
        finally:
            self._pool.shutdown()


def _import_pyarrow() -> None:
    import pyarrow.parquet  # noqa: F401


class XlsxSink:
    """Collects the batches and writes one sheet for people at close."""

    def __init__(self, path: Path, headers: dict[str, str]) -> None:
        self._path = path
        self._headers = headers
        self._frames: list[pl.DataFrame] = []

    def write(self, frame: pl.DataFrame) -> None:
        self._frames.append(frame)

    def close(self) -> None:
        from fundwatch.ingest.writers import write_frame

        frame = pl.concat(self._frames, how="vertical_relaxed") if self._frames else pl.DataFrame()
        if "grade" in frame.columns:
            frame = frame.with_columns(pl.col("grade").replace_strict(GRADE_ZH, default=pl.col("grade")))
        write_frame(frame, self._path, headers=self._headers, sheet="风险清单")


def open_sink(path: Path, *, csv_encoding: str = "gbk", headers: dict[str, str] | None = None) -> Sink:
    """A sink for `path` chosen by its suffix; ValueError for any other suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return CsvSink(path, csv_encoding)
    if suffix == ".parquet":
        return ParquetSink(path)
    if suffix == ".xlsx":
        return XlsxSink(path, headers or SCORE_HEADERS_ZH)
    raise ValueError(f"不支持的输出格式“{path.suffix}”：请用 .csv、.parquet 或 .xlsx")
