"""Linking benchmark (issue 5): a generated registry against a blacklist, Fundwatch and Splink side by side.

`python bench/link.py [--subjects N] [--blacklist M]` generates N registry subjects and M blacklisted
outfits (a share of which come back rebranded, relocated or behind a front person, with truth),
caches them under var/bench/, then runs, each in its own process:

- Fundwatch's linker (`fundwatch.linking.engine.run`): wall time, peak memory, precision/recall/F1
  of its "same outfit" links against the truth. Target: <= 60 s for 1,000,000 x 10,000.
- Splink 4 on DuckDB (the `bench` extra), link_only, given the same normalised fields (brand, full
  normalised name, phone, address key, website, legal rep name, every person ID): blocking on phone,
  address, website, person ID, brand and its first/last two characters; u by random sampling, m by
  EM; F1 at match probability 0.5 and at its best threshold chosen with the truth (generous to Splink).
  Its field preparation (our normalisers) is timed separately and not counted in its time.

With --splink-subjects K (< N) Splink runs on a sample of K subjects (every come-back case kept,
the rest drawn at random) and Fundwatch is run on the same sample too, so the two are compared on
equal data; the full-size Fundwatch figures are printed as well.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from bench.measure import Measure, measure

PAIR = ["subject_key", "matched_key"]
TIME_TARGET = 60.0


def with_cpu(run: Callable[[], Measure]) -> tuple[Measure, float]:
    """The child's measure and the CPU seconds (user + system, all threads) it used.

    The machine is shared: wall time grows with other people's load, CPU time much less so.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    took = run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def load_average() -> float:
    with open("/proc/loadavg", encoding="ascii") as file:
        return float(file.read().split()[0])


