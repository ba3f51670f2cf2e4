"""The scan on transactions of a generated county's own subjects (the path `fundwatch funds` takes).

A regression guard: with the demo county's subjects the pass-through typology's findings
arrive in several chunks, which made polars' string formatting panic before the rechunk
in `scan`.
"""

import polars as pl

from fundwatch.demo import generate_county
from fundwatch.demo.transactions import generate_transactions
from fundwatch.funds import load_funds_config, scan


def test_scan_of_a_generated_countys_transactions_explains_every_warning() -> None:
    county = generate_county(5000, 42)
    registry = county.registry.rename({"统一社会信用代码": "subject_key", "企业名称": "name"})
    subjects = registry.join(county.truth, on="subject_key").select(
        "subject_key", "name", pl.col("label").cast(pl.Int8))
    demo = generate_transactions(50_000, 5, subjects=subjects)
    result = scan(demo.transactions, load_funds_config(), accounts=demo.accounts)
    assert result.warnings.height > 0
    assert result.warnings["typology"].n_unique() >= 3
    assert result.warnings["evidence"].str.contains("；时间 ").all()
