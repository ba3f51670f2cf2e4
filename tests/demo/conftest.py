"""One demo county shared by the demo tests (generating it is the slow part)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from fundwatch.demo import DemoCounty, generate_county, write_county

SUBJECTS = 5000
SEED = 42


@pytest.fixture(scope="session")
def county() -> DemoCounty:
    return generate_county(SUBJECTS, SEED)


@pytest.fixture(scope="session")
def written(county: DemoCounty, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county")
    write_county(county, out)
    return out


@pytest.fixture(scope="session")
def labelled(county: DemoCounty) -> pl.DataFrame:
    """Registry rows that are subjects, with their label and guise (joined on the normalised key)."""
    from fundwatch.domain.uscc import normalise

    keys = county.registry["统一社会信用代码"].map_elements(normalise, return_dtype=pl.String)
    registry = county.registry.with_columns(keys.alias("subject_key")).with_row_index("row")
    broken_rows = (county.broken["line"] - 2).cast(pl.UInt32)
    return registry.filter(~pl.col("row").is_in(broken_rows.implode())).join(county.truth, on="subject_key")