def ensure_data(out_dir: Path, subjects: int, blacklist: int, seed: int) -> Path:
    if (out_dir / "truth.parquet").exists():
        return out_dir
    from fundwatch.demo.linking import generate_linking

    print(f"生成 {subjects:,} 户登记数据与 {blacklist:,} 条黑名单 → {out_dir} …", flush=True)
    t0 = time.perf_counter()
    demo = generate_linking(subjects, blacklist, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("registry", "people", "blacklist", "blacklist_people", "truth"):
        getattr(demo, name).write_parquet(out_dir / f"{name}.parquet")
    print(f"  生成用时 {time.perf_counter() - t0:.1f} 秒", flush=True)
    return out_dir


def sample(data: Path, out_dir: Path, size: int, seed: int) -> Path:
    """A subset of the registry: every come-back subject plus random others, `size` in all."""
    if (out_dir / "truth.parquet").exists():
        return out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    registry = pl.read_parquet(data / "registry.parquet")
    truth = pl.read_parquet(data / "truth.parquet")
    cases = registry.join(truth.select("subject_key"), on="subject_key", how="semi")
    others = registry.join(truth.select("subject_key"), on="subject_key", how="anti")
    kept = pl.concat([cases, others.sample(max(0, size - cases.height), seed=seed)])
    kept.write_parquet(out_dir / "registry.parquet")
    people = pl.read_parquet(data / "people.parquet")
    people.join(kept.select("subject_key"), on="subject_key", how="semi").write_parquet(out_dir / "people.parquet")
    for name in ("blacklist", "blacklist_people", "truth"):
        pl.read_parquet(data / f"{name}.parquet").write_parquet(out_dir / f"{name}.parquet")
    return out_dir


def run_fundwatch(data: Path) -> Measure:
    return measure(
        "import polars as pl\n"
        "from fundwatch.linking.engine import run\n"
        f"d = {str(data)!r}\n"
        "names = ('registry', 'people', 'blacklist', 'blacklist_people')\n"
        "r = {n: pl.read_parquet(f'{d}/{n}.parquet') for n in names}\n"
        "result = run(r['registry'], people=r['people'], watchlist=r['blacklist'],"
        " watchlist_people=r['blacklist_people'])\n"
        "result.links.write_parquet(f'{d}/fundwatch_links.parquet')\n"
    )


def prepare_splink(data: Path) -> Measure:
    """Splink's input tables: the same normalised fields Fundwatch uses, one row per subject."""
    return measure(
        "import polars as pl\n"
        "from bench.link import splink_table\n"
        f"d = {str(data)!r}\n"
        "for side, people in (('registry', 'people'), ('blacklist', 'blacklist_people')):\n"
        "    splink_table(pl.read_parquet(f'{d}/{side}.parquet'), pl.read_parquet(f'{d}/{people}.parquet'))"
        ".write_parquet(f'{d}/splink_{side}.parquet')\n"
    )


def splink_table(subjects: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    from fundwatch.linking.config import load_linking_config
    from fundwatch.linking.prepare import prepare

    side = prepare(subjects, people, load_linking_config())
    ids = side.persons.filter(pl.col("pid").is_not_null()).group_by("subject_key").agg(
        pl.col("pid").unique().alias("person_ids"))
    names = side.persons.group_by("subject_key").agg(pl.col("pname").drop_nulls().unique().alias("person_names"))
    return side.records.select(
        pl.col("subject_key").alias("unique_id"), "brand", "norm_name", pl.col("phone_key").alias("phone"),
        "address_key", pl.col("website_key").alias("website"), pl.col("legal_rep"),
    ).join(ids, left_on="unique_id", right_on="subject_key", how="left").join(
        names, left_on="unique_id", right_on="subject_key", how="left")


SPLINK_BODY = """
import duckdb, polars as pl
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
d = {data!r}
con = duckdb.connect()
con.execute("SET threads TO 2")
left = pl.read_parquet(f"{{d}}/splink_registry.parquet").to_arrow()
right = pl.read_parquet(f"{{d}}/splink_blacklist.parquet").to_arrow()
con.register("registry", left)
con.register("blacklist", right)
settings = SettingsCreator(
    link_type="link_only",
    blocking_rules_to_generate_predictions=[
        block_on("phone"), block_on("address_key"), block_on("website"), block_on("brand"),
        block_on("substr(brand, 1, 2)"), block_on("right(brand, 2)"),
        block_on("person_ids", arrays_to_explode=["person_ids"]),
    ],
    comparisons=[
        cl.JaroWinklerAtThresholds("brand", [0.92, 0.8]).configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("norm_name", [0.9, 0.75]),
        cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
        cl.ExactMatch("address_key").configure(term_frequency_adjustments=True),
        cl.ExactMatch("website"),
        cl.ExactMatch("legal_rep").configure(term_frequency_adjustments=True),
        cl.ArrayIntersectAtSizes("person_ids", [1]),
        cl.ArrayIntersectAtSizes("person_names", [1]),
    ],
)
db = DuckDBAPI(connection=con)
linker = Linker(["registry", "blacklist"], settings, db_api=db, input_table_aliases=["registry", "blacklist"])
linker.training.estimate_probability_two_random_records_match(
    [block_on("phone"), block_on("person_ids", arrays_to_explode=["person_ids"])], recall=0.8)
linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("brand"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("address_key"))
predictions = linker.inference.predict(threshold_match_probability=0.01)
predictions.as_duckdbpyrelation().select(
    "source_dataset_l, unique_id_l, source_dataset_r, unique_id_r, match_probability"
).write_parquet(f"{{d}}/splink_predictions.parquet")
"""


def run_splink(data: Path) -> Measure:
    return measure(SPLINK_BODY.format(data=str(data)))


def scores(found: pl.DataFrame, truth: pl.DataFrame) -> tuple[float, float, float]:
    hits = found.join(truth.select(PAIR), on=PAIR).height
    precision = hits / found.height if found.height else 0.0
    recall = hits / truth.height if truth.height else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def splink_pairs(data: Path) -> pl.DataFrame:
    """Splink's predictions as (registry subject, blacklist entry, probability)."""
    raw = pl.read_parquet(data / "splink_predictions.parquet")
    forward = raw.filter(pl.col("source_dataset_l") == "registry")
    backward = raw.filter(pl.col("source_dataset_l") != "registry")
    return pl.concat([
        forward.select(pl.col("unique_id_l").alias("subject_key"), pl.col("unique_id_r").alias("matched_key"),
                       "match_probability"),
        backward.select(pl.col("unique_id_r").alias("subject_key"), pl.col("unique_id_l").alias("matched_key"),
                        "match_probability"),
    ])


def best_threshold(pairs: pl.DataFrame, truth: pl.DataFrame) -> tuple[float, tuple[float, float, float]]:
    best = (0.5, scores(pairs.filter(pl.col("match_probability") >= 0.5), truth))
    for threshold in (0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999):
        result = scores(pairs.filter(pl.col("match_probability") >= threshold), truth)
        if result[2] > best[1][2]:
            best = (threshold, result)
    return best


def fundwatch_figures(data: Path, label: str) -> dict[str, float]:
    load = load_average()
    took, cpu = with_cpu(lambda: run_fundwatch(data))
    links = pl.read_parquet(data / "fundwatch_links.parquet")
    precision, recall, f1 = scores(links.filter(pl.col("decision") == "same").select(PAIR),
                                   pl.read_parquet(data / "truth.parquet"))
    print(f"Fundwatch {label}: {took.wall:8.2f} s（CPU {cpu:6.1f} s，开始时负载 {load:.1f}）   "
          f"峰值内存 {took.peak_gb:5.2f} GB   P {precision:.4f}  R {recall:.4f}  F1 {f1:.4f}", flush=True)
    return {"wall": took.wall, "cpu": cpu, "load": load, "peak_gb": took.peak_gb, "precision": precision,
            "recall": recall, "f1": f1}


def splink_figures(data: Path, label: str) -> dict[str, float]:
    prep = prepare_splink(data)
    load = load_average()
    took, cpu = with_cpu(lambda: run_splink(data))
    truth = pl.read_parquet(data / "truth.parquet")
    pairs = splink_pairs(data)
    at_half = scores(pairs.filter(pl.col("match_probability") >= 0.5), truth)
    threshold, best = best_threshold(pairs, truth)
    print(f"Splink    {label}: {took.wall:8.2f} s（CPU {cpu:6.1f} s，开始时负载 {load:.1f}）   "
          f"峰值内存 {took.peak_gb:5.2f} GB   "
          f"P {at_half[0]:.4f}  R {at_half[1]:.4f}  F1 {at_half[2]:.4f} (概率≥0.5)；"
          f"最佳阈值 {threshold} 时 F1 {best[2]:.4f}；字段准备另用 {prep.wall:.1f} s", flush=True)
    return {"wall": took.wall, "cpu": cpu, "load": load, "peak_gb": took.peak_gb, "prep": prep.wall,
            "precision": at_half[0],
            "recall": at_half[1], "f1": at_half[2], "best_threshold": threshold, "best_f1": best[2]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--blacklist", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--splink-subjects", type=int, default=None,
                        help="run Splink (and Fundwatch again) on a sample of this many subjects")
    parser.add_argument("--no-splink", action="store_true", help="only Fundwatch")
    args = parser.parse_args()

    root = Path("var/bench") / f"link_{args.subjects}_{args.blacklist}_{args.seed}"
    data = ensure_data(root, args.subjects, args.blacklist, args.seed)
    truth = pl.read_parquet(data / "truth.parquet")
    print(f"\n== 关联基准 (issue 5): {args.subjects:,} 户 × {args.blacklist:,} 条黑名单，"
          f"其中 {truth.height:,} 个主体换名/迁址/换人后重新出现 ==", flush=True)
    figures: dict[str, object] = {"subjects": args.subjects, "blacklist": args.blacklist,
                                  "fundwatch": fundwatch_figures(data, f"{args.subjects:,} 户")}
    if not args.no_splink:
        size = args.splink_subjects
        same_data = data if size is None or size >= args.subjects else sample(data, root / f"sample_{size}", size,
                                                                                args.seed)
        label = f"{(size or args.subjects):,} 户"
        if same_data != data:
            print(f"（Splink 在 {size:,} 户样本上运行；Fundwatch 在同一样本上再跑一次以便对比）", flush=True)
            figures["fundwatch_sample"] = fundwatch_figures(same_data, label)
        figures["splink"] = splink_figures(same_data, label)
    fund = figures["fundwatch"]
    assert isinstance(fund, dict)
    verdict = {True: "达标", False: "未达标"}
    print(f"Fundwatch 用时 {fund['wall']:.1f} s，目标 ≤ {TIME_TARGET:.0f} s：{verdict[fund['wall'] <= TIME_TARGET]}")
    (root / "figures.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"数据与结果：{root}")


if __name__ == "__main__":
    main()
