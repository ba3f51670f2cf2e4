"""The demo county, put together chunk by chunk: registry, side tables, truth.

A county of N subjects is made of fixed-size chunks, each drawn from its own
seeded generators, so the same (N, seed) gives the same rows whether the chunks
are kept in memory (`generate_county`) or streamed to files one at a time
(`iter_county`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from fundwatch.demo import side
from fundwatch.demo.export import BROKEN_SCHEMA, FACTS_SCHEMA, export_registry, export_side
from fundwatch.demo.planted import Outfit, plant
from fundwatch.demo.registry import Plan, draw_plan, registry_columns, scope_pool
from fundwatch.demo.vocab import GUISE_IDS, Vocabulary, load_vocabulary
from fundwatch.domain.uscc import USCC_ALPHABET
from fundwatch.frames import MONEY, TRUTH_SCHEMA

CHUNK_SUBJECTS = 50_000
PLANTED_SHARE = 0.03
BROKEN_SHARE = 0.005  # rows an importer must reject (not subjects, not in the truth file)
MESSY_SHARE = 0.02  # ordinary rows with a harmless oddity (empty phone, odd capital text …)
BROKEN_KINDS = ("bad_check_digit", "empty_name", "duplicate_uscc")
SIDE_TABLES = ("changes", "abnormal", "judicial", "ads", "reports", "news")


@dataclass(frozen=True)
class DemoCounty:
    """A generated county: the files an office exports, and what is true about them.

    The seven export frames have the Chinese headers of the files and hold text
    exactly as written (mixed date and capital formats included). `truth` lists
    every importable subject (TRUTH_SCHEMA); the deliberately broken registry
    rows are not subjects and are listed in `broken` instead. `facts` gives, per
    registry line, the values behind the messy texts (for testing importers).
    """

    registry: pl.DataFrame
    changes: pl.DataFrame
    abnormal: pl.DataFrame
    judicial: pl.DataFrame
    ads: pl.DataFrame
    reports: pl.DataFrame
    news: pl.DataFrame
    truth: pl.DataFrame
    broken: pl.DataFrame
    facts: pl.DataFrame

    def table(self, name: str) -> pl.DataFrame:
        frame: pl.DataFrame = getattr(self, name)
        return frame


@dataclass(frozen=True)
class Chunk:
    index: int
    subjects: int
    planted: int
    broken: int
    first_row: int  # 0-based registry row of the chunk's first row

    @property
    def rows(self) -> int:
        return self.subjects + self.broken


def chunk_plan(n_subjects: int, chunk_subjects: int = CHUNK_SUBJECTS) -> list[Chunk]:
    """How a county is cut into chunks. The first chunk plants every guise once when it is big enough."""
    chunks = []
    first_row = 0
    for index, start in enumerate(range(0, n_subjects, chunk_subjects)):
        k = min(chunk_subjects, n_subjects - start)
        planted = round(k * PLANTED_SHARE)
        broken = round(k * BROKEN_SHARE)
        if index == 0:
            planted = min(k // 2, max(planted, len(GUISE_IDS)))
            broken = max(broken, len(BROKEN_KINDS)) if k >= 100 else broken
        chunks.append(Chunk(index, k, planted, broken, first_row))
        first_row += k + broken
    return chunks


def _guises(rng: np.random.Generator, vocab: Vocabulary, chunk: Chunk) -> list[str]:
    first = list(GUISE_IDS[: chunk.planted]) if chunk.index == 0 else []
    weights = np.asarray([g.weight for g in vocab.guises])
    rest = rng.choice(len(GUISE_IDS), size=chunk.planted - len(first), p=weights / weights.sum())
    return first + [GUISE_IDS[i] for i in rest]


def _override_plan(plan: Plan, vocab: Vocabulary, outfits: list[Outfit]) -> None:
    rows = np.asarray([o.row for o in outfits], dtype=np.int64)
    plan.form[rows] = [o.form for o in outfits]
    plan.area[rows] = [o.area for o in outfits]
    plan.township[rows] = [o.township for o in outfits]
    plan.established[rows] = [o.established for o in outfits]
    plan.trade[rows] = [vocab.trades.index(vocab.trade(o.fields["cover"])) for o in outfits]
    plan.co_branch[rows] = False


_DECIMALS = ("registered_capital", "paid_in_capital")


def _apply_outfits(reg: pl.DataFrame, outfits: list[Outfit]) -> pl.DataFrame:
    rows = pl.Series([o.row for o in outfits], dtype=pl.Int64)
    columns = []
    for col in ("name", "brand", "legal_rep", "phone", "entity_type", "scope", "industry_code", "industry_name",
                "address", "operating_address", "status", "capital_text", "paid_text", "capital_currency",
                *_DECIMALS):
        values = pl.Series([o.fields[col] for o in outfits], dtype=reg.schema[col])
        columns.append(reg[col].scatter(rows, values))
    return reg.with_columns(columns)


def _break(rng: np.random.Generator, reg: pl.DataFrame, rows: np.ndarray,
           clean: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Spoil the rows an importer must reject: a wrong check character, an empty name, a repeated code."""
    kinds = np.asarray(BROKEN_KINDS)[np.arange(len(rows)) % len(BROKEN_KINDS)]
    earlier = [clean[clean < row] for row in rows]
    kinds = np.where((kinds == "duplicate_uscc") & np.asarray([len(e) == 0 for e in earlier], dtype=bool),
                     "bad_check_digit", kinds)
    uscc = reg["uscc"].gather(rows).to_list()
    for i, kind in enumerate(kinds):
        if kind == "duplicate_uscc":
            uscc[i] = reg["uscc"][int(earlier[i][rng.integers(0, len(earlier[i]))])]
        elif kind == "bad_check_digit":
            shift = 1 + int(rng.integers(0, 29))
            uscc[i] = uscc[i][:-1] + USCC_ALPHABET[(USCC_ALPHABET.index(uscc[i][-1]) + shift) % 31]
    empty = rows[kinds == "empty_name"]
    spoiled = reg.with_columns(
        reg["uscc"].scatter(rows, pl.Series(uscc, dtype=pl.String)),
        reg["name"].scatter(empty, pl.repeat("", len(empty), eager=True, dtype=pl.String)),
    )
    return spoiled, pl.DataFrame({"row": rows, "defect": kinds}, schema={"row": pl.Int64, "defect": pl.String})


