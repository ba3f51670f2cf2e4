"""The screening engine: lexicon rules and scores over typed frames (pure; no I/O).

`screen(registry, SideTables(...), load_ruleset("menghai"))` returns a `Screening`
with `scores` (one graded, explained row per registry row) and `hits` (the
evidence behind every point). The rules are listed in `RULES`. A run over many
registry batches prepares its side tables once (`prepare_side`) and hands the
`PreparedSide` to `screen` for every batch, or screens each batch's registry
(`screen_registry`) while they are being prepared and finishes it after
(`finish_screening`).
"""

from fundwatch.frames import ScreeningInputError
from fundwatch.screening.engine import (
    SCREEN_HITS_SCHEMA,
    PreparedSide,
    RegistryPass,
    Screening,
    SideTables,
    default_as_of,
    finish_screening,
    prepare_side,
    screen,
    screen_registry,
)
from fundwatch.screening.external import add_dimension
from fundwatch.screening.rules import RULES, Rule

__all__ = [
    "RULES",
    "SCREEN_HITS_SCHEMA",
    "PreparedSide",
    "RegistryPass",
    "Rule",
    "Screening",
    "ScreeningInputError",
    "SideTables",
    "add_dimension",
    "default_as_of",
    "finish_screening",
    "prepare_side",
    "screen",
    "screen_registry",
]
