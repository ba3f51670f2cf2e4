"""Shared pieces of the demo generator: the calendar, weighted draws, text templates."""

from __future__ import annotations

import bisect
import functools
import itertools
import random
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

# The demo county's "today": every date in the data is on or before it, so the
# same seed gives the same files whatever the machine's clock says.
REF_DATE = date(2026, 10, 31)
EARLIEST_SIGNAL = date(2015, 1, 1)  # side-table records start here (the seeds' era)
EARLIEST_ESTABLISHED = date(1995, 1, 1)
EPOCH = date(1970, 1, 1)
# Registries switched to the 许可项目/一般项目 wording of business scopes in March 2021.
NEW_SCOPE_STYLE = date(2021, 3, 1)


def day_number(d: date) -> int:
    return (d - EPOCH).days


def from_day(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def probabilities(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    return np.asarray(w / w.sum())


def draw(rng: np.random.Generator, weights: Sequence[float], n: int) -> np.ndarray:
    """n indices drawn with the given relative weights."""
    return rng.choice(len(weights), size=n, p=probabilities(weights))


def pick(pool: Sequence[str], idx: np.ndarray) -> pl.Series:
    return pl.Series(values=list(pool), dtype=pl.String).gather(idx)


def either(mask: np.ndarray, yes: pl.Series | str, no: pl.Series | str) -> pl.Series:
    """Row by row: `yes` where the mask holds, else `no` (each a column or one text)."""
    n = len(mask)
    first = yes if isinstance(yes, pl.Series) else pl.repeat(yes, n, eager=True, dtype=pl.String)
    other = no if isinstance(no, pl.Series) else pl.repeat(no, n, eager=True, dtype=pl.String)
    return first.zip_with(pl.Series(mask, dtype=pl.Boolean), other)


def by_group(group: np.ndarray, makers: Mapping[int, Callable[[np.ndarray], pl.Series]]) -> pl.Series:
    """Texts made group by group, each maker given only its own rows; rows keep their order."""
    out = pl.repeat("", len(group), eager=True, dtype=pl.String)
    for key, make in makers.items():
        rows = np.flatnonzero(group == key)
        if len(rows):
            out = out.scatter(rows, make(rows))
    return out


class Weighted:
    """Draws one value of [value, weight, …] pairs by weight (scalar draws for the planted outfits)."""

    __slots__ = ("cum", "values")

    def __init__(self, pairs: Sequence[Sequence[Any]]) -> None:
        self.values = [p[0] for p in pairs]
        self.cum = list(itertools.accumulate(float(p[1]) for p in pairs))

    def __call__(self, prng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cum, prng.random() * self.cum[-1])]


_SLOT = re.compile(r"\{([a-z]+)(?::(\d+)-(\d+))?\}")


def render(template: str, columns: dict[str, pl.Expr], uniform: Callable[[int], pl.Expr]) -> pl.Expr:
    """A template as a column expression: literal parts, named columns, {n:lo-hi} random integers.

    `uniform(i)` gives the i-th column of uniform [0, 1) numbers, so two ranged
    slots of one template draw independent values.
    """
    parts: list[pl.Expr] = []
    pos = 0
    for i, m in enumerate(_SLOT.finditer(template)):
        if m.start() > pos:
            parts.append(pl.lit(template[pos:m.start()]))
        if m.group(2) is not None:
            lo, hi = int(m.group(2)), int(m.group(3))
            parts.append((pl.lit(lo) + uniform(i) * (hi - lo + 1)).floor().cast(pl.Int64).cast(pl.String))
        else:
            parts.append(columns[m.group(1)])
        pos = m.end()
    if pos < len(template):
        parts.append(pl.lit(template[pos:]))
    return pl.concat_str(parts) if parts else pl.lit("")


# The numbers promotion and complaints quote, drawn afresh for each text.
_NUMBERS: dict[str, Callable[[random.Random], str]] = {
    "rate": lambda r: str(r.choice([8, 10, 12, 12.5, 15, 18, 20, 24, 28, 30, 36])),
    "mrate": lambda r: str(r.choice([1.5, 2, 2.5, 3, 4, 5])),
    "drate": lambda r: str(r.choice([1, 2, 3, 5])),
    "dpct": lambda r: str(r.choice([0.3, 0.5, 0.8, 1, 1.2, 1.5])),
    "k": lambda r: str(r.choice([1000, 3000, 5000, 10000, 20000, 30000, 50000, 100000])),
    "price": lambda r: str(r.choice([50, 88, 100, 168, 200, 300, 500, 800, 1000, 2000])),
    "times": lambda r: str(r.choice([2, 3, 5, 10, 20])),
    "months": lambda r: str(r.choice([3, 6, 12, 18, 24, 36])),
    "years": lambda r: str(r.choice([1, 2, 3, 5, 10])),
    "n": lambda r: str(r.randint(3, 120)),
    "days": lambda r: str(r.choice([100, 180, 300, 365, 500])),
    "pct": lambda r: str(r.choice([3, 5, 8, 10, 15, 20])),
}


class Filler:
    """Fills one subject's text templates; numbers are drawn once per text so a text agrees with itself."""

    def __init__(self, prng: random.Random, fixed: dict[str, str]) -> None:
        self.prng = prng
        self.fixed = fixed

    def __call__(self, template: str, **extra: str) -> str:
        values = {**self.fixed, **extra} if extra else self.fixed
        drawn: dict[str, str] = {}
        out = []
        for literal, key, lo, hi in _parsed(template):
            out.append(literal)
            if key is None:
                continue
            if lo is not None and hi is not None:
                out.append(str(self.prng.randint(lo, hi)))
            elif key in values:
                out.append(values[key])
            else:
                if key not in drawn:
                    drawn[key] = _NUMBERS[key](self.prng)
                out.append(drawn[key])
        return "".join(out)


@functools.lru_cache(maxsize=4096)
def _parsed(template: str) -> tuple[tuple[str, str | None, int | None, int | None], ...]:
    """A template cut into (literal, slot, low, high) pieces, once per template text."""
    pieces: list[tuple[str, str | None, int | None, int | None]] = []
    pos = 0
    for m in _SLOT.finditer(template):
        lo, hi = (int(m.group(2)), int(m.group(3))) if m.group(2) is not None else (None, None)
        pieces.append((template[pos:m.start()], m.group(1), lo, hi))
        pos = m.end()
    pieces.append((template[pos:], None, None, None))
    return tuple(pieces)
