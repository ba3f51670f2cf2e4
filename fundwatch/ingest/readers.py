"""Read a table file into a typed frame and its rejects, column by column as a spec says.

A spec names the canonical columns, the headers offices use for them (Chinese
or English; case, spaces, underscores, full-width forms and a bracketed unit
such as `(万元)` do not matter) and their kind:

- `string`: trimmed text, empty → null.
- `key`: trimmed text with full-width forms folded and inner spaces removed; an empty key rejects the row.
- `money`: `Decimal(20,2)` in units of the currency, plus a `<name>_currency` column (ISO 4217);
  a bare number is in the column's `unit` unless the header names one (`注册资本(元)`).
- `date`: `pl.Date`; `int`: `Int64`; `float`: `Float64`.

Batches are read ahead and typed in worker threads (`fundwatch.ingest.ahead`),
and come out in file order.

Every non-blank row read is either in `frame` or in `rejects` with severity
"reject"; a value that cannot be read (in a money, date or number column)
becomes null and gets a "warning" row. Blank lines are not rows. Columns not
in the spec are kept under their own header, typed by inference on the first
batch (whole numbers without leading zeros, decimals, dates, else text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from fundwatch.domain.dates import parse_dates
from fundwatch.domain.distinct import per_distinct
from fundwatch.domain.money import parse_money_series
from fundwatch.domain.text import blank_expr, clean_string_expr, fold_width_expr
from fundwatch.frames import LINE, MONEY, REJECTS_SCHEMA, empty
from fundwatch.ingest.ahead import map_ahead
from fundwatch.ingest.sources import SOURCE_LINE, IngestError, raw_batches

__all__ = ["Column", "Imported", "IngestError", "TableSpec", "concat_imported", "iter_table", "map_table", "read_table"]

Kind = Literal["string", "key", "money", "date", "int", "float"]
DEFAULT_BATCH_ROWS = 200_000
CURRENCY_SUFFIX = "_currency"

_DTYPES: dict[str, pl.DataType] = {
    "string": pl.String(), "key": pl.String(), "money": MONEY,
    "date": pl.Date(), "int": pl.Int64(), "float": pl.Float64(),
}
_UNREADABLE: dict[str, str] = {
    "money": "无法识别的金额，已置空", "date": "无法识别的日期，已置空",
    "int": "无法识别的整数，已置空", "float": "无法识别的数值，已置空",
}
_BRACKETED = re.compile(r"[(\[【（].*?[)\]】）]")
_INT_TEXT = r"^[+-]?(?:0|[1-9]\d{0,17})$"
_FLOAT_TEXT = r"^[+-]?(?:0|[1-9]\d*)?\.\d+$|^[+-]?(?:0|[1-9]\d*)\.\d*$"
_DATE_TEXT = r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:[\sT]+\d{1,2}:\d{2}.*)?$"


def header_key(header: str) -> str:
    """How headers are compared: NFKC-folded, lower-case, without spaces, underscores or dashes."""
    return re.sub(r"[\s_\-]", "", unicodedata.normalize("NFKC", header)).lower()


@dataclass(frozen=True)
class Column:
    """One canonical column: its output name, the headers that mean it, its kind."""

    name: str
    aliases: tuple[str, ...]
    kind: Kind = "string"
    required: bool = False
    reject_empty: bool = False  # an empty cell rejects the row (keys always do)
    unit: str = "元"  # money only: the unit of a bare number when the header names none

    @property
    def label(self) -> str:
        return self.aliases[0] if self.aliases else self.name

    def dtype(self) -> pl.DataType:
        return _DTYPES[self.kind]


@dataclass(frozen=True)
class TableSpec:
    """What a table must and may hold; `any_of` lists groups of which at least one column must be present."""

    label: str  # Chinese name of the table for messages, e.g. 企业登记信息
    columns: tuple[Column, ...]
    any_of: tuple[tuple[str, ...], ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def output_schema(self) -> dict[str, pl.DataType]:
        """`line` and the spec's columns in order, a money column followed by its currency."""
        schema: dict[str, pl.DataType] = {LINE: pl.Int64()}
        for col in self.columns:
            schema[col.name] = col.dtype()
            if col.kind == "money":
                schema[col.name + CURRENCY_SUFFIX] = pl.String()
        return schema


