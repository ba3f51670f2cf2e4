from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from fundwatch.demo.linking import LinkingDemo
from fundwatch.frames import SIDE_SCHEMAS
from fundwatch.linking.config import LinkingConfig, parse_linking_config
from fundwatch.linking.watches import frequent_changes, out_of_area


def _changes(rows: list[tuple[str, dt.date, str]]) -> pl.DataFrame:
    return pl.DataFrame([{"line": i + 2, "subject_key": k, "date": d, "item": item, "before": None, "after": None}
                         for i, (k, d, item) in enumerate(rows)], schema=SIDE_SCHEMAS["changes"])


def test_three_watched_changes_in_twelve_months_raise_a_signal(config: LinkingConfig) -> None:
    rows = [("A", dt.date(2024, 1, 5), "住所变更"), ("A", dt.date(2024, 6, 1), "法定代表人变更"),
            ("A", dt.date(2024, 12, 20), "名称变更"),
            # B: three changes but spread over more than a year; C: three, but one is not watched
            ("B", dt.date(2022, 1, 1), "住所变更"), ("B", dt.date(2022, 9, 1), "住所变更"),
            ("B", dt.date(2023, 3, 1), "名称变更"),
            ("C", dt.date(2024, 1, 1), "住所变更"), ("C", dt.date(2024, 2, 1), "经营范围变更"),
            ("C", dt.date(2024, 3, 1), "名称变更")]
    signals = frequent_changes(_changes(rows), config)
    assert signals["subject_key"].to_list() == ["A"]
    reasons = signals["reasons"][0]
    assert "12个月内变更3次" in reasons and "住所1次" in reasons and "法定代表人1次" in reasons


def test_the_change_count_and_window_come_from_data(config: LinkingConfig) -> None:
    import yaml

    from fundwatch.linking.config import default_path

    raw: dict[str, Any] = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    raw["changes"]["count"] = 2
    raw["changes"]["window_months"] = 24
    looser = parse_linking_config(raw, "test")
    rows = [("B", dt.date(2022, 1, 1), "住所变更"), ("B", dt.date(2023, 9, 1), "住所变更")]
    assert frequent_changes(_changes(rows), config).is_empty()
    assert frequent_changes(_changes(rows), looser)["subject_key"].to_list() == ["B"]


def test_out_of_area_registration_operating_here(config: LinkingConfig, registry: Any) -> None:
    subjects = registry(
        {"subject_key": "X", "name": "甲", "region_code": "532801", "operating_address": "勐海县勐遮镇曼弄村3号"},
        {"subject_key": "Y", "name": "乙", "region_code": "532822", "operating_address": "勐海县勐遮镇曼弄村3号"},
        # a street named after the county in another city is not here
        {"subject_key": "Z", "name": "丙", "region_code": "530102", "operating_address": "景洪市勐海路5号"},
    )
    signals = out_of_area(subjects, config)
    assert signals["subject_key"].to_list() == ["X"]
    assert "景洪市" in signals["reasons"][0]


def test_generated_watch_signals(demo: LinkingDemo, config: LinkingConfig) -> None:
    flagged = frequent_changes(demo.changes, config)["subject_key"]
    counts = demo.changes.group_by("subject_key").len()
    assert counts.filter(pl.col("subject_key").is_in(flagged.implode()))["len"].min() >= config.change_count
    assert out_of_area(demo.registry, config).height == demo.registry.filter(
        pl.col("operating_address").is_not_null()).height
