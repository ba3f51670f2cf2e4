"""Normalised keys for linking: company names and brands, people, ID cards, phones, websites, addresses.

Each function returns a Polars expression so a million-row registry is
normalised in one pass; a value that cannot be a key becomes null (an empty
key never links two subjects). ID-card numbers are checked with the GB 11643
check digit and are only ever shown masked (5328**********1234).
"""

from __future__ import annotations

import re
from functools import lru_cache

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


def company_name(col: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """The name without bracketed parts, branch suffix, leading places and trailing organisational form.

    鑫源投资咨询（勐海）有限公司打洛分公司 and 云南省勐海县鑫源投资咨询有限公司 both give 鑫源投资咨询.
    A place that is the whole brand (朝阳茶业有限公司) is kept.
    """
    forms = _alternation(config.org_forms)
    branches = _alternation(config.branch_markers)
    full, every = _place_patterns(config.home_places)
    name = fold(col).str.replace_all(_BRACKETS, "").str.replace_all(r"[\"'“”‘’《》,，、]", "")
    name = name.str.replace(rf"^(.+?(?:{forms}))(?:.*?)(?:{branches})$", "${1}")
    name = name.str.replace(rf"(?:{branches})$", "")
    careful = name.str.replace(rf"^(?:{full})+", "").str.replace(rf"(?:{forms})+$", "")
    eager = careful.str.replace(rf"^(?:{every})+", "")
    trade = _alternation(config.trade_words)
    kept = pl.when(eager.str.replace(rf"(?:{trade})+$", "").str.len_chars() > 0).then(eager).otherwise(careful)
    return _null_if_empty(kept)


def brand(normalised_name: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """The 字号 (brand) of a normalised name: its trade words (投资咨询, 茶业 …) removed from the end."""
    trade = _alternation(config.trade_words)
    stripped = normalised_name.str.replace(rf"(?:{trade})+$", "")
    return pl.when(stripped.str.len_chars() > 0).then(stripped).otherwise(normalised_name)


def is_branch(col: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """True when the name ends with a branch marker (分公司, 营业部 …)."""
    return fold(col).str.replace_all(_BRACKETS, "").str.contains(rf"(?:{_alternation(config.branch_markers)})$")


def person_name(col: pl.Expr) -> pl.Expr:
    """A person's name without spaces or bracketed notes; the middle dots of minority names unified to ·."""
    name = fold(col).str.replace_all(_BRACKETS, "").str.replace_all(_DOTS, "·").str.to_lowercase()
    return _null_if_empty(name.str.strip_chars("·"))


def id_number(col: pl.Expr) -> pl.Expr:
    """A valid 18-character ID-card number (GB 11643 check digit), 15-digit ones upgraded; else null."""
    raw = fold(col).str.to_uppercase().str.replace_all(r"[-_]", "")
    body = pl.when(raw.str.contains(r"^\d{15}$")).then(
        raw.str.slice(0, 6) + pl.lit("19") + raw.str.slice(6, 9)
    ).when(raw.str.contains(r"^\d{17}[\dX]$")).then(raw.str.slice(0, 17)).otherwise(None)
    total = pl.sum_horizontal([body.str.slice(i, 1).cast(pl.Int64) * w for i, w in enumerate(_ID_WEIGHTS)])
    check = (total % 11).replace_strict(dict(enumerate(_ID_CHECK)), return_dtype=pl.String)
    full = body + check
    return pl.when(raw.str.len_chars() == 15).then(full).when(full == raw).then(full).otherwise(None)


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
    """The part of an address below the township: places, punctuation and 中国 removed (曼贺路12号3楼301室)."""
    _, every = _place_patterns(config.home_places)
    text = fold(col).str.replace_all(r"[,，、:：;；\-—()（）#]", "").str.replace(r"^中国", "")
    text = text.str.replace(rf"^(?:{every})+", "")
    return _null_if_empty(text)


def address_key(region_code: pl.Expr, address: pl.Expr, config: LinkingConfig) -> pl.Expr:
    """County code and address detail (532822|曼贺路12号3楼301室): one key per premises; null if either is missing."""
    detail = address_detail(address, config)
    return pl.when(region_code.is_not_null() & detail.is_not_null()).then(
        region_code + pl.lit("|") + detail
    ).otherwise(None)