@dataclass
class Imported:
    """A typed frame, its rejects and warnings (REJECTS_SCHEMA), and how many rows were read."""

    frame: pl.DataFrame
    rejects: pl.DataFrame
    read: int
    headers: dict[str, str] = field(default_factory=dict)  # canonical name -> header in the file

    @property
    def rejected(self) -> int:
        """Rows not imported (distinct lines with severity "reject")."""
        return int(self.rejects.filter(pl.col("severity") == "reject").select(pl.col(LINE).n_unique()).item())

    @property
    def warnings(self) -> int:
        return self.rejects.filter(pl.col("severity") == "warning").height

    def without(self, rejects: pl.DataFrame) -> Imported:
        """Reject more rows: drop their lines from the frame and their warnings, add the reject rows."""
        if rejects.is_empty():
            return self
        lines = rejects.get_column(LINE).unique().implode()
        kept_notes = self.rejects.filter(~pl.col(LINE).is_in(lines))
        return Imported(
            frame=self.frame.filter(~self.frame.get_column(LINE).is_in(lines)),  # a mask keeps one chunk
            rejects=_sorted(pl.concat([kept_notes, rejects.select(REJECTS_SCHEMA.keys())], how="vertical")),
            read=self.read,
            headers=self.headers,
        )


def concat_imported(parts: Iterable[Imported]) -> Imported:
    """One Imported from the batches of a file."""
    parts = list(parts)
    if not parts:
        raise ValueError("concat_imported needs at least one part")
    return Imported(
        frame=pl.concat([p.frame for p in parts], how="vertical"),
        rejects=pl.concat([p.rejects for p in parts], how="vertical"),
        read=sum(p.read for p in parts),
        headers=parts[0].headers,
    )


def read_table(path: str | Path, spec: TableSpec, *, encoding: str | None = None, sheet: str | None = None) -> Imported:
    """The whole file at once (see `iter_table`)."""
    return concat_imported(iter_table(path, spec, encoding=encoding, sheet=sheet, batch_rows=DEFAULT_BATCH_ROWS))


def iter_table(
    path: str | Path,
    spec: TableSpec,
    *,
    encoding: str | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    sheet: str | None = None,
    keep_rejected: bool = False,
) -> Iterator[Imported]:
    """The file in batches of at most `batch_rows` rows; raises IngestError when it cannot be read at all.

    `keep_rejected` leaves the rejected rows in the frames (their lines are in the rejects), for a caller
    that rejects more rows and drops them all at once.
    """
    return map_table(path, spec, _unchanged, encoding=encoding, batch_rows=batch_rows, sheet=sheet,
                     keep_rejected=keep_rejected)


def map_table(
    path: str | Path,
    spec: TableSpec,
    work: Callable[[Imported], Imported],
    *,
    encoding: str | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    sheet: str | None = None,
    keep_rejected: bool = False,
    raws: Iterator[pl.DataFrame] | None = None,
) -> Iterator[Imported]:
    """`iter_table` with `work` done to each batch. Batches are read ahead in a thread, typed and worked on
    in parallel threads (see `fundwatch.ingest.ahead`), and come out in file order. `raws` are the file's
    raw batches when the caller has already started reading them (`sources.raw_batches` of `path`); the
    caller closes them, after an error too."""
    path = Path(path)
    if raws is None:
        raws = raw_batches(path, encoding=encoding, batch_rows=batch_rows, sheet=sheet)
    planned = _planned(path, spec, raws)
    return map_ahead(planned, lambda item: work(item[0].shape(item[1], keep_rejected=keep_rejected)))


def _unchanged(batch: Imported) -> Imported:
    return batch


