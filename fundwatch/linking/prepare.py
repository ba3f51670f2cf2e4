"""From a registry frame and its people to what the linker compares: records, keys and persons.

`records` holds one normalised row per subject; `keys` one row per exact key a
subject holds (USCC, phone, website, address, person ID number) with the value as
it may be shown; `persons` one row per person tied to a subject, by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from fundwatch.linking import normalise as norm
from fundwatch.linking.config import LinkingConfig
from fundwatch.linking.frames import PEOPLE_SCHEMA

KEYS_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(), "kind": pl.String(), "key": pl.String(), "shown": pl.String(), "role": pl.String(),
}
PERSONS_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(), "pname": pl.String(), "pid": pl.String(), "role": pl.String(),
}


@dataclass(frozen=True, slots=True)
class Side:
    records: pl.DataFrame
    keys: pl.DataFrame
    persons: pl.DataFrame


def _col(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=pl.String)


def role_id(col: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """A role as written (法人代表, 董事长 …) → legal_rep | controller | shareholder | officer | other."""
    text = norm.fold(pl.col("v"))
    exact = {word: role for role, words in config.roles.items() for word in words}
    mapped = text.replace_strict(exact, default=None, return_dtype=pl.String)
    for role, words in config.roles.items():
        mapped = mapped.fill_null(pl.when(text.str.contains_any(list(words))).then(pl.lit(role)))
    return col.map_batches(lambda values: norm.by_distinct(values, mapped.fill_null("other")), return_dtype=pl.String)


def records(subjects: pl.DataFrame, config: LinkingConfig) -> pl.DataFrame:
    """One normalised row per subject."""
    # lazily, so the sub-expressions the normalisers share are computed once
    frame = subjects.lazy().select(
        pl.col("subject_key"),
        _col(subjects, "name").alias("name"),
        _col(subjects, "uscc").alias("uscc"),
        _col(subjects, "region_code").alias("region_code"),
        _col(subjects, "status").alias("status"),
        _col(subjects, "legal_rep").alias("legal_rep"),
        _col(subjects, "address").alias("address"),
        _col(subjects, "operating_address").alias("operating_address"),
        (pl.col("established") if "established" in subjects.columns else pl.lit(None, dtype=pl.Date)).alias(
            "established"
        ),
        norm.company_name(_col(subjects, "name"), config).alias("norm_name"),
        norm.phone(_col(subjects, "phone")).alias("phone_key"),
        norm.website(_col(subjects, "website"), config).alias("website_key"),
        norm.address_key(_col(subjects, "region_code"), _col(subjects, "address"), config).alias("address_key"),
        norm.address_key(_col(subjects, "region_code"), _col(subjects, "operating_address"), config).alias(
            "operating_key"
        ),
    )
    return frame.with_columns(norm.brand(pl.col("norm_name"), config).alias("brand")).unique(
        "subject_key", keep="first", maintain_order=True
    ).collect()


def persons(subjects: pl.DataFrame, people: pl.DataFrame | None, config: LinkingConfig) -> pl.DataFrame:
    """Every person tied to a subject: the registry's legal representative and the people file's rows."""
    reps = subjects.select(
        "subject_key", norm.person_name(_col(subjects, "legal_rep")).alias("pname"),
        pl.lit(None, dtype=pl.String).alias("pid"), pl.lit("legal_rep").alias("role"),
    ).filter(pl.col("pname").is_not_null())
    if people is None or not people.height:
        return reps
    listed = people.lazy().select(
        "subject_key", norm.person_name(pl.col("name")).alias("pname"),
        norm.id_number(pl.col("id_number")).alias("pid"), role_id(pl.col("role"), config).alias("role"),
    ).filter(pl.col("pname").is_not_null() | pl.col("pid").is_not_null()).collect()
    # a legal rep named in both the registry and the people file is one person: the people file's row
    reps = reps.join(listed.filter(pl.col("role") == "legal_rep"), on=["subject_key", "pname"], how="anti")
    return pl.concat([reps, listed])


def _key_rows(frame: pl.DataFrame, kind: str, key: pl.Expr, shown: pl.Expr, role: pl.Expr) -> pl.DataFrame:
    return frame.select(
        pl.col("subject_key"), pl.lit(kind).alias("kind"), key.alias("key"), shown.alias("shown"), role.alias("role")
    ).filter(pl.col("key").is_not_null())


def keys(recs: pl.DataFrame, people: pl.DataFrame | None, who: pl.DataFrame) -> pl.DataFrame:
    """One row per exact key a subject holds."""
    none = pl.lit(None, dtype=pl.String)
    address = pl.concat([
        _key_rows(recs, "address", pl.col("address_key"), pl.col("address"), none),
        _key_rows(recs, "address", pl.col("operating_key"), pl.col("operating_address"), none),
    ]).unique(["subject_key", "key"])
    frames = [
        _key_rows(recs, "uscc", pl.col("uscc"), pl.col("uscc"), none),
        _key_rows(recs, "phone", pl.col("phone_key"), pl.col("phone_key"), none),
        _key_rows(recs, "website", pl.col("website_key"), pl.col("website_key"), none),
        address,
        _key_rows(who, "person_id", pl.col("pid"), norm.mask_id(pl.col("pid")), pl.col("role")),
    ]
    if people is not None and people.height:
        phones = people.select("subject_key", norm.phone(pl.col("phone")).alias("p"))
        frames.append(_key_rows(phones, "phone", pl.col("p"), pl.col("p"), none))
    return pl.concat(frames)


def prepare(subjects: pl.DataFrame, people: pl.DataFrame | None, config: LinkingConfig) -> Side:
    """Normalise one side (the registry, or the blacklist) for linking."""
    if people is not None:
        people = people.select([pl.col(c).cast(t) if c in people.columns else pl.lit(None, dtype=t).alias(c)
                                for c, t in PEOPLE_SCHEMA.items()])
        # people of subjects not on this side (rejected rows, another file's subjects) tie nothing here
        people = people.join(subjects.select("subject_key"), on="subject_key", how="semi")
    recs = records(subjects, config)
    who = persons(subjects, people, config)
    return Side(recs, keys(recs, people, who), who)