# Harmless oddities of ordinary rows: what they do to the text, and whether the value is still readable.
MESS_KINDS = ("phone_empty", "capital_unknown", "capital_spaced", "uscc_lower", "date_dotted", "scope_empty")


def _mess(rng: np.random.Generator, reg: pl.DataFrame, rows: np.ndarray) -> pl.DataFrame:
    kind = np.asarray(MESS_KINDS)[rng.integers(0, len(MESS_KINDS), len(rows))]

    def at(k: str) -> np.ndarray:
        return np.asarray(rows[kind == k])

    def blank(col: str, where: np.ndarray, text: str = "") -> pl.Series:
        return reg[col].scatter(where, pl.repeat(text, len(where), eager=True, dtype=pl.String))

    unknown = at("capital_unknown")
    spaced = at("capital_spaced")
    lower = at("uscc_lower")
    dotted = at("date_dotted")
    capital = blank("capital_text", unknown, "不详")
    capital = capital.scatter(spaced, reg["capital_text"].gather(spaced).str.replace("万", " 万"))
    return reg.with_columns(
        blank("phone", at("phone_empty")),
        capital,
        reg["registered_capital"].scatter(unknown, pl.Series([None] * len(unknown), dtype=MONEY)),
        blank("capital_currency", unknown),
        reg["uscc"].scatter(lower, " " + reg["uscc"].gather(lower).str.to_lowercase()),
        reg["established_text"].scatter(dotted, reg["established"].gather(dotted).dt.strftime("%Y.%m.%d")),
        blank("scope", at("scope_empty")),
    )


def _planted_side(kind: str, outfits: list[Outfit]) -> pl.DataFrame | None:
    rows = [{"row": o.row, "day": r["date"], **{k: v for k, v in r.items() if k != "date"}}
            for o in outfits for r in o.side.get(kind, [])]
    if not rows:
        return None
    schema: dict[str, Any] = {"row": pl.Int64, "day": pl.Int64}
    if kind == "reports":
        schema |= {"people": pl.Int64, "amount": MONEY}
    if kind == "news":
        schema |= {"sentiment": pl.Float64}
    return pl.DataFrame(rows, schema_overrides=schema, infer_schema_length=None)


def _side_tables(rng: np.random.Generator, vocab: Vocabulary, reg: pl.DataFrame, plan: Plan, eligible: np.ndarray,
                 pool: list[str], outfits: list[Outfit]) -> dict[str, pl.DataFrame]:
    ordinary = {
        "changes": side.changes(rng, vocab, reg, plan, eligible, pool),
        "abnormal": side.abnormal(rng, vocab, reg, plan, eligible),
        "judicial": side.judicial(rng, vocab, plan, eligible),
        "ads": side.ads(rng, vocab, reg, plan, eligible),
        "reports": side.reports(rng, vocab, reg, plan, eligible),
        "news": side.news(rng, vocab, reg, plan, eligible),
    }
    keys = reg.select(pl.col("uscc").alias("key"), "name").with_row_index("row")
    keys = keys.with_columns(pl.col("row").cast(pl.Int64))
    tables = {}
    for kind, frame in ordinary.items():
        frame = frame.with_columns(pl.col("row").cast(pl.Int64), pl.col("day").cast(pl.Int64))
        planted = _planted_side(kind, outfits)
        if planted is not None:
            frame = pl.concat([frame, planted.select(frame.columns).cast(frame.schema)])
        frame = frame.sort(["row", "day"], maintain_order=True).join(keys, on="row", how="left", maintain_order="left")
        tables[kind] = export_side(kind, frame.rename({"key": "uscc"}))
    return tables


