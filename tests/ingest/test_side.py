"""The six side tables: headers in Chinese or English, keys, types, rejects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from fundwatch.frames import SIDE_SCHEMAS
from fundwatch.ingest.readers import IngestError
from fundwatch.ingest.side import SENTIMENT_UNREADABLE, load_side_table

from .files import uscc, write_csv, write_xlsx

CHINESE = {
    "changes": (["统一社会信用代码", "变更日期", "变更事项", "变更前", "变更后"],
                ["2021-03-01", "住所变更", "勐海县勐海镇", "勐海县勐遮镇"]),
    "abnormal": (["统一社会信用代码", "列入日期", "列入原因"], ["2022/1/5", "通过登记的住所或者经营场所无法联系"]),
    "judicial": (["统一社会信用代码", "日期", "案由", "类型"], ["2020年6月1日", "民间借贷纠纷", "民事判决书"]),
    "ads": (["统一社会信用代码", "日期", "渠道", "内容"], ["20230101", "微信公众号", "保本保息，年化收益18%"]),
    "reports": (["统一社会信用代码", "日期", "渠道", "内容", "涉及人数", "涉及金额"],
                ["2023-02-03", "12345热线", "承诺高额回报", "35", "120万元"]),
    "news": (["统一社会信用代码", "日期", "标题", "内容", "情感"],
             ["2023-03-04", "某公司兑付困难", "投资人聚集", "-0.8"]),
}
ENGLISH = {
    "changes": ["subject_key", "date", "item", "before", "after"],
    "abnormal": ["subject_key", "date", "reason"],
    "judicial": ["subject_key", "date", "cause", "kind"],
    "ads": ["subject_key", "date", "channel", "text"],
    "reports": ["subject_key", "date", "channel", "text", "people", "amount"],
    "news": ["subject_key", "date", "title", "text", "sentiment"],
}


@pytest.mark.parametrize("kind", list(CHINESE))
def test_chinese_and_english_headers_give_the_side_schema(tmp_path: Path, kind: str) -> None:
    header, values = CHINESE[kind]
    code = uscc(1)
    zh = load_side_table(kind, write_csv(tmp_path / "zh.csv", [header, [code, *values]], encoding="gbk"))
    en = load_side_table(kind, write_xlsx(tmp_path / "en.xlsx", [ENGLISH[kind], [code, *values]]))
    assert zh.frame.schema == pl.Schema(SIDE_SCHEMAS[kind])
    assert zh.frame.to_dicts() == en.frame.to_dicts()
    assert zh.frame["subject_key"].to_list() == [code]
    assert isinstance(zh.frame["date"][0], date)
    assert (zh.read, zh.rejects.height) == (1, 0)


def test_report_people_and_amount(tmp_path: Path) -> None:
    header, values = CHINESE["reports"]
    got = load_side_table("reports", write_csv(tmp_path / "r.csv", [header, [uscc(1), *values]]))
    assert got.frame.select("people", "amount").row(0) == (35, Decimal("1200000.00"))


def test_keys_are_normalised_like_the_registry(tmp_path: Path) -> None:
    code = uscc(2)
    rows = [["统一社会信用代码", "列入原因"], [f" {code[:8]}-{code[8:].lower()}", "x"], ["", "y"]]
    got = load_side_table("abnormal", write_csv(tmp_path / "a.csv", rows))
    assert got.frame["subject_key"].to_list() == [code]
    assert got.rejects.select("line", "reason", "severity").rows() == [(3, "统一社会信用代码为空", "reject")]
    assert got.read == got.frame.height + got.rejected


def test_id_keys_are_kept_as_typed(tmp_path: Path) -> None:
    got = load_side_table("ads", write_csv(tmp_path / "a.csv", [["id", "内容"], ["s-01", "看广告赚钱"]]))
    assert got.frame["subject_key"].to_list() == ["s-01"]


def test_sentiment_words_numbers_and_nonsense(tmp_path: Path) -> None:
    rows = [["subject_key", "标题", "情感"], ["a", "t", "负面"], ["b", "t", "0.3"], ["c", "t", "2"], ["d", "t", "很差"],
            ["e", "t", ""]]
    got = load_side_table("news", write_csv(tmp_path / "n.csv", rows))
    assert got.frame["sentiment"].to_list() == [-1.0, 0.3, None, None, None]
    assert got.rejects.select("line", "value", "reason").rows() == [
        (4, "2", SENTIMENT_UNREADABLE), (5, "很差", SENTIMENT_UNREADABLE)
    ]


def test_unreadable_date_is_a_warning(tmp_path: Path) -> None:
    rows = [["subject_key", "变更日期", "变更事项"], ["a", "2021-13-01", "住所"]]
    got = load_side_table("changes", write_csv(tmp_path / "c.csv", rows))
    assert got.frame["date"].to_list() == [None]
    assert got.rejects.select("column", "severity").rows() == [("变更日期", "warning")]


def test_extra_columns_follow_the_schema(tmp_path: Path) -> None:
    rows = [["subject_key", "案由", "法院"], ["a", "非法吸收公众存款", "勐海县人民法院"]]
    got = load_side_table("judicial", write_csv(tmp_path / "j.csv", rows))
    assert got.frame.columns == [*SIDE_SCHEMAS["judicial"], "法院"]


def test_a_side_table_without_a_key_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"nokey\.csv.*统一社会信用代码"):
        load_side_table("news", write_csv(tmp_path / "nokey.csv", [["标题"], ["x"]]))


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown side table"):
        load_side_table("gossip", "x.csv")
