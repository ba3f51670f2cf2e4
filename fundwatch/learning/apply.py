"""Using a trained model: the `model` dimension of a screening, and evaluation against labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from fundwatch.learning.candidates import Candidates, ScreeningLike, candidate_frame, reference_date, side_frames
from fundwatch.learning.features import encode
from fundwatch.learning.metrics import Metrics, metrics
from fundwatch.learning.model import RiskModel
from fundwatch.learning.reasons import reason_texts
from fundwatch.learning.training import data_hash, labelled

MODEL_DIM_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "dim_model": pl.Float64(),  # calibrated probability × 100, one decimal, like the other dimensions
    "model_reasons": pl.String(),  # readable Chinese: probability, threshold, top contributing features
}


def build_candidates(registry: pl.DataFrame, side: object, screening: ScreeningLike,
                     as_of: date | None = None) -> Candidates:
    """The candidate frame for `registry`; `side` is a SideTables or a mapping kind -> frame.

    Without `as_of` the reference date comes from the side tables (see `reference_date`), so every
    batch of one screening run gets the same date when side tables are given.
    """
    frames = side_frames(side)
    return candidate_frame(registry, frames, screening, as_of or reference_date(frames, registry))


def apply_model(model: RiskModel, registry: pl.DataFrame, side: object, screening: ScreeningLike,
                *, as_of: date | None = None, explain_all: bool = False) -> pl.DataFrame:
    """The `model` dimension for every registry subject (MODEL_DIM_SCHEMA).

    Reasons name features only for subjects at or above the model's threshold unless `explain_all`:
    SHAP values cost about a millisecond a subject, too much for a million-row registry, and below
    the threshold "低于阈值" is the reason. Raises MissingFeaturesError (a Chinese message naming the
    missing columns and side tables) when the data lacks inputs the model was trained on.
    """
    cands = build_candidates(registry, side, screening, as_of)
    matrix = encode(cands, model.features)
    probabilities = model.probabilities(matrix)
    explained = np.ones(matrix.shape[0], dtype=bool) if explain_all else probabilities >= model.threshold
    contributions = np.zeros_like(matrix)
    if explained.any():
        contributions[explained] = model.contributions(matrix[explained])
    reasons = reason_texts(model.features, matrix, probabilities, contributions, model.threshold)
    return pl.DataFrame(
        {"subject_key": cands.frame.get_column("subject_key"), "dim_model": np.round(probabilities * 100, 1),
         "model_reasons": reasons},
        schema=MODEL_DIM_SCHEMA,
    )


def model_dimension(dims: pl.DataFrame, model: RiskModel) -> pl.DataFrame:
    """`apply_model`'s frame as an external dimension for `fundwatch.screening.add_dimension`.

    The model's reasons become evidence only for subjects at or above its threshold: below it the
    model has nothing to say that a person should read beside the rules' evidence.
    """
    flagged = pl.col("dim_model") >= round(model.threshold * 100, 1)
    return dims.select(
        "subject_key", "dim_model",
        evidence_model=pl.when(flagged).then(pl.col("model_reasons")).otherwise(pl.lit(None, pl.String)),
    )


@dataclass(frozen=True)
class Evaluation:
    metrics: Metrics
    training_data: bool  # the model's own training data: the figures are in-sample, optimistic
    labels_unmatched: int  # labelled keys not in the registry


def evaluate_model(model: RiskModel, cands: Candidates, labels: pl.DataFrame) -> Evaluation:
    """The model's figures on labelled subjects, at the model's own threshold."""
    subset, y, unmatched = labelled(cands, labels)
    matrix = encode(subset, model.features)
    probabilities = model.probabilities(matrix)
    same = data_hash(model.features, matrix, y) == model.meta.data_hash
    return Evaluation(metrics(y, probabilities, model.threshold), same, unmatched)
