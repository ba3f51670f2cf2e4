"""`fundwatch model train|evaluate`: a risk model learned from the office's confirmed and dismissed cases."""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from fundwatch.commands.common import InputProblem, stderr_console

if TYPE_CHECKING:
    from fundwatch.ingest.labels import LabelsFile
    from fundwatch.learning import Candidates, RiskModel
    from fundwatch.learning.metrics import Metrics

SIDE_OPTIONS = {
    "changes": "变更记录 (change records)",
    "abnormal": "经营异常名录 (abnormal-operation listings)",
    "judicial": "司法信息 (judicial records)",
    "ads": "广告/宣传 (promotional texts and ads)",
    "reports": "举报/投诉 (public reports and complaints)",
    "news": "新闻/舆情 (news with sentiment)",
}
_FILE = click.Path(path_type=Path, dir_okay=False)


def _data_options(func: Any) -> Any:
    """The inputs train and evaluate share: the registry, side tables, profile, labels, encoding, date."""
    options = [
        click.option("--registry", type=_FILE, required=True, help="企业登记信息 (registry), CSV or XLSX."),
        *(click.option(f"--{k}", type=_FILE, default=None, help=f"{v}, CSV or XLSX.") for k, v in SIDE_OPTIONS.items()),
        click.option("--profile", default="menghai", show_default=True,
                     help="Locality profile of the rule set whose hits and scores become features."),
        click.option("--labels", type=_FILE, required=True,
                     help="案件标注: subject key (统一社会信用代码/uscc or 主体标识/id) and label "
                          "(标签/是否非法集资/label: 1 confirmed, 0 dismissed), CSV or XLSX."),
        click.option("--encoding", default=None, help="Encoding of the CSV inputs; detected when omitted."),
        click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="Reference date for recency features (YYYY-MM-DD); default: latest date in the side tables."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@dataclass
class Prepared:
    cands: Candidates
    labels: LabelsFile
    ruleset_version: str


def _prepare(registry: Path, side_paths: dict[str, Path | None], profile: str, labels: Path,
             encoding: str | None, as_of: datetime | None) -> Prepared:
    """Read the files, screen the registry and build the candidate features; bad input → exit 2."""
    from fundwatch.ingest.labels import load_labels
    from fundwatch.ingest.readers import IngestError
    from fundwatch.ingest.registry import load_registry
    from fundwatch.learning import build_candidates
    from fundwatch.lexicons import LexiconError, load_ruleset
    from fundwatch.runners.embedded import RunSummary, load_side_tables
    from fundwatch.screening import screen

    try:
        ruleset = load_ruleset(profile)
    except LexiconError as err:
        raise InputProblem(str(err)) from err
    try:
        imported = load_registry(registry, encoding=encoding)
        side = load_side_tables({k: v for k, v in side_paths.items() if v is not None}, encoding, RunSummary(), [])
        labels_file = load_labels(labels, encoding=encoding)
    except IngestError as err:
        raise InputProblem(str(err)) from err
    screening = screen(imported.frame, side, ruleset)
    reference = as_of.date() if as_of else None
    cands = build_candidates(imported.frame, side, screening, reference)
    return Prepared(cands, labels_file, ruleset.version)


def _labels_note(prepared: Prepared) -> str:
    rejected = prepared.labels.rejects.filter(prepared.labels.rejects["severity"] == "reject").height
    return (f"标注文件读取 {prepared.labels.read:,} 行，采用 {prepared.labels.frame.height:,} 行"
            + (f"，拒收 {rejected:,} 行" if rejected else ""))


def _metrics_table(title: str, metrics: Metrics) -> Table:
    table = Table(title=title, title_justify="left")
    for header in ("样本数", "确认案件", "AUC", "PR-AUC", "精确率", "召回率", "F1", "阈值"):
        table.add_column(header, justify="right")
    table.add_row(f"{metrics.subjects:,}", f"{metrics.positives:,}", f"{metrics.auc:.3f}", f"{metrics.pr_auc:.3f}",
                  f"{metrics.precision:.1%}", f"{metrics.recall:.1%}", f"{metrics.f1:.3f}", f"{metrics.threshold:.3f}")
    return table


@click.group("model")
def model_group() -> None:
    """Learned risk model (LightGBM) trained on the office's confirmed (1) and dismissed (0) cases."""


@model_group.command("train")
@_data_options
@click.option("--out", type=_FILE, required=True, help="Model file to write (one JSON document).")
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True,
              help="Stratified cross-validation folds; threshold and calibration come from the held-out folds.")
@click.option("--seed", type=int, default=20240517, show_default=True,
              help="Random seed: same data and seed, same model.")
@click.option("--rounds", type=click.IntRange(min=30), default=400, show_default=True,
              help="Most boosting rounds; fewer when early stopping inside each fold finds no more gain.")
