"""Candidate pairs and their evidence, found with joins on normalised keys (never all pairs).

Exact keys (USCC, phone, website, address, person ID) are joined directly and
each joined row is already a piece of evidence. Brands are blocked on their
character bigrams and compared with rapidfuzz in one vectorised call. Person
names are compared only within pairs found by other keys. A key held by more
than `max_block` subjects finds no candidates (its evidence would be near zero
and its pairs would swamp memory).

With `right=None` the left side is linked with itself (pairs kept once, the
smaller key first); otherwise left is linked against right.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from fundwatch.linking.config import LinkingConfig
from fundwatch.linking.frames import EVIDENCE_SCHEMA
from fundwatch.linking.prepare import Side

PAIR = ["subject_key", "matched_key"]
EXACT_KINDS: tuple[str, ...] = ("uscc", "phone", "website", "address", "person_id")


def _self(left: Side, right: Side | None) -> tuple[Side, bool]:
    return (left, True) if right is None else (right, False)


def _counts(left: pl.DataFrame, right: pl.DataFrame, by: list[str], dedupe: bool) -> pl.DataFrame:
    """Distinct subjects holding each value, over both sides (once when linking a side with itself)."""
    both = left if dedupe else pl.concat([left.select([*by, "subject_key"]), right.select([*by, "subject_key"])])
    return both.select([*by, "subject_key"]).unique().group_by(by).agg(pl.len().cast(pl.Int64).alias("n"))


def _oriented(pairs: pl.DataFrame, dedupe: bool) -> pl.DataFrame:
    if not dedupe:
        return pairs
    return pairs.filter(pl.col("subject_key") < pl.col("matched_key"))


def exact_evidence(left: Side, right: Side | None, config: LinkingConfig) -> pl.DataFrame:
    """Evidence rows from every exact key both sides hold."""
    other, dedupe = _self(left, right)
    rkeys = other.keys.select("kind", "key", pl.col("subject_key").alias("matched_key"),
                              pl.col("role").alias("r_role"))
    lkeys = left.keys.join(rkeys.select("kind", "key").unique(), on=["kind", "key"], how="semi")
    counts = _counts(lkeys, rkeys.rename({"matched_key": "subject_key"}), ["kind", "key"], dedupe)
    counts = counts.filter((pl.col("n") <= config.max_block) | (pl.col("kind") == "person_id"))
    joined = lkeys.join(counts, on=["kind", "key"]).join(rkeys, on=["kind", "key"])
    joined = _oriented(joined, dedupe).filter(pl.col("subject_key") != pl.col("matched_key"))
    return joined.select(
        *PAIR, "kind", "shown", "n", pl.lit(None, dtype=pl.Float64).alias("sim"),
        pl.col("role").alias("l_role"), "r_role",
    )


def brand_pairs(left: Side, right: Side | None, config: LinkingConfig) -> pl.DataFrame:
    """Pairs whose brands share a character bigram (bigrams held by too many subjects skipped)."""
    other, dedupe = _self(left, right)
    rgrams = brand_grams(other.records).rename({"subject_key": "matched_key"})
    lgrams = brand_grams(left.records).join(rgrams.select("gram").unique(), on="gram", how="semi")
    sizes = lgrams.group_by("gram").agg(pl.len().alias("size"))
    lgrams = lgrams.join(sizes.filter(pl.col("size") <= config.max_block), on="gram", how="semi")
    pairs = lgrams.join(rgrams, on="gram").select(PAIR).unique()
    return _oriented(pairs, dedupe).filter(pl.col("subject_key") != pl.col("matched_key"))


def brand_grams(records: pl.DataFrame) -> pl.DataFrame:
    """(subject_key, gram): the character bigrams of each brand; a one-character brand is its own gram."""
    brand = pl.col("brand")
    frame = records.filter(brand.is_not_null()).select(
        "subject_key", brand.str.len_chars().alias("size"),
        pl.concat_list([brand.str.slice(i, 2) for i in range(7)]).alias("gram"),
    )
    gram = pl.col("gram")
    return frame.explode("gram", empty_as_null=True).filter(
        (gram.str.len_chars() == 2) | ((pl.col("size") == 1) & (gram.str.len_chars() == 1))
    ).select("subject_key", "gram").unique()


def brand_evidence(pairs: pl.DataFrame, left: Side, right: Side | None, config: LinkingConfig) -> pl.DataFrame:
    """Brand similarity of every candidate pair (rapidfuzz Indel ratio, 0-100); kept when at or above the floor.

    `n` is the number of subjects holding the rarer of the two brands: a rare new brand close to an
    old one is telling even when the old one is common.
    """
    other, dedupe = _self(left, right)
    lb = left.records.select("subject_key", pl.col("brand").alias("l_brand"))
    rb = other.records.select(pl.col("subject_key").alias("matched_key"), pl.col("brand").alias("r_brand"))
    both = pairs.join(lb, on="subject_key").join(rb, on="matched_key").drop_nulls(["l_brand", "r_brand"])
    sim = cpdist(both["l_brand"].to_list(), both["r_brand"].to_list(), scorer=fuzz.ratio, workers=-1)
    both = both.with_columns(pl.Series("sim", sim, dtype=pl.Float64)).filter(pl.col("sim") >= config.brand_similarity)
    brands = pl.concat([lb.rename({"l_brand": "brand"}), rb.rename({"matched_key": "subject_key", "r_brand": "brand"})])
    counts = (lb.rename({"l_brand": "brand"}) if dedupe else brands).group_by("brand").agg(
        pl.col("subject_key").n_unique().cast(pl.Int64).alias("n")
    )
    both = both.join(counts.rename({"brand": "l_brand", "n": "ln"}), on="l_brand", how="left").join(
        counts.rename({"brand": "r_brand", "n": "rn"}), on="r_brand", how="left"
    )
    shown = pl.when(pl.col("l_brand") == pl.col("r_brand")).then(pl.col("l_brand")).otherwise(
        pl.format("{} / {}", pl.col("l_brand"), pl.col("r_brand"))
    )
    none = pl.lit(None, dtype=pl.String)
    return both.select(*PAIR, pl.lit("brand").alias("kind"), shown.alias("shown"),
                       pl.min_horizontal("ln", "rn").fill_null(1).alias("n"), "sim",
                       none.alias("l_role"), none.alias("r_role"))


def person_evidence(pairs: pl.DataFrame, left: Side, right: Side | None) -> pl.DataFrame:
    """Persons of the same name in a candidate pair: name evidence, or a conflict when both IDs differ."""
    other, dedupe = _self(left, right)
    lp = left.persons.filter(pl.col("pname").is_not_null())
    rp = other.persons.filter(pl.col("pname").is_not_null()).rename(
        {"subject_key": "matched_key", "pid": "r_pid", "role": "r_role"}
    )
    lp = lp.join(rp.select("pname").unique(), on="pname", how="semi")
    rows = pairs.join(lp, on="subject_key").join(rp, on=["matched_key", "pname"])
    shared = rows.select("pname").unique()
    names = _counts(lp.join(shared, on="pname", how="semi"), rp.rename({"matched_key": "subject_key"}).join(
        shared, on="pname", how="semi"), ["pname"], dedupe)
    rows = rows.join(names, on="pname", how="left")
    both_ids = pl.col("pid").is_not_null() & pl.col("r_pid").is_not_null()
    key_roles = pl.col("role").is_in(["legal_rep", "controller"]) & (pl.col("role") == pl.col("r_role"))
    kind = pl.when(~both_ids).then(pl.lit("person_name")).when(
        (pl.col("pid") != pl.col("r_pid")) & key_roles
    ).then(pl.lit("person_conflict")).otherwise(None)
    return rows.with_columns(kind.alias("kind")).filter(pl.col("kind").is_not_null()).select(
        *PAIR, "kind", pl.col("pname").alias("shown"), pl.col("n").fill_null(1), pl.lit(None, dtype=pl.Float64).alias(
            "sim"), pl.col("role").alias("l_role"), "r_role",
    )


def evidence(left: Side, right: Side | None, config: LinkingConfig) -> pl.DataFrame:
    """Every piece of evidence between candidate pairs (fundwatch.linking.frames.EVIDENCE_SCHEMA).

    A pair found only by its brands is kept only when it also shares a person's name: a brand alone
    never reaches the related threshold (it is checked at load), and a name counts only beside it.
    """
    exact = exact_evidence(left, right, config)
    tied = exact.select(PAIR).unique()
    by_brand = brand_pairs(left, right, config).join(tied, on=PAIR, how="anti")
    people = person_evidence(pl.concat([tied, by_brand]), left, right)
    named = by_brand.join(people.filter(pl.col("kind") == "person_name").select(PAIR), on=PAIR, how="semi")
    pairs = pl.concat([tied, named.unique()])
    people = people.join(pairs, on=PAIR, how="semi")
    frames = [exact, brand_evidence(pairs, left, right, config), people]
    return pl.concat([f.select([pl.col(c).cast(t) for c, t in EVIDENCE_SCHEMA.items()]) for f in frames])
