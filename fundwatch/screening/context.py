"""What every rule reads: the frames of one screening, the rule set, and the word matches shared by rules.

The text columns are scanned once per screening, whatever the number of rules
that read them: `registry_terms` holds every lexicon word found in names and
business scopes, `side_terms` every word found in ads, reports and news.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from fundwatch.lexicons import REGISTRY_FIELDS, SIDE_FIELDS, RuleParams, RuleSet, ScopeMask, Term
from fundwatch.screening.automaton import Automaton, Tagged, compile_automaton, escape, find_terms
from fundwatch.screening.sectors import assign_sectors

SIDE_TEXT_TABLES = ("ads", "reports", "news")


@dataclass(frozen=True)
class Lexicons:
    """The automata of a rule set: one per family of texts and one per record field."""

    registry: Automaton
    side: Automaton
    cause: Automaton
    kind: Automaton
    reason: Automaton
    item: Automaton


def _flat(kind: str, terms: tuple[Term, ...]) -> list[Tagged]:
    return [Tagged(kind, t.text, t.text, t) for t in terms]


@functools.lru_cache(maxsize=8)
def compile_lexicons(ruleset: RuleSet) -> Lexicons:
    """Compile the word lists of `ruleset` (cached: batches of one run share them)."""
    sectors = [Tagged("sector", s.id, s.name, t) for s in ruleset.key_sectors for t in s.keywords]
    guises = [Tagged("guise", g.id, g.name, t) for g in ruleset.guises for t in g.terms]
    targets = [Tagged("target", g.id, g.name, t) for g in ruleset.targets for t in g.terms]
    records = ruleset.records
    categories = [Tagged("change", c.id, c.name, t) for c in records.change_categories for t in c.terms]
    return Lexicons(
        registry=compile_automaton([*_flat("sensitive", ruleset.sensitive), *sectors, *guises], REGISTRY_FIELDS),
        side=compile_automaton(
            [*guises, *_flat("promise", ruleset.promises), *targets, *_flat("method", ruleset.methods),
             *_flat("hazard", ruleset.hazards)],
            SIDE_FIELDS,
        ),
        cause=compile_automaton(_flat("cause", records.judicial_causes), ("cause",)),
        kind=compile_automaton(_flat("kind", records.judicial_kinds), ("kind",)),
        reason=compile_automaton(_flat("reason", records.abnormal_reasons), ("reason",)),
        item=compile_automaton(categories, ("item",)),
    )


def _masked(scope: pl.Expr, masks: tuple[ScopeMask, ...]) -> pl.Expr:
    for mask in masks:
        scope = scope.str.replace_all(mask.regex, "")
    return scope


class Context:
    """The inputs of one screening and the matches its rules share."""

    def __init__(self, registry: pl.DataFrame, side: Mapping[str, pl.DataFrame], ruleset: RuleSet,
                 as_of: dt.date | None) -> None:
        self.registry = registry
        self.side = side
        self.ruleset = ruleset
        self.as_of = as_of
        self.lexicons = compile_lexicons(ruleset)

    def params(self, rule_id: str) -> RuleParams:
        return self.ruleset.scoring.rule(rule_id)

    def _registry_field(self, frame: pl.DataFrame, column: str, field: str, text: pl.Expr) -> pl.DataFrame:
        found = find_terms(frame, text, ("subject_key", "line"), self.lexicons.registry, field)
        return found.select(
            table=pl.lit("registry"), field=pl.lit(column), subject_key="subject_key", line="line",
            date=pl.lit(None, dtype=pl.Date), detail=pl.lit(None, dtype=pl.String), kind="kind", entry="entry",
            entry_name="entry_name", term="term", points="points",
        )

    @functools.cached_property
    def registry_terms(self) -> pl.DataFrame:
        """Every lexicon word in names and business scopes (scopes with their prohibitions masked out)."""
        masks = self.ruleset.scope_masks
        scope = pl.col("business_scope")
        parts = [self._registry_field(self.registry, "name", "name", pl.col("name"))]
        if masks:
            # the masks are regular expressions: run them only on the scopes that hold a trigger word
            triggers = sorted({t for m in masks for t in m.triggers})
            scopes = self.registry.select("subject_key", "line", "business_scope").with_columns(
                _needs=scope.str.contains("|".join(escape(t) for t in triggers)).fill_null(False))
            masked = scopes.filter("_needs").with_columns(business_scope=_masked(scope, masks))
            parts.append(self._registry_field(scopes.filter(~pl.col("_needs")), "business_scope", "scope", scope))
            parts.append(self._registry_field(masked, "business_scope", "scope", scope))
        else:
            parts.append(self._registry_field(self.registry, "business_scope", "scope", scope))
        return pl.concat(parts)

    @functools.cached_property
    def side_texts(self) -> pl.DataFrame:
        """The ads, reports and news as one frame: table, subject_key, line, date, detail, text.

        `detail` is the channel (ads, reports) or the title (news); `text` is the
        detail and the text together, as the words are looked for in both.
        """
        detail = {"ads": pl.col("channel"), "reports": pl.col("channel"), "news": pl.col("title")}
        # the channel is read too: a 老年健康讲座 or a 散发传单 says how the word spread
        text = {t: pl.concat_str(detail[t], pl.col("text"), separator="。", ignore_nulls=True) for t in detail}
        return pl.concat([
            self.side[t].select(table=pl.lit(t), subject_key="subject_key", line="line", date="date",
                                detail=detail[t], text=text[t])
            for t in SIDE_TEXT_TABLES
        ])

    @functools.cached_property
    def side_terms(self) -> pl.DataFrame:
        """Every lexicon word in the texts of ads, reports and news."""
        texts = self.side_texts
        keys = ("table", "subject_key", "line", "date", "detail")
        found = [
            find_terms(texts.filter(pl.col("table") == t), pl.col("text"), keys, self.lexicons.side, t)
            for t in SIDE_TEXT_TABLES
        ]
        return pl.concat(found).select(
            "table", field=pl.lit("text"), subject_key="subject_key", line="line", date="date", detail="detail",
            kind="kind", entry="entry", entry_name="entry_name", term="term", points="points",
        )

    @functools.cached_property
    def sectors(self) -> pl.DataFrame:
        """The key sector of each subject that has one (see `fundwatch.screening.sectors`)."""
        return assign_sectors(self.registry, self.registry_terms, self.ruleset)
