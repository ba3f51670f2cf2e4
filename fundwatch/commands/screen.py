"""`fundwatch screen`: a registry file (and side tables) in, a graded, explained risk list out."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import click
import polars as pl
from rich.table import Table

from fundwatch.commands.common import InputProblem, row_progress, stderr_console
from fundwatch.frames import GRADE_ZH, GRADES

SIDE_OPTIONS = {
    "changes": "变更记录 (change records: date, item, before, after)",
    "abnormal": "经营异常名录 (abnormal-operation listings: date, reason)",
    "judicial": "司法信息 (judicial records: date, cause, kind)",
    "ads": "广告/宣传 (promotional texts and ads: date, channel, text)",
    "reports": "举报/投诉 (public reports and complaints: date, channel, text, people, amount)",
    "news": "新闻/舆情 (news: date, title, text, sentiment)",
}

_FILE = click.Path(path_type=Path, dir_okay=False)


def _side_options(func: click.decorators.FC) -> click.decorators.FC:
    for name, help_text in reversed(SIDE_OPTIONS.items()):
        func = click.option(f"--{name}", type=_FILE, default=None, help=f"{help_text}, CSV or XLSX.")(func)
    return func


@click.command("screen")
@click.argument("registry", type=_FILE)
@_side_options
@click.option("--funds", "funds_path", type=_FILE, default=None,
              help="资金异动得分 from `fundwatch funds --dimension` (subject_key, dim_funds, evidence): "
                   "fund-flow warnings join the index as the dimension dim_funds.")
@click.option("--model", "model_path", type=_FILE, default=None,
              help="A learned model from `fundwatch model train`: its probability joins the index as dim_model, "
                   "its top features join the evidence.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date the age and recency rules count from (YYYY-MM-DD); default: the latest side-table date.")
@click.option("--profile", default="menghai", show_default=True,
              help="Locality profile: the sector → lead-department table and home region (menghai, xiamen, …).")
@click.option("--out", "out", type=_FILE, required=True,
              help="Result file: .csv (GBK), .parquet, or .xlsx (Chinese headers, for people).")
@click.option("--rejects", type=_FILE, default=None,
              help="CSV of rows not imported and values kept empty: table, line, column, value, reason.")
@click.option("--encoding", default=None,
              help="Encoding of the CSV inputs (utf-8, gbk, gb18030); detected when omitted.")
@click.option("--csv-encoding", default="gbk", show_default=True,
              help="Encoding of .csv outputs: gbk opens in Excel/WPS directly; utf-8 for machines.")
@click.option("--batch-rows", type=click.IntRange(min=1000), default=200_000, show_default=True,
              help="Registry rows screened per batch; memory follows this, not the file size.")
def screen_command(registry: Path, changes: Path | None, abnormal: Path | None, judicial: Path | None,
                   ads: Path | None, reports: Path | None, news: Path | None, funds_path: Path | None,
                   model_path: Path | None, as_of: dt.datetime | None, profile: str, out: Path,
                   rejects: Path | None, encoding: str | None, csv_encoding: str, batch_rows: int) -> None:
    """Screen REGISTRY (CSV or XLSX) for illegal-fundraising risk: one graded, explained row per subject.

    Every row read is imported or listed in --rejects; the summary shows read = imported + rejected,
    then the subjects by grade, sector and region.
    """
    # light imports only: screen_file starts reading the registry before it imports the engines
    from fundwatch.frames import ScreeningInputError
    from fundwatch.ingest.sources import IngestError
    from fundwatch.lexicons import LexiconError, load_ruleset
    from fundwatch.runners.embedded import screen_file
    from fundwatch.runners.sinks import SUFFIXES, CsvSink, open_sink

    if out.suffix.lower() not in SUFFIXES:
        raise InputProblem(f"不支持的输出格式“{out.suffix or out.name}”：--out 请用 .csv、.parquet 或 .xlsx")
    side_given = {"changes": changes, "abnormal": abnormal, "judicial": judicial,
                  "ads": ads, "reports": reports, "news": news}
    side_paths = {k: v for k, v in side_given.items() if v is not None}
    try:
        ruleset = load_ruleset(profile)
    except LexiconError as err:
        raise InputProblem(str(err)) from err
    day = as_of.date() if as_of else None
    try:
        external, external_rejects = _externals(funds_path, model_path, encoding, day)
        sink = open_sink(out, csv_encoding=csv_encoding)
        with row_progress("风险排查") as progress:
            summary, all_rejects = screen_file(registry, side_paths, ruleset, sink, encoding=encoding,
                                               batch_rows=batch_rows, progress=progress, as_of=day,
                                               external=external)
        all_rejects = pl.concat([all_rejects, *external_rejects], how="vertical_relaxed")
    except (IngestError, ScreeningInputError, ExternalProblem) as err:
        out.unlink(missing_ok=True)
        raise InputProblem(str(err)) from err
    except (OSError, LookupError) as err:
        raise InputProblem(f"无法写入或读取文件：{err}") from err
    if rejects is not None:
        sink = CsvSink(rejects, csv_encoding)
        sink.write(all_rejects)
        sink.close()
    _print_summary(summary, out, rejects)


class ExternalProblem(Exception):
    """A funds or model file that cannot be used with this registry."""


def _externals(funds_path: Path | None, model_path: Path | None, encoding: str | None,
               as_of: dt.date | None) -> tuple[list[Any], list[pl.DataFrame]]:
    """The external dimensions the options ask for, and the rejects of their files."""
    from fundwatch.runners.embedded import External, fixed_dimension

    external: list[External] = []
    rejects: list[pl.DataFrame] = []
    if funds_path is not None:
        from fundwatch.ingest.dimensions import load_funds_dimension  # (the engines: only when needed)

        funds = load_funds_dimension(funds_path, encoding=encoding)
        rejects.append(funds.rejects.select(pl.lit("funds").alias("table"), pl.all()))
        external.append(fixed_dimension("funds", funds.frame.drop("line")))
    if model_path is not None:
        from fundwatch.learning import (
            MissingFeaturesError,
            ModelFileError,
            apply_model,
            model_dimension,
            model_from_json,
        )

        try:
            model = model_from_json(model_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ModelFileError) as err:
            raise ExternalProblem(f"模型文件 {model_path} 无法使用：{err}") from err

        def compute(batch: pl.DataFrame, side: Any, screening: Any) -> pl.DataFrame:
            try:
                return model_dimension(apply_model(model, batch, side, screening, as_of=as_of), model)
            except MissingFeaturesError as err:
                raise ExternalProblem(str(err)) from err

        external.append(External("model", compute))
    return external, rejects


def _counter_table(title: str, counts: Counter[str], limit: int = 10) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("名称")
    table.add_column("数量", justify="right")
    for key, n in counts.most_common(limit):
        table.add_row(key, f"{n:,}")
    return table


def _print_summary(summary: object, out: Path, rejects: Path | None) -> None:
    from fundwatch.domain.regions import region_tree
    from fundwatch.runners.embedded import RunSummary

    assert isinstance(summary, RunSummary)
    console = stderr_console()
    console.print(
        f"读取 {summary.read:,} 行 = 导入 {summary.imported:,} + 拒收 {summary.rejected:,}"
        f"（另有 {summary.warnings:,} 个值无法识别，已留空）"
    )
    for kind, n in summary.side_read.items():
        console.print(f"  {kind}: 读取 {n:,} 行，拒收 {summary.side_rejected.get(kind, 0):,} 行")
    grades = Table(title=f"风险等级（规则版本 {summary.ruleset_version}）", title_justify="left")
    for grade in GRADES:
        grades.add_column(GRADE_ZH[grade], justify="right")
    grades.add_row(*(f"{summary.grades.get(g, 0):,}" for g in GRADES))
    console.print(grades)
    if summary.sectors:
        console.print(_counter_table("黄色及以上：按重点领域", summary.sectors))
    if summary.regions:
        tree = region_tree()
        official = tree.townships.sort(pl.col("name").str.len_chars(), descending=True)
        township_names = dict(official.unique("code", keep="first").select("code", "name").iter_rows())
        named: Counter[str] = Counter()
        for code, n in summary.regions.items():
            named[township_names.get(code) or tree.county_name(code) or code] += n
        console.print(_counter_table("黄色及以上：按地区", named))
    console.print(f"结果已写入 {out}" + (f"；拒收与警告见 {rejects}" if rejects else ""))


COMMANDS = [screen_command]
