"""The vectorised USCC checks agree with the scalar ones and with python-stdnum."""

from __future__ import annotations

import random

import polars as pl
from stdnum.cn import uscc as stdnum_uscc

from fundwatch.domain.uscc import USCC_ALPHABET, make_uscc, normalise, org_check_char, uscc_problem, uscc_valid_expr
from fundwatch.ingest.keys import checked_usccs, normalise_uscc, uscc_problems


def _random_codes(seed: int, n: int) -> list[str]:
    """Valid codes, then damaged ones: a changed character, a wrong length, a Chinese character."""
    rng = random.Random(seed)
    noise = USCC_ALPHABET + "IOSVZ"
    codes = []
    for _ in range(n):
        org = "".join(rng.choice(USCC_ALPHABET) for _ in range(8))
        code = make_uscc(rng.choice(["91", "92", "93", "11", "51", "Y1"]), f"{rng.randrange(10**6):06d}", org)
        roll = rng.random()
        if roll < 0.4:
            at = rng.randrange(18)
            code = code[:at] + rng.choice(noise) + code[at + 1:]
        elif roll < 0.45:
            code = code[: rng.randrange(1, 25)]
        elif roll < 0.48:
            code = code[:5] + "勐" + code[6:]
        codes.append(code)
    return codes


def test_problems_match_the_scalar_check_code_for_code() -> None:
    codes = _random_codes(1, 20_000)
    got = uscc_problems(pl.Series(codes)).to_list()
    expected = [uscc_problem(c) for c in codes]
    assert got == expected
    assert len(set(expected)) > 5  # every kind of failure occurred


def test_valid_expr_agrees_with_stdnum() -> None:
    """stdnum wants digits in the first 8 characters and does not check the organisation code; we do."""
    codes = [c for c in _random_codes(2, 20_000) if len(c) == 18 and c[:8].isdigit()]
    valid = pl.select(uscc_valid_expr(pl.lit(pl.Series(codes)))).to_series().to_list()
    for code, ours in zip(codes, valid, strict=True):
        org_ok = code[16] == org_check_char(code[8:16]) if all(c in USCC_ALPHABET for c in code[8:16]) else False
        assert ours == (stdnum_uscc.is_valid(code) and org_ok), code
    assert 0 < sum(valid) < len(valid)


def test_nulls_and_empty_series() -> None:
    assert uscc_problems(pl.Series([None], dtype=pl.String)).to_list() == [None]
    assert uscc_problems(pl.Series([], dtype=pl.String)).to_list() == []


def test_normalise_folds_full_width_spaces_dashes_and_case() -> None:
    code = make_uscc("91", "532822", "MA6K1234")
    raw = pl.Series([" " + code[:6] + "-" + code[6:].lower() + "\u3000", "".join(chr(ord(c) + 0xFEE0) for c in code)])
    assert normalise_uscc(raw).to_list() == [code, code]
    tidy = pl.Series([code])
    assert normalise_uscc(tidy) is tidy


def test_checked_codes_are_the_normalised_codes_and_their_problems() -> None:
    """Folding and checking in one pass gives what the scalar functions give, code for code."""
    rng = random.Random(3)
    codes: list[str | None] = []
    for code in _random_codes(4, 5_000):
        roll = rng.random()
        if roll < 0.05:
            code = code.lower()
        elif roll < 0.08:
            code = f" {code[:6]}-{code[6:]}\u3000"
        elif roll < 0.1:
            code = "".join(chr(ord(c) + 0xFEE0) for c in code)
        codes.append(None if roll > 0.98 else code)
    keys, problems = checked_usccs(pl.Series(codes, dtype=pl.String))
    assert keys.to_list() == [None if c is None else normalise(c) or None for c in codes]
    assert problems.to_list() == [None if c is None else uscc_problem(c) for c in codes]
