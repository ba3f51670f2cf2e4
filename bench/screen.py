"""Screening benchmark (issue 2): a generated 1,000,000-row registry screened in batches.

Prints the screening wall time, the time Polars takes only to read the same
CSV, their ratio and the screening's peak memory: for the registry alone, and
with the six side tables of the generated county beside it. Targets: ratio <= 3
and peak memory <= 4 GB on the 2-core machine. The generated county is cached under
var/bench/ so repeated runs measure only the screening.

For reference it also times Polars' own streaming engine reading the registry in
batches and trimming every cell, with no check, no rule and nothing written: no
screening that cleans its input can be faster than that.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.measure import Measure, load_average, measure

RATIO_TARGET = 3.0
MEMORY_TARGET_GB = 4.0


def median(runs: list[Measure]) -> Measure:
    """The run of median wall time, with the highest peak memory of all runs."""
    middle = sorted(runs, key=lambda m: m.wall)[len(runs) // 2]
    return Measure(wall=middle.wall, peak=max(m.peak for m in runs), cpu=middle.cpu)


def ensure_county(out_dir: Path, subjects: int, seed: int) -> Path:
    registry = out_dir / "registry.csv"
    if registry.exists():
        return registry
    from fundwatch.demo import generate_county, write_county

    print(f"生成 {subjects:,} 户的测试县数据 → {out_dir} …", flush=True)
    t0 = time.perf_counter()
    write_county(generate_county(subjects, seed), out_dir)
    print(f"  生成用时 {time.perf_counter() - t0:.1f} 秒", flush=True)
    return registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is reported")
    args = parser.parse_args()

    out_dir = Path("var/bench") / f"county_{args.subjects}_{args.seed}"
    out_dir.mkdir(parents=True, exist_ok=True)
    registry = ensure_county(out_dir, args.subjects, args.seed)
    size_mb = registry.stat().st_size / 1024**2

    read_body = f"import polars as pl\nframe = pl.read_csv({str(registry)!r})\nassert frame.height > 0"
    sides = ", ".join(
        f"{k!r}: Path({str(out_dir / (k + '.csv'))!r})"
        for k in ("changes", "abnormal", "judicial", "ads", "reports", "news")
        if (out_dir / f"{k}.csv").exists()
    )
    load = load_average()
    print(f"机器负载（1 分钟平均）{load:.2f}" + ("  —— 有其他程序在运行，计时偏慢" if load > 0.7 else ""))
    bodies = {"alone": _screen_body(registry, "", out_dir, args.batch_rows),
              "sides": _screen_body(registry, sides, out_dir, args.batch_rows),
              "floor": _floor_body(registry, args.batch_rows)}
    reads: list[Measure] = []
    runs: dict[str, list[Measure]] = {name: [] for name in bodies}
    for run in range(1, args.repeat + 1):  # interleaved, so a change in the machine's load touches every figure
        reads.append(measure(read_body))
        for name, body in bodies.items():
            runs[name].append(measure(body))
        print(f"  第 {run} 次：读取 {reads[-1].wall:5.2f} s；" + "；".join(
            f"{LABELS[name]} {runs[name][-1].wall:5.2f} s（CPU {runs[name][-1].cpu:5.2f} s，"
            f"峰值 {runs[name][-1].peak_gb:4.2f} GB）" for name in bodies), flush=True)
    read = median(reads)
    print(f"\n== 风险排查基准 (issue 2): {args.subjects:,} 行登记数据, CSV {size_mb:,.0f} MB，"
          f"各测 {args.repeat} 次取中位数 ==")
    print(f"{_pad('Polars 仅读取 CSV:', 36)}{read.wall:6.2f} s   峰值内存 {read.peak_gb:5.2f} GB")
    verdict = {True: "达标", False: "未达标"}
    for name in ("alone", "sides"):
        screened = median(runs[name])
        ratio = screened.wall / read.wall
        ok = ratio <= RATIO_TARGET and screened.peak_gb <= MEMORY_TARGET_GB
        label = _pad(LABELS[name] + "（导入+规则+写出）:", 36)
        print(f"{label}{screened.wall:6.2f} s   峰值内存 {screened.peak_gb:5.2f} GB   "
              f"比值 {ratio:5.2f}（目标 ≤ {RATIO_TARGET}，内存 ≤ {MEMORY_TARGET_GB} GB）{verdict[ok]}")
    floor = median(runs["floor"])
    print(f"{_pad(LABELS['floor'] + ':', 36)}{floor.wall:6.2f} s   峰值内存 {floor.peak_gb:5.2f} GB   "
          f"比值 {floor.wall / read.wall:5.2f}（参照：不检查、不打分、不写出；排查不可能比它快）")


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    return text + " " * max(0, width - sum(2 if ord(c) > 0x2E7F else 1 for c in text))


LABELS = {"alone": "只排查登记数据", "sides": "连同六张附表排查", "floor": "Polars 分批读取并去空白"}


def _screen_body(registry: Path, sides: str, out_dir: Path, batch_rows: int) -> str:
    """The statements that screen `registry` (with the side tables `sides`, a dict's inside) into Parquet."""
    return (
        "from fundwatch.process import for_batch_run\n"
        "for_batch_run()  # as `fundwatch screen` does, before Polars loads\n"
        "from pathlib import Path\n"
        "from fundwatch.lexicons import load_ruleset\n"
        "from fundwatch.runners.embedded import screen_file\n"
        "from fundwatch.runners.sinks import ParquetSink\n"
        f"sink = ParquetSink(Path({str(out_dir / 'screened.parquet')!r}))\n"
        f"summary, _ = screen_file(Path({str(registry)!r}), {{{sides}}}, load_ruleset('menghai'), sink,"
        f" batch_rows={batch_rows})\n"
        "assert summary.read == summary.imported + summary.rejected\n"
    )


def _floor_body(registry: Path, batch_rows: int) -> str:
    """A reference, not a screening: Polars' own streaming engine reads the registry in batches and trims
    every cell, nothing more (no check, no rule, nothing written): what any screening that cleans its input
    does first, so none can be faster."""
    return (
        "import polars as pl\n"
        f"frame = pl.scan_csv({str(registry)!r}, infer_schema=False).with_columns(pl.all().str.strip_chars())\n"
        f"rows = sum(batch.height for batch in frame.collect_batches(chunk_size={batch_rows}))\n"
        "assert rows > 0\n"
    )


if __name__ == "__main__":
    main()
