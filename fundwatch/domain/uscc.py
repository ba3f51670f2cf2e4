"""统一社会信用代码 (USCC, GB 32100-2015) and the organisation code inside it (GB 11714-1997).

A USCC is 18 characters: registering authority (1), entity type (1), region
code (6), organisation code (9, itself with a check character) and a check
character over the first 17. Scalar checks defer to python-stdnum for the
outer check digit; `uscc_failures` does the same arithmetic with numpy over
a whole column, so a million-row registry is checked in milliseconds.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
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


# Failure codes of `uscc_failures`, in the order the checks are made (the first failed is reported).
VALID, LENGTH, REGION, CHARACTERS, ORG_CHECK, USCC_CHECK = range(6)

# byte -> value in USCC_ALPHABET; the capitals a USCC may not hold (I, O, S, V, Z) get 31, other bytes 255
_USCC_BYTE = np.full(256, 255, dtype=np.uint8)
_USCC_BYTE[np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)] = np.arange(len(USCC_ALPHABET), dtype=np.uint8)
_USCC_BYTE[np.frombuffer(b"IOSVZ", dtype=np.uint8)] = len(USCC_ALPHABET)
_ORG_BYTE = np.full(256, 255, dtype=np.uint8)  # byte -> GB 11714 value, 255 if not a digit or A-Z
for _char, _value in _ORG_VALUE.items():
    _ORG_BYTE[ord(_char)] = _value
_ORG_CHARS = np.frombuffer(b"0123456789X", dtype=np.uint8)  # (11 - sum % 11) % 11 -> check character
_USCC_CHARS = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)


Grid = tuple[npt.NDArray[np.intp], npt.NDArray[np.uint8]]


def code_grid(codes: pl.Series) -> Grid:
    """The rows of `codes` whose UTF-8 is 18 bytes long, and those codes as an (18, n) byte matrix: one
    row per position, as numpy reduces across rows far faster than along them."""
    nbytes = codes.str.len_bytes().fill_null(0).to_numpy()
    rows = np.flatnonzero(nbytes == 18)
    if not len(rows):
        return rows, np.zeros((18, 0), dtype=np.uint8)
    picked = codes if len(rows) == len(codes) else codes.gather(rows)
    side_by_side = np.frombuffer(str(picked.str.join("").item()).encode("utf-8"), dtype=np.uint8)
    return rows, np.ascontiguousarray(side_by_side.reshape(-1, 18).T)


def uscc_failures(codes: pl.Series) -> npt.NDArray[np.int8]:
    """For already-normalised codes: the failure code of each (VALID for a valid code or a null), all at once.

    The 18-byte codes are checked with numpy over their `code_grid` (`grid_failures`): a million codes
    take milliseconds, where character-by-character Polars expressions take seconds.
    """
    rows, matrix = code_grid(codes)
    failed = np.zeros(len(codes), dtype=np.int8)
    others = codes.is_not_null().to_numpy()
    others[rows] = False
    if others.any():
        failed[others] = _failures_by_character(codes.filter(pl.Series(others)))
    if len(rows):
        failed[rows] = grid_failures(matrix)[0]
    return failed


def _failures_by_character(codes: pl.Series) -> npt.NDArray[np.int8]:
    """Codes whose UTF-8 is not 18 bytes: a wrong length, or 18 characters not all ASCII."""
    length = codes.str.len_chars().to_numpy()
    region_digits = codes.str.slice(2, 6).str.contains(r"^[0-9]{6}$").fill_null(False).to_numpy()
    return np.where(length != 18, LENGTH, np.where(region_digits, CHARACTERS, REGION)).astype(np.int8)


def _weighted(values: npt.NDArray[np.uint8], weights: tuple[int, ...]) -> npt.NDArray[np.uint16]:
    """The weighted sums of the first len(weights) rows (exact in 16 bits for values below 36; a row with
    a byte outside the alphabets wraps around, but fails an earlier check)."""
    total = np.zeros(values.shape[1], dtype=np.uint16)
    term = np.empty_like(total)
    for row, weight in zip(values, weights, strict=False):
        total += np.multiply(row, np.uint16(weight), out=term)
    return total


def grid_failures(chars: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """Failure codes of 18-byte codes, one per column of `chars` (see `code_grid`), and which of the codes
    are plain: only ASCII digits and capitals, so nothing to fold (the codes almost all are)."""
    values = np.take(_USCC_BYTE, chars)
    top = values.max(axis=0)
    plain = top != 255
    digits = values[2:8].max(axis=0) <= 9
    alphabet = top < len(USCC_ALPHABET)
    org = np.take(_ORG_BYTE, chars[8:16])
    org_ok = (org.max(axis=0) != 255) & (_ORG_CHARS[(11 - _weighted(org, ORG_WEIGHTS) % 11) % 11] == chars[16])
    uscc_ok = _USCC_CHARS[(31 - _weighted(values, USCC_WEIGHTS) % 31) % 31] == chars[17]
    out = np.full(chars.shape[1], VALID, dtype=np.int8)
    out[~uscc_ok] = USCC_CHECK
    out[~org_ok] = ORG_CHECK
    out[~alphabet] = CHARACTERS
    out[~digits] = REGION
    odd = np.flatnonzero(~plain)  # 18 bytes, but a multi-byte character: fewer characters, the length is wrong
    out[odd[(chars[:, odd] >= 0x80).any(axis=0)]] = LENGTH
    return out, plain


def uscc_valid_expr(col: pl.Expr) -> pl.Expr:
    """Vectorised `is_valid_uscc` over a column of already-normalised codes (null stays null)."""
    return col.map_batches(
        lambda codes: pl.Series(codes.name, uscc_failures(codes) == VALID).set(codes.is_null(), None),
        return_dtype=pl.Boolean,
    )
