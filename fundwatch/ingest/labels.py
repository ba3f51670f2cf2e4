"""The office's case history for training a model: one row per subject, confirmed (1) or dismissed (0).

Headers in Chinese or English: the subject by 统一社会信用代码/uscc or by 主体标识/id (as in the
registry: the USCC when the file has one), the label by 标签/是否非法集资/认定结果/label. Labels
read as people type them: 1/0, 是/否, 确认/排除, true/false. Every other column (a guise, a note,
a case number) is kept under its own header so training can keep it away from the features.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from fundwatch.frames import LINE, REJECTS_SCHEMA
from fundwatch.ingest.keys import normalise_uscc_expr
from fundwatch.ingest.readers import Column, TableSpec, read_table

LABELS_SPEC = TableSpec(
    label="案件标注",
    columns=(
        # strings, not the reader's `key` kind: a file needs only one of the two, and a missing
        # key column would reject every row
        Column("uscc", ("统一社会信用代码", "社会信用代码", "信用代码", "uscc")),
        Column("id", ("主体标识", "主体编号", "企业编号", "subject_key", "id")),
        Column("label", ("标签", "是否非法集资", "是否涉嫌非法集资", "认定结果", "认定", "结论", "label", "target"),
               required=True, reject_empty=True),
    ),
    any_of=(("uscc", "id"),),
)

USCC_LENGTH = 18
POSITIVE = ("1", "是", "确认", "认定", "属实", "true", "yes", "y")
NEGATIVE = ("0", "否", "排除", "不属实", "正常", "false", "no", "n")
LABELS_SCHEMA: dict[str, pl.DataType] = {"subject_key": pl.String(), "label": pl.Int8()}


@dataclass
class LabelsFile:
    frame: pl.DataFrame  # LABELS_SCHEMA, one row per subject
    rejects: pl.DataFrame  # REJECTS_SCHEMA
    read: int
    columns: tuple[str, ...]  # every column name the file carries besides the key, as typed and canonical


def _reject(rows: pl.DataFrame, column: str, reason: pl.Expr) -> pl.DataFrame:
    return rows.select(
        pl.col(LINE), pl.lit(column).alias("column"), pl.col("raw").alias("value"),
        reason.alias("reason"), pl.lit("reject").alias("severity"),
    )


def _labelled(frame: pl.DataFrame, key: str, headers: dict[str, str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    text = pl.col("label").str.strip_chars().str.to_lowercase()
    # keyed as the registry keys: a USCC (under any header) normalised, any other id as typed
    typed = pl.col(key).str.strip_chars()
    uscc = normalise_uscc_expr(typed)
    subject = pl.when((pl.lit(key) == "uscc") | (uscc.str.len_chars() == USCC_LENGTH)).then(uscc).otherwise(typed)
    rows = frame.select(
        LINE, pl.when(subject != "").then(subject).alias("subject_key"), pl.col("label").alias("raw"),
        pl.when(text.is_in(POSITIVE)).then(1).when(text.is_in(NEGATIVE)).then(0).cast(pl.Int8).alias("label"),
    )
    no_key = rows.filter(pl.col("subject_key").is_null()).with_columns(pl.lit(None, pl.String).alias("raw"))
    rows = rows.filter(pl.col("subject_key").is_not_null())
    unreadable = _reject(rows.filter(pl.col("label").is_null()), headers["label"],
                         pl.lit("标签应为 1（确认）或 0（排除），也可写 是/否"))
    rows = rows.filter(pl.col("label").is_not_null())
    per_key = rows.group_by("subject_key").agg(
        pl.col("label").n_unique().alias("kinds"), pl.col(LINE).min().alias("first")
    )
    rows = rows.join(per_key, on="subject_key")
    conflicting = rows.filter(pl.col("kinds") > 1)
    repeated = rows.filter((pl.col("kinds") == 1) & (pl.col(LINE) != pl.col("first")))
    rejects = pl.concat([
        _reject(no_key, headers[key], pl.lit("主体标识为空")),
        unreadable,
        _reject(conflicting, headers["label"], pl.lit("同一主体的标签互相矛盾，全部未采用")),
        _reject(repeated, headers["label"], pl.format("主体重复（首次出现在第 {} 行），未采用", "first")),
    ]).sort(LINE)
    kept = rows.filter((pl.col("kinds") == 1) & (pl.col(LINE) == pl.col("first")))
    return kept.sort(LINE).select(LABELS_SCHEMA.keys()), rejects


def load_labels(path: str | Path, *, encoding: str | None = None) -> LabelsFile:
    """The labels in `path`; IngestError when the file cannot be read or has no key or label column."""
    imported = read_table(path, LABELS_SPEC, encoding=encoding)
    present = imported.headers
    key = "uscc" if "uscc" in present else "id"
    frame, label_rejects = _labelled(imported.frame, key, present)
    extra = [c for c in imported.frame.columns if c not in LABELS_SPEC.output_schema()]
    columns = tuple(dict.fromkeys(["label", present["label"], *extra]))
    rejects = pl.concat([imported.rejects, label_rejects.select(REJECTS_SCHEMA.keys())]).sort(LINE)
    return LabelsFile(frame=frame, rejects=rejects, read=imported.read, columns=columns)
