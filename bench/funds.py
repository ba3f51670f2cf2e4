"""Fund-flow benchmark (issue 6): 10,000,000 generated transactions scanned for every typology.

Prints the rows scanned, the scan's wall time and peak memory (VmHWM of the
process that scans, from reading the Parquet file to writing the warnings),
the issue's targets, and precision and recall per typology against the
planted truth. The generated statements are cached under var/bench/ so a
second run measures only the scan; generating them is not timed.

    .venv/bin/python bench/funds.py [--rows N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import measure

WALL_TARGET = 120.0  # seconds for 10,000,000 rows
MEMORY_TARGET_GB = 6.0

GENERATE = """
from pathlib import Path
from fundwatch.demo.transactions import generate_transactions
out = Path({out!r})
demo = generate_transactions({rows}, seed={seed})
demo.transactions.write_parquet(out / "transactions.parquet")
demo.accounts.write_parquet(out / "accounts.parquet")
demo.leads.write_parquet(out / "leads.parquet")
demo.truth.write_parquet(out / "truth.parquet")
"""

SCAN = """
import json
from pathlib import Path
import polars as pl
from fundwatch.funds import load_funds_config, scan
data = Path({out!r})
leads = pl.read_parquet(data / "leads.parquet")
result = scan(pl.scan_parquet(data / "transactions.parquet"), load_funds_config(),
              accounts=pl.read_parquet(data / "accounts.parquet"),
              leads=leads["subject_key"].to_list() + leads["name"].to_list())
result.warnings.write_parquet(data / "warnings.parquet")
result.subjects.write_parquet(data / "dim_funds.parquet")
(data / "scan.json").write_text(json.dumps({{"scanned": result.scanned, "accounts": result.accounts,
                                            "warnings": result.warnings.height}}))
"""


def ensure_data(out: Path, rows: int, seed: int) -> None:
    if (out / "truth.parquet").exists():
        return
    out.mkdir(parents=True, exist_ok=True)
    print(f"生成 {rows:,} 笔交易流水 → {out} …", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", GENERATE.format(out=str(out), rows=rows, seed=seed)], check=True)
    print(f"  生成用时 {time.perf_counter() - started:.1f} 秒（不计入扫描时间）", flush=True)


def quality(out: Path) -> list[str]:
    import polars as pl

    from fundwatch.funds import TYPOLOGIES

    truth = pl.read_parquet(out / "truth.parquet")
    found = pl.read_parquet(out / "warnings.parquet").select("account", "typology")
    lines = []
    for typology in TYPOLOGIES:
        planted = set(truth.filter(pl.col("typology") == typology)["account"])
        flagged = set(found.filter(pl.col("typology") == typology)["account"])
        hits = len(planted & flagged)
        precision = hits / len(flagged) if flagged else float("nan")
        recall = hits / len(planted) if planted else float("nan")
        lines.append(f"  {typology:22s} 植入 {len(planted):5,}  预警 {len(flagged):5,}  "
                     f"精确率 {precision:.3f}  召回率 {recall:.3f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="transactions to generate and scan")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated county")
    args = parser.parse_args()

    out = Path("var/bench") / f"funds_{args.rows}_{args.seed}"
    ensure_data(out, args.rows, args.seed)
    size_mb = (out / "transactions.parquet").stat().st_size / 1024**2
    scanned = measure(SCAN.format(out=str(out.resolve())))
    counts = json.loads((out / "scan.json").read_text())
    scale = args.rows / 10_000_000
    wall_target = WALL_TARGET * scale
    verdict = {True: "达标", False: "未达标"}
    print(f"\n== 资金异动监测基准 (issue 6): Parquet {size_mb:,.0f} MB ==")
    print(f"扫描交易:   {counts['scanned']:>12,} 笔（{counts['accounts']:,} 个账户），预警 {counts['warnings']:,} 条")
    print(f"扫描用时:   {scanned.wall:12.2f} s    目标 ≤ {wall_target:.0f} s"
          f"{'（按 10,000,000 笔 120 s 折算）' if scale != 1 else ''}  {verdict[scanned.wall <= wall_target]}")
    print(f"峰值内存:   {scanned.peak_gb:12.2f} GB   目标 ≤ {MEMORY_TARGET_GB} GB  "
          f"{verdict[scanned.peak_gb <= MEMORY_TARGET_GB]}")
    print(f"吞吐:       {counts['scanned'] / scanned.wall:12,.0f} 笔/秒")
    print("按预警类型的精确率与召回率（对照植入的真值）:")
    print("\n".join(quality(out)))


if __name__ == "__main__":
    main()
