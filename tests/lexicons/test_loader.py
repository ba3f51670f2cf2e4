"""The lexicon files load, say what the documents say, and a bad file names the file, entry and problem."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from fundwatch.lexicons import DATA_DIR, LexiconError, list_profiles, load_ruleset
from fundwatch.lexicons.loader import FILES, PROFILES


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A locality's own copy of the lexicon files."""
    for name in FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    shutil.copytree(DATA_DIR / PROFILES, tmp_path / PROFILES)
    return tmp_path


def edit(directory: Path, name: str, change: Callable[[Any], None]) -> None:
    path = directory / name
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def word(content: Any, text: str) -> dict[str, Any]:
    return next(w for w in content["words"] if w["word"] == text)


def test_both_profiles_of_the_documents_load() -> None:
    assert list_profiles() == ["menghai", "xiamen"]
    menghai, xiamen = load_ruleset("menghai"), load_ruleset("xiamen")
    assert (menghai.profile.region_code, xiamen.profile.region_code) == ("532822", "350200")
    assert menghai.version.startswith("1.2.0+") and menghai.version != xiamen.version


def test_menghai_departments_are_those_of_000() -> None:
    profile = load_ruleset("menghai").profile
    expected = {
        "microcredit": "县金融办", "local_exchange": "县金融办", "payment": "人民银行勐海县支行",
        "p2p": "西双版纳银监分局（县金融办配合）", "financing_guarantee": "县财政局", "pawn": "县商务局",
        "ecommerce": "县商务局", "leasing": "县商务局", "investment_intermediary": "县市场监督管理局",
        "real_estate": "县住房和城乡建设局", "agri_coop": "县农业和科技局", "elderly_care": "县民政局",
        "education": "县教育局", "medical": "县卫生和计划生育局", "tourism": "县文化体育广播电视和旅游局",
    }
    assert {s: profile.department_of(s) for s in expected} == expected


def test_xiamen_table_is_the_duty_table_of_001_row_for_row() -> None:
    rows = [(a.area, a.department) for a in load_ruleset("xiamen").profile.assignments]
    assert rows == [
        ("投资咨询、第三方理财、财富管理、非融资性担保、资产管理", "市金融办、人行厦门市中心支行"),
        ("网络借贷平台", "厦门银监局、市金融办"),
        ("众筹平台", "厦门证监局"),
        ("私募股权", "厦门证监局"),
        ("房地产", "市国土房产局"),
        ("电子商务(单用途商业预付卡)", "市商务局"),
        ("批发和零售、预付卡", "市市场监督管理局"),
        ("地方交易场所", "市金融办"),
        ("各类涉农合作组织等涉农领域", "市农业局"),
        ("教育", "市教育局"),
        ("医疗", "市卫计委"),
        ("养老", "市民政局"),
        ("旅游", "市旅发委"),
    ]


def test_the_name_words_of_000_and_the_sweep_words_of_003_are_all_there() -> None:
    words = {t.text for t in load_ruleset().sensitive}
    assert {"交易所", "交易中心", "金融", "资产管理", "投资管理"} <= words
    assert {"信息服务", "理财", "基金", "财富管理", "众筹"} <= words
    assert {"基金管理", "股权投资基金", "网贷", "网络借贷", "股权众筹", "支付", "小额贷款"} <= words


def test_every_guise_id_of_the_brief_is_a_guise() -> None:
    brief = {"p2p", "crowdfunding", "investment_intermediary", "private_fund", "consumption_rebate", "mutual_aid",
             "virtual_currency", "elderly_care", "real_estate", "policy_banner", "precious_metals", "ad_earning",
             "exchange", "guarantee", "pawn_leasing", "ecommerce_prepaid", "private_school", "private_hospital",
             "travel", "agri_coop"}
    assert {g.id for g in load_ruleset().guises} == brief


