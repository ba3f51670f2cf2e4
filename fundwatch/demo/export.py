"""The demo county as an office's export: Chinese headers, texts as typed, CSV files."""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

import polars as pl

from fundwatch.frames import MONEY, TRUTH_SCHEMA

if TYPE_CHECKING:
    from fundwatch.demo.county import DemoCounty

# Registry columns in export order: internal name -> header of the office's export.
REGISTRY_HEADERS = {
    "uscc": "统一社会信用代码", "name": "企业名称", "entity_type": "企业类型", "legal_rep": "法定代表人",
    "capital_text": "注册资本", "paid_text": "实缴资本", "established_text": "成立日期", "approved_text": "核准日期",
    "term_end": "营业期限至", "registrar": "登记机关", "status": "登记状态", "address": "住所",
    "operating_address": "经营场所", "industry_code": "行业代码", "industry_name": "所属行业", "scope": "经营范围",
    "phone": "电话", "staff": "从业人数",
}
SIDE_HEADERS: dict[str, dict[str, str]] = {
    "changes": {"uscc": "统一社会信用代码", "name": "企业名称", "date": "变更日期", "item": "变更事项",
                "before": "变更前内容", "after": "变更后内容"},
    "abnormal": {"uscc": "统一社会信用代码", "name": "企业名称", "date": "列入日期",
                 "reason": "列入经营异常名录原因", "decider": "作出决定机关"},
    "judicial": {"uscc": "统一社会信用代码", "name": "企业名称", "number": "案号", "date": "立案日期", "cause": "案由",
                 "kind": "案件类型", "role": "当事人地位", "court": "审理法院"},
    "ads": {"uscc": "统一社会信用代码", "name": "主体名称", "date": "发布日期", "channel": "发布渠道",
            "text": "广告内容"},
    "reports": {"uscc": "统一社会信用代码", "name": "被举报主体", "date": "举报日期", "channel": "举报渠道",
                "text": "举报内容", "people": "涉及人数", "amount": "涉及金额（元）"},
    "news": {"uscc": "统一社会信用代码", "name": "涉及主体", "date": "发布日期", "title": "标题", "text": "内容",
             "source": "来源", "sentiment": "情感值"},
}
# How each side table writes its dates (exports differ from one system to the next).
SIDE_DATE_FORMATS = {"abnormal": "%Y年%m月%d日"}
FACTS_SCHEMA: dict[str, pl.DataType] = {
    "line": pl.Int64(), "subject_key": pl.String(), "registered_capital": MONEY, "paid_in_capital": MONEY,
    "capital_currency": pl.String(), "established": pl.Date(), "region_code": pl.String(),
    "township_code": pl.String(),
}
BROKEN_SCHEMA: dict[str, pl.DataType] = {"line": pl.Int64(), "uscc": pl.String(), "name": pl.String(),
                                         "defect": pl.String()}
FILES = ("registry", "changes", "abnormal", "judicial", "ads", "reports", "news", "truth", "broken")
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030")


def _empty_as_missing(frame: pl.DataFrame) -> pl.DataFrame:
    """An empty cell is written as nothing, as exports do (polars would quote an empty text)."""
    return frame.with_columns(pl.when(pl.col(pl.String) != "").then(pl.col(pl.String)))


def export_registry(reg: pl.DataFrame) -> pl.DataFrame:
    return _empty_as_missing(reg.select([pl.col(k).alias(v) for k, v in REGISTRY_HEADERS.items()]))


def export_side(kind: str, rows: pl.DataFrame) -> pl.DataFrame:
    """A side table (with `uscc`, `name`, `day` and its own fields) under its export headers."""
    fmt = SIDE_DATE_FORMATS.get(kind, "%Y-%m-%d")
    frame = rows.with_columns(date=pl.col("day").cast(pl.Int32).cast(pl.Date).dt.strftime(fmt))
    if kind == "reports":
        frame = frame.with_columns(pl.col("people").cast(pl.String), pl.col("amount").cast(pl.String))
    if kind == "news":
        frame = frame.with_columns(pl.col("sentiment").round(2).cast(pl.String))
    headers = SIDE_HEADERS[kind]
    return _empty_as_missing(frame.select([pl.col(k).cast(pl.String).alias(v) for k, v in headers.items()]))


def _write(frame: pl.DataFrame, out: IO[bytes], header: bool, encoding: str) -> None:
    if encoding in ("utf-8", "utf-8-sig"):
        frame.write_csv(out, include_header=header)
    else:
        out.write(frame.write_csv(include_header=header).encode(encoding))


class CountyWriter:
    """Writes a county's files chunk after chunk, so memory stays bounded by a chunk."""

    def __init__(self, out_dir: Path, encoding: str = "utf-8") -> None:
        if encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {', '.join(ENCODINGS)}")
        out_dir.mkdir(parents=True, exist_ok=True)
        self.encoding = encoding
        self.files = {name: (out_dir / f"{name}.csv").open("wb") for name in FILES}
        self.started = False
        if encoding == "utf-8-sig":
            for fh in self.files.values():
                fh.write("\ufeff".encode())

    def add(self, county: DemoCounty) -> None:
        for name, fh in self.files.items():
            _write(county.table(name), fh, not self.started, self.encoding)
        self.started = True

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()

    def __enter__(self) -> CountyWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_county(county: DemoCounty, out_dir: Path, encoding: str = "utf-8") -> list[Path]:
    """Write the county's CSV files (registry, six side tables, truth, broken) into out_dir."""
    with CountyWriter(Path(out_dir), encoding) as writer:
        writer.add(county)
    return [Path(out_dir) / f"{name}.csv" for name in FILES]


__all__ = ["BROKEN_SCHEMA", "FACTS_SCHEMA", "REGISTRY_HEADERS", "SIDE_HEADERS", "TRUTH_SCHEMA", "CountyWriter",
           "export_registry", "export_side", "write_county"]
