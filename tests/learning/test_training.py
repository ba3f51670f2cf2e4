"""Training with cross-validation, calibration, threshold; applying, reasons, the model file."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import roc_auc_score

from fundwatch.learning import (
    ModelFileError,
    TrainingConfig,
    TrainingError,
    apply_model,
    build_candidates,
    evaluate_model,
    model_from_json,
    model_to_json,
    train_model,
)

from .conftest import QUICK, TRAINED_AT
from .synthetic import county


def test_cross_validated_figures_are_recorded_and_sensible(trained):
    cv = trained.cv
    assert cv.subjects == 3000 and cv.positives == 300
    assert cv.auc > 0.85
    assert cv.pr_auc > 2 * cv.positives / cv.subjects  # far better than guessing
    assert 0 < trained.threshold < 1
    assert cv.f1 == pytest.approx(2 * cv.precision * cv.recall / (cv.precision + cv.recall))


def test_the_model_ranks_a_county_it_has_never_seen(trained, fresh_county):
    c = fresh_county
    dims = apply_model(trained, c.registry, c.side, c.screening)
    joined = dims.join(c.truth, on="subject_key")
    assert joined.height == c.registry.height
    assert roc_auc_score(joined["label"], joined["dim_model"]) > 0.85


def test_probabilities_are_calibrated_despite_the_up_weighted_cases(trained, fresh_county):
    c = fresh_county
    dims = apply_model(trained, c.registry, c.side, c.screening).join(c.truth, on="subject_key")
    probability = dims["dim_model"].to_numpy() / 100
    label = dims["label"].to_numpy()
    assert probability.mean() == pytest.approx(label.mean(), abs=0.03)
    top = probability >= np.quantile(probability, 0.9)
    assert label[top].mean() == pytest.approx(probability[top].mean(), abs=0.12)


def test_evaluation_on_new_data_and_on_the_training_data(trained, training_county, fresh_county):
    c = fresh_county
    held_out = evaluate_model(trained, build_candidates(c.registry, c.side, c.screening), c.truth)
    assert not held_out.training_data
    assert held_out.metrics.threshold == trained.threshold
    assert held_out.metrics.auc > 0.85 and 0 < held_out.metrics.recall <= 1
    t = training_county
    own = evaluate_model(trained, build_candidates(t.registry, t.side, t.screening), t.truth)
    assert own.training_data  # the CLI warns that these figures are in-sample
    assert own.metrics.auc > held_out.metrics.auc


def test_reasons_name_the_features_that_raised_the_probability(trained, fresh_county):
    c = fresh_county
    dims = apply_model(trained, c.registry, c.side, c.screening).sort("dim_model", descending=True)
    top = dims.row(0, named=True)
    assert top["model_reasons"].startswith(f"模型概率 {top['dim_model'] / 100:.0%}（达到阈值")
    labels = {f.label for f in trained.features}
    named = [part.split("：")[0] for part in top["model_reasons"].split("主要依据：")[1].split("；")]
    assert 1 <= len(named) <= 3 and set(named) <= labels


def test_model_file_round_trip_keeps_predictions_and_metadata(trained, fresh_county):
    text = model_to_json(trained)
    document = json.loads(text)
    assert document["meta"]["ruleset_version"] == "test-1"
    assert document["meta"]["trained_at"] == TRAINED_AT
    assert len(document["meta"]["data_hash"]) == 64
    assert {"lightgbm", "scikit-learn"} <= set(document["meta"]["libraries"])
    assert document["features"][0]["transform"] in ("number", "category", "length")
    again = model_from_json(text)
    c = fresh_county
    first = apply_model(trained, c.registry, c.side, c.screening)
    second = apply_model(again, c.registry, c.side, c.screening)
    assert first.equals(second)
    assert again.cv == trained.cv and again.features == trained.features


@pytest.mark.parametrize("text", ["not json", json.dumps({"format": "other"}),
                                  json.dumps({"format": "fundwatch-risk-model", "format_version": 99})])
def test_a_file_that_is_not_a_model_is_refused_in_chinese(text):
    with pytest.raises(ModelFileError, match="模型文件"):
        model_from_json(text)


def test_a_damaged_model_file_is_refused(trained):
    document = json.loads(model_to_json(trained))
    document["features"] = document["features"][:-1]
    with pytest.raises(ModelFileError, match="损坏"):
        model_from_json(json.dumps(document))


def test_same_seed_same_model_other_seed_other_model():
    c = county(1200, seed=3)
    cands = build_candidates(c.registry, c.side, c.screening)
    config = TrainingConfig(rounds=60, seed=11)
    first, second = (train_model(cands, c.truth, ruleset_version="v", trained_at=TRAINED_AT, config=config)
                     for _ in range(2))
    assert first.booster_text == second.booster_text and first.threshold == second.threshold
    assert model_to_json(first) == model_to_json(second)
    other = train_model(cands, c.truth, ruleset_version="v", trained_at=TRAINED_AT,
                        config=TrainingConfig(rounds=60, seed=12))
    assert other.booster_text != first.booster_text


def test_too_few_confirmed_cases_is_a_clear_error():
    c = county(300, seed=4)
    few = c.truth.with_columns(pl.when(pl.int_range(pl.len()) < 3).then(1).otherwise(0).cast(pl.Int8).alias("label"))
    cands = build_candidates(c.registry, c.side, c.screening)
    with pytest.raises(TrainingError, match="确认 3 个"):
        train_model(cands, few, ruleset_version="v", trained_at=TRAINED_AT, config=QUICK)


def test_isotonic_calibration_is_monotone_and_survives_the_model_file(training_county, fresh_county):
    c = training_county
    cands = build_candidates(c.registry, c.side, c.screening)
    model = train_model(cands, c.truth, ruleset_version="v", trained_at=TRAINED_AT,
                        config=TrainingConfig(rounds=120, calibration="isotonic"))
    assert model.calibration.method == "isotonic" and len(model.calibration.knots_x) > 2
    margins = np.linspace(-10, 10, 101)
    probabilities = model.calibration(margins)
    assert (np.diff(probabilities) >= 0).all() and 0 <= probabilities.min() <= probabilities.max() <= 1
    again = model_from_json(model_to_json(model))
    f = fresh_county
    first, second = (apply_model(m, f.registry, f.side, f.screening) for m in (model, again))
    assert first.equals(second)


HASH_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from learning.synthetic import county
from fundwatch.learning import build_candidates, encode, learn_features
from fundwatch.learning.training import data_hash, labelled
c = county(1500, seed=8)
subset, y, _ = labelled(build_candidates(c.registry, c.side, c.screening), c.truth)
features, _ = learn_features(subset)
print(data_hash(features, encode(subset, features), y))
"""


def test_the_data_hash_is_the_same_in_every_process():
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = HASH_SCRIPT.format(tests=str(Path(__file__).resolve().parent.parent))
    hashes = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(hashes) == 1 and len(hashes.pop()) == 64
