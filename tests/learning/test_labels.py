"""The labels file: subject key and 0/1 as offices write them, every row imported or rejected."""

from __future__ import annotations

import polars as pl
import pytest

from fundwatch.ingest.labels import load_labels
from fundwatch.ingest.readers import IngestError


def _write(tmp_path, text, encoding="utf-8", name="labels.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_chinese_headers_gbk_and_the_ways_people_write_yes_and_no(tmp_path):
    path = _write(tmp_path, "统一社会信用代码,是否非法集资,集资模式,备注\n"
                            "91532822ma6k1234x1,是,p2p,已移送\n91532822MA6K5678Y2,否,,\n"
                            "９１５３２８２２ＭＡ６Ｋ９９９９Ｚ３,1,,\n91532822MA6K0000A4,0,,\n", "gbk")
    labels = load_labels(path)
    assert labels.read == 4 and labels.rejects.is_empty()
    assert labels.frame.schema == {"subject_key": pl.String(), "label": pl.Int8()}
    assert labels.frame["label"].to_list() == [1, 0, 1, 0]
    assert labels.frame["subject_key"][0] == "91532822MA6K1234X1"  # as the registry normalises it
    assert labels.frame["subject_key"][2] == "91532822MA6K9999Z3"  # full-width folded
    assert {"集资模式", "备注", "是否非法集资", "label"} <= set(labels.columns)


def test_english_headers_with_an_id_key(tmp_path):
    labels = load_labels(_write(tmp_path, "id,label,guise\nA1,1,p2p\nA2,0,\n"))
    assert labels.frame.rows() == [("A1", 1), ("A2", 0)]
    assert "guise" in labels.columns


def test_unreadable_duplicate_and_contradictory_rows_are_rejected_with_their_line(tmp_path):
    path = _write(tmp_path, "uscc,label\nK1,1\nK2,maybe\nK3,0\nK3,0\nK4,1\nK4,0\n,1\nK5,\n")
    labels = load_labels(path)
    assert labels.frame.rows() == [("K1", 1), ("K3", 0)]
    reasons = dict(zip(labels.rejects["line"], labels.rejects["reason"], strict=True))
    assert set(reasons) == {3, 5, 6, 7, 8, 9}
    assert "1（确认）或 0（排除）" in reasons[3]
    assert "第 4 行" in reasons[5]
    assert "矛盾" in reasons[6] and "矛盾" in reasons[7]
    assert labels.read == labels.frame.height + labels.rejects.select(pl.col("line").n_unique()).item()


def test_a_file_without_a_label_column_cannot_be_used(tmp_path):
    with pytest.raises(IngestError, match="标签"):
        load_labels(_write(tmp_path, "uscc,name\nK1,甲公司\n"))
