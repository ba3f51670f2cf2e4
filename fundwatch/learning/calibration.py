"""Raw boosting scores → probabilities a person can read as "how likely", fitted on held-out scores.

The booster is trained with the positive class up-weighted (confirmed cases are rare), so its raw
scores overstate risk; a calibration map fitted on out-of-fold scores undoes that. Platt scaling
(a logistic curve, two numbers) is the default: it keeps the ranking and is stable with the few
dozen confirmed cases a county has. Isotonic (a step curve) needs more cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from sklearn.isotonic import IsotonicRegression

Vector = npt.NDArray[np.float64]
Method = Literal["platt", "isotonic"]
METHODS: tuple[Method, ...] = ("platt", "isotonic")


@dataclass(frozen=True)
class Calibration:
    method: Method
    slope: float = 1.0
    intercept: float = 0.0
    knots_x: tuple[float, ...] = ()
    knots_y: tuple[float, ...] = ()

    def __call__(self, margin: Vector) -> Vector:
        if self.method == "isotonic":
            curve: Vector = np.interp(margin, np.asarray(self.knots_x), np.asarray(self.knots_y))
            return curve
        return _sigmoid(self.slope * margin + self.intercept)


def _sigmoid(z: Vector) -> Vector:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _platt_loss(margin: Vector, targets: Vector, a: float, b: float) -> float:
    z = a * margin + b
    return float(np.sum(np.logaddexp(0.0, z) - targets * z))


def fit_platt(margin: Vector, labels: Vector) -> Calibration:
    """Platt's logistic fit with his smoothed targets (no probability of exactly 0 or 1), by Newton steps."""
    pos = float(labels.sum())
    neg = float(labels.size) - pos
    targets = np.where(labels == 1, (pos + 1) / (pos + 2), 1 / (neg + 2))
    a, b = 1.0, float(np.log((pos + 1) / (neg + 1)))
    for _ in range(100):
        p = _sigmoid(a * margin + b)
        grad = np.array([np.sum((p - targets) * margin), np.sum(p - targets)])
        w = p * (1 - p)
        hess = np.array([[np.sum(w * margin * margin), np.sum(w * margin)], [np.sum(w * margin), np.sum(w)]])
        step = np.linalg.solve(hess + 1e-9 * np.eye(2), grad)
        scale, before = 1.0, _platt_loss(margin, targets, a, b)
        while scale > 1e-8 and _platt_loss(margin, targets, a - scale * step[0], b - scale * step[1]) > before:
            scale /= 2
        a, b = a - scale * float(step[0]), b - scale * float(step[1])
        if scale * float(np.abs(step).max()) < 1e-10:
            break
    return Calibration("platt", slope=a, intercept=b)


def fit_isotonic(margin: Vector, labels: Vector) -> Calibration:
    """The monotone step curve that best fits the held-out labels."""
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(margin, labels)
    return Calibration(
        "isotonic",
        knots_x=tuple(float(x) for x in iso.X_thresholds_), knots_y=tuple(float(y) for y in iso.y_thresholds_),
    )


def fit(method: Method, margin: Vector, labels: Vector) -> Calibration:
    return fit_isotonic(margin, labels) if method == "isotonic" else fit_platt(margin, labels)
