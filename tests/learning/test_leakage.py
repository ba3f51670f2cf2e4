"""The answer never reaches the features: label columns, guise, proxies; shuffled labels learn nothing."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from fundwatch.learning import TrainingConfig, build_candidates, train_model

from .conftest import TRAINED_AT
from .synthetic import County, county

FAST = TrainingConfig(rounds=60)


@pytest.fixture(scope="module")
def c() -> County:
    return county(1500, seed=7)


def _smuggled(c: County, **columns: pl.Expr) -> County:
    registry = c.registry.join(c.truth, on="subject_key").with_columns(**columns).drop("label", "guise")
    return County(registry, c.side, c.screening, c.truth)


def _train(c: County, exclude=("label", "guise")):
    cands = build_candidates(c.registry, c.side, c.screening)
    return train_model(cands, c.truth, ruleset_version="v", trained_at=TRAINED_AT, exclude=exclude, config=FAST)


def test_label_and_guise_smuggled_into_the_registry_are_dropped(c):
    leaky = County(c.registry.join(c.truth, on="subject_key"), c.side, c.screening, c.truth)
    model = _train(leaky)
    names = {f.name for f in model.features}
    assert not names & {"registry.label", "registry.guise"}
    assert set(model.meta.excluded_columns) == {"label", "guise"}
    assert model.cv.auc < 0.99  # with the answer among the features it would be 1.0


def test_columns_named_in_the_labels_file_are_dropped_whatever_their_name(c):
    leaky = _smuggled(c, 是否非法集资=pl.col("label").cast(pl.String), 认定模式=pl.col("guise"))
    model = _train(leaky, exclude=("是否非法集资", "认定模式"))
    assert {"是否非法集资", "认定模式"} <= set(model.meta.excluded_columns)
    assert not any("是否非法集资" in f.name or "认定模式" in f.name for f in model.features)


def test_an_unnamed_perfect_proxy_of_the_label_is_refused(c):
    rng = np.random.default_rng(0)
    case_numbers = pl.Series(rng.integers(1000, 9999, c.registry.height))
    leaky = _smuggled(c, 立案金额=pl.when(pl.col("label") == 1).then(case_numbers).otherwise(None),
                      处置状态=pl.when(pl.col("label") == 1).then(pl.lit("已立案")).otherwise(pl.lit("无")))
    model = _train(leaky, exclude=())
    dropped = dict(model.meta.dropped_features)
    assert {"registry.立案金额", "registry.处置状态"} <= set(dropped)
    assert "泄漏" in dropped["registry.立案金额"]
    assert "registry.employees" in {f.name for f in model.features}  # honest evidence is kept


def test_shuffled_labels_give_an_auc_near_one_half(c):
    shuffled = c.truth.with_columns(pl.col("label").shuffle(seed=3))
    model = _train(County(c.registry, c.side, c.screening, shuffled))
    assert model.cv.auc == pytest.approx(0.5, abs=0.07)
