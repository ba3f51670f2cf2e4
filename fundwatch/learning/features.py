"""Which candidates become features and how each is turned into a number for LightGBM.

Decided once, on the training data, and stored in the model: a number stays a number; a code or
a word becomes a category (its frequent values learned, every other value one shared "other"
code); free text (names, addresses, scopes) becomes its length. Columns named like the labels
file's columns never become features: they are the answer, not evidence.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from fundwatch.domain.dates import date_expr
from fundwatch.frames import SIDE_KINDS
from fundwatch.learning.candidates import SIDE_ZH, Candidates

Transform = Literal["number", "category", "length", "days"]
Matrix = npt.NDArray[np.float64]

# Registry columns that are codes whatever they look like (industry code 7212 is not a quantity).
CODE_COLUMNS: frozenset[str] = frozenset({
    "registry.status", "registry.entity_type", "registry.industry_code", "registry.region_code",
    "registry.township_code", "registry.capital_currency", "screen.sector",
})
# Registry columns of free text: each value is nearly unique, only its length carries signal.
TEXT_COLUMNS: frozenset[str] = frozenset({
    "registry.name", "registry.business_scope", "registry.legal_rep", "registry.address",
    "registry.operating_address", "registry.phone",
})
# The labels' own column names are never features, even when no labels file names them.
ANSWER_COLUMNS: frozenset[str] = frozenset({"label", "guise"})

# A category keeps at most CATEGORY_TOP values, each seen at least CATEGORY_MIN_ROWS times; LightGBM
# cannot learn anything from rarer values, and the vocabulary must not grow with the registry.
CATEGORY_TOP = 50
CATEGORY_MIN_ROWS = 5
# A string column of unknown meaning is a category when it has few distinct values: at most
# CATEGORY_MAX_SHARE of its filled rows, or at most CATEGORY_SMALL values whatever the size.
CATEGORY_MAX_SHARE = 0.2
CATEGORY_SMALL = 20
# ...and a number when nearly all its filled values read as numbers.
NUMERIC_SHARE = 0.95


@dataclass(frozen=True)
class Feature:
    """One model input: the candidate column it reads and how."""

    name: str
    transform: Transform
    origin: str  # registry | <side kind> | screening | rules
    label: str  # readable Chinese, for reasons and errors
    categories: tuple[str, ...] = ()
    money: bool = False  # in 元, shown in 万元

    @property
    def categorical(self) -> bool:
        return self.transform == "category"

    @property
    def source_column(self) -> str | None:
        """For a per-value count of a side-table column (`judicial.kind=刑事案件`): `judicial.kind`."""
        return self.name.split("=", 1)[0] if self.origin in SIDE_KINDS and "=" in self.name else None

    def available(self, cands: Candidates) -> bool:
        """Whether `cands` can supply this feature.

        A rule that never fired, or a side-table value never seen in a column that is there, is a
        count of 0, not a gap.
        """
        if self.name in cands.frame.columns or self.origin == "rules":
            return True
        return self.source_column is not None and self.source_column in cands.side_columns


class MissingFeaturesError(ValueError):
    """The data lacks inputs the model was trained on; the message names them in Chinese."""

    def __init__(self, missing: Sequence[Feature], sides_given: Collection[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(missing_message(self.missing, sides_given))


def _normal(name: str) -> str:
    return name.strip().casefold()


def registry_column(feature_name: str) -> str:
    """The registry column behind a `registry.*` candidate name."""
    return feature_name.removeprefix("registry.").removesuffix(".days")


def _numeric_text(values: pl.Series) -> pl.Series:
    return values.str.strip_chars().str.replace_all(",", "").cast(pl.Float64, strict=False)


def _looks_like_code(values: pl.Series) -> bool:
    """Digit strings with leading zeros, or all of one length of 4 or more, are codes (postcodes, regions)."""
    stripped = values.str.strip_chars()
    if not stripped.str.contains(r"^\d+$").all():
        return False
    lengths = stripped.str.len_chars()
    return bool(stripped.str.contains(r"^0\d").any()) or (lengths.n_unique() == 1 and int(lengths[0]) >= 4)


def _looks_like_identifier(values: pl.Series) -> bool:
    """Whole numbers, all filled and all different: a record number, whose order could betray how the file
    was put together (confirmed cases appended last) but says nothing about a subject."""
    return values.dtype.is_integer() and values.null_count() == 0 and values.n_unique() == values.len() > 50


def _looks_like_dates(values: pl.Series) -> bool:
    """Written dates (`2021-02-26 00:00:00`, `2018年5月22日`) the importer left as text; digits alone are not."""
    if values.str.contains(r"^\s*\d+\s*$").all():
        return False
    parsed = pl.select(date_expr(pl.lit(values))).to_series()
    return bool(parsed.is_not_null().sum() >= NUMERIC_SHARE * values.len())


def _vocabulary(values: pl.Series) -> tuple[str, ...]:
    counts = values.value_counts(sort=True, name="n").filter(pl.col("n") >= CATEGORY_MIN_ROWS)
    return tuple(sorted(str(v) for v in counts.get_column(values.name).head(CATEGORY_TOP).to_list()))


def _string_feature(cands: Candidates, name: str) -> Feature | None:
    values = cands.frame.get_column(name).drop_nulls()
    label, origin = cands.labels.get(name, name), cands.origins.get(name, "registry")
    if values.is_empty():
        return None
    if name in TEXT_COLUMNS:
        return Feature(name, "length", origin, f"{label}字数")
    if name not in CODE_COLUMNS and _looks_like_dates(values):
        return Feature(name, "days", origin, f"{label}（距参考日天数）")
    is_code = name in CODE_COLUMNS or _looks_like_code(values)
    parsed = _numeric_text(values)
    if not is_code and parsed.is_not_null().sum() >= NUMERIC_SHARE * values.len():
        return Feature(name, "number", origin, label)
    if is_code or values.n_unique() <= max(CATEGORY_SMALL, CATEGORY_MAX_SHARE * values.len()):
        vocabulary = _vocabulary(values)
        return Feature(name, "category", origin, label, vocabulary) if vocabulary else None
    return Feature(name, "length", origin, f"{label}字数")


def learn_features(cands: Candidates, exclude: Collection[str] = ()) -> tuple[list[Feature], list[str]]:
    """The features to train on, and the registry columns left out because the labels file names them."""
    answers = {_normal(n) for n in exclude} | ANSWER_COLUMNS
    features: list[Feature] = []
    excluded: list[str] = []
    for name, dtype in cands.frame.schema.items():
        if name == "subject_key":
            continue
        origin = cands.origins.get(name, "registry")
        if origin == "registry" and _normal(registry_column(name)) in answers:
            excluded.append(registry_column(name))
            continue
        values = cands.frame.get_column(name)
        if values.n_unique() <= 1 or (origin == "registry" and _looks_like_identifier(values)):
            continue
        if dtype == pl.String():
            feature = _string_feature(cands, name)
        else:
            feature = Feature(name, "number", origin, cands.labels.get(name, name), money=name in cands.money)
        if feature is not None:
            features.append(feature)
    return features, excluded


def missing_features(cands: Candidates, features: Sequence[Feature]) -> list[Feature]:
    """The features `cands` cannot supply."""
    return [f for f in features if not f.available(cands)]


def _side_column(feature: Feature) -> str:
    """The side-table column a missing side feature needed: `judicial.kind=…` → kind, `reports.people.sum` → people."""
    rest = (feature.source_column or feature.name).removeprefix(f"{feature.origin}.")
    return rest.rsplit(".", 1)[0] if feature.source_column is None else rest


def missing_message(missing: Sequence[Feature], sides_given: Collection[str] = ()) -> str:
    """One Chinese sentence naming what is missing, grouped by where it should have come from."""
    registry = sorted({registry_column(f.name) for f in missing if f.origin == "registry"})
    sides = sorted({f.origin for f in missing if f.origin in SIDE_KINDS and f.origin not in sides_given})
    columns: dict[str, set[str]] = {}
    for f in missing:
        if f.origin in sides_given:
            columns.setdefault(f.origin, set()).add(_side_column(f))
    other = sorted({f.name for f in missing if f.origin not in SIDE_KINDS and f.origin != "registry"})
    parts = []
    if registry:
        parts.append("登记表缺少列：" + "、".join(registry))
    if sides:
        parts.append("未提供旁表：" + "、".join(f"{SIDE_ZH.get(k, k)}（--{k}）" for k in sides))
    for kind in sorted(columns):
        parts.append(f"旁表{SIDE_ZH.get(kind, kind)}缺少列：" + "、".join(sorted(columns[kind])))
    if other:
        parts.append("排查结果缺少：" + "、".join(other))
    names = "、".join(f.name for f in missing[:12]) + ("等" if len(missing) > 12 else "")
    return f"模型需要的 {len(missing)} 个特征在数据中缺失（{names}）。" + "；".join(parts) + "。"


def _column_expr(feature: Feature, dtype: pl.DataType, as_of: date) -> pl.Expr:
    column = pl.col(feature.name)
    if feature.transform == "days":
        return (pl.lit(as_of) - date_expr(column.cast(pl.String))).dt.total_days().cast(pl.Float64)
    if feature.transform == "length":
        return column.cast(pl.String).str.len_chars().cast(pl.Float64)
    if feature.transform == "category":
        codes = {value: float(i) for i, value in enumerate(feature.categories)}
        text = column.cast(pl.String)
        other = float(len(feature.categories))
        return pl.when(text.is_null()).then(None).otherwise(text.replace_strict(codes, default=other,
                                                                                  return_dtype=pl.Float64))
    if dtype == pl.String():
        return column.str.strip_chars().str.replace_all(",", "").cast(pl.Float64, strict=False)
    return column.cast(pl.Float64)


def encode(cands: Candidates, features: Sequence[Feature]) -> Matrix:
    """The model's input matrix, rows in `cands.frame` order, NaN where a value is unknown."""
    missing = missing_features(cands, features)
    if missing:
        raise MissingFeaturesError(missing, cands.sides)
    schema = cands.frame.schema
    exprs = [
        _column_expr(f, schema[f.name], cands.as_of).alias(f.name) if f.name in schema else pl.lit(0.0).alias(f.name)
        for f in features
    ]
    if not exprs:
        return np.zeros((cands.frame.height, 0), dtype=np.float64)
    matrix: Matrix = cands.frame.select(exprs).to_numpy().astype(np.float64)
    return matrix
