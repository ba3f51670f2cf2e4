"""Learned risk model: features from the registry, side tables and screening; training; evaluation; reasons.

Pure like every engine: frames and strings in, frames and strings out; the CLI reads and writes files.
"""

from fundwatch.learning.apply import (
    MODEL_DIM_SCHEMA,
    Evaluation,
    apply_model,
    build_candidates,
    evaluate_model,
    model_dimension,
)
from fundwatch.learning.candidates import Candidates, candidate_frame, reference_date, side_frames
from fundwatch.learning.features import Feature, MissingFeaturesError, encode, learn_features
from fundwatch.learning.metrics import Metrics
from fundwatch.learning.model import ModelFileError, RiskModel, model_from_json, model_to_json
from fundwatch.learning.training import TrainingConfig, TrainingError, train_model

__all__ = [
    "MODEL_DIM_SCHEMA",
    "Candidates",
    "Evaluation",
    "Feature",
    "Metrics",
    "MissingFeaturesError",
    "ModelFileError",
    "RiskModel",
    "TrainingConfig",
    "TrainingError",
    "apply_model",
    "build_candidates",
    "candidate_frame",
    "encode",
    "evaluate_model",
    "learn_features",
    "model_dimension",
    "model_from_json",
    "model_to_json",
    "reference_date",
    "side_frames",
    "train_model",
]
