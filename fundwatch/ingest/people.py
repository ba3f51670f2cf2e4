"""People files (who stands behind a subject) and review files (people's decisions on matches).

A people file has one row per person and subject: the subject (主体标识 / 统一社会信用代码,
as in the registry), the name, the ID-card number, the role (法定代表人, 实际控制人, 股东,
董事 …) and a phone. An ID number that fails the GB 11643 check is kept out (warning) and
never repeated in full: rejects show it masked.

A review file has one row per decision: subject, matched subject, decision (同一主体 /
不是同一主体 / 不确定, or same / not_same / unsure), who decided and when.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from fundwatch.frames import LINE, REJECTS_SCHEMA
from fundwatch.ingest.readers import Column, Imported, TableSpec, read_table
from fundwatch.linking.frames import PEOPLE_SCHEMA, REVIEWS_SCHEMA
from fundwatch.linking.normalise import id_number, mask_id
from fundwatch.linking.reviews import decision_id

_SUBJECT_ALIASES = ("主体标识", "统一社会信用代码", "社会信用代码", "信用代码", "企业编号", "主体编号",
                    "subject_key", "uscc", "id", "key")

PEOPLE_SPEC = TableSpec(
    label="人员信息",
    columns=(
        Column("subject_key", _SUBJECT_ALIASES, kind="key", required=True),
        Column("name", ("姓名", "人员姓名", "名称", "name")),
        Column("id_number", ("身份证号码", "身份证号", "证件号码", "证件号", "公民身份号码", "id_number", "id_card")),
        Column("role", ("职务", "身份", "角色", "任职", "职位", "人员类型", "role")),
        Column("phone", ("联系电话", "电话", "手机", "手机号码", "phone", "mobile")),
    ),
    any_of=(("name", "id_number"),),
)

REVIEWS_SPEC = TableSpec(
    label="复核结论",
    columns=(
        Column("subject_key", ("主体标识", "统一社会信用代码", "subject_key", "subject"), kind="key", required=True),
        Column("matched_key", ("匹配主体标识", "关联主体标识", "对方主体标识", "matched_key", "matched"), kind="key",
               required=True),
        Column("decision", ("复核结论", "结论", "决定", "decision"), required=True, reject_empty=True),
        Column("who", ("复核人", "经办人", "who", "reviewer")),
        Column("when", ("复核时间", "复核日期", "日期", "时间", "when", "date")),
    ),
)


def _subject(col: pl.Expr) -> pl.Expr:
    """Subject keys as the registry writes them: a USCC upper-case, any other id as typed."""
    return pl.when(col.str.contains(r"^[0-9A-Za-z]{18}$")).then(col.str.to_uppercase()).otherwise(col)


def _note(rows: pl.DataFrame, column: str, value: pl.Expr, reason: str, severity: str) -> pl.DataFrame:
    return rows.select(pl.col(LINE), pl.lit(column).alias("column"), value.alias("value"),
                       pl.lit(reason).alias("reason"), pl.lit(severity).alias("severity"))


def read_people(path: str | Path, *, encoding: str | None = None) -> Imported:
    """A people file → PEOPLE_SCHEMA frame (ID numbers checked, 15-digit upgraded) and its rejects."""
    imported = read_table(path, PEOPLE_SPEC, encoding=encoding)
    frame = imported.frame.with_columns(_subject(pl.col("subject_key")).alias("subject_key"))
    for col in PEOPLE_SCHEMA:
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=PEOPLE_SCHEMA[col]).alias(col))
    raw_id = pl.col("id_number")
    checked = frame.with_columns(id_number(raw_id).alias("checked"))
    bad = checked.filter(raw_id.is_not_null() & pl.col("checked").is_null())
    nobody = checked.filter(pl.col("name").is_null() & pl.col("checked").is_null())
    notes = [
        imported.rejects,
        _note(bad, "id_number", mask_id(raw_id), "身份证号码校验不通过（GB 11643），已留空", "warning"),
        _note(nobody, "name", pl.lit(None, dtype=pl.String), "既无姓名也无有效身份证号码", "reject"),
    ]
    kept = checked.join(nobody.select(LINE), on=LINE, how="anti").with_columns(pl.col("checked").alias("id_number"))
    rejects = pl.concat([n.select(list(REJECTS_SCHEMA)) for n in notes]).sort(LINE)
    return Imported(kept.select([pl.col(c).cast(t) for c, t in PEOPLE_SCHEMA.items()]), rejects,
                    imported.read, imported.headers)


def read_reviews(path: str | Path, *, encoding: str | None = None) -> Imported:
    """A review file → REVIEWS_SCHEMA frame (decisions as same / not_same / unsure) and its rejects."""
    imported = read_table(path, REVIEWS_SPEC, encoding=encoding)
    frame = imported.frame.with_columns(
        _subject(pl.col("subject_key")).alias("subject_key"), _subject(pl.col("matched_key")).alias("matched_key"),
        decision_id(pl.col("decision")).alias("decided"),
    )
    for col in ("who", "when"):
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(col))
    unknown = frame.filter(pl.col("decided").is_null())
    note = _note(unknown, "decision", pl.col("decision"),
                 "复核结论无法识别：请填写“同一主体”“不是同一主体”或“不确定”", "reject")
    kept = frame.join(unknown.select(LINE), on=LINE, how="anti").with_columns(
        pl.col("decided").alias("decision"), pl.col("when").cast(pl.String))
    rejects = pl.concat([imported.rejects, note.select(list(REJECTS_SCHEMA))]).sort(LINE)
    return Imported(kept.select([pl.col(c).cast(t) for c, t in REVIEWS_SCHEMA.items()]), rejects,
                    imported.read, imported.headers)