def _planned(path: Path, spec: TableSpec, raws: Iterator[pl.DataFrame]) -> Iterator[tuple[_Plan, pl.DataFrame]]:
    """Each raw batch with the plan for the file, made from the first batch's headers and cells."""
    plan: _Plan | None = None
    for raw in raws:
        if plan is None:
            plan = _Plan.build(path, spec, [c for c in raw.columns if c != SOURCE_LINE])
        plan.infer_extras(raw)
        yield plan, raw


def _sorted(rejects: pl.DataFrame) -> pl.DataFrame:
    return rejects.sort(LINE, maintain_order=True)


@dataclass
class _Plan:
    """Which file header feeds which canonical column, and the types chosen for the extra columns."""

    spec: TableSpec
    matched: list[tuple[Column, str]]
    extras: dict[str, str]  # file header -> output name
    extra_kinds: dict[str, Kind] | None = None

    @classmethod
    def build(cls, path: Path, spec: TableSpec, headers: list[str]) -> _Plan:
        matched: list[tuple[Column, str]] = []
        used: set[str] = set()
        for col in spec.columns:
            source = _find_header(col, headers, used)
            if source is not None:
                matched.append((col, source))
                used.add(source)
        present = {c.name for c, _ in matched}
        for col in spec.columns:
            if col.required and col.name not in present:
                raise IngestError(_missing_message(path, spec, [col]))
        for group in spec.any_of:
            if not present.intersection(group):
                raise IngestError(_missing_message(path, spec, [spec.column(n) for n in group]))
        taken = set(spec.output_schema())
        extras = {}
        for header in headers:
            if header not in used:
                name = header if header not in taken else f"{header}_原表"
                extras[header] = name
                taken.add(name)
        return cls(spec, matched, extras)

    @property
    def headers(self) -> dict[str, str]:
        return {c.name: source for c, source in self.matched}

    def infer_extras(self, raw: pl.DataFrame) -> None:
        if self.extra_kinds is None:
            self.extra_kinds = {h: _infer_kind(raw.get_column(h)) for h in self.extras}

    def shape(self, raw: pl.DataFrame, *, keep_rejected: bool = False) -> Imported:
        data_columns = [c for c in raw.columns if c != SOURCE_LINE]
        filled = raw.select(pl.any_horizontal(pl.col(c).is_not_null() for c in data_columns)).to_series()
        if not filled.all():
            raw = raw.filter(filled)
        typed = self._typed(raw)
        notes = self._notes(typed)
        rejects = notes.filter(pl.col("severity") == "reject")
        rejected = rejects.get_column(LINE).unique()
        warnings = notes.filter((pl.col("severity") == "warning") & ~pl.col(LINE).is_in(rejected.implode()))
        frame = typed.select(self._output_exprs())
        if not rejected.is_empty() and not keep_rejected:
            frame = frame.filter(~frame.get_column(LINE).is_in(rejected.implode()))  # a mask keeps one chunk
        return Imported(frame, _sorted(pl.concat([rejects, warnings], how="vertical")), raw.height, self.headers)

    def _typed(self, raw: pl.DataFrame) -> pl.DataFrame:
        """The raw batch with a typed column beside each source column.

        Amounts repeat a lot (a registry has a few hundred distinct capitals
        per hundred thousand rows), so they are parsed once per distinct value
        and looked up for each row; dates and numbers in their plain forms (ISO,
        YYYYMMDD, ASCII digits) are converted directly and only the rest parsed
        per distinct value.
        """
        untidy = _untidy_keys(raw, [source for col, source in self.matched if col.kind == "key"])
        exprs: list[pl.Expr] = []
        text: list[str] = []
        for col, source in self.matched:
            if col.kind == "money":
                exprs += _money_columns(raw.get_column(source), col.name, _header_unit(source) or col.unit)
            elif col.kind == "key":
                exprs.append(_key_expr(pl.col(source), tidy=source not in untidy).alias(_typed(col.name)))
            elif col.kind == "string":
                text.append(_typed(col.name))
                exprs.append(pl.col(source).str.strip_chars().alias(_typed(col.name)))
            else:
                exprs.append(_by_value(raw.get_column(source), col.kind).alias(_typed(col.name)))
        assert self.extra_kinds is not None
        for header, name in self.extras.items():
            kind = self.extra_kinds[header]
            if kind == "string":
                text.append(_typed(name))
                exprs.append(pl.col(header).str.strip_chars().alias(_typed(name)))
            else:
                exprs.append(_by_value(raw.get_column(header), kind).alias(_typed(name)))
        return _blank_to_null(raw.with_columns(exprs), text)

    def _notes(self, typed: pl.DataFrame) -> pl.DataFrame:
        checks: list[tuple[str, str, str, str]] = []  # (typed column, source header, reason, severity)
        for col, source in self.matched:
            if col.kind == "key" or col.reject_empty:
                checks.append((_typed(col.name), source, f"{col.label}为空", "reject"))
            if col.kind in _UNREADABLE:
                checks.append((_typed(col.name), source, _UNREADABLE[col.kind], "warning"))
        assert self.extra_kinds is not None
        for header, name in self.extras.items():
            if self.extra_kinds[header] != "string":
                checks.append((_typed(name), header, "与该列其他值的类型不符，已置空", "warning"))
        parts = [_check(typed, *check) for check in checks if _may_fail(typed, *check)]
        return pl.concat([empty(REJECTS_SCHEMA), *parts], how="vertical")

    def _output_exprs(self) -> list[pl.Expr]:
        present = set()
        for col, _ in self.matched:
            present.add(col.name)
            if col.kind == "money":
                present.add(col.name + CURRENCY_SUFFIX)
        exprs = [pl.col(SOURCE_LINE).alias(LINE)]
        for name, dtype in self.spec.output_schema().items():
            if name != LINE:
                exprs.append(pl.col(_typed(name)).alias(name) if name in present else pl.lit(None, dtype).alias(name))
        exprs += [pl.col(_typed(name)).alias(name) for name in self.extras.values()]
        return exprs


