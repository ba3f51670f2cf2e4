"""The optional side tables of a screening, each keyed by the subject key (SIDE_SCHEMAS in frames).

changes 变更记录, abnormal 经营异常, judicial 司法, ads 广告/宣传, reports 举报/投诉,
news 新闻/舆情. The key column is 统一社会信用代码 (normalised like the
registry's) or subject_key / id; a row with an empty key is rejected, any other
unreadable value is kept empty with a warning. News sentiment may be a number
in [-1, 1] or a word (负面 -1, 中性 0, 正面 1).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from fundwatch.frames import LINE, REJECTS_SCHEMA, SIDE_SCHEMAS
from fundwatch.ingest.keys import normalise_uscc
from fundwatch.ingest.readers import CURRENCY_SUFFIX, Column, Imported, TableSpec, header_key, read_table
from fundwatch.ingest.registry import REGISTRY_SPEC

__all__ = ["SIDE_LABELS", "SIDE_SPECS", "load_side_table"]

SIDE_LABELS: dict[str, str] = {
    "changes": "变更记录", "abnormal": "经营异常名录", "judicial": "司法信息",
    "ads": "广告宣传", "reports": "举报投诉", "news": "新闻舆情",
}
_USCC_ALIASES = REGISTRY_SPEC.column("uscc").aliases
_KEY = Column("subject_key", (*_USCC_ALIASES, "subject_key", "id", "subject_id", "主体编号", "主体ID", "编号"), "key",
              required=True)


def _date(*aliases: str) -> Column:
    return Column("date", (*aliases, "日期", "时间", "date"), "date")


SIDE_SPECS: dict[str, TableSpec] = {
    "changes": TableSpec(SIDE_LABELS["changes"], (
        _KEY, _date("变更日期", "变更时间", "change_date"),
        Column("item", ("变更事项", "变更项目", "事项", "item", "change_item")),
        Column("before", ("变更前", "变更前内容", "before", "before_change")),
        Column("after", ("变更后", "变更后内容", "after", "after_change")),
    )),
    "abnormal": TableSpec(SIDE_LABELS["abnormal"], (
        _KEY, _date("列入日期", "列入经营异常名录日期", "列入时间"),
        Column("reason", ("列入原因", "列入经营异常名录原因", "原因", "reason")),
    )),
    "judicial": TableSpec(SIDE_LABELS["judicial"], (
        _KEY, _date("立案日期", "裁判日期", "判决日期", "发布日期"),
        Column("cause", ("案由", "cause")),
        Column("kind", ("类型", "案件类型", "文书类型", "kind", "type")),
    )),
    "ads": TableSpec(SIDE_LABELS["ads"], (
        _KEY, _date("发布日期", "监测日期"),
        Column("channel", ("渠道", "发布渠道", "媒介", "平台", "channel")),
        Column("text", ("内容", "广告内容", "宣传内容", "文本", "text", "content")),
    )),
    "reports": TableSpec(SIDE_LABELS["reports"], (
        _KEY, _date("举报日期", "投诉日期", "受理日期"),
        Column("channel", ("渠道", "来源", "举报渠道", "投诉渠道", "channel")),
        Column("text", ("内容", "举报内容", "投诉内容", "事由", "text", "content")),
        Column("people", ("涉及人数", "涉众人数", "人数", "people", "participants"), "int"),
        Column("amount", ("涉及金额", "涉案金额", "金额", "amount"), "money"),
    )),
    "news": TableSpec(SIDE_LABELS["news"], (
        _KEY, _date("发布日期", "发布时间"),
        Column("title", ("标题", "title")),
        Column("text", ("内容", "正文", "摘要", "text", "content")),
        Column("sentiment", ("情感", "情感倾向", "情感值", "倾向", "sentiment")),
    )),
}

SENTIMENT_UNREADABLE = "情感值应为 -1 到 1 之间的数或 负面/中性/正面，已置空"
SENTIMENT_WORDS: dict[str, float] = {"负面": -1.0, "消极": -1.0, "中性": 0.0, "中立": 0.0, "正面": 1.0, "积极": 1.0}


def load_side_table(kind: str, path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> Imported:
    """One side table as SIDE_SCHEMAS[kind], extra columns after; raises IngestError when unreadable."""
    if kind not in SIDE_SPECS:
        raise ValueError(f"unknown side table {kind!r}; choose from {', '.join(SIDE_SPECS)}")
    imported = read_table(path, SIDE_SPECS[kind], encoding=encoding, sheet=sheet)
    frame = imported.frame
    source = imported.headers["subject_key"]
    if header_key(source) in {header_key(a) for a in _USCC_ALIASES}:
        frame = frame.with_columns(normalise_uscc(frame.get_column("subject_key")))
    notes = pl.DataFrame(schema=REJECTS_SCHEMA)
    if kind == "news":
        frame, notes = _sentiment(frame, imported.headers.get("sentiment", "sentiment"))
    schema = SIDE_SCHEMAS[kind]
    extras = [c for c in frame.columns if c not in schema and not c.endswith(CURRENCY_SUFFIX)]
    frame = frame.select(*(pl.col(c).cast(t) for c, t in schema.items()), *extras)
    rejects = imported.rejects if notes.is_empty() else pl.concat([imported.rejects, notes]).sort(
        LINE, maintain_order=True)
    return Imported(frame, rejects, imported.read, imported.headers)


def _sentiment(frame: pl.DataFrame, header: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A number in [-1, 1] or a sentiment word; anything else becomes null with a warning."""
    raw = pl.col("sentiment").str.strip_chars()
    value = pl.coalesce(
        raw.replace_strict(SENTIMENT_WORDS, default=None, return_dtype=pl.Float64),
        raw.cast(pl.Float64, strict=False),
    )
    value = pl.when(value.is_between(-1.0, 1.0)).then(value)
    checked = frame.with_columns(value.alias("\x00sentiment"))
    notes = checked.filter(pl.col("\x00sentiment").is_null() & pl.col("sentiment").is_not_null()).select(
        LINE, pl.lit(header).alias("column"), pl.col("sentiment").alias("value"),
        pl.lit(SENTIMENT_UNREADABLE).alias("reason"), pl.lit("warning").alias("severity"),
    )
    return checked.with_columns(pl.col("\x00sentiment").alias("sentiment")).drop("\x00sentiment"), notes
