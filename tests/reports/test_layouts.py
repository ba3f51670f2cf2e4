"""Every layout file loads; a broken one names its file, the entry and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fundwatch.reports.campaigns import load_campaign
from fundwatch.reports.layouts import LAYOUT_DIR, LayoutError, load_table
from fundwatch.reports.monthly import load_monthly
from fundwatch.reports.notices import notice_texts

GOOD = {
    "id": "t", "title": "表", "source": "测试", "unit_line": "单位：个",
    "columns": [
        {"key": "seq", "header": "序号", "kind": "seq"},
        {"key": "n", "header": "数", "kind": "number", "group": "甲", "total": True},
        {"key": "m", "header": "额", "kind": "money", "group": "甲", "total": True},
    ],
    "total": {"label": "合计", "label_columns": 1},
    "footer": ["填报人：{reporter}"],
}


def write(tmp_path: Path, data: object, name: str = "t") -> Path:
    (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_every_shipped_layout_loads() -> None:
    names = sorted(p.stem for p in LAYOUT_DIR.glob("*.yaml"))
    tables = [n for n in names if "columns" in yaml.safe_load((LAYOUT_DIR / f"{n}.yaml").read_text(encoding="utf-8"))]
    assert set(tables) >= {"key_leads", "overview", "county_free", "duties", "campaign_progress", "blacklist"}
    for name in tables:
        assert load_table(name).columns
    for name in (n for n in names if n.startswith("campaign_") and n not in tables):
        assert load_campaign(name).obligations
    assert load_monthly().headings["overall"] == "一、总体风险情况"
    assert notice_texts().child("storefront").text("body")


def test_a_good_layout_loads(tmp_path: Path) -> None:
    layout = load_table("t", write(tmp_path, GOOD))
    assert layout.group_spans() == [(None, 0, 0), ("甲", 1, 2)]


@pytest.mark.parametrize(("change", "entry", "problem"), [
    (lambda d: d["columns"][1].update(kind="percent"), "columns[1].kind", "未知列类型"),
    (lambda d: d["columns"][0].update(total=True), "columns[0].total", "只有数字列"),
    (lambda d: d["columns"].append({"key": "x", "header": "乙", "kind": "word"}), "columns[3].vocabulary", "词表"),
    (lambda d: d["columns"].append({"key": "x", "header": "乙", "kind": "word", "vocabulary": "nope"}),
     "columns[3].vocabulary", "未在 vocabularies 中定义"),
    (lambda d: d["columns"].insert(2, {"key": "x", "header": "乙", "kind": "text"}), "columns[3].group", "不相邻"),
    (lambda d: d["columns"][2].update(key="n"), "columns[2].key", "重复"),
    (lambda d: d.pop("title"), "title", "缺少此项"),
    (lambda d: d.update(columns=[]), "columns", "非空列表"),
    (lambda d: d.pop("total"), "total", "没有合计行"),
    (lambda d: d["total"].update(label_columns=2), "total.label_columns", "不能盖住"),
    (lambda d: d["columns"][1].update(width=-1), "columns[1].width", "大于 0"),
    (lambda d: d.update(id="other"), "id", "与文件名一致"),
])
def test_a_broken_layout_names_file_entry_and_problem(tmp_path: Path, change, entry: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(yaml.safe_dump(GOOD, allow_unicode=True))
    change(data)
    with pytest.raises(LayoutError) as caught:
        load_table("t", write(tmp_path, data))
    assert caught.value.file == "t.yaml"
    assert caught.value.entry == entry
    assert problem in caught.value.problem
    assert "t.yaml" in str(caught.value) and entry in str(caught.value)


def test_unreadable_yaml_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("columns: [\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="不是合法的 YAML"):
        load_table("t", tmp_path)
    with pytest.raises(LayoutError, match="找不到"):
        load_table("absent", tmp_path)


def test_a_broken_campaign_names_the_entry(tmp_path: Path) -> None:
    data = yaml.safe_load((LAYOUT_DIR / "campaign_menghai_2018.yaml").read_text(encoding="utf-8"))
    data["obligations"][1]["groups"] = ["nobody"]
    with pytest.raises(LayoutError) as caught:
        load_campaign("campaign_menghai_2018", write(tmp_path, data, "campaign_menghai_2018"))
    assert caught.value.entry == "obligations[1].groups" and "nobody" in caught.value.problem
    data["obligations"][1]["groups"] = ["members"]
    data["obligations"][0]["due"] = "2019-01-01"
    late = tmp_path / "late"  # another directory: loaded layouts are cached per directory
    late.mkdir()
    with pytest.raises(LayoutError, match="不在活动期间内"):
        load_campaign("campaign_menghai_2018", write(late, data, "campaign_menghai_2018"))
