"""Scan transactions for the typologies: warnings per account, and the funds dimension per subject.

`scan` takes a transactions frame (lazy or not), the optional accounts frame
(account → subject) and the keys of subjects already in leads, and returns the
warnings and the per-subject dimension `dim_funds` for the screening engine.
The transactions are read once into the lean working frame; every typology
then runs over it in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from fundwatch.frames import HITS_SCHEMA, MONEY
from fundwatch.funds import typologies as rules
from fundwatch.funds.config import FundsConfig
from fundwatch.funds.evidence import evidence, score
from fundwatch.funds.prepare import holders_frame, working_frame
from fundwatch.funds.schema import ACCOUNTS_SCHEMA, SUBJECT_FUNDS_SCHEMA, TYPOLOGIES, WARNINGS_SCHEMA


@dataclass(frozen=True, slots=True)
class FundsResult:
    warnings: pl.DataFrame  # WARNINGS_SCHEMA, by score descending
    subjects: pl.DataFrame  # SUBJECT_FUNDS_SCHEMA
    scanned: int  # transactions scanned
    accounts: int  # accounts scanned


def _lazy(frame: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    return frame.lazy() if isinstance(frame, pl.DataFrame) else frame


def _lead_accounts(accounts: pl.DataFrame | None, keys: tuple[str, ...]) -> tuple[str, ...]:
    if accounts is None or not keys:
        return ()
    hits = accounts.filter(pl.col("subject_key").is_in(list(keys)))["account"].drop_nulls()
    return tuple(hits.to_list())


def _finish(name: str, findings: pl.LazyFrame, config: FundsConfig) -> pl.LazyFrame:
    typology = config.typologies[name]
    threshold = rules.THRESHOLDS[name](typology)
    return findings.with_columns(
        pl.lit(name).alias("typology"),
        pl.lit(typology.name).alias("typology_name"),
        score(pl.col("measure"), threshold, typology.score).alias("score"),
        (pl.col("amount_cents").cast(pl.Decimal(38, 2)) / 100).cast(MONEY).alias("amount"),
        pl.lit(rules.explanation(name)).alias("explanation"),
        evidence(pl.col("summary")).alias("evidence"),
    )


def scan(
    transactions: pl.LazyFrame | pl.DataFrame,
    config: FundsConfig,
    *,
    accounts: pl.DataFrame | None = None,
    leads: Iterable[str] = (),
) -> FundsResult:
    """Every typology over `transactions` (TRANSACTIONS_SCHEMA); `accounts` (ACCOUNTS_SCHEMA) maps accounts
    to subjects and kinds; `leads` are accounts, subject keys or names of subjects already in leads."""
    source = _lazy(transactions)
    if accounts is not None:
        accounts = accounts.select([pl.col(c).cast(t) for c, t in ACCOUNTS_SCHEMA.items()])
    holders = holders_frame(source, None if accounts is None else accounts.lazy(), config).collect()
    watched = holders.filter(pl.col("kind") != "financial").select("account")
    work = working_frame(source, config).join(watched.lazy(), on="account", how="semi").collect(engine="streaming")
    lead_keys = tuple(sorted({k.strip() for k in leads if k and k.strip()}))
    context = rules.Context(config, holders.lazy(), lead_keys, _lead_accounts(accounts, lead_keys))
    findings = pl.collect_all([rules.RULES[name](work.lazy(), context) for name in TYPOLOGIES])
    # rechunked before the evidence is formatted: polars 1.44's pl.format panics on string
    # columns of several chunks (seen with the pass-through typology's grouped summaries)
    plans = [_finish(name, found.rechunk().lazy(), config) for name, found in zip(TYPOLOGIES, findings, strict=True)]
    found = pl.concat(pl.collect_all(plans), how="vertical")
    warnings = (
        found.join(holders.select("account", "holder", "subject_key"), on="account", how="left")
        .select([pl.col(c).cast(t) for c, t in WARNINGS_SCHEMA.items()])
        .sort(["score", "account", "typology"], descending=[True, False, False])
    )
    return FundsResult(warnings, funds_dimension(warnings), work.height, holders.height)


def funds_dimension(warnings: pl.DataFrame) -> pl.DataFrame:
    """Per subject: dim_funds = 100 × (1 − Π(1 − score/100)) over its accounts' warnings, so one strong
    typology counts fully and each further one adds to it without passing 100."""
    mapped = warnings.filter(pl.col("subject_key").is_not_null())
    if mapped.is_empty():
        return pl.DataFrame(schema=SUBJECT_FUNDS_SCHEMA)
    clause = pl.format("{}（{}，{}分）：{}", "typology_name", "account", "score", "evidence")
    return (
        mapped.sort("score", descending=True)
        .group_by("subject_key", maintain_order=True)
        .agg(
            (100 * (1 - (1 - pl.col("score") / 100).product())).round(1).alias("dim_funds"),
            pl.col("typology_name").unique(maintain_order=True).str.join("、").alias("typologies"),
            clause.str.join("；").alias("evidence"),
        )
        .select([pl.col(c).cast(t) for c, t in SUBJECT_FUNDS_SCHEMA.items()])
    )



def as_hits(warnings: pl.DataFrame) -> pl.DataFrame:
    """The warnings of mapped accounts as screening hits (frames.HITS_SCHEMA): dimension "funds", table
    "funds", one hit per warning with its score as points and its first source line."""
    mapped = warnings.filter(pl.col("subject_key").is_not_null())
    return mapped.select(
        "subject_key",
        pl.format("funds_{}", "typology").alias("rule"),
        pl.lit("funds").alias("dimension"),
        pl.col("score").alias("points"),
        pl.lit("funds").alias("table"),
        pl.lit("account").alias("field"),
        pl.col("account").alias("matched"),
        pl.col("lines").list.first().alias("source_line"),
        pl.format("{}：{}", "explanation", "evidence").alias("explanation"),
    ).select([pl.col(c).cast(t) for c, t in HITS_SCHEMA.items()])
