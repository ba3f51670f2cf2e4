"""Charts of the monthly report: PNG, with Chinese labels when the machine has a CJK font."""

from __future__ import annotations

from fundwatch.reports.charts import bar_chart, cjk_family


def test_bar_chart_is_a_png_and_says_whether_labels_are_readable() -> None:
    png, readable = bar_chart(["勐海镇", "勐遮镇", "打洛镇"], [5.0, 3.0, 1.0], xlabel="存量线索（条）")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert readable == (cjk_family() is not None)


def test_no_bars_still_draws() -> None:
    png, _ = bar_chart([], [], xlabel="条")
    assert png.startswith(b"\x89PNG")