def _typed(name: str) -> str:
    return f"\x00typed:{name}"


def _find_header(col: Column, headers: list[str], used: set[str]) -> str | None:
    """The file's header for `col`: aliases in their order of preference, exact before unit-bracketed."""
    free = [h for h in headers if h not in used]
    exact = {header_key(h): h for h in reversed(free)}
    loose = {header_key(_BRACKETED.sub("", unicodedata.normalize("NFKC", h))): h for h in reversed(free)}
    for table in (exact, loose):
        for alias in (*col.aliases, col.name):
            if header_key(alias) in table:
                return table[header_key(alias)]
    return None


def _header_unit(header: str) -> str | None:
    """The money unit a header names in brackets: 注册资本（万元） → 万元, 注册资本(元) → 元."""
    for inner in re.findall(r"[(\[【]([^)\]】]*)[)\]】]", unicodedata.normalize("NFKC", header)):
        for scale in ("亿", "万", "千"):
            if scale in inner:
                return scale + "元"
        if "元" in inner:
            return "元"
    return None


def _missing_message(path: Path, spec: TableSpec, cols: list[Column]) -> str:
    names = "或".join(f"「{c.label}」" for c in cols)
    accepted = "、".join(a for c in cols for a in (*c.aliases, c.name))
    return f"文件 {path} 缺少{spec.label}必需的列{names}（可用的表头：{accepted}）。"


def _blank_to_null(typed: pl.DataFrame, text: list[str]) -> pl.DataFrame:
    """Trimmed text cells that are now empty become null; checked first, as such cells are rare."""
    if not text:
        return typed
    flags = typed.select((pl.col(c).str.len_bytes() == 0).any() for c in text).row(0, named=True)
    emptied = [c for c, flagged in flags.items() if flagged]
    return typed.with_columns(pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in emptied)


