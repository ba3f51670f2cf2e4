"""`fundwatch link`: the same outfit under a new name, place or front person; related parties; watch signals."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
import polars as pl
from rich.table import Table

from fundwatch.commands.common import InputProblem, stderr_console

_FILE = click.Path(path_type=Path, dir_okay=False)
OUT_SUFFIXES = (".csv", ".parquet", ".xlsx")

LINK_HEADERS_ZH: dict[str, str] = {
    "subject_key": "主体标识", "subject_name": "主体名称", "matched_key": "关联主体标识",
    "matched_name": "关联主体名称", "matched_list": "关联主体来源", "score": "关联分值", "decision": "判断",
    "kind": "主要依据", "kinds": "依据种类",
    "reasons": "关联理由", "review": "人工复核", "cluster_id": "关联群组",
}
WATCH_HEADERS_ZH: dict[str, str] = {
    "subject_key": "主体标识", "kind": "预警类型", "reasons": "预警理由", "score": "预警分值",
    "matched_key": "匹配主体标识",
}
WATCH_ZH: dict[str, str] = {
    "reappearance": "黑名单主体死灰复燃", "blacklist_match": "疑似黑名单主体", "blacklist_related": "与黑名单主体关联",
    "lead_match": "疑似已有线索主体", "frequent_changes": "频繁变更", "out_of_area": "异地注册本地经营",
}


def _watch_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.watches{out.suffix}")


def _read(kind: str, path: Path | None, encoding: str | None) -> pl.DataFrame | None:
    """One input file as a frame; unreadable files become InputProblem (exit 2)."""
    from fundwatch.ingest.people import read_people, read_reviews
    from fundwatch.ingest.readers import IngestError
    from fundwatch.ingest.registry import load_registry
    from fundwatch.ingest.side import load_side_table

    if path is None:
        return None
    readers = {
        "registry": lambda: load_registry(path, encoding=encoding),
        "people": lambda: read_people(path, encoding=encoding),
        "changes": lambda: load_side_table("changes", path, encoding=encoding),
        "reviews": lambda: read_reviews(path, encoding=encoding),
    }
    try:
        imported = readers[kind]()
    except IngestError as err:
        raise InputProblem(str(err)) from err
    except OSError as err:
        raise InputProblem(f"无法读取文件 {path}：{err}") from err
    if imported.rejected:
        stderr_console().print(f"{path.name}：读取 {imported.read:,} 行，拒收 {imported.rejected:,} 行")
    return imported.frame


def _write(frame: pl.DataFrame, path: Path, headers: dict[str, str], csv_encoding: str) -> None:
    from fundwatch.runners.sinks import open_sink

    try:
        sink = open_sink(path, csv_encoding=csv_encoding, headers=headers)
        sink.write(frame)
        sink.close()
    except (OSError, LookupError) as err:
        raise InputProblem(f"无法写入文件 {path}：{err}") from err


def _watchlist(blacklist: pl.DataFrame | None, leads: pl.DataFrame | None) -> pl.DataFrame | None:
    parts = [f.with_columns(pl.lit(name).alias("list")) for name, f in (("blacklist", blacklist), ("lead", leads))
             if f is not None]
    return pl.concat(parts, how="diagonal_relaxed") if parts else None


@click.command("link")
@click.argument("registry", type=_FILE)
@click.option("--people", type=_FILE,
              help="人员信息 (people file: subject key, name, ID number, role, phone), CSV or XLSX.")
@click.option("--changes", type=_FILE, help="变更记录 (change records: subject key, date, item, before, after).")
@click.option("--blacklist", type=_FILE, help="黑名单 (blacklist): a file of the registry's shape.")
@click.option("--blacklist-people", type=_FILE, help="黑名单主体的人员信息 (people file of the blacklist entries).")
@click.option("--leads", type=_FILE, help="已有线索主体 (subjects already in leads): a file of the registry's shape.")
@click.option("--reviews", type=_FILE,
              help="复核结论 (reviews: subject_key, matched_key, decision 同一主体/不是同一主体/不确定, who, when).")
@click.option("--out", type=_FILE, required=True,
              help="Links file, one row per link: .csv (GBK), .parquet, or .xlsx (Chinese headers).")
@click.option("--watches", type=_FILE, default=None,
              help="Watch-signal file (default: OUT with .watches before the suffix).")
@click.option("--within/--no-within", default=None,
              help="Also link the registry with itself (related parties); default: only when no blacklist or leads.")
@click.option("--home", default=None, help="Home county code for out-of-area watches (default from linking.yaml).")
@click.option("--encoding", default=None,
              help="Encoding of the CSV inputs (utf-8, gbk, gb18030); detected when omitted.")
@click.option("--csv-encoding", default="gbk", show_default=True, help="Encoding of .csv outputs: gbk or utf-8.")
def link_command(registry: Path, people: Path | None, changes: Path | None, blacklist: Path | None,
                 blacklist_people: Path | None, leads: Path | None, reviews: Path | None, out: Path,
                 watches: Path | None, within: bool | None, home: str | None, encoding: str | None,
                 csv_encoding: str) -> None:
    """Link REGISTRY subjects to the blacklist, to leads and to each other; write links and watch signals.

    Every link says why (Chinese reasons with points) and how sure (score 0-100); a pair a reviewer
    marked 不是同一主体 is never linked again.
    """
    from fundwatch.linking.config import LinkingConfigError, load_linking_config
    from fundwatch.linking.engine import run

    watch_out = watches or _watch_path(out)
    for path in (out, watch_out):
        if path.suffix.lower() not in OUT_SUFFIXES:
            raise InputProblem(f"不支持的输出格式“{path.suffix or path.name}”：请用 .csv、.parquet 或 .xlsx")
    if home is not None and not (len(home) == 6 and home.isdigit()):
        raise InputProblem(f"--home 应为6位行政区划代码，实为“{home}”")
    try:
        config = load_linking_config()
    except LinkingConfigError as err:
        raise InputProblem(str(err)) from err
    subjects = _read("registry", registry, encoding)
    assert subjects is not None
    watchlist = _watchlist(_read("registry", blacklist, encoding), _read("registry", leads, encoding))
    listed_people = _read("people", blacklist_people, encoding)
    result = run(subjects, people=_read("people", people, encoding), watchlist=watchlist,
                 watchlist_people=listed_people, changes=_read("changes", changes, encoding),
                 reviews=_read("reviews", reviews, encoding), within=within, home_region=home, config=config)
    _write(result.links, out, LINK_HEADERS_ZH, csv_encoding)
    _write(result.watches, watch_out, WATCH_HEADERS_ZH, csv_encoding)
    _summary(result.links, result.watches, out, watch_out)


def _summary(links: pl.DataFrame, watches: pl.DataFrame, out: Path, watch_out: Path) -> None:
    console = stderr_console()
    same = links.filter(pl.col("decision") == "same").height
    console.print(f"关联 {links.height:,} 条（疑为同一主体 {same:,}，关联方 {links.height - same:,}），"
                  f"关联群组 {links['cluster_id'].n_unique():,} 个")
    table = Table(title="预警信号", title_justify="left")
    table.add_column("类型")
    table.add_column("数量", justify="right")
    for kind, n in Counter(watches["kind"].to_list()).most_common():
        table.add_row(WATCH_ZH.get(kind, kind), f"{n:,}")
    console.print(table)
    console.print(f"关联结果已写入 {out}；预警信号已写入 {watch_out}")


COMMANDS = [link_command]
