"""Which key sector a subject belongs to: by industry code, entity type, or a keyword in its name or scope.

Only the sectors the profile's table names count (a locality's key sectors).
When several fit, the sector with the most points wins; at equal points the
stronger source (industry code, then entity type, name, scope), then the order
of sectors.yaml. One row per subject that has a key sector.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import polars as pl

from fundwatch.domain.distinct import per_distinct
from fundwatch.lexicons import RuleSet, Sector
from fundwatch.screening.automaton import escape

SECTOR_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "line": pl.Int64(),
    "sector": pl.String(),  # sector id
    "field": pl.String(),  # registry column it was recognised by
    "matched": pl.String(),  # the code, entity type or keyword
}
SOURCES = ("industry_code", "entity_type", "name", "business_scope")


@functools.lru_cache(maxsize=8)
def _code_table(sectors: tuple[Sector, ...]) -> dict[str, str]:
    """Every code of 2 to 4 digits that falls under a sector's code, to that sector (longest prefix wins)."""
    owner: dict[str, str] = {}
    for sector in reversed(sectors):  # the first sector listing a code keeps it
        for code in sector.industry_codes:
            owner[code] = sector.id
    table: dict[str, str] = {}
    for length in (2, 3, 4):
        for number in range(10**length):
            code = f"{number:0{length}d}"
            prefix = next((code[:n] for n in range(len(code), 1, -1) if code[:n] in owner), None)
            if prefix is not None:
                table[code] = owner[prefix]
    return table


def _per_value(column: pl.Series, decide: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """`decide` applied to each distinct value of `column` once (a county has a few hundred industry
    codes and a few dozen entity types) and looked up for every row; null where it gives null."""
    return per_distinct(column, lambda distinct: decide(distinct).to_frame()).to_series()


def _by_code(registry: pl.DataFrame, sectors: tuple[Sector, ...]) -> pl.DataFrame:
    table = _code_table(sectors)
    if not table:
        return pl.DataFrame(schema=SECTOR_SCHEMA)
    # codes come as 7212 or with the section letter, L7212; the class (4 digits) at most decides
    strip = " ABCDEFGHIJKLMNOPQRSTabcdefghijklmnopqrst"
    digits = _per_value(registry.get_column("industry_code"),
                        lambda codes: codes.str.strip_chars_start(strip).str.slice(0, 4))
    return (
        registry.select("subject_key", "line",
                        sector=digits.replace_strict(table, default=None, return_dtype=pl.String),
                        field=pl.lit("industry_code"), matched=digits)
        .filter(pl.col("sector").is_not_null())
    )


def _by_entity_type(registry: pl.DataFrame, sectors: tuple[Sector, ...]) -> pl.DataFrame:
    owner = {t: s.id for s in reversed(sectors) for t in s.entity_types}
    if not owner:
        return pl.DataFrame(schema=SECTOR_SCHEMA)
    alternation = "|".join(escape(t) for t in sorted(owner, key=lambda t: (-len(t), t)))
    found = _per_value(registry.get_column("entity_type"), lambda types: types.str.extract(f"({alternation})", 1))
    return (
        registry.select("subject_key", "line", matched=found)
        .filter(pl.col("matched").is_not_null())
        .select("subject_key", "line", sector=pl.col("matched").replace_strict(owner, return_dtype=pl.String),
                field=pl.lit("entity_type"), matched="matched")
    )


def _by_keyword(registry_terms: pl.DataFrame) -> pl.DataFrame:
    return registry_terms.filter(pl.col("kind") == "sector").select(
        "subject_key", "line", sector="entry", field="field", matched="term"
    )


def assign_sectors(registry: pl.DataFrame, registry_terms: pl.DataFrame, ruleset: RuleSet) -> pl.DataFrame:
    """One row per subject with a key sector: subject_key, line, sector, field, matched, sector_name, points."""
    sectors = ruleset.key_sectors
    candidates = pl.concat([
        _by_code(registry, sectors), _by_entity_type(registry, sectors), _by_keyword(registry_terms),
    ])
    order = {s.id: i for i, s in enumerate(sectors)}
    points = {s.id: s.points for s in sectors}
    rank = (
        pl.col("sector").replace_strict(points, return_dtype=pl.Float64) * 10_000
        - pl.col("field").replace_strict({f: i for i, f in enumerate(SOURCES)}, return_dtype=pl.Float64) * 100
        - pl.col("sector").replace_strict(order, return_dtype=pl.Float64)
    )
    return (
        candidates.with_columns(_rank=rank)
        .sort("_rank", descending=True, maintain_order=True)
        .unique(subset=["subject_key"], keep="first", maintain_order=True)
        .select(
            "subject_key", "line", "sector", "field", "matched",
            sector_name=pl.col("sector").replace_strict({s.id: s.name for s in sectors}, return_dtype=pl.String),
            points=pl.col("sector").replace_strict(points, return_dtype=pl.Float64),
        )
    )
