"""The side tables' hits are found once per run and cut to each batch: that must change nothing.

Each rule declares what it reads (`Rule.reads`). A rule that reads the side
tables alone finds the same hits whatever registry is beside them; a rule that
reads the registry alone, whatever side tables; a rule that reads both and is
not joint finds, together, what it finds in each apart. A county screened in
batches with prepared side tables scores exactly as screened whole.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from fundwatch.demo import generate_county, write_county
from fundwatch.frames import REGISTRY_SCHEMA, SIDE_KINDS
from fundwatch.ingest.registry import load_registry
from fundwatch.ingest.side import load_side_table
from fundwatch.lexicons import load_ruleset
from fundwatch.screening import RULES, Rule, SideTables, default_as_of, finish_screening, screen, screen_registry
from fundwatch.screening.context import Context
from fundwatch.screening.engine import prepare_side
from fundwatch.screening.scores import round_score

RULESET = load_ruleset("menghai")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, SideTables]:
    out: Path = tmp_path_factory.mktemp("county")
    write_county(generate_county(3000, seed=1), out)
    registry = load_registry(out / "registry.csv").frame
    side = SideTables(**{kind: load_side_table(kind, out / f"{kind}.csv").frame for kind in SIDE_KINDS})
    return registry, side


def _contexts(county: tuple[pl.DataFrame, SideTables]) -> tuple[Context, Context, Context]:
    """(registry and side tables, registry alone, side tables alone) of the county."""
    registry, side = county
    tables = prepare_side(side, RULESET).tables
    empty_side = {kind: table.clear() for kind, table in tables.items()}
    as_of = default_as_of(side)
    return (Context(registry, tables, RULESET, as_of), Context(registry, empty_side, RULESET, as_of),
            Context(pl.DataFrame(schema=REGISTRY_SCHEMA), tables, RULESET, as_of))


def _sorted(hits: pl.DataFrame) -> pl.DataFrame:
    return hits.sort(pl.all(), nulls_last=True)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_each_rule_reads_what_it_declares(county: tuple[pl.DataFrame, SideTables], rule: Rule) -> None:
    both, registry_alone, side_alone = _contexts(county)
    together = rule.func(both)
    from_registry = rule.func(registry_alone)
    from_side = rule.func(side_alone)
    if rule.reads == "registry":
        assert from_side.is_empty()
        assert_frame_equal(from_registry, together)
    elif rule.reads == "side":
        assert from_registry.is_empty()
        assert_frame_equal(from_side, together)
    elif rule.joint:
        assert from_registry.is_empty() and from_side.is_empty()
    else:
        assert_frame_equal(_sorted(pl.concat([from_registry, from_side])), _sorted(together))


def test_the_county_has_hits_of_every_rule(county: tuple[pl.DataFrame, SideTables]) -> None:
    """Else the test above would pass on empty frames."""
    both, _, _ = _contexts(county)
    silent = [rule.id for rule in RULES if rule.func(both).filter(pl.col("points") > 0).is_empty()]
    assert silent == []


def test_batches_with_prepared_side_tables_score_as_the_whole(county: tuple[pl.DataFrame, SideTables]) -> None:
    registry, side = county
    whole = screen(registry, side, RULESET)
    prepared = prepare_side(side, RULESET)
    parts = [screen(registry.slice(start, 700), prepared, RULESET) for start in range(0, registry.height, 700)]
    assert_frame_equal(pl.concat([p.scores for p in parts]), whole.scores)
    assert_frame_equal(pl.concat([p.hits for p in parts]), whole.hits)


def test_prepared_side_tables_must_match_the_rule_set(county: tuple[pl.DataFrame, SideTables]) -> None:
    registry, side = county
    prepared = prepare_side(side, RULESET)
    with pytest.raises(ValueError, match="rule set"):
        screen(registry, prepared, load_ruleset("xiamen"))


def test_scores_round_half_up_whatever_the_float_error() -> None:
    values = pl.Series([2.7499999999, 2.75, 2.7500000001, 2.74, 13.749999999999998, 0.0, 100.0])
    rounded = pl.select(round_score(pl.lit(values))).to_series().to_list()
    assert rounded == [2.8, 2.8, 2.8, 2.7, 13.8, 0.0, 100.0]


def test_side_tables_without_records_skip_the_rules_and_match_their_empty_result(
    county: tuple[pl.DataFrame, SideTables],
) -> None:
    registry, side = county
    assert side.changes is not None
    day = dt.date(2025, 6, 30)
    skipped = prepare_side(SideTables(), RULESET, as_of=day)  # no side records: the rules are not run
    nobody = side.changes.head(1).with_columns(subject_key=pl.lit("无此主体"))
    ran = prepare_side(SideTables(changes=nobody), RULESET, as_of=day)  # the rules run, for no subject of ours
    assert skipped.by_subject.is_empty()
    assert skipped.by_subject.schema == ran.by_subject.schema
    batch = registry.head(500)
    assert_frame_equal(screen(batch, skipped, RULESET).scores, screen(batch, ran, RULESET).scores)


def test_a_batch_screened_in_two_passes_scores_as_in_one(county: tuple[pl.DataFrame, SideTables]) -> None:
    registry, side = county
    prepared = prepare_side(side, RULESET)
    batch = registry.slice(1000, 800)
    passed = screen_registry(batch, RULESET, prepared.as_of)  # before the side tables are prepared
    whole = screen(batch, prepared, RULESET)
    assert_frame_equal(finish_screening(passed, prepared).scores, whole.scores)
    assert_frame_equal(finish_screening(passed, prepared).hits, whole.hits)
    assert prepared.as_of is not None
    with pytest.raises(ValueError, match="as-of"):
        finish_screening(screen_registry(batch, RULESET, prepared.as_of - dt.timedelta(days=1)), prepared)
