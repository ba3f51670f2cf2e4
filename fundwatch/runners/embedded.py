"""Run the screening engine over a registry file in batches, on this machine (Polars).

The registry is read in batches of `batch_rows`, from the moment the run starts.
The side tables (small) are loaded once, in a thread, and the hits they give
alone are found once per run (`fundwatch.screening.prepare_side`) while the
registry batches are imported and their own rules run (`screen_registry`); each
batch is then finished with the side tables' hits (`finish_screening`). Batches
are imported a few ahead of the screening, two are worked on at once in each
pass, and each is written to the sink in file order, so memory follows the batch
size, not the file size. Duplicate keys across batches are caught by the
importer, which keeps the keys it has seen.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from fundwatch.frames import REJECTS_SCHEMA
from fundwatch.ingest.ahead import WORKERS, map_ahead, read_ahead
from fundwatch.ingest.sources import raw_batches

if TYPE_CHECKING:  # the engines are imported by `screen_file`, once the registry is being read
    from fundwatch.ingest.readers import Imported
    from fundwatch.lexicons import RuleSet
    from fundwatch.runners.sinks import Sink
    from fundwatch.screening import PreparedSide, RegistryPass, Screening, SideTables

# Imported registry batches that may wait for the screening (each about as big as its slice of the file).
QUEUED_BATCHES = 3
# Registry batches screened at once.
SCREENERS = 2

# rows read so far -> None
Progress = Callable[[int], None]

REJECTS_OUT_SCHEMA: dict[str, pl.DataType] = {"table": pl.String(), **REJECTS_SCHEMA}


@dataclass(frozen=True)
class External:
    """A dimension from outside the rules (fund flows, the learned model), computed per batch.

    `compute(batch, side, screening)` returns `subject_key, dim_<name>` and optionally
    `evidence_<name>`; `fundwatch.screening.add_dimension` merges it into the index.
    """

    name: str
    compute: Callable[[pl.DataFrame, SideTables, Screening], pl.DataFrame]


def fixed_dimension(name: str, dims: pl.DataFrame) -> External:
    """An external dimension known before the run (e.g. `fundwatch funds --dimension`)."""
    return External(name, lambda batch, side, screening: dims)


@dataclass
class RunSummary:
    """What a run read, kept and rejected, and how the screened subjects fall."""

    read: int = 0
    imported: int = 0
    rejected: int = 0
    warnings: int = 0
    side_read: dict[str, int] = field(default_factory=dict)
    side_rejected: dict[str, int] = field(default_factory=dict)
    grades: Counter[str] = field(default_factory=Counter)
    sectors: Counter[str] = field(default_factory=Counter)
    regions: Counter[str] = field(default_factory=Counter)
    ruleset_version: str = ""


def load_side_tables(paths: Mapping[str, Path], encoding: str | None,
                     summary: RunSummary, rejects: list[pl.DataFrame]) -> SideTables:
    """Load every side table given (two at a time); their rejects join the run's rejects under the table's
    name, in the order given."""
    from fundwatch.ingest.side import load_side_table
    from fundwatch.screening import SideTables

    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="fundwatch-side") as pool:
        loading = {kind: pool.submit(load_side_table, kind, path, encoding=encoding) for kind, path in paths.items()}
        frames: dict[str, pl.DataFrame] = {}
        for kind, future in loading.items():
            imported = future.result()
            frames[kind] = imported.frame
            summary.side_read[kind] = imported.read
            summary.side_rejected[kind] = imported.rejects.filter(pl.col("severity") == "reject").height
            rejects.append(imported.rejects.select(pl.lit(kind).alias("table"), pl.all()))
    return SideTables(**frames)


def _tally(summary: RunSummary, scores: pl.DataFrame) -> None:
    summary.grades.update(_counts(scores.get_column("grade")))
    flagged = scores.filter(pl.col("grade").is_in(["red", "orange", "yellow"]))
    summary.sectors.update(_counts(flagged.get_column("sector"), "（非重点领域）"))
    place = pl.coalesce(_text(pl.col("township_code")), _text(pl.col("region_code")))
    summary.regions.update(_counts(flagged.select(place).to_series(), "（未识别）"))


def _text(col: pl.Expr) -> pl.Expr:
    return pl.when(col.str.len_bytes() > 0).then(col)


def _counts(values: pl.Series, missing: str | None = None) -> dict[str, int]:
    """How often each value occurs; empty values counted under `missing`."""
    if missing is not None:
        values = pl.select(pl.coalesce(_text(pl.lit(values)), pl.lit(missing))).to_series()
    return {str(value): int(n) for value, n in values.value_counts().iter_rows() if value is not None}


def screen_file(
    registry: Path,
    side_paths: Mapping[str, Path],
    ruleset: RuleSet,
    sink: Sink,
    *,
    encoding: str | None = None,
    batch_rows: int = 200_000,
    progress: Progress | None = None,
    as_of: dt.date | None = None,
    external: Sequence[External] = (),
) -> tuple[RunSummary, pl.DataFrame]:
    """Screen `registry` batch by batch into `sink`; returns the summary and all rejects.

    `as_of` dates the age and recency rules, the same for every batch; by default the
    latest date in the side tables. `external` dimensions join each batch's index.
    """
    # Polars starts on the registry at once: the engines take a few tenths of a second to import (numpy among
    # them), time in which its first batch is read.
    raws = read_ahead(raw_batches(registry, encoding=encoding, batch_rows=batch_rows))
    try:
        summary, rejects = _screen_batches(raws, registry, side_paths, ruleset, sink, encoding=encoding,
                                           batch_rows=batch_rows, progress=progress, as_of=as_of, external=external)
    finally:
        raws.close()  # after an error too: the reading thread stops and a transcoded copy is removed
    sink.close()
    all_rejects = pl.concat(rejects, how="vertical_relaxed") if rejects else pl.DataFrame(schema=REJECTS_OUT_SCHEMA)
    return summary, all_rejects


def _screen_batches(
    raws: Iterator[pl.DataFrame],
    registry: Path,
    side_paths: Mapping[str, Path],
    ruleset: RuleSet,
    sink: Sink,
    *,
    encoding: str | None,
    batch_rows: int,
    progress: Progress | None,
    as_of: dt.date | None,
    external: Sequence[External],
) -> tuple[RunSummary, list[pl.DataFrame]]:
    """`screen_file` once the registry's raw batches (`raws`) are being read: the summary and the rejects."""
    from fundwatch.ingest.registry import iter_registry
    from fundwatch.screening import add_dimension, default_as_of, finish_screening, prepare_side, screen_registry

    summary = RunSummary()
    rejects: list[pl.DataFrame] = []
    batches = iter_registry(registry, encoding=encoding, batch_rows=batch_rows, raws=raws)

    def load() -> tuple[SideTables, dt.date | None]:
        side = load_side_tables(side_paths, encoding, summary, rejects)
        return side, as_of or default_as_of(side)

    def prepare() -> PreparedSide:
        side, day = loaded.result()
        return prepare_side(side, ruleset, as_of=day)

    # one thread loads the side tables, then finds their own hits, while the registry's first batches are read
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fundwatch-sides") as pool:
        loaded = pool.submit(load)
        preparing = pool.submit(prepare)

        def registry_pass(batch: Imported) -> tuple[Imported, RegistryPass]:
            _, day = loaded.result()  # the as-of date the registry rules need
            return batch, screen_registry(batch.frame, ruleset, day)

        def finished(item: tuple[Imported, RegistryPass]) -> tuple[Imported, pl.DataFrame]:
            batch, passed = item
            side, _ = loaded.result()
            result = finish_screening(passed, preparing.result())
            scores = result.scores
            for dimension in external:
                scores = add_dimension(scores, dimension.compute(batch.frame, side, result), dimension.name, ruleset)
            return batch, scores

        try:
            # The registry's own rules run on SCREENERS batches at once, while the side tables' hits are
            # still being found; up to QUEUED_BATCHES of them wait to be finished, and meanwhile the import
            # goes on rather than idling. Then SCREENERS batches are finished at once.
            passes = map_ahead(batches, registry_pass, workers=SCREENERS, depth=QUEUED_BATCHES)
            for batch, scores in map_ahead(passes, finished, workers=SCREENERS):
                summary.read += batch.read
                summary.imported += batch.frame.height
                summary.rejected += batch.read - batch.frame.height
                summary.warnings += batch.rejects.filter(pl.col("severity") == "warning").height
                rejects.append(batch.rejects.select(pl.lit("registry").alias("table"), pl.all()))
                summary.ruleset_version = ruleset.version
                _tally(summary, scores)
                sink.write(scores)
                if progress:
                    progress(summary.read)
        except Exception:
            preparing.result()  # a side table's error comes first, as when the side tables were read before
            raise
    return summary, rejects
