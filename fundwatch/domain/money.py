"""Amounts as offices type them: `100万元人民币`, `1,000,000元`, `500.000000万人民币`, `5000万美元`.

An amount is an exact decimal in units of its currency (元 for CNY) with two
decimals, and an ISO 4217 currency code. The unit of a bare number (`300`)
is the column's: registry exports give 注册资本 and 实缴资本 in 万元, so the
registry's capital columns default to 万元 unless their header says 元
(e.g. `注册资本(元)`); every other amount defaults to 元. A number with 元, 圆
or a currency word or sign (`5000美元`, `$5000`) is in units of that currency;
万, 千 and 亿 scale it. The same pattern serves the vectorised expression and the
scalar helper, so they cannot disagree.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

import polars as pl

from fundwatch.domain.text import FULL_WIDTH, HALF_WIDTH, fold_width

AMOUNT = pl.Decimal(precision=20, scale=2)
_WORK = pl.Decimal(precision=38, scale=6)

UNITS: dict[str, int] = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
_UNIT_WORDS: dict[str, int] = {"千": 1_000, "万": 10_000, "亿": 100_000_000}

CURRENCY_WORDS: dict[str, str] = {
    "人民币": "CNY", "RMB": "CNY", "CNY": "CNY", "¥": "CNY", "￥": "CNY",
    "美元": "USD", "USD": "USD", "US$": "USD", "$": "USD",
    "港元": "HKD", "港币": "HKD", "HKD": "HKD", "HK$": "HKD",
    "欧元": "EUR", "EUR": "EUR", "€": "EUR",
    "日元": "JPY", "JPY": "JPY",
    "英镑": "GBP", "GBP": "GBP", "£": "GBP",
    "澳元": "AUD", "AUD": "AUD",
    "加元": "CAD", "CAD": "CAD",
    "新加坡元": "SGD", "SGD": "SGD",
    "韩元": "KRW", "KRW": "KRW",
    "新台币": "TWD", "台币": "TWD", "TWD": "TWD",
}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_UPPER_CURRENCY = {w.upper(): c for w, c in CURRENCY_WORDS.items()}
_PREFIX_WORDS = ["人民币", "RMB", "CNY", "USD", "US$", "$", "HKD", "HK$", "EUR", "€", "JPY", "GBP", "£", "¥", "￥"]
_SUFFIX_WORDS = [w for w in CURRENCY_WORDS if w not in ("¥", "￥", "$", "US$", "HK$", "€", "£")]

# Matched, case-insensitively, against the cell with full-width forms folded and spaces,
# thousands separators and brackets removed.
MONEY_PATTERN = (
    rf"(?i)^(?P<pre>{_alternation(_PREFIX_WORDS)})?"
    r"(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    r"(?P<unit>千|万|亿)?"
    r"(?P<yuan>元|圆)?"
    rf"(?P<suf>{_alternation(_SUFFIX_WORDS)})?"
    r"(?:元)?(?:整)?$"
)
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_CURRENCY = rf"(?i){_alternation(list(CURRENCY_WORDS))}"
_MONEY_RE = re.compile(MONEY_PATTERN)
_DROPPED = (" ", "\t", ",", "(", ")", "[", "]")
_DROP_RE = re.compile(r"[\s,()\[\]]")


def _multiplier(default_unit: str) -> int:
    if default_unit not in UNITS:
        raise ValueError(f"未知金额单位 {default_unit!r}，可选：{'、'.join(UNITS)}")
    return UNITS[default_unit]


def _compact_expr(col: pl.Expr) -> pl.Expr:
    """Full-width forms folded, spaces, thousands separators and brackets dropped, in one pass."""
    table = dict(zip(FULL_WIDTH, HALF_WIDTH, strict=True))
    table = {k: "" if v in _DROPPED else v for k, v in table.items()} | dict.fromkeys(_DROPPED, "")
    return col.str.replace_many(list(table), list(table.values()))


def _parts(cleaned: pl.Expr, scale: int) -> list[pl.Expr]:
    """valid, number, multiplier and currency of a compacted cell (see `_compact_expr`)."""
    multiplier = (
        pl.when(cleaned.str.contains("亿", literal=True)).then(pl.lit(100_000_000, pl.Int64))
        .when(cleaned.str.contains("万", literal=True)).then(pl.lit(10_000, pl.Int64))
        .when(cleaned.str.contains("千", literal=True)).then(pl.lit(1_000, pl.Int64))
        .when(cleaned.str.contains(r"[^\d.+\-整]")).then(pl.lit(1, pl.Int64))
        .otherwise(pl.lit(scale, pl.Int64))
    )
    word = cleaned.str.extract(_CURRENCY, 0).str.to_uppercase()
    return [
        cleaned.str.contains(MONEY_PATTERN).alias("valid"),
        cleaned.str.extract(_NUMBER, 0).cast(_WORK, strict=False).alias("number"),
        multiplier.cast(pl.Decimal(38, 0)).alias("multiplier"),
        word.replace_strict(_UPPER_CURRENCY, default="CNY", return_dtype=pl.String).alias("currency"),
    ]


def _amount(valid: pl.Expr, number: pl.Expr, multiplier: pl.Expr) -> pl.Expr:
    return pl.when(valid).then((number * multiplier).round(2).cast(AMOUNT, strict=False))


def money_expr(col: pl.Expr, *, default_unit: str = "元") -> pl.Expr:
    """Struct {amount: Decimal(20,2), currency: String}; both null when the cell is empty or unreadable.

    Only whole-cell matches and plain searches, no capture groups. Over a
    Series, `parse_money_series` is faster: it evaluates the same steps one at a time.
    """
    valid, number, multiplier, currency = _parts(_compact_expr(col), _multiplier(default_unit))
    amount = _amount(valid, number, multiplier)
    return pl.struct(amount.alias("amount"), pl.when(amount.is_not_null()).then(currency).alias("currency"))


def parse_money_series(values: pl.Series, *, default_unit: str = "元") -> pl.DataFrame:
    """`money_expr` over a Series as a frame (amount, currency), each intermediate column computed once."""
    scale = _multiplier(default_unit)
    parts = (
        pl.DataFrame({"v": values})
        .select(_compact_expr(pl.col("v")).alias("cleaned"))
        .select(_parts(pl.col("cleaned"), scale))
        .with_columns(_amount(pl.col("valid"), pl.col("number"), pl.col("multiplier")).alias("amount"))
    )
    return parts.select("amount", pl.when(pl.col("amount").is_not_null()).then(pl.col("currency")).alias("currency"))


def parse_money(raw: str, *, default_unit: str = "元") -> tuple[Decimal, str] | None:
    """Scalar `money_expr`: (amount, currency), or None when `raw` is empty or unreadable."""
    scale = _multiplier(default_unit)
    match = _MONEY_RE.match(_DROP_RE.sub("", fold_width(raw)))
    if match is None:
        return None
    try:
        number = Decimal(match["num"])
    except InvalidOperation:
        return None
    if match["unit"]:
        multiplier = _UNIT_WORDS[match["unit"]]
    elif match["pre"] or match["yuan"] or match["suf"]:
        multiplier = 1
    else:
        multiplier = scale
    amount = (number * multiplier).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    if abs(amount) >= Decimal(10) ** 18:
        return None
    word = match["pre"] or match["suf"] or ""
    currency = _UPPER_CURRENCY.get(word.upper(), "CNY")
    return amount, currency