def _by_value(values: pl.Series, kind: Kind) -> pl.Expr:
    """A date or number column: the plain forms (ISO dates, ASCII numbers) converted directly, the rest
    parsed once per distinct value."""
    if kind == "date":
        return pl.lit(parse_dates(values))
    plain = values.cast(pl.Int64 if kind == "int" else pl.Float64, strict=False)
    missed = plain.is_null() & values.is_not_null()
    if not missed.any():
        return pl.lit(plain)
    others = values.filter(missed)
    parsed = per_distinct(others, lambda distinct: pl.select(_number_expr(kind, pl.lit(distinct)).alias("v")))
    return pl.lit(plain.scatter(missed.arg_true(), parsed.to_series()))


def _money_columns(values: pl.Series, name: str, unit: str) -> list[pl.Expr]:
    """Amount and currency of a money column, parsed once per distinct value, both looked up in one pass."""
    parsed = per_distinct(values, lambda distinct: parse_money_series(distinct, default_unit=unit))
    return [
        pl.lit(parsed.get_column("amount")).alias(_typed(name)),
        pl.lit(parsed.get_column("currency")).alias(_typed(name + CURRENCY_SUFFIX)),
    ]


def _untidy_keys(raw: pl.DataFrame, keys: list[str]) -> set[str]:
    """Key columns of this batch with a space or a non-ASCII character (full-width forms) to fold away.

    Keys are almost always plain ASCII; one search is cheaper than folding every key.
    """
    if not keys:
        return set()
    flags = raw.select(pl.col(k).str.contains(r"[^!-~]").any() for k in keys).row(0, named=True)
    return {k for k, flagged in flags.items() if flagged}


def _key_expr(raw: pl.Expr, *, tidy: bool) -> pl.Expr:
    """A key cell: full-width forms folded and spaces removed, unless the batch's keys are all tidy ASCII."""
    return raw if tidy else clean_string_expr(fold_width_expr(raw).str.replace_all(r"\s+", ""))


def _number_expr(kind: Kind, raw: pl.Expr) -> pl.Expr:
    """An int or float cell: full-width digits folded, thousands separators dropped."""
    number = fold_width_expr(raw).str.strip_chars().str.replace_all(",", "", literal=True)
    return number.cast(pl.Int64 if kind == "int" else pl.Float64, strict=False)


def _may_fail(typed: pl.DataFrame, column: str, source: str, reason: str, severity: str) -> bool:
    """Whether `_check` can find anything: a reject needs a null, a warning more nulls than the file has."""
    nulls = typed.get_column(column).null_count()
    return nulls > 0 if severity == "reject" else nulls > typed.get_column(source).null_count()


def _check(typed: pl.DataFrame, column: str, source: str, reason: str, severity: str) -> pl.DataFrame:
    """Rows whose typed value is null: all of them for a reject, those not blank in the file for a warning."""
    failed = typed.select(SOURCE_LINE, source, column).filter(pl.col(column).is_null())
    if severity == "warning":  # blank-checked only where parsing failed: those rows are few
        failed = failed.filter(~blank_expr(pl.col(source)))
    return failed.select(
        pl.col(SOURCE_LINE).alias(LINE),
        pl.lit(source).alias("column"),
        pl.col(source).alias("value"),
        pl.lit(reason).alias("reason"),
        pl.lit(severity).alias("severity"),
    )


def _infer_kind(values: pl.Series) -> Kind:
    """int, float or date when every non-blank value reads as one, else string (judged on distinct values).

    Most extra columns are text, which their first cells already show.
    """
    head = values.head(1_000).drop_nulls().str.strip_chars()
    if not head.str.contains(f"{_INT_TEXT}|{_FLOAT_TEXT}|{_DATE_TEXT}|^$").all():
        return "string"
    text = values.drop_nulls().unique().str.strip_chars()
    text = text.filter(text != "")
    if text.is_empty():
        return "string"
    if text.str.contains(_INT_TEXT).all():
        return "int"
    if text.str.contains(_INT_TEXT + "|" + _FLOAT_TEXT).all():
        return "float"
    if text.str.contains(_DATE_TEXT).all() and parse_dates(text).is_not_null().all():
        return "date"
    return "string"
