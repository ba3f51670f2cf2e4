"""A trained risk model and its one-file form: a JSON document holding the LightGBM text model.

JSON rather than a pickle: a model file can be read, diffed and checked by a person, and opening
one never runs code. Everything needed to use and to judge it travels in the file: the features
(with their categories), the calibration, the threshold, the cross-validated metrics, the hash of
the training data, the rule-set version, the training date and the library versions.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from fundwatch.learning.calibration import METHODS, Calibration
from fundwatch.learning.features import Feature
from fundwatch.learning.metrics import Metrics

FORMAT = "fundwatch-risk-model"
FORMAT_VERSION = 1

Vector = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float64]


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why, in Chinese."""


@dataclass(frozen=True)
class ModelMeta:
    data_hash: str  # sha256 of the training matrix and labels
    ruleset_version: str
    trained_at: str  # ISO 8601, given by the caller (the engine does not read the clock)
    reference_date: str  # the day recency was counted back from in training
    libraries: dict[str, str]
    params: dict[str, Any]
    folds: int
    seed: int
    subjects: int
    positives: int
    sides: tuple[str, ...]  # side tables the model was trained with
    excluded_columns: tuple[str, ...]  # registry columns named like the labels file's columns
    dropped_features: tuple[tuple[str, str], ...]  # (feature, why) left out as suspected leakage
    labels_unmatched: int  # labelled keys not found in the registry


@dataclass
class RiskModel:
    features: tuple[Feature, ...]
    booster_text: str
    calibration: Calibration
    threshold: float
    cv: Metrics  # out-of-fold figures from training
    meta: ModelMeta
    _booster: Any = field(default=None, repr=False, compare=False)

    def booster(self) -> Any:
        if self._booster is None:
            self._booster = lgb.Booster(model_str=self.booster_text)
        return self._booster

    @property
    def threads(self) -> int:
        return int(self.meta.params.get("num_threads", 1))

    def margins(self, matrix: Matrix) -> Vector:
        if matrix.shape[0] == 0:
            return np.zeros(0)
        return np.asarray(self.booster().predict(matrix, raw_score=True, num_threads=self.threads), dtype=np.float64)

    def probabilities(self, matrix: Matrix) -> Vector:
        return self.calibration(self.margins(matrix))

    def contributions(self, matrix: Matrix) -> Matrix:
        """Per-feature SHAP values of the raw score (LightGBM pred_contrib), bias column dropped."""
        if matrix.shape[0] == 0:
            return np.zeros((0, len(self.features)))
        contrib = self.booster().predict(matrix, pred_contrib=True, num_threads=self.threads)
        contrib = np.asarray(contrib, dtype=np.float64)
        return contrib[:, :-1]


def model_to_json(model: RiskModel) -> str:
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "threshold": model.threshold,
        "cv_metrics": asdict(model.cv),
        "meta": asdict(model.meta),
        "calibration": asdict(model.calibration),
        "features": [asdict(f) for f in model.features],
        "lightgbm_model": model.booster_text,
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def _feature(raw: dict[str, Any]) -> Feature:
    return Feature(
        name=str(raw["name"]), transform=raw["transform"], origin=str(raw["origin"]), label=str(raw["label"]),
        categories=tuple(str(c) for c in raw.get("categories", ())), money=bool(raw.get("money", False)),
    )


def _meta(raw: dict[str, Any]) -> ModelMeta:
    raw = dict(raw)
    for key in ("sides", "excluded_columns"):
        raw[key] = tuple(raw[key])
    raw["dropped_features"] = tuple((str(a), str(b)) for a, b in raw["dropped_features"])
    return ModelMeta(**raw)


def _calibration(raw: dict[str, Any]) -> Calibration:
    if raw.get("method") not in METHODS:
        raise ModelFileError(f"模型文件的校准方法“{raw.get('method')}”无法识别")
    return Calibration(
        method=raw["method"], slope=float(raw["slope"]), intercept=float(raw["intercept"]),
        knots_x=tuple(float(x) for x in raw["knots_x"]), knots_y=tuple(float(y) for y in raw["knots_y"]),
    )


def model_from_json(text: str) -> RiskModel:
    """The model in `text`; ModelFileError when it is not a Fundwatch model of a version this code reads."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise ModelFileError(f"不是有效的模型文件（JSON 第 {err.lineno} 行有误）") from err
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError("不是 Fundwatch 风险模型文件（缺少 format: fundwatch-risk-model）")
    if document.get("format_version") != FORMAT_VERSION:
        found = document.get("format_version")
        raise ModelFileError(f"模型文件格式版本 {found} 不受支持（本程序读取版本 {FORMAT_VERSION}）")
    try:
        model = RiskModel(
            features=tuple(_feature(f) for f in document["features"]),
            booster_text=str(document["lightgbm_model"]),
            calibration=_calibration(document["calibration"]),
            threshold=float(document["threshold"]),
            cv=Metrics(**document["cv_metrics"]),
            meta=_meta(document["meta"]),
        )
        booster = model.booster()
    except (KeyError, TypeError, ValueError, lgb.basic.LightGBMError) as err:
        raise ModelFileError(f"模型文件内容不完整或已损坏：{err}") from err
    if booster.num_feature() != len(model.features):
        raise ModelFileError("模型文件已损坏：特征清单与 LightGBM 模型的特征数不一致")
    return model
