"""`fundwatch link` from files: links and watches written, reviews honoured, bad input exits 2."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from fundwatch.cli import cli
from fundwatch.demo.linking import generate_linking, write_linking

PAIR = ["subject_key", "matched_key"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_linking(generate_linking(subjects=4000, blacklist=90, seed=9), tmp_path_factory.mktemp("link"))


def _link(files: dict[str, Path], out: Path, *extra: str) -> pl.DataFrame:
    args = ["link", str(files["registry"]), "--people", str(files["people"]), "--blacklist", str(files["blacklist"]),
            "--blacklist-people", str(files["blacklist_people"]), "--changes", str(files["changes"]),
            "--out", str(out), *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return pl.read_parquet(out) if out.suffix == ".parquet" else pl.read_csv(out, encoding="gbk")


def test_links_and_watches_are_written(files: dict[str, Path], tmp_path: Path) -> None:
    links = _link(files, tmp_path / "links.csv")
    assert {"subject_key", "matched_key", "score", "reasons", "kind", "cluster_id"} <= set(links.columns)
    same = links.filter(pl.col("decision") == "same").select(PAIR)
    truth = pl.read_csv(files["truth"]).select(PAIR)
    hits = same.join(truth, on=PAIR).height
    assert hits / same.height >= 0.95 and hits / truth.height >= 0.95
    watches = pl.read_csv(tmp_path / "links.watches.csv", encoding="gbk")
    assert {"reappearance", "frequent_changes", "out_of_area"} <= set(watches["kind"])


def test_a_not_same_review_file_is_honoured(files: dict[str, Path], tmp_path: Path) -> None:
    first = _link(files, tmp_path / "first.parquet").filter(pl.col("decision") == "same").head(3)
    reviews = tmp_path / "reviews.csv"
    first.select(PAIR).with_columns(pl.lit("不是同一主体").alias("复核结论"), pl.lit("李科员").alias("复核人"),
                                    pl.lit("2026-04-01").alias("复核日期")).write_csv(reviews)
    again = _link(files, tmp_path / "again.parquet", "--reviews", str(reviews))
    assert again.join(first.select(PAIR), on=PAIR).is_empty()
    assert again.filter(pl.col("matched_key").is_in(first["matched_key"].implode()) & pl.col("subject_key").is_in(
        first["subject_key"].implode())).is_empty()


def test_an_unreadable_file_exits_2_with_one_chinese_line(files: dict[str, Path], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    result = CliRunner().invoke(cli, ["link", str(files["registry"]), "--people", str(missing),
                                      "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "错误" in result.output


def test_a_bad_output_suffix_exits_2(files: dict[str, Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["link", str(files["registry"]), "--out", str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and "不支持的输出格式" in result.output


def test_help_documents_every_option() -> None:
    result = CliRunner().invoke(cli, ["link", "--help"])
    assert result.exit_code == 0
    for option in ("--people", "--changes", "--blacklist", "--blacklist-people", "--leads", "--reviews", "--out",
                   "--watches", "--within", "--home"):
        assert option in result.output
