from __future__ import annotations

import pytest

from fundwatch.learning import RiskModel, TrainingConfig, build_candidates, train_model

from .synthetic import County, county

TRAINED_AT = "2024-07-01T09:00:00+08:00"
# Fewer rounds than the default keep the suite quick; the figures asserted hold for both.
QUICK = TrainingConfig(rounds=120)


@pytest.fixture(scope="session")
def training_county() -> County:
    return county(3000, seed=1)


@pytest.fixture(scope="session")
def fresh_county() -> County:
    """Another county from the same world: data the model has never seen."""
    return county(3000, seed=2)


@pytest.fixture(scope="session")
def trained(training_county: County) -> RiskModel:
    c = training_county
    cands = build_candidates(c.registry, c.side, c.screening)
    return train_model(cands, c.truth, ruleset_version="test-1", trained_at=TRAINED_AT,
                       exclude=["guise"], config=QUICK)
