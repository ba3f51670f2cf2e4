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
_REGISTRY_DERIVED = ("registry_terms", "sectors")  # cached properties that read the registry alone


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

    def with_side(self, side: Mapping[str, pl.DataFrame]) -> Context:
        """The same registry with other side tables; the registry's word matches and sectors, once found,
        are shared rather than found again."""
        other = Context(self.registry, side, self.ruleset, self.as_of)
        for name in _REGISTRY_DERIVED:
            if name in self.__dict__:
                other.__dict__[name] = self.__dict__[name]
        return other

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
        """Every lexicon word in names and business scopes (scopes with their prohibitions masked out).

        Names are scanned row by row; business scopes repeat (a county's firms copy a few
        thousand standard wordings), so each distinct scope is scanned once and its words
        joined back to every row that has it, in the order they occur in the text.
        """
        names = self._registry_field(self.registry, "name", "name", pl.col("name"))
        return pl.concat([names, self._scope_terms()])

    def _scope_terms(self) -> pl.DataFrame:
        masks = self.ruleset.scope_masks
        scope = pl.col("business_scope")
        distinct = self.registry.select(scope).drop_nulls().unique().with_row_index("_scope")
        text = scope
        if masks:
            # the masks are regular expressions: run them only on the scopes that hold a trigger word
            triggers = "|".join(escape(t) for t in sorted({t for m in masks for t in m.triggers}))
            text = pl.when(scope.str.contains(triggers)).then(_masked(scope, masks)).otherwise(scope)
        found = find_terms(distinct.select("_scope", "business_scope", text.alias("_text")), pl.col("_text"),
                           ("_scope", "business_scope"), self.lexicons.registry, "scope")
        rows = self.registry.select("subject_key", "line", "business_scope").with_row_index("_at")
        return (
            rows.join(found.with_row_index("_k"), on="business_scope", how="inner")
            .sort("_at", "_k")
            .select(
                table=pl.lit("registry"), field=pl.lit("business_scope"), subject_key="subject_key", line="line",
                date=pl.lit(None, dtype=pl.Date), detail=pl.lit(None, dtype=pl.String), kind="kind", entry="entry",
                entry_name="entry_name", term="term", points="points",
            )
        )

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
