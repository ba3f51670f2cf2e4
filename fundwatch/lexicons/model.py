"""The rule set: every word, weight, threshold and table the screening reads, typed and frozen.

Built by `fundwatch.lexicons.load_ruleset` from the YAML files under
`fundwatch/lexicons/data/`; nothing here is read from code. Everything is a
tuple or a frozen dataclass so a rule set is hashable and can key a cache.
"""

from __future__ import annotations

from dataclasses import dataclass

# Text fields a word can count in: the registry's name and business scope, and
# the texts of the ads, reports and news side tables. (Words that classify records
# count in the record's field: cause, kind, reason, item.)
REGISTRY_FIELDS: tuple[str, ...] = ("name", "scope")
SIDE_FIELDS: tuple[str, ...] = ("ads", "reports", "news")
FIELD_GROUPS: dict[str, tuple[str, ...]] = {"registry": REGISTRY_FIELDS, "side": SIDE_FIELDS}


@dataclass(frozen=True)
class Term:
    """One word of a lexicon, the points it scores in each field where it counts, and its exceptions."""

    text: str
    points: tuple[tuple[str, float], ...]  # (field, points), one pair per field where the word counts
    exceptions: tuple[str, ...] = ()  # longer phrases containing the word in which it is generic

    def points_in(self, field: str) -> float | None:
        """Points in `field`, or None when the word does not count there."""
        return next((p for f, p in self.points if f == field), None)


@dataclass(frozen=True)
class Entry:
    """A named group of terms: a guise, a target group, a change category."""

    id: str
    name: str
    terms: tuple[Term, ...]
    behaviour_class: str = ""  # guises only: the key-behaviour class id


@dataclass(frozen=True)
class Sector:
    """A key sector: how a subject is recognised as belonging to it, and what that weighs."""

    id: str
    name: str
    points: float
    guise: str
    industry_codes: tuple[str, ...]
    entity_types: tuple[str, ...]
    keywords: tuple[Term, ...]


@dataclass(frozen=True)
class ScopeMask:
    """A clause removed from business scopes before words are looked for; runs only where a trigger occurs."""

    triggers: tuple[str, ...]
    regex: str


@dataclass(frozen=True)
class RatePattern:
    """A regular expression that finds a stated rate of return for one period."""

    label: str
    regex: str
    per_year: float


@dataclass(frozen=True)
class MultiplePattern:
    """A regular expression that finds a claim of multiplying the money (翻10倍), and what it scores."""

    regex: str
    points: float


@dataclass(frozen=True)
class Tier:
    """From `minimum` upwards a value scores `points` (until the next tier)."""

    minimum: float
    points: float


@dataclass(frozen=True)
class Assignment:
    """One row of a locality's sector → lead-department table (职责分工)."""

    area: str
    department: str
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    """A locality: its region, its key sectors and who leads on each."""

    id: str
    name: str
    region_code: str
    place_names: tuple[str, ...]
    office: str
    default_department: str
    assignments: tuple[Assignment, ...]

    def department_of(self, sector_id: str) -> str | None:
        """The lead department of a sector, or None when the sector is not key here."""
        return next((a.department for a in self.assignments if sector_id in a.sectors), None)

    @property
    def sector_ids(self) -> tuple[str, ...]:
        return tuple(s for a in self.assignments for s in a.sectors)

    @property
    def home_prefix(self) -> str:
        """Prefix of every region code inside this locality: 532822 for a county, 3502 for a city."""
        prefix = self.region_code
        while len(prefix) > 2 and prefix.endswith("00"):
            prefix = prefix[:-2]
        return prefix

    @property
    def parent_codes(self) -> tuple[str, ...]:
        """The city and province above the locality: registering there is not registering elsewhere."""
        code = self.region_code
        return tuple(dict.fromkeys(c for c in (code[:4] + "00", code[:2] + "0000") if c != code))


@dataclass(frozen=True)
class RuleParams:
    """How one rule scores: its dimension, its cap per subject, its points, tiers and named thresholds."""

    dimension: str
    cap: float
    points: float = 0.0
    tiers: tuple[Tier, ...] = ()
    thresholds: tuple[tuple[str, float], ...] = ()

    def threshold(self, name: str) -> float:
        """A named threshold; KeyError when the rule has none of that name (the loader checks them)."""
        for key, value in self.thresholds:
            if key == name:
                return value
        raise KeyError(name)


@dataclass(frozen=True)
class Corroboration:
    """When one kind of evidence alone may lift the index to yellow and beyond."""

    min_groups: int
    standalone_points: float
    cap: float


@dataclass(frozen=True)
class Scoring:
    """Dimension weights, grade cut-offs, corroboration and per-rule parameters."""

    weights: tuple[tuple[str, float], ...]
    grades: tuple[tuple[str, float], ...]  # (grade, lower bound), highest first; green below the last
    corroboration: Corroboration
    evidence_per_rule: int
    fx_to_cny: tuple[tuple[str, float], ...]
    rules: tuple[tuple[str, RuleParams], ...]
    # weights of dimensions from outside the rules (fund flows, the learned model), used when given
    external_weights: tuple[tuple[str, float], ...] = ()

    def weight(self, dimension: str) -> float:
        return dict(self.weights + self.external_weights)[dimension]

    def rule(self, rule_id: str) -> RuleParams:
        """Parameters of a rule; KeyError for a rule scoring.yaml does not list."""
        return dict(self.rules)[rule_id]


@dataclass(frozen=True)
class Records:
    """Words that classify side-table records."""

    judicial_causes: tuple[Term, ...]
    judicial_kinds: tuple[Term, ...]
    abnormal_reasons: tuple[Term, ...]
    change_categories: tuple[Entry, ...]
    closed_statuses: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    """Everything the screening reads, for one locality profile, with its version."""

    version: str
    profile: Profile
    sensitive: tuple[Term, ...]
    scope_masks: tuple[ScopeMask, ...]
    sectors: tuple[Sector, ...]
    behaviour_classes: tuple[tuple[str, str], ...]  # (id, name) of 001's key-behaviour classes
    guises: tuple[Entry, ...]
    promises: tuple[Term, ...]
    rates: tuple[RatePattern, ...]
    multiples: MultiplePattern
    rate_tiers: tuple[Tier, ...]
    targets: tuple[Entry, ...]
    methods: tuple[Term, ...]
    hazards: tuple[Term, ...]
    records: Records
    scoring: Scoring

    @property
    def key_sectors(self) -> tuple[Sector, ...]:
        """The sectors the profile's table names, in sectors.yaml order."""
        wanted = set(self.profile.sector_ids)
        return tuple(s for s in self.sectors if s.id in wanted)
