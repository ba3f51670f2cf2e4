"""The Parquet sink: batches streamed into one file by a writer thread, and its failures not lost."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from fundwatch.runners.sinks import ParquetSink


def _batch(start: int, n: int) -> pl.DataFrame:
    return pl.DataFrame({"subject_key": [f"K{i:05d}" for i in range(start, start + n)],
                         "score": [float(i % 100) for i in range(start, start + n)],
                         "evidence": [None if i % 3 else f"第{i}条" for i in range(start, start + n)]})


def test_batches_become_one_file_in_order(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path / "out.parquet")
    batches = [_batch(0, 1000), _batch(1000, 1), _batch(1001, 2500)]
    for batch in batches:
        sink.write(batch)
    sink.close()
    assert_frame_equal(pl.read_parquet(tmp_path / "out.parquet"), pl.concat(batches))


def test_no_batch_still_writes_a_readable_file(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path / "out.parquet")
    sink.close()
    assert pl.read_parquet(tmp_path / "out.parquet").height == 0


def test_a_failing_writer_raises_in_the_caller_rather_than_hanging(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path / "missing" / "out.parquet")  # the folder does not exist
    with pytest.raises(FileNotFoundError):
        for start in range(0, 50_000, 1000):
            sink.write(_batch(start, 1000))
        sink.close()
