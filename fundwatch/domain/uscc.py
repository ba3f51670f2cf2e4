"""统一社会信用代码 (USCC, GB 32100-2015) and the organisation code inside it (GB 11714-1997).

A USCC is 18 characters: registering authority (1), entity type (1), region
code (6), organisation code (9, itself with a check character) and a check
character over the first 17. Scalar checks defer to python-stdnum for the
outer check digit; the vectorised expression does the same arithmetic over
a whole column so a million-row registry is checked in one pass.
"""

from __future__ import annotations

import polars as pl
from stdnum.cn import uscc as stdnum_uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
# GB 11714: digits are their value, letters A-Z are 10-35.
_ORG_VALUE = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}}


def normalise(raw: str) -> str:
    """Strip spaces and dashes, upper-case; full-width characters folded to ASCII."""
    folded = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in raw)
    return stdnum_uscc.compact(folded)


def org_check_char(first8: str) -> str:
    """The GB 11714 check character of an organisation code's first eight characters."""
    total = sum(_ORG_VALUE[c] * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    rest = 11 - total % 11
    return "X" if rest == 10 else "0" if rest == 11 else str(rest)


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character of a USCC's first seventeen characters."""
    return str(stdnum_uscc.calc_check_digit(first17))


def make_uscc(authority_type: str, region: str, org8: str) -> str:
    """Build a valid USCC from its parts: e.g. ("91", "532822", "MA6K1234")."""
    org9 = org8 + org_check_char(org8)
    body = authority_type + region + org9
    return body + uscc_check_char(body)


def uscc_problem(raw: str) -> str | None:
    """Why `raw` is not a valid USCC, in Chinese; None when it is valid."""
    code = normalise(raw)
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实为{len(code)}位"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3-8位应为行政区划代码（数字）"
    if any(c not in _USCC_VALUE for c in code):
        return "统一社会信用代码含非法字符（不得含 I、O、Z、S、V）"
    org = code[8:17]
    if any(c not in _ORG_VALUE for c in org[:8]) or org[8] != org_check_char(org[:8]):
        return "统一社会信用代码中的组织机构代码校验位错误"
    if code[17] != uscc_check_char(code[:17]):
        return "统一社会信用代码校验位错误"
    return None


def is_valid_uscc(raw: str) -> bool:
    """True when `raw` is a valid USCC (both check characters)."""
    return uscc_problem(raw) is None


def _weighted_sum(col: pl.Expr, start: int, weights: tuple[int, ...], table: dict[str, int]) -> pl.Expr:
    terms = [
        col.str.slice(start + i, 1).replace_strict(table, default=None, return_dtype=pl.Int64) * w
        for i, w in enumerate(weights)
    ]
    return pl.sum_horizontal(terms, ignore_nulls=False)


def uscc_valid_expr(col: pl.Expr) -> pl.Expr:
    """Vectorised `is_valid_uscc` over a column of already-normalised codes (null stays null)."""
    outer = _weighted_sum(col, 0, USCC_WEIGHTS, _USCC_VALUE)
    outer_char = ((31 - outer % 31) % 31).replace_strict(
        dict(enumerate(USCC_ALPHABET)), default=None, return_dtype=pl.String
    )
    inner = _weighted_sum(col, 8, ORG_WEIGHTS, _ORG_VALUE)
    inner_rest = 11 - inner % 11
    inner_char = (
        pl.when(inner_rest == 10).then(pl.lit("X"))
        .when(inner_rest == 11).then(pl.lit("0"))
        .otherwise(inner_rest.cast(pl.String))
    )
    return (
        (col.str.len_chars() == 18)
        & col.str.slice(2, 6).str.contains(r"^\d{6}$")
        & col.str.contains(f"^[{USCC_ALPHABET}]+$")
        & (col.str.slice(16, 1) == inner_char).fill_null(False)
        & (col.str.slice(17, 1) == outer_char).fill_null(False)
    )
