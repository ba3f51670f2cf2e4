"""Why the model rates a subject as it does, in a sentence an analyst reads.

The reasons are the features with the largest positive SHAP contributions (LightGBM's pred_contrib)
to the subject's raw score: what pushed this subject's risk up, with its value and weight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from fundwatch.learning.features import Feature

Vector = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float64]

TOP_REASONS = 3


def feature_value(feature: Feature, value: float) -> str:
    """A feature's value as people write it: the category's word, money in 万元, whole counts whole."""
    if math.isnan(value):
        return "空"
    if feature.categorical:
        index = int(value)
        return feature.categories[index] if index < len(feature.categories) else "其他"
    if feature.money:
        return f"{value / 10_000:,.2f}万元"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.2f}"


def reason_texts(features: Sequence[Feature], matrix: Matrix, probabilities: Vector, contributions: Matrix,
                 threshold: float, top: int = TOP_REASONS) -> list[str]:
    """One sentence per row: the probability against the threshold, then the strongest reasons."""
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :top]
    texts = []
    for row, probability in enumerate(probabilities):
        head = f"模型概率 {probability:.0%}（{'达到' if probability >= threshold else '低于'}阈值 {threshold:.0%}）"
        parts = [
            f"{features[i].label}：{feature_value(features[i], float(matrix[row, i]))}（+{contributions[row, i]:.2f}）"
            for i in order[row] if contributions[row, i] > 0
        ]
        texts.append(head + ("，主要依据：" + "；".join(parts) if parts else ""))
    return texts