def _chunk(vocab: Vocabulary, seed: int, chunk: Chunk, pool: list[str], salt: int, taken: pl.Series) -> DemoCounty:
    rng = np.random.default_rng([seed, chunk.index])
    prng = random.Random(f"fundwatch-demo:{seed}:{chunk.index}")
    order = rng.permutation(chunk.rows)
    planted_rows = np.sort(order[: chunk.planted])
    broken_rows = np.sort(order[chunk.planted: chunk.planted + chunk.broken])
    clean = np.ones(chunk.rows, dtype=bool)
    clean[planted_rows] = clean[broken_rows] = False
    plan = draw_plan(rng, vocab, chunk.rows)
    outfits = plant(prng, vocab, planted_rows.tolist(), _guises(rng, vocab, chunk))
    _override_plan(plan, vocab, outfits)
    reg = _apply_outfits(registry_columns(rng, vocab, plan, chunk.first_row, salt, pool, taken), outfits)
    keys = reg["uscc"]
    tables = _side_tables(rng, vocab, reg, plan, clean, pool, outfits)
    messy = np.flatnonzero(clean & (rng.random(chunk.rows) < MESSY_SHARE))
    reg, broken = _break(rng, _mess(rng, reg, messy), broken_rows, np.flatnonzero(clean))
    line = pl.Series("line", np.arange(chunk.rows, dtype=np.int64) + chunk.first_row + 2)
    guise = pl.Series([None] * chunk.rows, dtype=pl.String).scatter(
        planted_rows, pl.Series([o.guise for o in outfits], dtype=pl.String))
    subjects = np.ones(chunk.rows, dtype=bool)
    subjects[broken_rows] = False
    label = np.zeros(chunk.rows, dtype=np.int8)
    label[planted_rows] = 1
    truth = pl.DataFrame({"subject_key": keys, "label": label, "guise": guise}).filter(pl.Series(subjects))
    facts = reg.select(line, keys.alias("subject_key"), "registered_capital", "paid_in_capital", "capital_currency",
                       "established", "region_code", "township_code").cast(pl.Schema(FACTS_SCHEMA)).with_columns(
        pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in ("capital_currency", "township_code"))
    broken = broken.with_columns(line=pl.col("row") + chunk.first_row + 2).join(
        reg.with_row_index("row").select(pl.col("row").cast(pl.Int64), "uscc", "name"), on="row", how="left")
    return DemoCounty(registry=export_registry(reg), truth=truth.cast(pl.Schema(TRUTH_SCHEMA)), facts=facts,
                      broken=broken.select(list(BROKEN_SCHEMA)).cast(pl.Schema(BROKEN_SCHEMA)), **tables)


def _salt(seed: int) -> int:
    return (seed * 2_654_435_761 + 97) % 31**6


def iter_county(n_subjects: int, seed: int, chunk_subjects: int = CHUNK_SUBJECTS) -> Iterator[DemoCounty]:
    """The county chunk by chunk (each a DemoCounty of its own rows); lines continue across chunks."""
    if n_subjects < 1:
        raise ValueError("a county needs at least one subject")
    vocab = load_vocabulary()
    pool = scope_pool(random.Random(f"fundwatch-demo-scopes:{seed}"), vocab)
    # Names already given in earlier chunks: a county registers no name twice.
    taken = pl.Series(dtype=pl.String)
    for chunk in chunk_plan(n_subjects, chunk_subjects):
        part = _chunk(vocab, seed, chunk, pool, _salt(seed), taken)
        taken = pl.concat([taken, part.registry["企业名称"].drop_nulls()], rechunk=False)
        yield part


def concat(parts: list[DemoCounty]) -> DemoCounty:
    names = [f for f in DemoCounty.__dataclass_fields__]
    return DemoCounty(**{f: pl.concat([p.table(f) for p in parts], rechunk=True) for f in names})


def generate_county(n_subjects: int, seed: int, chunk_subjects: int = CHUNK_SUBJECTS) -> DemoCounty:
    """A Menghai-like county of n_subjects subjects, about 3% of them planted risky outfits.

    Pure: returns frames, writes nothing. Same (n_subjects, seed) → same frames.
    """
    return concat(list(iter_county(n_subjects, seed, chunk_subjects)))
