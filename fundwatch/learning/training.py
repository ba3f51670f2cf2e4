"""Training: stratified K-fold cross-validation, calibration and threshold on the held-out folds, final fit.

Every figure the model reports about itself comes from predictions on folds it was not trained on;
the final booster is then fitted on all labelled subjects with the same settings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import polars as pl
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from fundwatch.learning import calibration
from fundwatch.learning.candidates import Candidates
from fundwatch.learning.features import Feature, encode, learn_features
from fundwatch.learning.metrics import max_f1_threshold, metrics
from fundwatch.learning.model import ModelMeta, RiskModel

Vector = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float64]

# Sums of floats differ in their last bits with the order Polars adds them in; the hash must not.
HASH_DECIMALS = 6
# Fewer confirmed (or dismissed) cases than this per fold and the held-out figures mean nothing.
MIN_PER_FOLD = 2


class TrainingError(ValueError):
    """Labels the model cannot be trained on; the message says why, in Chinese."""


@dataclass(frozen=True)
class TrainingConfig:
    """Settings of one training run; the defaults suit a county's few thousand labelled subjects."""

    folds: int = 5
    seed: int = 20240517
    rounds: int = 400  # at most; each fold stops early on a slice of its own training part
    patience: int = 40
    min_rounds: int = 30
    # log-loss keeps improving while the booster grows surer; AUC saturates at 1.0 on clear cases and
    # would stop after a handful of trees
    stopping_metric: str = "binary_logloss"
    learning_rate: float = 0.05
    num_leaves: int = 15
    min_data_in_leaf: int = 20
    calibration: calibration.Method = "platt"
    threads: int = 1  # OpenMP threads; more than the idle cores makes LightGBM much slower, not faster


def lightgbm_params(config: TrainingConfig, labels: Vector) -> dict[str, Any]:
    positives = float(labels.sum())
    return {
        "objective": "binary",
        "learning_rate": config.learning_rate,
        "num_leaves": config.num_leaves,
        "min_data_in_leaf": config.min_data_in_leaf,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        # confirmed cases are rare: weigh them as much as all dismissed ones together
        "scale_pos_weight": (labels.size - positives) / positives,
        # categories are small groups in a county (a status value, a township): LightGBM's default
        # of 100 rows per group would leave most of them unused
        "min_data_per_group": 10,
        "cat_smooth": 10.0,
        "max_cat_to_onehot": 8,
        "seed": config.seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": config.threads,
        "verbosity": -1,
    }


def _dataset(matrix: Matrix, labels: Vector, features: Sequence[Feature], reference: Any = None,
             weight: Vector | None = None) -> Any:
    categorical = [i for i, f in enumerate(features) if f.categorical]
    return lgb.Dataset(matrix, label=labels, weight=weight, feature_name=[f"f{i}" for i in range(len(features))],
                       categorical_feature=categorical, params={"verbosity": -1}, reference=reference,
                       free_raw_data=True)


def fit_booster(matrix: Matrix, labels: Vector, features: Sequence[Feature], params: dict[str, Any],
                rounds: int) -> Any:
    return lgb.train(params, _dataset(matrix, labels, features), num_boost_round=rounds)


def _early_stopped(matrix: Matrix, labels: Vector, features: Sequence[Feature], config: TrainingConfig) -> Any:
    """A booster whose number of rounds is chosen on a stratified fifth of `matrix`, never on held-out data."""
    inner = StratifiedKFold(n_splits=5, shuffle=True, random_state=config.seed)
    fit, stop = next(inner.split(matrix, labels))
    params = {**lightgbm_params(config, labels[fit]), "metric": config.stopping_metric}
    train_set = _dataset(matrix[fit], labels[fit], features)
    # the stopping slice weighs confirmed cases as training does, so its log-loss measures what the
    # booster is fitted to, not the up-weighting itself
    weight = np.where(labels[stop] == 1, params["scale_pos_weight"], 1.0)
    valid_set = _dataset(matrix[stop], labels[stop], features, reference=train_set, weight=weight)
    return lgb.train(params, train_set, num_boost_round=config.rounds, valid_sets=[valid_set],
                     callbacks=[lgb.early_stopping(config.patience, verbose=False)])


def out_of_fold_margins(matrix: Matrix, labels: Vector, features: Sequence[Feature],
                        config: TrainingConfig) -> tuple[Vector, int]:
    """Each subject's raw score from the booster trained on the other folds, and the median rounds chosen."""
    margins = np.zeros(labels.size)
    rounds = []
    folds = StratifiedKFold(n_splits=config.folds, shuffle=True, random_state=config.seed)
    for train, held_out in folds.split(matrix, labels):
        booster = _early_stopped(matrix[train], labels[train], features, config)
        rounds.append(max(config.min_rounds, int(booster.best_iteration)))
        margins[held_out] = booster.predict(matrix[held_out], raw_score=True, num_iteration=rounds[-1],
                                            num_threads=config.threads)
    return margins, int(np.median(rounds))


