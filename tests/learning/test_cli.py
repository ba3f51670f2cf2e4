"""`fundwatch model train|evaluate` on generated counties, as an office would run them."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from fundwatch.cli import cli
from fundwatch.demo import generate_county, write_county

SIDES = ("changes", "abnormal", "judicial", "ads", "reports", "news")


def _county(root: Path, seed: int, n: int = 3000) -> Path:
    out = root / f"county{seed}"
    write_county(generate_county(n, seed), out)
    return out


def _data_args(county: Path, sides=SIDES, registry: Path | None = None) -> list[str]:
    args = ["--registry", str(registry or county / "registry.csv"), "--labels", str(county / "truth.csv")]
    for kind in sides:
        args += [f"--{kind}", str(county / f"{kind}.csv")]
    return args


@pytest.fixture(scope="module")
def counties(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("model_cli")
    return _county(root, seed=11), _county(root, seed=12)


@pytest.fixture(scope="module")
def model_file(counties) -> Path:
    training, _ = counties
    # the answer smuggled into the registry export, under the truth file's own column name
    registry = pl.read_csv(training / "registry.csv", infer_schema=False)
    truth = pl.read_csv(training / "truth.csv", infer_schema=False)
    leaky = registry.join(truth.rename({"subject_key": "统一社会信用代码"}), on="统一社会信用代码", how="left")
    leaky.write_csv(training / "registry_leaky.csv")
    out = training / "model.json"
    result = CliRunner().invoke(cli, ["model", "train", *_data_args(training, registry=training / "registry_leaky.csv"),
                                      "--out", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "5 折交叉验证" in result.output
    return out


def test_the_model_file_carries_its_metadata_and_no_label_column(model_file):
    document = json.loads(model_file.read_text(encoding="utf-8"))
    meta = document["meta"]
    assert meta["ruleset_version"] and meta["trained_at"] and len(meta["data_hash"]) == 64
    assert meta["seed"] == 3 and meta["folds"] == 5 and set(meta["sides"]) == set(SIDES)
    assert {"label", "guise"} <= set(meta["excluded_columns"])
    names = {f["name"] for f in document["features"]}
    assert not names & {"registry.label", "registry.guise"}
    assert "registry.从业人数" in names  # a column the project never named, used as it comes
    assert document["cv_metrics"]["auc"] > 0.9


def test_evaluate_json_on_a_county_the_model_has_not_seen(model_file, counties):
    _, fresh = counties
    result = CliRunner().invoke(cli, ["model", "evaluate", *_data_args(fresh), "--model", str(model_file), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) == {"auc", "pr_auc", "precision", "recall", "f1", "threshold"}
    assert figures["auc"] > 0.9 and figures["f1"] > 0.6
    assert figures["threshold"] == pytest.approx(json.loads(model_file.read_text())["threshold"], abs=1e-4)


def test_evaluate_prints_a_chinese_table_and_warns_on_training_data(model_file, counties):
    training, _ = counties
    args = _data_args(training, registry=training / "registry_leaky.csv")
    result = CliRunner().invoke(cli, ["model", "evaluate", *args, "--model", str(model_file)])
    assert result.exit_code == 0, result.output
    assert "精确率" in result.stdout and "召回率" in result.stdout
    assert "训练数据" in result.stderr  # in-sample figures are flagged as optimistic


def test_a_model_used_without_its_side_table_names_what_is_missing(model_file, counties):
    _, fresh = counties
    result = CliRunner().invoke(cli, ["model", "evaluate", *_data_args(fresh, sides=SIDES[:-1]),
                                      "--model", str(model_file)])
    assert result.exit_code == 2
    assert "新闻舆情（--news）" in result.stderr and "Traceback" not in result.output


def test_unusable_files_exit_2_with_one_message(model_file, counties, tmp_path):
    _, fresh = counties
    junk = tmp_path / "junk.json"
    junk.write_text("{}", encoding="utf-8")
    runner = CliRunner()
    bad_model = runner.invoke(cli, ["model", "evaluate", *_data_args(fresh), "--model", str(junk)])
    assert bad_model.exit_code == 2 and "不是 Fundwatch 风险模型文件" in bad_model.stderr
    no_labels = runner.invoke(cli, ["model", "train", "--registry", str(fresh / "registry.csv"),
                                    "--labels", str(tmp_path / "none.csv"), "--out", str(tmp_path / "m.json")])
    assert no_labels.exit_code == 2 and "找不到文件" in no_labels.stderr
    assert not (tmp_path / "m.json").exists()


def test_every_command_and_option_has_help():
    import click

    from fundwatch.commands.model import model_group

    assert model_group.help
    for command in model_group.commands.values():
        assert command.help, command.name
        options = [p for p in command.params if isinstance(p, click.Option)]
        assert options and all(o.help for o in options), [o.name for o in options if not o.help]
        assert CliRunner().invoke(cli, ["model", command.name, "--help"]).exit_code == 0


def test_apply_model_gives_the_screening_its_model_dimension(model_file, counties):
    from sklearn.metrics import roc_auc_score

    from fundwatch.ingest.registry import load_registry
    from fundwatch.learning import MODEL_DIM_SCHEMA, apply_model, model_from_json
    from fundwatch.lexicons import load_ruleset
    from fundwatch.runners.embedded import RunSummary, load_side_tables
    from fundwatch.screening import screen

    _, fresh = counties
    registry = load_registry(fresh / "registry.csv").frame
    side = load_side_tables({k: fresh / f"{k}.csv" for k in SIDES}, None, RunSummary(), [])
    screening = screen(registry, side, load_ruleset("menghai"))
    model = model_from_json(model_file.read_text(encoding="utf-8"))
    dims = apply_model(model, registry, side, screening)
    assert dims.schema == MODEL_DIM_SCHEMA
    assert dims["subject_key"].to_list() == screening.scores["subject_key"].to_list()  # same rows, same order
    truth = pl.read_csv(fresh / "truth.csv", schema_overrides={"label": pl.Int8})
    joined = dims.join(truth, on="subject_key")
    assert roc_auc_score(joined["label"], joined["dim_model"]) > 0.9
    flagged = dims.filter(pl.col("dim_model") >= model.threshold * 100)
    assert flagged.height and flagged["model_reasons"].str.contains("主要依据：").all()


def test_the_model_dimension_joins_the_index_and_the_evidence(model_file, counties):
    from fundwatch.frames import GRADES, SCORES_SCHEMA
    from fundwatch.ingest.registry import load_registry
    from fundwatch.learning import apply_model, model_dimension, model_from_json
    from fundwatch.lexicons import load_ruleset
    from fundwatch.runners.embedded import RunSummary, load_side_tables
    from fundwatch.screening import add_dimension, screen

    _, fresh = counties
    registry = load_registry(fresh / "registry.csv").frame
    side = load_side_tables({k: fresh / f"{k}.csv" for k in SIDES}, None, RunSummary(), [])
    ruleset = load_ruleset("menghai")
    screening = screen(registry, side, ruleset)
    model = model_from_json(model_file.read_text(encoding="utf-8"))
    dims = apply_model(model, registry, side, screening)
    combined = add_dimension(screening.scores, model_dimension(dims, model), "model", ruleset)
    weight = ruleset.scoring.weight("model")
    assert combined.columns == [*list(SCORES_SCHEMA)[:10], "dim_model", *list(SCORES_SCHEMA)[10:]]
    before = screening.scores["score"].to_numpy()
    after = combined["score"].to_numpy()
    assert (after >= before).all() and (after <= 100).all()
    expected = 100 * (1 - (1 - before / 100) * (1 - weight * combined["dim_model"].to_numpy() / 100))
    assert abs(after - expected).max() <= 0.051
    assert set(combined["grade"]) <= set(GRADES)
    flagged = combined.filter(pl.col("dim_model") >= round(model.threshold * 100, 1))
    assert flagged["evidence"].str.contains("模型概率").all()
    quiet = combined.filter(pl.col("dim_model") < round(model.threshold * 100, 1))
    assert not quiet["evidence"].fill_null("").str.contains("模型概率").any()