def test_the_version_changes_with_the_data_and_only_with_it(data: Path) -> None:
    before = load_ruleset(directory=data).version
    assert load_ruleset(directory=data).version == before
    edit(data, "sensitive.yaml", lambda c: word(c, "理财").update(points={"name": 36, "scope": 20}))
    assert load_ruleset(directory=data).version != before


def _break_points(c: Any) -> None:
    word(c, "理财")["points"] = {"name": 150, "scope": 20}


def _misspell(c: Any) -> None:
    word(c, "理财")["pionts"] = word(c, "理财").pop("points")


def _bad_exception(c: Any) -> None:
    word(c, "信息服务")["except"] = ["信息技术服务"]


def _duplicate(c: Any) -> None:
    c["words"].append({"word": "理财", "points": 10})


def _bad_regex(c: Any) -> None:
    c["scope_masks"][0]["regex"] = "不得(从事"


def _unknown_guise(c: Any) -> None:
    c["sectors"][0]["guise"] = "ponzi"


def _unknown_dimension(c: Any) -> None:
    c["rules"]["key_sector"]["dimension"] = "risk"


def _grades_out_of_order(c: Any) -> None:
    c["grades"]["yellow"] = 70


def _missing_rule(c: Any) -> None:
    del c["rules"]["frequent_changes"]


def _unknown_sector(c: Any) -> None:
    c["assignments"][0]["sectors"].append("casino")


def _sector_twice(c: Any) -> None:
    c["assignments"][1]["sectors"].append("microcredit")


def _bad_region(c: Any) -> None:
    c["region_code"] = "5328"


@pytest.mark.parametrize("name, change, entry, problem", [
    ("sensitive.yaml", _break_points, "“理财” › points › name", "0 到 100"),
    ("sensitive.yaml", _misspell, "“理财”", "未知字段“pionts”"),
    ("sensitive.yaml", _bad_exception, "“信息服务” › except", "排除语“信息技术服务”"),
    ("sensitive.yaml", _duplicate, "words", "词“理财”重复"),
    ("sensitive.yaml", _bad_regex, "scope_masks › 第1项 › regex", "正则表达式无效"),
    ("sectors.yaml", _unknown_guise, "“p2p” › guise", "“ponzi”"),
    ("scoring.yaml", _unknown_dimension, "rules › key_sector › dimension", "“risk”"),
    ("scoring.yaml", _grades_out_of_order, "grades", "red > orange > yellow > blue"),
    ("scoring.yaml", _missing_rule, "rules", "缺少必填项“frequent_changes”"),
    ("profiles/menghai.yaml", _unknown_sector, "assignments 第1项", "“casino”"),
    ("profiles/menghai.yaml", _sector_twice, "assignments", "“microcredit”重复"),
    ("profiles/menghai.yaml", _bad_region, "region_code", "6 位数字"),
])
def test_a_bad_file_names_file_entry_and_problem(data: Path, name: str, change: Callable[[Any], None], entry: str,
                                                  problem: str) -> None:
    edit(data, name, change)
    with pytest.raises(LexiconError) as raised:
        load_ruleset(directory=data)
    error = raised.value
    assert error.file == name
    assert entry in error.entry, error.entry
    assert problem in error.problem, error.problem
    assert name in str(error) and entry in str(error) and problem in str(error)


def test_a_yaml_syntax_error_names_the_line(data: Path) -> None:
    path = data / "targets.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[12] = lines[12] + " : ["
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"targets\.yaml 的 第\d+行：YAML 格式错误"):
        load_ruleset(directory=data)


def test_a_missing_file_or_profile_is_named(data: Path) -> None:
    (data / "hazards.yaml").unlink()
    with pytest.raises(LexiconError, match=r"hazards\.yaml"):
        load_ruleset(directory=data)
    with pytest.raises(LexiconError, match="没有这个地区配置（可用：menghai、xiamen）"):
        load_ruleset("shanghai", directory=data)
