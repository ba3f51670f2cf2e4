"""Lexicons as data: the words, weights, thresholds and locality tables screening reads.

`load_ruleset(profile)` reads the YAML files under `data/` (or a directory of a
locality's own) into a checked, frozen `RuleSet`; a bad file raises
`LexiconError` naming the file, the entry and the problem.
"""

from fundwatch.lexicons.checks import LexiconError
from fundwatch.lexicons.loader import DATA_DIR, RULE_SCHEMA, list_profiles, load_ruleset
from fundwatch.lexicons.model import (
    REGISTRY_FIELDS,
    SIDE_FIELDS,
    Assignment,
    Corroboration,
    Entry,
    MultiplePattern,
    Profile,
    RatePattern,
    Records,
    RuleParams,
    RuleSet,
    ScopeMask,
    Scoring,
    Sector,
    Term,
    Tier,
)

__all__ = [
    "DATA_DIR",
    "REGISTRY_FIELDS",
    "RULE_SCHEMA",
    "SIDE_FIELDS",
    "Assignment",
    "Corroboration",
    "Entry",
    "LexiconError",
    "MultiplePattern",
    "Profile",
    "RatePattern",
    "Records",
    "RuleParams",
    "RuleSet",
    "ScopeMask",
    "Scoring",
    "Sector",
    "Term",
    "Tier",
    "list_profiles",
    "load_ruleset",
]
