"""Every typology with a statement that meets it and statements that just miss it.

Counts and amounts are read from the packaged funds.yaml, so a locality that
moves a threshold moves these tests with it.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

from fundwatch.funds import load_funds_config, scan
from fundwatch.funds.config import FundsConfig
from fundwatch.funds.typologies import RULES, explanation

from .factory import COMPANY, COMPANY_ACCOUNT, IN, OUT, PERSON, PERSON_ACCOUNT, START, Statement, months, odd, person

CONFIG = load_funds_config()


def param(typology: str, name: str) -> int:
    return int(CONFIG.typologies[typology][name])


def found(statement: Statement, typology: str, *, config: FundsConfig = CONFIG, **kwargs: object) -> pl.DataFrame:
    warnings = scan(statement.frame(), config, **kwargs).warnings  # type: ignore[arg-type]
    return warnings.filter(pl.col("typology") == typology)


# ---- 吸收公众资金 ----------------------------------------------------------------

def test_public_deposits_many_small_payers_into_a_company() -> None:
    n = param("public_deposits", "min_payers")
    statement = Statement().people_pay(n, [odd(i) for i in range(n)])
    hits = found(statement, "public_deposits")
    assert hits["account"].to_list() == [COMPANY_ACCOUNT]
    assert hits["counterparties"].item() == n
    assert hits["lines"].to_list() == [list(range(2, n + 2))]
    assert f"{n}名个人转入{n}笔" in hits["evidence"].item()
    assert "万元" in hits["evidence"].item() and "样例第 2、3、4、5、6 行" in hits["evidence"].item()


@pytest.mark.parametrize("case", ["one payer fewer", "into a person's account", "large sums", "mostly companies",
                                  "a bank's own account"])
def test_public_deposits_misses(case: str) -> None:
    n = param("public_deposits", "min_payers")
    big = param("public_deposits", "max_median") + 1
    statement = Statement()
    accounts = None
    if case == "one payer fewer":
        statement.people_pay(n - 1, 12_345)
    elif case == "into a person's account":
        statement.people_pay(n, 12_345, account=PERSON_ACCOUNT, holder=PERSON)
    elif case == "large sums":
        statement.people_pay(n, float(big))
    elif case == "mostly companies":
        statement.people_pay(n, 12_345)
        statement.add(COMPANY_ACCOUNT, COMPANY, "西双版纳某茶业有限公司", 12_345 * n * 3, IN, START)
    else:
        statement.people_pay(n, 12_345)
        accounts = pl.DataFrame({"account": [COMPANY_ACCOUNT], "subject_key": ["X"], "kind": ["financial"]})
    assert found(statement, "public_deposits", accounts=accounts).is_empty()


# ---- 整数金额、重复出资 ------------------------------------------------------------

def _repeat_payers(n: int, amount: float, times: int) -> Statement:
    statement = Statement()
    for k in range(times):
        statement.people_pay(n, amount, start=START + timedelta(days=30 * k))
    return statement


def test_round_repeat_people_paying_the_same_round_sum_again() -> None:
    n, times = param("round_repeat", "min_payers"), param("round_repeat", "min_payments")
    hits = found(_repeat_payers(n, 20_000, times), "round_repeat")
    assert hits["account"].to_list() == [COMPANY_ACCOUNT]
    assert hits["transactions"].item() == n * times
    assert "最常见金额20000元" in hits["evidence"].item()


@pytest.mark.parametrize(("payers", "amount", "times"), [(-1, 20_000, 0), (0, 20_013, 0), (0, 20_000, -1)],
                         ids=["one payer fewer", "odd sums", "paid once"])
def test_round_repeat_misses(payers: int, amount: float, times: int) -> None:
    n, repeat = param("round_repeat", "min_payers"), param("round_repeat", "min_payments")
    assert found(_repeat_payers(n + payers, amount, repeat + times), "round_repeat").is_empty()


# ---- 返本付息 ----------------------------------------------------------------

def _payouts(payees: int, *, invested: bool = True, vary: bool = False, payouts: int = 4) -> Statement:
    statement = Statement()
    if invested:
        statement.people_pay(payees, 100_000, every=timedelta(hours=1))
    for k, when in enumerate(months(payouts, START + timedelta(days=31))):
        for i in range(payees):
            name, card = person(i)
            amount = 2_000 + (300 * k if vary else 0)
            statement.add(COMPANY_ACCOUNT, COMPANY, name, amount, OUT, when + timedelta(minutes=i), cp_account=card)
    return statement


def test_fixed_payouts_fixed_monthly_sums_to_earlier_payers() -> None:
    n = param("fixed_payouts", "min_payees")
    hits = found(_payouts(n), "fixed_payouts")
    assert hits["account"].to_list() == [COMPANY_ACCOUNT]
    assert hits["transactions"].item() == 4 * n
    assert "每期约为本金的2.0%" in hits["evidence"].item()


@pytest.mark.parametrize("case", ["salaries", "varying sums", "one payout", "one payee fewer"])
def test_fixed_payouts_misses(case: str) -> None:
    n = param("fixed_payouts", "min_payees")
    statement = {
        "salaries": lambda: _payouts(n, invested=False),
        "varying sums": lambda: _payouts(n, vary=True),
        "one payout": lambda: _payouts(n, payouts=1),
        "one payee fewer": lambda: _payouts(n - 1),
    }[case]()
    assert found(statement, "fixed_payouts").is_empty()


# ---- 出资人数快速增长 ------------------------------------------------------------

def _monthly_new_payers(counts: list[int]) -> Statement:
    statement = Statement()
    first = 0
    for count, month in zip(counts, months(len(counts)), strict=True):
        statement.people_pay(count, [odd(i, 5_000) for i in range(count)], first=first, start=month,
                             every=timedelta(hours=5))
        first += count
    return statement


def test_payer_growth_new_payers_doubling_month_on_month() -> None:
    base = param("payer_growth", "min_first")
    counts = [base * 2**k for k in range(param("payer_growth", "min_steps") + 1)]
    assert counts[-1] >= param("payer_growth", "min_last")
    hits = found(_monthly_new_payers(counts), "payer_growth")
    assert hits["account"].to_list() == [COMPANY_ACCOUNT]
    assert "、".join(map(str, counts)) in hits["evidence"].item()
    assert hits["counterparties"].item() == sum(counts)


@pytest.mark.parametrize("counts", [[12, 12, 12, 12], [4, 8, 7, 16, 20], [1, 2, 4, 8, 16], [8, 8, 8, 3, 5, 8, 13]],
                         ids=["flat", "a dip breaks the run", "from a single payer", "recovery from a dip"])
def test_payer_growth_misses(counts: list[int]) -> None:
    assert found(_monthly_new_payers(counts), "payer_growth").is_empty()


# ---- 归集资金转入个人账户或取现 ------------------------------------------------------

def _pooled(recipients: int, *, account: str = COMPANY_ACCOUNT, holder: str = COMPANY, scale: float = 1.0) -> Statement:
    statement = Statement()
    statement.add(account, holder, "景洪某商贸有限公司", 2_000_000 * scale, IN, START, cp_account="5300001")
    for k in range(12):
        name, card = person(k % recipients)
        statement.add(account, holder, name, 100_000 * scale, OUT, START + timedelta(days=10 + k), cp_account=card)
    statement.add(account, holder, None, 300_000 * scale, OUT, START + timedelta(days=40), memo="现金支取",
                  channel="柜面")
    statement.add(account, holder, "勐海某建材有限公司", 500_000 * scale, OUT, START + timedelta(days=50),
                  cp_account="5300002")
    return statement


def test_pool_to_controllers_money_out_to_two_people_and_cash() -> None:
    hits = found(_pooled(2), "pool_to_controllers")
    assert hits["account"].to_list() == [COMPANY_ACCOUNT]
    evidence = hits["evidence"].item()
    assert "提取现金30.00万元" in evidence and f"{person(0)[0]}60.00万元" in evidence
    assert hits["amount"].item() == 1_500_000


@pytest.mark.parametrize("case", ["spread over staff", "a person's own account", "small sums"])
def test_pool_to_controllers_misses(case: str) -> None:
    statement = {
        "spread over staff": lambda: _pooled(12),
        "a person's own account": lambda: _pooled(2, account=PERSON_ACCOUNT, holder=PERSON),
        "small sums": lambda: _pooled(2, scale=0.2),
    }[case]()
    assert found(statement, "pool_to_controllers").is_empty()


# ---- 资金池/过渡账户 -------------------------------------------------------------

def _through(hold: timedelta, *, share_out: float = 0.999, balances: bool = True) -> Statement:
    statement = Statement()
    balance = 1_000.0
    for k in range(40):
        arrive = START + timedelta(days=7 * k)
        balance += 100_000
        statement.add(PERSON_ACCOUNT, PERSON, "景洪某商贸有限公司", 100_000, IN, arrive, cp_account="5300001",
                      balance=balance if balances else None)
        balance -= 100_000 * share_out
        statement.add(PERSON_ACCOUNT, PERSON, "勐海某建材有限公司", 100_000 * share_out, OUT, arrive + hold,
                      cp_account="5300002", balance=balance if balances else None)
    return statement


@pytest.mark.parametrize("balances", [True, False], ids=["bank balances", "balances estimated"])
def test_pass_through_money_in_and_out_within_hours(balances: bool) -> None:
    hits = found(_through(timedelta(hours=3), balances=balances), "pass_through")
    assert hits["account"].to_list() == [PERSON_ACCOUNT]
    assert "转出为转入的100%" in hits["evidence"].item()
    assert hits["transactions"].item() == 80


@pytest.mark.parametrize(("hold", "share_out"), [(timedelta(days=6), 0.999), (timedelta(hours=3), 0.5)],
                         ids=["money stays days", "half stays"])
def test_pass_through_misses(hold: timedelta, share_out: float) -> None:
    assert found(_through(hold, share_out=share_out), "pass_through").is_empty()


# ---- 摘要含投资理财字样 -------------------------------------------------------------

def test_memo_words_investment_memos_from_many_people() -> None:
    n = param("memo_words", "min_transactions")
    people = param("memo_words", "min_counterparties")
    statement = Statement()
    for k in range(n):
        name, card = person(k % people)
        statement.add(COMPANY_ACCOUNT, COMPANY, name, odd(k), IN, START + timedelta(days=k), cp_account=card,
                      memo="认购款" if k % 2 else "投资款")
    hits = found(statement, "memo_words")
    assert hits["transactions"].item() == n
    assert f"“投资”{(n + 1) // 2}笔" in hits["evidence"].item() and "“认购”" in hits["evidence"].item()


@pytest.mark.parametrize("case", ["the bank's own products", "interest booked by the bank", "too few people"])
def test_memo_words_misses(case: str) -> None:
    n = param("memo_words", "min_transactions")
    people = param("memo_words", "min_counterparties")
    statement = Statement()
    for k in range(n):
        name, card = person(k % (people - 1 if case == "too few people" else people))
        counterparty, memo = (name, "投资款")
        if case == "the bank's own products":
            counterparty, memo = "中国农业银行勐海县支行", "理财产品购买"
        elif case == "interest booked by the bank":
            memo = "结息"
        statement.add(COMPANY_ACCOUNT, COMPANY, counterparty, odd(k), IN, START + timedelta(days=k), cp_account=card,
                      memo=memo)
    assert found(statement, "memo_words").is_empty()


# ---- 与已有线索主体资金往来 ----------------------------------------------------------

LEAD = "勐海金象财富管理有限公司"
LEAD_ACCOUNT = "530501999"
LEAD_KEY = "91532822MA6K00001X"


def _with_lead(times: int, amount: float) -> Statement:
    statement = Statement()
    for k in range(times):
        statement.add(PERSON_ACCOUNT, PERSON, LEAD, amount, OUT if k % 2 else IN, START + timedelta(days=k),
                      cp_account=LEAD_ACCOUNT)
    return statement


@pytest.mark.parametrize("how", ["account", "subject key", "name"])
def test_lead_links_money_with_a_subject_in_the_leads(how: str) -> None:
    n = param("lead_links", "min_transactions")
    accounts = pl.DataFrame({"account": [LEAD_ACCOUNT], "subject_key": [LEAD_KEY], "kind": ["company"]})
    leads = {"account": [LEAD_ACCOUNT], "subject key": [LEAD_KEY], "name": [LEAD]}[how]
    hits = found(_with_lead(n, 5_000), "lead_links", accounts=accounts, leads=leads)
    assert hits["account"].to_list() == [PERSON_ACCOUNT]
    assert LEAD in hits["evidence"].item()


def test_lead_links_one_large_transfer_is_enough() -> None:
    hits = found(_with_lead(1, param("lead_links", "min_amount")), "lead_links", leads=[LEAD])
    assert hits.height == 1


@pytest.mark.parametrize("leads", [[LEAD], []], ids=["small and few", "no leads"])
def test_lead_links_misses(leads: list[str]) -> None:
    small = param("lead_links", "min_amount") / 10
    assert found(_with_lead(param("lead_links", "min_transactions") - 1, small), "lead_links", leads=leads).is_empty()


# ---- the rules themselves ------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(RULES))
def test_every_rule_explains_itself_in_one_chinese_sentence(name: str) -> None:
    sentence = explanation(name)
    assert sentence.endswith("。")
    assert sum("\u4e00" <= c <= "\u9fff" for c in sentence) >= 10
