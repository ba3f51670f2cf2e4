"""`fundwatch screen` as a new user runs it: files in, a graded list, rejects and a summary out."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

from fundwatch.cli import cli
from fundwatch.demo import generate_county, write_county
from fundwatch.frames import GRADES, SCORES_SCHEMA

SIDES = ("changes", "abnormal", "judicial", "ads", "reports", "news")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county")
    write_county(generate_county(600, 3), out)
    return out


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["screen", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def side_args(county: Path) -> list[str | Path]:
    return [x for kind in SIDES for x in (f"--{kind}", county / f"{kind}.csv")]


def test_it_screens_a_county_to_gbk_csv_with_every_column(county: Path, tmp_path: Path) -> None:
    out, rejects = tmp_path / "风险清单.csv", tmp_path / "rejects.csv"
    code, output = run(county / "registry.csv", *side_args(county), "--out", out, "--rejects", rejects)
    assert code == 0, output
    frame = pl.read_csv(out.read_bytes().decode("gb18030").encode(), infer_schema_length=0)
    assert list(SCORES_SCHEMA) == frame.columns
    assert set(frame["grade"]) <= set(GRADES)
    broken = pl.read_csv(county / "broken.csv")
    read, imported = 600 + broken.height, frame.height
    assert f"读取 {read:,} 行 = 导入 {imported:,} + 拒收 {read - imported:,}" in output
    lines = pl.read_csv(rejects.read_bytes().decode("gb18030").encode(), infer_schema_length=0)
    assert lines.filter(pl.col("severity") == "reject").height == broken.height
    assert "风险等级" in output and "黄色及以上：按地区" in output


def test_the_same_input_gives_the_same_output(county: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    for out in (first, second):
        assert run(county / "registry.csv", *side_args(county), "--out", out)[0] == 0
    a, b = pl.read_parquet(first), pl.read_parquet(second)
    assert a.equals(b)
    assert a["ruleset_version"].n_unique() == 1


def test_xlsx_is_for_people_chinese_headers_and_grades(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "清单.xlsx"
    assert run(county / "registry.csv", "--ads", county / "ads.csv", "--out", out)[0] == 0
    sheet = openpyxl.load_workbook(out, read_only=True).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[:4] == ("主体标识（统一社会信用代码）", "企业名称", "风险指数", "风险等级")
    grades = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert grades <= {"红色", "橙色", "黄色", "蓝色", "绿色"}


def test_a_funds_dimension_raises_the_subjects_it_names(county: Path, tmp_path: Path) -> None:
    plain, with_funds = tmp_path / "plain.parquet", tmp_path / "funds.parquet"
    assert run(county / "registry.csv", "--out", plain)[0] == 0
    target = pl.read_parquet(plain).filter(pl.col("score") < 20).row(0, named=True)
    dimension = tmp_path / "dim.csv"
    pl.DataFrame({"subject_key": [target["subject_key"]], "dim_funds": [90.0],
                  "evidence": ["吸收公众资金（测试）"]}).write_csv(dimension)
    assert run(county / "registry.csv", "--funds", dimension, "--out", with_funds)[0] == 0
    row = pl.read_parquet(with_funds).filter(pl.col("subject_key") == target["subject_key"]).row(0, named=True)
    assert row["dim_funds"] == 90.0
    assert row["score"] > target["score"] and row["grade"] in ("yellow", "orange", "red")
    assert "资金异动：吸收公众资金（测试）" in row["evidence"]


def test_a_funds_score_out_of_range_is_rejected_with_its_line(county: Path, tmp_path: Path) -> None:
    dimension, rejects = tmp_path / "dim.csv", tmp_path / "rej.csv"
    dimension.write_text("subject_key,dim_funds,evidence\nX1,120,过高\n", encoding="utf-8")
    code, output = run(county / "registry.csv", "--funds", dimension, "--out", tmp_path / "o.csv",
                       "--rejects", rejects)
    assert code == 0, output
    text = rejects.read_bytes().decode("gb18030")
    assert "funds,2," in text and "得分应在 0 到 100 之间" in text


@pytest.mark.parametrize("make", [
    lambda d: d / "missing.csv",
    lambda d: (d / "garbage.csv").write_bytes(bytes(range(256)) * 50) and d / "garbage.csv",
    lambda d: (d / "empty.csv").write_bytes(b"") or d / "empty.csv",
    lambda d: (d / "fake.xlsx").write_text("not a zip") and d / "fake.xlsx",
])
def test_a_file_that_cannot_be_read_gives_one_message_and_exit_2(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    code, output = run(path, "--out", tmp_path / "out.csv")
    assert code == 2
    assert output.startswith("错误：") and "Traceback" not in output
    assert not (tmp_path / "out.csv").exists()


def test_an_unknown_output_format_is_refused_before_reading(county: Path, tmp_path: Path) -> None:
    code, output = run(county / "registry.csv", "--out", tmp_path / "out.txt")
    assert code == 2 and "--out 请用 .csv、.parquet 或 .xlsx" in output


def test_an_unknown_profile_is_refused(county: Path, tmp_path: Path) -> None:
    code, output = run(county / "registry.csv", "--profile", "atlantis", "--out", tmp_path / "o.csv")
    assert code == 2 and "atlantis" in output


def test_a_model_without_its_features_names_what_is_missing(county: Path, tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    result = CliRunner().invoke(cli, [
        "model", "train", "--registry", str(county / "registry.csv"),
        *[str(x) for x in side_args(county)], "--labels", str(county / "truth.csv"), "--out", str(model)])
    assert result.exit_code == 0, result.output
    code, output = run(county / "registry.csv", "--model", model, "--out", tmp_path / "o.csv")
    assert code == 2 and "缺失" in output and "--ads" in output
    code, output = run(county / "registry.csv", *side_args(county), "--model", model, "--out", tmp_path / "m.parquet")
    assert code == 0, output
    scored = pl.read_parquet(tmp_path / "m.parquet")
    assert "dim_model" in scored.columns and scored["dim_model"].max() > 50
