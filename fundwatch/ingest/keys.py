"""Subject keys: USCCs normalised and checked a whole column at a time.

The check digits are computed by `fundwatch.domain.uscc.grid_failures` with
numpy over the codes laid side by side as an (18, n) byte matrix. The reasons
are the sentences of `fundwatch.domain.uscc.uscc_problem`, which the tests hold
this module to, code for code.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from fundwatch.domain import uscc
from fundwatch.domain.text import FULL_WIDTH, HALF_WIDTH

LENGTH = "统一社会信用代码应为18位，实为{n}位"
REGION = "统一社会信用代码第3-8位应为行政区划代码（数字）"
CHARACTERS = "统一社会信用代码含非法字符（不得含 I、O、Z、S、V）"
ORG_CHECK = "统一社会信用代码中的组织机构代码校验位错误"
USCC_CHECK = "统一社会信用代码校验位错误"

_REASONS = {uscc.REGION: REGION, uscc.CHARACTERS: CHARACTERS, uscc.ORG_CHECK: ORG_CHECK, uscc.USCC_CHECK: USCC_CHECK}


def normalise_uscc(codes: pl.Series) -> pl.Series:
    """`normalise_uscc_expr` over a column, applied only to the codes that are not already 18 upper-case
    ASCII letters and digits (almost all are)."""
    return checked_usccs(codes, check=False)[0]


def checked_usccs(codes: pl.Series, *, check: bool = True) -> tuple[pl.Series, pl.Series]:
    """The codes normalised (`normalise_uscc`) and, if `check`, why each is unusable (`uscc_problems`).

    Both come from one byte matrix of the codes: the few codes that need folding are folded and checked
    apart.
    """
    rows, grid = uscc.code_grid(codes)
    grid_failed, plain = uscc.grid_failures(grid)
    tidy = np.zeros(len(codes), dtype=np.bool_)
    tidy[rows] = plain
    untidy = np.flatnonzero(~tidy & codes.is_not_null().to_numpy())
    keys = codes
    if len(untidy):
        folded = pl.select(normalise_uscc_expr(pl.lit(codes.gather(untidy)))).to_series()
        keys = codes.scatter(untidy, folded).alias(codes.name)
    if not check:
        return keys, pl.repeat(None, len(codes), dtype=pl.String, eager=True)
    failed = np.zeros(len(codes), dtype=np.int8)  # VALID for a null
    failed[rows] = grid_failed
    if len(untidy):  # folded and checked apart (as are the codes not 18 bytes long, all untidy)
        failed[untidy] = uscc.uscc_failures(keys.gather(untidy))
    return keys, _problems(keys, failed)


def normalise_uscc_expr(col: pl.Expr) -> pl.Expr:
    """Full-width forms folded, spaces and dashes removed, upper-case (as `domain.uscc.normalise`); empty → null."""
    table = dict(zip(FULL_WIDTH, HALF_WIDTH, strict=True)) | {" ": "", "-": "", "\t": "", "－": "", "\u3000": ""}
    code = col.str.replace_many(list(table), list(table.values())).str.to_uppercase()
    return pl.when(code.str.len_bytes() > 0).then(code)


def uscc_problems(codes: pl.Series) -> pl.Series:
    """For normalised codes: null where valid (or null), else the Chinese reason of the first check failed."""
    return _problems(codes, uscc.uscc_failures(codes))


def _problems(codes: pl.Series, failed: npt.NDArray[np.int8]) -> pl.Series:
    problems = pl.repeat(None, len(codes), dtype=pl.String, eager=True).alias(codes.name)
    rows = np.flatnonzero(failed)
    if not len(rows):
        return problems
    bad = codes.gather(rows)
    reasons = pl.Series(failed[rows]).replace_strict(_REASONS, default=None, return_dtype=pl.String)
    lengths = pl.format(LENGTH.replace("{n}", "{}"), pl.lit(bad).str.len_chars())
    text = pl.select(pl.when(pl.lit(failed[rows]) == uscc.LENGTH).then(lengths).otherwise(pl.lit(reasons)))
    return problems.scatter(rows, text.to_series())
