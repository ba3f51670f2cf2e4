"""The scan as a whole: the warnings frame, subjects and the funds dimension, scores, lazy input."""

from __future__ import annotations

import polars as pl

from fundwatch.frames import HITS_SCHEMA
from fundwatch.funds import SUBJECT_FUNDS_SCHEMA, WARNINGS_SCHEMA, as_hits, funds_dimension, load_funds_config, scan

from .factory import COMPANY, COMPANY_ACCOUNT, START, Statement, odd, person

CONFIG = load_funds_config()
KEY = "91532822MA6K00001X"


def _scheme(payers: int) -> Statement:
    """Public deposit-taking with investment memos: two typologies on one account."""
    statement = Statement().people_pay(payers, [odd(i) for i in range(payers)], memo="投资款")
    return statement


def test_warnings_carry_subject_holder_and_the_schema() -> None:
    accounts = pl.DataFrame({"account": [COMPANY_ACCOUNT], "subject_key": [KEY], "kind": [None]})
    result = scan(_scheme(60).frame(), CONFIG, accounts=accounts)
    warnings = result.warnings
    assert warnings.schema == pl.Schema(WARNINGS_SCHEMA)
    assert sorted(warnings["typology"]) == ["memo_words", "public_deposits"]
    assert set(warnings["subject_key"]) == {KEY} and set(warnings["holder"]) == {COMPANY}
    assert warnings["score"].to_list() == sorted(warnings["score"], reverse=True)
    assert (result.scanned, result.accounts) == (60, 1)


def test_funds_dimension_adds_warnings_without_passing_100() -> None:
    accounts = pl.DataFrame({"account": [COMPANY_ACCOUNT], "subject_key": [KEY], "kind": [None]})
    result = scan(_scheme(60).frame(), CONFIG, accounts=accounts)
    scores = result.warnings["score"].to_list()
    expected = round(100 * (1 - (1 - scores[0] / 100) * (1 - scores[1] / 100)), 1)
    assert result.subjects.schema == pl.Schema(SUBJECT_FUNDS_SCHEMA)
    assert result.subjects.row(0, named=True)["dim_funds"] == expected
    assert max(scores) < expected <= 100
    assert "吸收公众资金" in result.subjects["typologies"].item()


def test_unmapped_accounts_warn_but_give_no_subject_row() -> None:
    result = scan(_scheme(60).frame(), CONFIG)
    assert result.warnings.height == 2 and result.warnings["subject_key"].is_null().all()
    assert funds_dimension(result.warnings).is_empty()


def test_score_rises_with_the_measure_within_its_scale() -> None:
    scale = CONFIG.typologies["public_deposits"].score
    threshold = int(CONFIG.typologies["public_deposits"]["min_payers"])
    scores = []
    for payers in (threshold, 2 * threshold, int(scale.full) * 2):
        warnings = scan(Statement().people_pay(payers, 12_345).frame(), CONFIG).warnings
        scores.append(warnings.filter(pl.col("typology") == "public_deposits")["score"].item())
    assert scores[0] == scale.at_threshold
    assert scale.at_threshold < scores[1] < scale.at_full
    assert scores[2] == scale.at_full


def test_lazy_and_eager_input_give_the_same_warnings() -> None:
    frame = _scheme(55).frame()
    assert scan(frame.lazy(), CONFIG).warnings.equals(scan(frame, CONFIG).warnings)


def test_accounts_file_kind_overrides_the_name() -> None:
    # A person's name on a company's account (a front): the accounts file says company.
    name, card = person(999)
    statement = Statement().people_pay(60, 12_345, account=card, holder=name)
    assert scan(statement.frame(), CONFIG).warnings.filter(pl.col("typology") == "public_deposits").is_empty()
    accounts = pl.DataFrame({"account": [card], "subject_key": [KEY], "kind": ["company"]})
    warnings = scan(statement.frame(), CONFIG, accounts=accounts).warnings
    assert warnings.filter(pl.col("typology") == "public_deposits").height == 1


def test_money_in_evidence_is_exact_in_wan_yuan() -> None:
    statement = Statement().people_pay(60, 12_345.67)  # 60 × 12,345.67 = 740,740.20 元
    evidence = scan(statement.frame(), CONFIG).warnings["evidence"].item()
    assert "合计74.07万元" in evidence
    assert START.strftime("%Y-%m-%d") in evidence


def test_warnings_as_screening_hits() -> None:
    accounts = pl.DataFrame({"account": [COMPANY_ACCOUNT], "subject_key": [KEY], "kind": [None]})
    warnings = scan(_scheme(60).frame(), CONFIG, accounts=accounts).warnings
    hits = as_hits(warnings)
    assert hits.schema == pl.Schema(HITS_SCHEMA)
    assert sorted(hits["rule"]) == ["funds_memo_words", "funds_public_deposits"]
    assert set(hits["dimension"]) == {"funds"} and hits["points"].to_list() == warnings["score"].to_list()
    assert hits["source_line"].to_list() == [2, 2]
    assert as_hits(warnings.with_columns(pl.lit(None, pl.String).alias("subject_key"))).is_empty()
