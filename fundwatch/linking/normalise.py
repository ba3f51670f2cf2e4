"""Normalised keys for linking: company names and brands, people, ID cards, phones, websites, addresses.

Each function returns a Polars expression so a million-row registry is
normalised in one pass; a value that cannot be a key becomes null (an empty
key never links two subjects). ID-card numbers are checked with the GB 11643
check digit and are only ever shown masked (5328**********1234).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import polars as pl
from stdnum.cn import ric

from fundwatch.linking.config import LinkingConfig
from fundwatch.linking.places import names_to_codes

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
_FULL = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
_HALF = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"  # check character by weighted sum mod 11 (GB 11643)
_BRACKETS = r"[(\[【〔][^)\]】〕]*[)\]】〕]"
_DOTS = r"[·•・‧.．]"


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def fold(col: pl.Expr) -> pl.Expr:
    """Full-width forms folded to ASCII and all whitespace removed."""
    return col.str.replace_many(_FULL, _HALF).str.replace_all(r"\s+", "")


def _null_if_empty(col: pl.Expr) -> pl.Expr:
    return pl.when(col.str.len_chars() > 0).then(col).otherwise(None)


@lru_cache(maxsize=8)
def _place_patterns(home_places: tuple[str, ...]) -> tuple[str, str]:
    """(full forms, full and short forms) of every place name, as regex alternations."""
    table = names_to_codes()
    full = [n for n in table if n[-1] in "省市县区州旗盟" or n.endswith(("自治区", "特别行政区", "地区"))]
    return _alternation(full + list(home_places)), _alternation(list(table) + list(home_places))


@lru_cache(maxsize=1)
def _division_pattern() -> str:
    """Province, city and county names (full and short forms), without townships."""
    return _alternation(list(names_to_codes()))


def company_name(col: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """The name without bracketed parts, branch suffix, leading places and trailing organisational form.

    鑫源投资咨询（勐海）有限公司打洛分公司 and 云南省勐海县鑫源投资咨询有限公司 both give 鑫源投资咨询.
    A place that is the whole brand (朝阳茶业有限公司) is kept.
    """
    return col.map_batches(lambda names: _company_names(names, config), return_dtype=pl.String)


def _company_names(names: pl.Series, config: LinkingConfig) -> pl.Series:
    forms = _alternation(config.org_forms)
    branches = _alternation(config.branch_markers)
    full, every = _place_patterns(config.home_places)
    trade = _alternation(config.trade_words)
    name = pl.col("name")
    frame = names.to_frame("name").with_columns(
        fold(name).str.replace_all(_BRACKETS, "").str.replace_all(r"[\"'“”‘’《》,，、]", ""))
    frame = frame.with_columns(name.str.replace(rf"^(.+?(?:{forms}))(?:.*?)(?:{branches})$", "${1}"))
    frame = frame.with_columns(name.str.replace(rf"(?:{branches})$", "").str.replace(rf"^(?:{full})+", "").str.replace(
        rf"(?:{forms})+$", "").alias("careful"))
    frame = frame.with_columns(pl.col("careful").str.replace(rf"^(?:{every})+", "").alias("eager"))
    eager = pl.col("eager")
    kept = pl.when(eager.str.replace(rf"(?:{trade})+$", "").str.len_chars() > 0).then(eager).otherwise("careful")
    return frame.select(_null_if_empty(kept).alias(names.name)).to_series()


def brand(normalised_name: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """The 字号 (brand) of a normalised name: its trade words (投资咨询, 茶业 …) removed from the end."""
    trade = _alternation(config.trade_words)
    stripped = normalised_name.str.replace(rf"(?:{trade})+$", "")
    return pl.when(stripped.str.len_chars() > 0).then(stripped).otherwise(normalised_name)


def is_branch(col: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """True when the name ends with a branch marker (分公司, 营业部 …)."""
    return fold(col).str.replace_all(_BRACKETS, "").str.contains(rf"(?:{_alternation(config.branch_markers)})$")


def by_distinct(values: pl.Series, normalise: pl.Expr) -> pl.Series:
    """`normalise` (an expression over column "v") applied once per distinct value and mapped back.

    Names and roles repeat across millions of rows; normalising each distinct value once is far cheaper.
    """
    distinct = values.unique().to_frame("v").with_columns(normalise.alias("out"))
    mapped = values.to_frame("v").join(distinct, on="v", how="left", nulls_equal=True, maintain_order="left")
    return mapped["out"].alias(values.name)


def person_name(col: pl.Expr) -> pl.Expr:
    """A person's name without spaces or bracketed notes; the middle dots of minority names unified to ·."""
    name = fold(pl.col("v")).str.replace_all(_BRACKETS, "").str.replace_all(_DOTS, "·").str.to_lowercase()
    clean = _null_if_empty(name.str.strip_chars("·"))
    return col.map_batches(lambda values: by_distinct(values, clean), return_dtype=pl.String)


