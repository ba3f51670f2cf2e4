"""`fundwatch demo-data`: write a realistic demo county (勐海县) with planted risky outfits and a truth file."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import click
from rich.table import Table

from fundwatch.commands.common import InputProblem, row_progress, stderr_console
from fundwatch.demo.export import ENCODINGS, FILES

README = """勐海县（532822）演示数据 —— 由 `fundwatch demo-data` 生成，纯属虚构。

registry.csv  市场主体登记表（统一社会信用代码、企业名称、经营范围、注册资本……），格式如同登记机关导出：
              日期与注册资本写法不一；约 0.5% 的行故意损坏（校验位错误、名称为空、代码重复），导入时应被拒收。
changes.csv   变更记录      abnormal.csv  经营异常名录    judicial.csv  司法信息
ads.csv       广告/宣传     reports.csv   举报/投诉       news.csv      新闻/舆情
truth.csv     真值表：subject_key（统一社会信用代码）、label（1 = 植入的风险主体）、guise（集资模式）。
              只列可导入的主体；故意损坏的行不在其中，见 broken.csv（line 为 registry.csv 中的行号，表头为第 1 行）。
同一 --subjects 与 --seed 生成逐字节相同的文件。
"""


def _summary(counts: Counter[str], guises: Counter[str], subjects: int, seconds: float, out_dir: Path) -> None:
    from fundwatch.demo.vocab import load_vocabulary

    console = stderr_console()
    files = Table(title=f"演示县数据已写入 {out_dir}（用时 {seconds:.1f} 秒）")
    files.add_column("文件")
    files.add_column("行数", justify="right")
    for name in FILES:
        files.add_row(f"{name}.csv", f"{counts[name]:,}")
    console.print(files)
    names = {g.key: g.zh for g in load_vocabulary().guises}
    planted = sum(guises.values())
    kinds = Table(title=f"植入风险主体 {planted:,} 户（占 {planted / subjects:.1%}）")
    kinds.add_column("集资模式")
    kinds.add_column("guise")
    kinds.add_column("户数", justify="right")
    for key, n in sorted(guises.items(), key=lambda kv: -kv[1]):
        kinds.add_row(names[key], key, f"{n:,}")
    console.print(kinds)


@click.command("demo-data")
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--subjects", "-n", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Number of subjects (市场主体数); about 3% are planted risky outfits.")
@click.option("--seed", type=int, default=42, show_default=True,
              help="Random seed; the same seed and size give byte-identical files.")
@click.option("--encoding", type=click.Choice(ENCODINGS), default="utf-8", show_default=True,
              help="Encoding of the CSV files (gbk as many office exports are).")
def demo_command(out_dir: Path, subjects: int, seed: int, encoding: str) -> None:
    """Write a realistic demo county into OUT_DIR: registry, six side tables, truth and broken rows.

    Menghai county (勐海县, 532822): tea, tourism, agriculture and trade, with planted
    risky outfits of every fundraising guise, ordinary subjects that look risky at
    first sight, and a few rows an importer must reject.
    """
    from fundwatch.demo import CountyWriter, iter_county

    started = time.perf_counter()
    counts: Counter[str] = Counter()
    guises: Counter[str] = Counter()
    try:
        with CountyWriter(out_dir, encoding) as writer, row_progress("生成演示县") as progress:
            for part in iter_county(subjects, seed):
                writer.add(part)
                counts.update({name: part.table(name).height for name in FILES})
                guises.update(part.truth["guise"].drop_nulls().to_list())
                progress(counts["truth"])
        (out_dir / "README.txt").write_text(README, encoding="utf-8")
    except OSError as err:
        raise InputProblem(f"无法写入目录“{out_dir}”：{err.strerror or err}") from err
    except UnicodeEncodeError as err:
        raise InputProblem(f"无法用 {encoding} 编码写出数据：{err.reason}") from err
    _summary(counts, guises, subjects, time.perf_counter() - started, out_dir)


COMMANDS = [demo_command]
