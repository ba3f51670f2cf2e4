"""Small registries built by hand, and one generated county with truth, shared by the linking tests."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from fundwatch.demo.linking import LinkingDemo, generate_linking
from fundwatch.frames import REGISTRY_SCHEMA
from fundwatch.linking.config import LinkingConfig, load_linking_config
from fundwatch.linking.frames import PEOPLE_SCHEMA


def _registry(*rows: dict[str, Any]) -> pl.DataFrame:
    """A registry frame from a few rows (unnamed columns empty); `website` added when any row has one."""
    schema = dict(REGISTRY_SCHEMA)
    if any("website" in r for r in rows):
        schema["website"] = pl.String()
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)


def _people(*rows: tuple[str, str, str | None, str]) -> pl.DataFrame:
    """A people frame from (subject_key, name, id_number, role) tuples."""
    return pl.DataFrame(
        [{"line": i + 2, "subject_key": k, "name": n, "id_number": d, "role": r, "phone": None}
         for i, (k, n, d, r) in enumerate(rows)],
        schema=PEOPLE_SCHEMA,
    )


@pytest.fixture(scope="session", name="registry")
def registry_factory() -> Any:
    """Build a registry frame: registry({"subject_key": "A", "name": ...}, ...)."""
    return _registry


@pytest.fixture(scope="session", name="people")
def people_factory() -> Any:
    """Build a people frame: people(("A", "张三", "1101...", "法定代表人"), ...)."""
    return _people


@pytest.fixture(scope="session")
def config() -> LinkingConfig:
    return load_linking_config()


@pytest.fixture(scope="session")
def demo() -> LinkingDemo:
    return generate_linking(subjects=30_000, blacklist=400, seed=5)