def _check_chars(bodies: pl.Series) -> pl.Series:
    """GB 11643 check characters of 17-digit bodies (null bodies give null), by array arithmetic."""
    present = bodies.is_not_null().to_numpy()
    if bodies.is_empty():
        return pl.Series(bodies.name, [], dtype=pl.String)
    # every body is 17 ASCII digits, so the Arrow data buffer is an n x 17 matrix of bytes
    array = bodies.fill_null("0" * 17).to_arrow(compat_level=pl.CompatLevel.oldest())
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset: array.offset + len(array) + 1]
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0]: offsets[-1]]
    digits = (data.reshape(-1, 17) - ord("0")).astype(np.int64)
    rest = pl.Series(bodies.name, (digits @ np.array(_ID_WEIGHTS, dtype=np.int64)) % 11)
    checks = rest.replace_strict(dict(enumerate(_ID_CHECK)), return_dtype=pl.String)
    return checks.set(pl.Series(~present), None)


def _valid_ids(values: pl.Series) -> pl.Series:
    # in stages: one expression tree would recompute the shared parts once per use
    frame = values.to_frame("raw").with_columns(
        fold(pl.col("raw")).str.to_uppercase().str.replace_all(r"[-_]", "").alias("raw"))
    frame = frame.with_columns(pl.col("raw").str.contains(r"^\d{15}$").alias("old"))
    raw = pl.col("raw")
    upgraded = raw.str.slice(0, 6) + pl.lit("19") + raw.str.slice(6, 9)
    frame = frame.with_columns(pl.when(pl.col("old")).then(upgraded).when(
        raw.str.contains(r"^\d{17}[\dX]$")).then(raw.str.slice(0, 17)).otherwise(None).alias("body"))
    full = frame["body"] + _check_chars(frame["body"])
    keep = frame["old"] | (full == frame["raw"])
    return full.set(~keep.fill_null(False), None).alias(values.name)


def id_number(col: pl.Expr) -> pl.Expr:
    """A valid 18-character ID-card number (GB 11643 check digit), 15-digit ones upgraded; else null."""
    return col.map_batches(_valid_ids, return_dtype=pl.String)


def id_problem(raw: str) -> str | None:
    """Why `raw` is not a usable ID-card number, in Chinese (the number itself is never repeated)."""
    code = raw.strip().upper()
    if len(code) == 15 and code.isdigit():
        return None
    if len(code) != 18:
        return f"身份证号码应为18位，实为{len(code)}位"
    if not ric.is_valid(code):
        return "身份证号码校验位或出生日期错误"
    return None


def mask_id(col: pl.Expr) -> pl.Expr:
    """An ID number as it may be shown: the first four and last four characters, the rest starred."""
    long = col.str.len_chars() >= 8
    return pl.when(long).then(col.str.slice(0, 4) + pl.lit("*" * 10) + col.str.slice(-4, 4)).otherwise(
        col.str.replace_all(".", "*"))


def mask_id_text(code: str) -> str:
    return code[:4] + "*" * 10 + code[-4:] if len(code) >= 8 else "*" * len(code)


def phone(col: pl.Expr) -> pl.Expr:
    """Digits only: +86/0086 and extensions dropped; mobiles 11 digits, landlines with area code; short → null."""
    raw = fold(col).str.replace(r"(?:转|ext\.?|-?分机).*$", "")
    digits = raw.str.replace_all(r"\D", "").str.replace(r"^(?:0086|86)(1\d{10})$", "${1}")
    digits = digits.str.replace(r"^(?:0086|86)(\d{9,11})$", "0${1}").str.replace(r"^00", "0")
    return pl.when(digits.str.contains(r"^(?:1[3-9]\d{9}|0\d{9,11}|\d{7,8})$")).then(digits).otherwise(None)


def website(col: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """The host of a website, lower-case, without scheme, www., port or path; shared platforms → null."""
    host = fold(col).str.to_lowercase().str.replace(r"^[a-z]+://", "").str.replace(r"[/?#].*$", "")
    host = host.str.replace(r":\d+$", "").str.replace(r"^www\.", "").str.strip_chars(".")
    valid = host.str.contains(r"^[a-z0-9\-]+(?:\.[a-z0-9\-]+)+$") & ~host.is_in(list(config.shared_hosts))
    return pl.when(valid).then(host).otherwise(None)


def address_detail(col: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """The address below the county: province, city, county, punctuation and 中国 removed (勐海镇曼贺路12号3楼301室).

    The township stays: the same street number in two townships is two premises.
    """
    text = fold(col).str.replace_all(r"[,，、:：;；\-—()（）#]", "").str.replace(r"^中国", "")
    text = text.str.replace(rf"^(?:{_division_pattern()})+", "")
    return _null_if_empty(text)


def address_key(region_code: pl.Expr, address: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """County code and address detail (532822|勐海镇曼贺路12号3楼301室): one key per premises.

    Null when either is missing.
    """
    def keys(pair: pl.Series) -> pl.Series:
        frame = pair.struct.unnest().with_columns(address_detail(pl.col("address"), config).alias("detail"))
        return frame.select(pl.col("region") + pl.lit("|") + pl.col("detail")).to_series()

    return pl.struct(region_code.alias("region"), address.alias("address")).map_batches(keys, return_dtype=pl.String)
