"""How well probabilities separate confirmed cases from dismissed ones, and where to cut."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

Vector = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Metrics:
    """AUC and PR-AUC over all cut-offs; precision, recall and F1 at `threshold` (probability ≥ threshold)."""

    auc: float
    pr_auc: float
    precision: float
    recall: float
    f1: float
    threshold: float
    subjects: int
    positives: int

    def headline(self) -> dict[str, float]:
        """The six figures `model evaluate --json` prints."""
        keys = ("auc", "pr_auc", "precision", "recall", "f1", "threshold")
        return {k: round(float(v), 4) for k, v in asdict(self).items() if k in keys}


def _at(labels: Vector, probabilities: Vector, threshold: float) -> tuple[float, float, float]:
    flagged = probabilities >= threshold
    true_pos = float(np.sum(flagged & (labels == 1)))
    precision = true_pos / float(flagged.sum()) if flagged.any() else 0.0
    positives = float(np.sum(labels == 1))
    recall = true_pos / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def max_f1_threshold(labels: Vector, probabilities: Vector) -> float:
    """The cut-off with the best F1 on these (held-out) probabilities."""
    precision, recall, thresholds = precision_recall_curve(labels, probabilities)
    precision, recall = np.asarray(precision[:-1]), np.asarray(recall[:-1])
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return float(np.asarray(thresholds)[int(np.argmax(f1))])


def metrics(labels: Vector, probabilities: Vector, threshold: float) -> Metrics:
    """All figures for one set of labelled predictions; AUCs are 0.5 and 0 when one class is absent."""
    both = 0 < labels.sum() < labels.size
    precision, recall, f1 = _at(labels, probabilities, threshold)
    return Metrics(
        auc=float(roc_auc_score(labels, probabilities)) if both else 0.5,
        pr_auc=float(average_precision_score(labels, probabilities)) if both else 0.0,
        precision=precision, recall=recall, f1=f1, threshold=threshold,
        subjects=int(labels.size), positives=int(labels.sum()),
    )
