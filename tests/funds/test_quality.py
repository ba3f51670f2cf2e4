"""Generated statements with planted typologies: the engine finds them (recall) and little else (precision)."""

from __future__ import annotations

import polars as pl
import pytest

from fundwatch.demo.transactions import TransactionsDemo, generate_transactions
from fundwatch.funds import TYPOLOGIES, load_funds_config, scan

ROWS = 100_000


@pytest.fixture(scope="module")
def demo() -> TransactionsDemo:
    return generate_transactions(ROWS, seed=11, risky=120)


@pytest.fixture(scope="module")
def found(demo: TransactionsDemo) -> pl.DataFrame:
    leads = demo.leads["subject_key"].to_list() + demo.leads["name"].to_list()
    return scan(demo.transactions, load_funds_config(), accounts=demo.accounts, leads=leads).warnings


@pytest.mark.parametrize("typology", TYPOLOGIES)
def test_precision_and_recall_per_typology(demo: TransactionsDemo, found: pl.DataFrame, typology: str) -> None:
    planted = set(demo.truth.filter(pl.col("typology") == typology)["account"])
    flagged = set(found.filter(pl.col("typology") == typology)["account"])
    hits = len(planted & flagged)
    assert len(planted) >= 10
    assert hits / len(planted) >= 0.9, f"recall {hits}/{len(planted)}; missed {sorted(planted - flagged)[:5]}"
    assert hits / len(flagged) >= 0.9, f"precision {hits}/{len(flagged)}; extra {sorted(flagged - planted)[:5]}"


def test_clean_accounts_stay_almost_clean(demo: TransactionsDemo, found: pl.DataFrame) -> None:
    clean = set(demo.accounts["account"]) - set(demo.truth["account"])
    assert len(clean) > 200
    assert len(clean & set(found["account"])) <= 0.02 * len(clean)


def test_statement_lines_balances_and_size(demo: TransactionsDemo) -> None:
    frame = demo.transactions
    assert frame.height == ROWS
    assert frame["line"].to_list() == list(range(2, ROWS + 2))
    assert (frame["balance"] >= 0).all() and (frame["amount"] > 0).all()
    assert frame.select(pl.col("time").is_sorted().over("account").all()).item()
    assert set(frame["account"]) == set(demo.accounts["account"])


def test_ordinary_business_is_there(demo: TransactionsDemo) -> None:
    memos = set(demo.transactions["memo"].drop_nulls())
    for memo in ("工资", "货款", "电费", "增值税", "贷款利息", "商户结算", "取现", "结息", "房贷还款"):
        assert memo in memos
    kinds = demo.accounts["kind"].value_counts()
    assert set(kinds["kind"]) == {"company", "individual"}


def test_same_seed_same_county() -> None:
    first = generate_transactions(5_000, seed=5, risky=10)
    second = generate_transactions(5_000, seed=5, risky=10)
    assert first.transactions.equals(second.transactions) and first.truth.equals(second.truth)
    assert not first.transactions.equals(generate_transactions(5_000, seed=6, risky=10).transactions)


def test_registry_subjects_hold_the_accounts_and_the_risky_ones_the_schemes() -> None:
    subjects = pl.DataFrame({
        "subject_key": [f"91532822MA6K{i:04d}X" for i in range(300)],
        "name": [f"勐海测试{i}号茶业有限公司" for i in range(300)],
        "label": [1 if i % 10 == 0 else 0 for i in range(300)],
    })
    demo = generate_transactions(20_000, seed=8, risky=12, subjects=subjects)
    holders = demo.accounts.join(subjects, on="subject_key")
    assert holders.height == demo.accounts.filter(pl.col("kind") == "company").height
    assert (holders["name"] == holders["name_right"]).all()
    planted = holders.join(demo.truth.select("account").unique(), on="account")
    assert planted.height > 0 and (planted["label"] == 1).all()