def data_hash(features: Sequence[Feature], matrix: Matrix, labels: Vector) -> str:
    """sha256 of the data itself: the labels and the registry and side-table features, by subject key.

    The screening's features are left out: they follow from the same data and the rule set, whose
    version the model records on its own, so a new rule-set version does not make the same
    files look like other data.
    """
    data = [i for i, f in enumerate(features) if f.origin not in ("screening", "rules")]
    digest = hashlib.sha256("\n".join(features[i].name for i in data).encode())
    digest.update(np.ascontiguousarray(np.round(matrix[:, data], HASH_DECIMALS)).tobytes())
    digest.update(np.ascontiguousarray(labels).tobytes())
    return digest.hexdigest()


def labelled(cands: Candidates, labels: pl.DataFrame) -> tuple[Candidates, Vector, int]:
    """The labelled subjects only, in key order; and how many labels match no registry subject."""
    joined = cands.frame.join(labels.select("subject_key", "label"), on="subject_key", how="inner")
    joined = joined.sort("subject_key")
    unmatched = labels.height - joined.height
    y = joined.get_column("label").cast(pl.Float64).to_numpy()
    subset = Candidates(frame=joined.drop("label"), as_of=cands.as_of, labels=cands.labels,
                        origins=cands.origins, sides=cands.sides, side_columns=cands.side_columns,
                        money=cands.money)
    return subset, y, unmatched


def perfect_separators(matrix: Matrix, labels: Vector, features: Sequence[Feature]) -> list[tuple[str, str]]:
    """Registry columns that alone sort every confirmed case above every dismissed one (or the reverse).

    Real evidence is never that clean; a column that is, is the answer under another name (a case
    number filled in only for confirmed cases, a 处置状态 column). Engine results are exempt: they
    are computed from the evidence, not from the answer.
    """
    dropped = []
    for i, feature in enumerate(features):
        if feature.origin != "registry":
            continue
        column = _nan_lowest(matrix[:, i])
        if feature.categorical:
            values = np.unique(column)
            if values.size > 1 and all(np.unique(labels[column == v]).size == 1 for v in values):
                dropped.append((feature.name, "该类别列的每个取值只对应一种标签，疑似标签泄漏"))
        elif float(roc_auc_score(labels, column)) in (0.0, 1.0):
            dropped.append((feature.name, "该列单独即可完全区分正负样本，疑似标签泄漏"))
    return dropped


def _nan_lowest(column: Vector) -> Vector:
    """Unknown values as one value below all known ones, so an empty-only-for-negatives column counts."""
    finite = column[np.isfinite(column)]
    return np.where(np.isnan(column), float(finite.min()) - 1.0 if finite.size else 0.0, column)


def _check_labels(y: Vector, config: TrainingConfig) -> None:
    positives, negatives = int(y.sum()), int(y.size - y.sum())
    need = config.folds * MIN_PER_FOLD
    if positives < need or negatives < need:
        raise TrainingError(
            f"可用于训练的标注样本不足：确认 {positives} 个、排除 {negatives} 个（与登记表匹配后）；"
            f"{config.folds} 折交叉验证每类至少需要 {need} 个"
        )


def train_model(cands: Candidates, labels: pl.DataFrame, *, ruleset_version: str, trained_at: str,
                exclude: Collection[str] = (), config: TrainingConfig | None = None) -> RiskModel:
    """Train, cross-validate, calibrate and threshold a risk model on the labelled subjects of `cands`.

    `labels` has subject_key and label (0/1); `exclude` names the labels file's columns, which are
    never features.
    """
    config = config or TrainingConfig()
    subset, y, unmatched = labelled(cands, labels)
    _check_labels(y, config)
    features, excluded = learn_features(subset, exclude)
    dropped = perfect_separators(encode(subset, features), y, features)
    features = [f for f in features if f.name not in {name for name, _ in dropped}]
    if not features:
        raise TrainingError("没有可用的特征：请检查登记表与旁表是否为空")
    matrix = encode(subset, features)
    oof, rounds = out_of_fold_margins(matrix, y, features, config)
    calib = calibration.fit(config.calibration, oof, y)
    oof_prob = calib(oof)
    threshold = max_f1_threshold(y, oof_prob)
    params = lightgbm_params(config, y)
    booster = fit_booster(matrix, y, features, params, rounds)
    meta = ModelMeta(
        data_hash=data_hash(features, matrix, y), ruleset_version=ruleset_version, trained_at=trained_at,
        reference_date=cands.as_of.isoformat(),
        libraries={lib: version(lib) for lib in ("lightgbm", "scikit-learn", "numpy", "polars")},
        params={**params, "rounds": rounds, "max_rounds": config.rounds, "calibration": config.calibration},
        folds=config.folds, seed=config.seed, subjects=int(y.size), positives=int(y.sum()),
        sides=tuple(sorted(cands.sides)), excluded_columns=tuple(excluded), dropped_features=tuple(dropped),
        labels_unmatched=unmatched,
    )
    return RiskModel(features=tuple(features), booster_text=booster.model_to_string(), calibration=calib,
                     threshold=threshold, cv=metrics(y, oof_prob, threshold), meta=meta)
