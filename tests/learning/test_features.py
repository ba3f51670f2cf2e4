"""Candidates and features: every registry column as it comes, side-table aggregates, screening results."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from fundwatch.learning import MissingFeaturesError, build_candidates, encode, learn_features

from .synthetic import AS_OF, county


@pytest.fixture(scope="module")
def small():
    return county(400, seed=5)


def _features(c, exclude=()):
    cands = build_candidates(c.registry, c.side, c.screening)
    features, excluded = learn_features(cands, exclude)
    return cands, {f.name: f for f in features}, excluded


def test_unseen_registry_columns_become_features_by_their_type(small):
    registry = small.registry.with_columns(
        pl.Series("专利数", [str(i % 7) for i in range(small.registry.height)]),
        pl.Series("邮编", ["066620" if i % 2 else "666200" for i in range(small.registry.height)]),
    )
    _, features, _ = _features(small.__class__(registry, small.side, small.screening, small.truth))
    assert features["registry.employees"].transform == "number"
    assert features["registry.专利数"].transform == "number"  # digits typed as text still count
    assert features["registry.行业小类"].transform == "category"
    assert set(features["registry.行业小类"].categories) == set(small.registry["行业小类"].unique())
    assert features["registry.邮编"].transform == "category"  # a code with leading zeros is not a quantity
    assert features["registry.name"].transform == "length"
    assert features["registry.registered_capital"].money


def test_codes_are_categories_even_when_they_look_like_numbers(small):
    registry = small.registry.with_columns(pl.col("industry_code").str.replace(r"^[A-Z]", ""))
    _, features, _ = _features(small.__class__(registry, small.side, small.screening, small.truth))
    assert features["registry.industry_code"].transform == "category"


def test_dates_become_days_before_the_reference_date(small):
    cands, features, _ = _features(small)
    assert cands.as_of == max(f["date"].max() for f in small.side.values())
    row = cands.frame.filter(pl.col("subject_key") == small.registry["subject_key"][0])
    expected = (cands.as_of - small.registry["established"][0]).days
    assert row["registry.established.days"].item() == expected
    assert "registry.established" not in features


def test_side_aggregates_count_sum_recency_and_sentiment(small):
    cands, features, _ = _features(small)
    reports = small.side["reports"]
    key = reports.group_by("subject_key").len().sort("len", descending=True)["subject_key"][0]
    mine = reports.filter(pl.col("subject_key") == key)
    row = cands.frame.filter(pl.col("subject_key") == key).row(0, named=True)
    assert row["reports.count"] == mine.height
    assert row["reports.people.sum"] == mine["people"].sum()
    assert row["reports.days_since_last"] == (cands.as_of - mine["date"].max()).days
    assert row["reports.count_recent"] == mine.filter(pl.col("date") >= cands.as_of - timedelta(days=365)).height
    silent = set(small.registry["subject_key"]) - set(small.side["news"]["subject_key"])
    quiet = cands.frame.filter(pl.col("subject_key").is_in(list(silent)))
    assert quiet["news.count"].unique().to_list() == [0.0]
    assert quiet["news.sentiment.mean"].null_count() == quiet.height  # no press is not neutral press
    assert {"news.sentiment.mean", "changes.item=住所变更", "reports.amount.sum"} <= set(features)
    assert "reports.text=承诺高额回报，到期不能兑付" not in features  # free text is the rules' business


def test_screening_dimensions_and_rule_hits_are_features(small):
    cands, features, _ = _features(small)
    assert {"dim.returns", "screen.score", "rule.promise_returns.hits", "rule.promise_returns.points"} <= set(features)
    hit = small.screening.hits["subject_key"][0]
    row = cands.frame.filter(pl.col("subject_key") == hit)
    assert row["rule.promise_returns.hits"].item() == small.screening.hits.filter(pl.col("subject_key") == hit).height
    assert "规则" in features["rule.promise_returns.hits"].label


def test_a_rule_that_does_not_fire_on_new_data_counts_zero(small):
    cands, features, _ = _features(small)
    quiet = small.screening.__class__(small.screening.scores, small.screening.hits.clear())
    new = build_candidates(small.registry, small.side, quiet, as_of=cands.as_of)
    column = list(features).index("rule.promise_returns.hits")
    matrix = encode(new, list(features.values()))
    assert (matrix[:, column] == 0).all()


def test_missing_columns_and_side_tables_are_named_in_chinese(small):
    _, features, _ = _features(small)
    registry = small.registry.drop("employees")
    side = {k: v for k, v in small.side.items() if k != "news"}
    new = build_candidates(registry, side, small.screening, as_of=AS_OF + timedelta(days=1))
    with pytest.raises(MissingFeaturesError) as caught:
        encode(new, list(features.values()))
    message = str(caught.value)
    assert "employees" in message and "新闻舆情" in message and "--news" in message
    assert "registry.brands" not in message
    assert {f.origin for f in caught.value.missing} == {"registry", "news"}


def test_unseen_category_values_share_one_code(small):
    _, features, _ = _features(small)
    feature = features["registry.status"]
    registry = small.registry.with_columns(pl.lit("歇业").alias("status"))
    new = build_candidates(registry, small.side, small.screening, as_of=date(2024, 6, 30))
    column = list(features).index("registry.status")
    assert set(encode(new, list(features.values()))[:, column]) == {float(len(feature.categories))}


def test_a_side_value_never_seen_counts_zero_but_a_missing_side_column_is_an_error(small):
    _, features, _ = _features(small)
    column = list(features).index("changes.item=住所变更")
    other_items = dict(small.side, changes=small.side["changes"].with_columns(pl.lit("章程备案").alias("item")))
    new = build_candidates(small.registry, other_items, small.screening, as_of=AS_OF)
    assert (encode(new, list(features.values()))[:, column] == 0).all()
    no_items = dict(small.side, changes=small.side["changes"].drop("item"))
    new = build_candidates(small.registry, no_items, small.screening, as_of=AS_OF)
    with pytest.raises(MissingFeaturesError, match="旁表变更记录缺少列：item"):
        encode(new, list(features.values()))
