"""The embedded runner: a run that fails part-way leaves no reading thread and no temporary copy behind."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from fundwatch.demo import generate_county, write_county
from fundwatch.ingest.sources import IngestError
from fundwatch.lexicons import load_ruleset
from fundwatch.runners.embedded import screen_file
from fundwatch.runners.sinks import ParquetSink


def _reading_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(("fundwatch-read-ahead", "fundwatch-work"))]


def _settled() -> list[str]:
    deadline = time.monotonic() + 5
    while _reading_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    return _reading_threads()


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county")
    write_county(generate_county(3000, seed=5), out)
    return out


def test_a_side_table_that_cannot_be_read_stops_the_registry_reading_too(county: Path, tmp_path: Path) -> None:
    broken = tmp_path / "ads.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(IngestError, match=r"ads\.xlsx"):
        screen_file(county / "registry.csv", {"ads": broken}, load_ruleset("menghai"),
                    ParquetSink(tmp_path / "out.parquet"), batch_rows=50)
    assert _settled() == []


def test_a_sink_that_fails_stops_the_registry_reading_and_removes_the_transcoded_copy(
    county: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    gbk = tmp_path / "registry_gbk.csv"
    gbk.write_bytes((county / "registry.csv").read_text(encoding="utf-8").encode("gb18030"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))

    class Failing(ParquetSink):
        def write(self, frame):  # type: ignore[no-untyped-def]
            raise OSError("磁盘已满")

    with pytest.raises(OSError, match="磁盘已满"):
        screen_file(gbk, {}, load_ruleset("menghai"), Failing(tmp_path / "out.parquet"), batch_rows=50)
    assert _settled() == []
    assert list(scratch.iterdir()) == []  # the UTF-8 copy of the GBK file is gone
