"""Word lists as one pass per text column.

All lexicons that read the same texts (name and scope; or ads, reports and news)
are compiled into one alternation of literals, longest first, and matched with
Polars' `str.extract_all`: the Rust regex engine finds leftmost, non-overlapping
matches and, at one position, prefers the first (longest) alternative, so
投资咨询 is found as 投资咨询 and not as 投资. (`str.extract_many`, the
Aho-Corasick routine, reports the match that ends first, 投资, and measured
about twice as slow on business scopes.) A pattern may stand for several lexicon entries: a
longer word carries every shorter word of another lexicon it contains
(股权众筹 is also the crowdfunding sector's 众筹), and within one lexicon only the
longest (基金管理, not 基金 as well). A word's exception phrases (互联网信息服务 for
信息服务) are patterns too: matched as a whole, they swallow the word inside them
and stand for nothing of that word. Matching is ASCII case-insensitive (p2p = P2P).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from fundwatch.lexicons import Term

TABLE_SCHEMA: dict[str, pl.DataType] = {
    "pattern": pl.String(),  # upper-cased, the join key of a match
    "kind": pl.String(),  # which lexicon: sensitive, sector, guise, promise, target, method, hazard, ...
    "entry": pl.String(),  # the entry within it: the word itself, a sector, guise or group id
    "entry_name": pl.String(),
    "term": pl.String(),  # the lexicon word the pattern counts as
    "field": pl.String(),  # where it counts: name, scope, ads, reports, news, cause, kind, reason, item
    "points": pl.Float64(),
}


@dataclass(frozen=True)
class Tagged:
    """A term with the lexicon and entry it belongs to."""

    kind: str
    entry: str
    entry_name: str
    term: Term


@dataclass(frozen=True)
class Automaton:
    """The patterns of one text family, longest first, and what each stands for, field by field."""

    patterns: tuple[str, ...]
    table: pl.DataFrame

    @property
    def regex(self) -> str:
        """One case-insensitive alternation of the patterns, longest first."""
        return "(?i)" + "|".join(escape(p) for p in self.patterns)


_TEXT = "\x00text"  # the text column scanned
_META = set("\\.+*?()|[]{}^$#&-~")


def escape(text: str) -> str:
    """Escape the characters the Rust regex syntax treats as special (as regex::escape does)."""
    return "".join("\\" + c if c in _META else c for c in text)


def _stands_for(pattern: str, tagged: Sequence[Tagged]) -> list[Tagged]:
    """The terms `pattern` counts as: per lexicon, the longest ones it contains and does not except."""
    inside = [
        t for t in tagged
        if t.term.text.upper() in pattern and not any(e.upper() in pattern for e in t.term.exceptions)
    ]
    return [
        t for t in inside
        if not any(o.kind == t.kind and t.term.text.upper() in o.term.text.upper() and len(o.term.text) > len(
            t.term.text) for o in inside)
    ]


def compile_automaton(tagged: Iterable[Tagged], fields: Sequence[str]) -> Automaton:
    """Compile the terms that count in any of `fields` into one pattern list and its lookup table."""
    used = [t for t in tagged if any(t.term.points_in(f) is not None for f in fields)]
    texts = {t.term.text.upper() for t in used} | {e.upper() for t in used for e in t.term.exceptions}
    patterns = tuple(sorted(texts, key=lambda p: (-len(p), p)))
    rows = [
        (pattern, t.kind, t.entry, t.entry_name, t.term.text, field, points)
        for pattern in patterns
        for t in _stands_for(pattern, used)
        for field in fields
        if (points := t.term.points_in(field)) is not None
    ]
    return Automaton(patterns, pl.DataFrame(rows, schema=TABLE_SCHEMA, orient="row"))


def _extract(frame: pl.DataFrame, text: pl.Expr, keys: Sequence[str], regex: str) -> pl.DataFrame:
    """keys and `_m` (the matches) of the rows of `frame` whose text matches, scanned in parallel slices.

    One string column is scanned by one thread; slices collected together use
    every thread Polars has, and the scan of long business scopes is most of
    a screening's time.
    """
    size = max(1, -(-frame.height // pl.thread_pool_size()))
    slices = [
        frame.slice(start, size).lazy().select(*keys, text.str.extract_all(regex).alias("_m"))
        .filter(pl.col("_m").list.len() > 0)
        for start in range(0, frame.height, size)
    ]
    return pl.concat(pl.collect_all(slices))


def _repeats(texts: pl.Series, sample: int = 1_000) -> bool:
    """Whether most texts repeat an earlier one, judged on a sample (names never do, causes nearly always)."""
    head = texts.head(sample).drop_nulls()
    return head.len() > 0 and head.n_unique() * 2 <= head.len()


def find_terms(frame: pl.DataFrame, text: pl.Expr, keys: Sequence[str], automaton: Automaton,
               field: str) -> pl.DataFrame:
    """One row per row of `frame` and lexicon term found in `text` where it counts in `field`.

    Columns: `keys` of the frame, then kind, entry, entry_name, term, points, in
    the order the terms occur in the text. A term found twice is two rows:
    readers that count take the strongest per entry, readers that show, unique.
    Texts that repeat (a case cause, a listing reason, a change item) are scanned
    once per distinct text.
    """
    table = automaton.table.filter(pl.col("field") == field).drop("field")
    if not automaton.patterns or frame.is_empty() or table.is_empty():
        return pl.DataFrame(schema={**frame.select(keys).schema, **table.drop("pattern").schema})
    texts = frame.select(*keys, text.alias(_TEXT))
    if _repeats(texts.get_column(_TEXT)):
        distinct = texts.get_column(_TEXT).unique().drop_nulls()
        matches = _extract(distinct.to_frame(), pl.col(_TEXT), [_TEXT], automaton.regex)
        found = texts.join(matches, on=_TEXT, how="inner", maintain_order="left").drop(_TEXT)
    else:
        found = _extract(texts, pl.col(_TEXT), keys, automaton.regex)
    matched = found.explode("_m", empty_as_null=False).select(*keys, pattern=pl.col("_m").str.to_uppercase())
    return matched.join(table, on="pattern", how="inner", maintain_order="left").drop("pattern")