@click.option("--calibration", type=click.Choice(["platt", "isotonic"]), default="platt", show_default=True,
              help="Probability calibration on out-of-fold scores: platt (few cases) or isotonic (many).")
def train_command(registry: Path, profile: str, labels: Path, encoding: str | None, as_of: datetime | None,
                  out: Path, folds: int, seed: int, rounds: int, calibration: str, **side: Path | None) -> None:
    """Train a risk model on the registry, side tables and screening results against the labels file.

    Prints the cross-validated AUC, PR-AUC, precision, recall and F1 at the chosen threshold.
    """
    from fundwatch.learning import TrainingConfig, TrainingError, model_to_json, train_model
    from fundwatch.learning.calibration import Method

    prepared = _prepare(registry, side, profile, labels, encoding, as_of)
    method: Method = "isotonic" if calibration == "isotonic" else "platt"
    config = TrainingConfig(folds=folds, seed=seed, rounds=rounds, calibration=method)
    trained_at = datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        model = train_model(prepared.cands, prepared.labels.frame, ruleset_version=prepared.ruleset_version,
                            trained_at=trained_at, exclude=prepared.labels.columns, config=config)
    except TrainingError as err:
        raise InputProblem(str(err)) from err
    try:
        out.write_text(model_to_json(model), encoding="utf-8")
    except OSError as err:
        raise InputProblem(f"无法写入模型文件 {out}：{err}") from err
    _print_training(model, prepared, out)


def _print_training(model: RiskModel, prepared: Prepared, out: Path) -> None:
    console = stderr_console()
    meta = model.meta
    unmatched = f"；{meta.labels_unmatched:,} 个主体不在登记表中" if meta.labels_unmatched else ""
    click.echo(_labels_note(prepared) + unmatched, err=True)
    kinds = Counter(f.transform for f in model.features)
    click.echo(f"特征 {len(model.features)} 个（数值 {kinds['number']}、日期 {kinds['days']}、"
               f"类别 {kinds['category']}、文本长度 {kinds['length']}），"
               f"参考日 {meta.reference_date}，规则版本 {meta.ruleset_version}", err=True)
    if meta.excluded_columns:
        click.echo("与标注文件同名、不作特征的列：" + "、".join(meta.excluded_columns), err=True)
    for name, why in meta.dropped_features:
        click.secho(f"已剔除 {name}：{why}", fg="yellow", err=True)
    console.print(_metrics_table(f"{meta.folds} 折交叉验证（阈值取留出折上 F1 最大处）", model.cv))
    click.echo(f"模型已写入 {out}", err=True)


def _load_model(path: Path) -> RiskModel:
    from fundwatch.learning import ModelFileError, model_from_json

    try:
        return model_from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise InputProblem(f"找不到模型文件 {path}。") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputProblem(f"无法读取模型文件 {path}：{err}") from err
    except ModelFileError as err:
        raise InputProblem(f"{path}：{err}") from err


@model_group.command("evaluate")
@_data_options
@click.option("--model", "model_path", type=_FILE, required=True, help="Model file written by `model train`.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object with auc, pr_auc, precision, recall, f1, threshold.")
def evaluate_command(registry: Path, profile: str, labels: Path, encoding: str | None, as_of: datetime | None,
                     model_path: Path, as_json: bool, **side: Path | None) -> None:
    """Evaluate a trained model against a labels file: AUC, PR-AUC, precision, recall, F1 at its threshold."""
    from fundwatch.learning import MissingFeaturesError, evaluate_model

    model = _load_model(model_path)
    prepared = _prepare(registry, side, profile, labels, encoding, as_of)
    try:
        evaluation = evaluate_model(model, prepared.cands, prepared.labels.frame)
    except MissingFeaturesError as err:
        raise InputProblem(str(err)) from err
    if evaluation.training_data:
        click.secho("注意：评估数据就是该模型的训练数据，以下为样本内指标，偏乐观；"
                    f"交叉验证 AUC {model.cv.auc:.3f}、F1 {model.cv.f1:.3f}。", fg="yellow", err=True)
    if prepared.ruleset_version != model.meta.ruleset_version:
        click.secho(f"注意：模型训练时的规则版本为 {model.meta.ruleset_version}，本次为 {prepared.ruleset_version}。",
                    fg="yellow", err=True)
    if as_json:
        click.echo(json.dumps(evaluation.metrics.headline(), ensure_ascii=False))
        return
    click.echo(_labels_note(prepared), err=True)
    click.echo(_render(_metrics_table(f"模型评估（训练于 {model.meta.trained_at}，阈值为模型自带）",
                                      evaluation.metrics)))


def _render(table: Table) -> str:
    """The table as plain text for stdout, so it can be piped or saved like any command output."""
    buffer = io.StringIO()
    Console(file=buffer, width=120, highlight=False, color_system=None).print(table)
    return buffer.getvalue().rstrip("\n")


COMMANDS = [model_group]
