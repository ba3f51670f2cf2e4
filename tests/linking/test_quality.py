"""Precision and recall on a generated county with truth, and reviews that stick."""

from __future__ import annotations

import polars as pl

from fundwatch.demo.linking import LinkingDemo
from fundwatch.linking.config import LinkingConfig
from fundwatch.linking.engine import run
from fundwatch.linking.frames import REVIEWS_SCHEMA

PAIR = ["subject_key", "matched_key"]


def _run(demo: LinkingDemo, config: LinkingConfig, reviews: pl.DataFrame | None = None) -> pl.DataFrame:
    result = run(demo.registry, people=demo.people, watchlist=demo.blacklist,
                 watchlist_people=demo.blacklist_people, reviews=reviews, config=config)
    return result.links


def test_precision_and_recall_at_least_095(demo: LinkingDemo, config: LinkingConfig) -> None:
    found = _run(demo, config).filter(pl.col("decision") == "same").select(PAIR)
    hits = found.join(demo.truth.select(PAIR), on=PAIR).height
    precision, recall = hits / found.height, hits / demo.truth.height
    assert demo.truth.height >= 200
    assert precision >= 0.95, precision
    assert recall >= 0.95, recall


def test_every_case_kind_is_found(demo: LinkingDemo, config: LinkingConfig) -> None:
    found = _run(demo, config).filter(pl.col("decision") == "same").select(PAIR)
    by_case = demo.truth.join(found.with_columns(pl.lit(True).alias("hit")), on=PAIR, how="left").group_by(
        "case").agg(pl.col("hit").fill_null(False).mean().alias("recall"))
    assert set(by_case["case"]) == {"rebranded", "relocated", "front_person"}
    assert by_case["recall"].min() >= 0.9


def _reviews(rows: list[tuple[str, str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame([{"line": i + 2, "subject_key": s, "matched_key": m, "decision": d, "who": "王科长",
                          "when": w} for i, (s, m, d, w) in enumerate(rows)], schema=REVIEWS_SCHEMA)


def test_a_reviewed_not_same_never_returns(demo: LinkingDemo, config: LinkingConfig) -> None:
    # given the strongest matches the engine finds, dismissed by a reviewer (one written the other way round)
    first = _run(demo, config).filter(pl.col("decision") == "same").sort("score", descending=True).head(5)
    pairs = list(zip(first["subject_key"], first["matched_key"], strict=True))
    rows = [(s, m, "不是同一主体", "2026-03-01") for s, m in pairs[:4]] + [(pairs[4][1], pairs[4][0], "not same",
                                                                         "2026-03-01")]
    # when the linker runs again on the same data
    again = _run(demo, config, _reviews(rows))
    # then none of them comes back, in either orientation, and the rest is still found
    back = again.select(PAIR).join(pl.DataFrame(pairs, schema=PAIR, orient="row"), on=PAIR)
    assert back.is_empty()
    assert again.filter(pl.col("decision") == "same").height == _run(demo, config).filter(
        pl.col("decision") == "same").height - 5


def test_the_latest_review_wins_and_same_is_kept(demo: LinkingDemo, config: LinkingConfig) -> None:
    registry_key = demo.registry["subject_key"][0]
    listed_key = demo.blacklist["subject_key"][0]
    reviews = _reviews([(registry_key, listed_key, "不是同一主体", "2026-01-01"),
                        (registry_key, listed_key, "同一主体", "2026-02-01")])
    links = _run(demo, config, reviews)
    row = links.filter((pl.col("subject_key") == registry_key) & (pl.col("matched_key") == listed_key))
    assert row.height == 1
    assert row["decision"][0] == "same" and row["review"][0] == "same"
    assert "人工复核：同一主体（王科长，2026-02-01）" in row["reasons"][0]
