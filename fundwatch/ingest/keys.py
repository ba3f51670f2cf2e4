"""Subject keys: USCCs normalised and checked a whole column at a time.

The check digits are computed with numpy over the codes laid side by side as
an (n, 18) byte matrix: a million codes take a few milliseconds, where
character-by-character Polars expressions take seconds. The reasons are the
sentences of `fundwatch.domain.uscc.uscc_problem`, which the tests hold this
module to, code for code.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from fundwatch.domain.text import FULL_WIDTH, HALF_WIDTH
from fundwatch.domain.uscc import ORG_WEIGHTS, USCC_ALPHABET, USCC_WEIGHTS

LENGTH = "统一社会信用代码应为18位，实为{n}位"
REGION = "统一社会信用代码第3-8位应为行政区划代码（数字）"
CHARACTERS = "统一社会信用代码含非法字符（不得含 I、O、Z、S、V）"
ORG_CHECK = "统一社会信用代码中的组织机构代码校验位错误"
USCC_CHECK = "统一社会信用代码校验位错误"

_USCC_VALUE = np.full(256, -1, dtype=np.int32)
for _i, _c in enumerate(USCC_ALPHABET):
    _USCC_VALUE[ord(_c)] = _i
_ORG_VALUE = np.full(256, -1, dtype=np.int32)
for _d in range(10):
    _ORG_VALUE[ord(str(_d))] = _d
for _k in range(26):
    _ORG_VALUE[65 + _k] = 10 + _k
_ORG_CHARS = np.frombuffer(b"0123456789X", dtype=np.uint8)  # check value 0..10 -> character
_USCC_CHARS = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)


def normalise_uscc(codes: pl.Series) -> pl.Series:
    """`normalise_uscc_expr` over a column, applied only to the codes that are not already upper-case ASCII
    letters and digits (almost all are)."""
    untidy = codes.str.contains(r"[^0-9A-Z]").fill_null(False)
    if not untidy.any():
        return codes
    folded = pl.select(normalise_uscc_expr(pl.lit(codes.filter(untidy)))).to_series()
    return codes.scatter(untidy.arg_true(), folded).alias(codes.name)


def normalise_uscc_expr(col: pl.Expr) -> pl.Expr:
    """Full-width forms folded, spaces and dashes removed, upper-case (as `domain.uscc.normalise`); empty → null."""
    table = dict(zip(FULL_WIDTH, HALF_WIDTH, strict=True)) | {" ": "", "-": "", "\t": "", "－": "", "\u3000": ""}
    code = col.str.replace_many(list(table), list(table.values())).str.to_uppercase()
    return pl.when(code.str.len_bytes() > 0).then(code)


_REASONS = {1: REGION, 2: CHARACTERS, 3: ORG_CHECK, 4: USCC_CHECK}


def uscc_problems(codes: pl.Series) -> pl.Series:
    """For normalised codes: null where valid (or null), else the Chinese reason of the first check failed."""
    length = codes.str.len_chars()
    failed = np.zeros(len(codes), dtype=np.int8)  # 0 = valid or null; else a key of _REASONS
    ascii18 = ((codes.str.len_bytes() == 18) & (length == 18)).fill_null(False)
    wide = ((length == 18) & ~ascii18).fill_null(False)
    if wide.any():
        region_digits = codes.filter(wide).str.slice(2, 6).str.contains(r"^[0-9]{6}$").to_numpy()
        failed[wide.to_numpy()] = np.where(region_digits, 2, 1)
    rows = np.flatnonzero(ascii18.to_numpy())
    if len(rows):
        failed[rows] = _check_matrix(codes.gather(rows))
    reasons = pl.Series(codes.name, failed).replace_strict(_REASONS, default=None, return_dtype=pl.String)
    return pl.select(
        pl.when(length != 18).then(pl.format(LENGTH.replace("{n}", "{}"), length)).otherwise(reasons)
    ).to_series().alias(codes.name)


def _check_matrix(codes: pl.Series) -> np.ndarray:
    """Failure codes (see _REASONS) for 18-character ASCII codes, all at once."""
    grid = np.frombuffer(str(codes.str.join("").item()).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    out = np.zeros(len(grid), dtype=np.int8)
    digits = ((grid[:, 2:8] >= ord("0")) & (grid[:, 2:8] <= ord("9"))).all(axis=1)
    uscc_values = _USCC_VALUE[grid]
    alphabet = (uscc_values >= 0).all(axis=1)
    org_values = _ORG_VALUE[grid[:, 8:16]]
    org_sum = np.where(org_values >= 0, org_values, 0) @ np.array(ORG_WEIGHTS, dtype=np.int32)
    org_ok = (org_values >= 0).all(axis=1) & (_ORG_CHARS[(11 - org_sum % 11) % 11] == grid[:, 16])
    outer_sum = np.where(uscc_values[:, :17] >= 0, uscc_values[:, :17], 0) @ np.array(USCC_WEIGHTS, dtype=np.int32)
    uscc_ok = _USCC_CHARS[(31 - outer_sum % 31) % 31] == grid[:, 17]
    out[~uscc_ok] = 4
    out[~org_ok] = 3
    out[~alphabet] = 2
    out[~digits] = 1
    return out
