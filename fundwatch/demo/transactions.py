"""Bank statements of a Menghai-like county, with planted fundraising typologies and their truth.

`generate_transactions(rows, seed)` makes a year (2025) of statement lines for
the accounts of companies and people: sales and purchases, salaries paid in
batches, card takings settled by payment institutions, tax, power and water,
bank loans and their interest, dividends, family transfers, spending and cash
withdrawals. Some accounts get planted schemes, each a set of typologies
(`fundwatch.funds.schema.TYPOLOGIES`), and the truth lists (account, typology).
Every family of transactions is drawn for all accounts at once with numpy, so
ten million rows take well under a minute.

Planted behaviours are additive and kept apart where a typology could imply
another by accident: a scheme that is not public deposit-taking has fewer
than 50 individual payers, payouts are fixed only where 返本付息 is planted,
and only pass-through accounts keep their money for hours instead of weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl

from fundwatch.domain.uscc import make_uscc
from fundwatch.frames import LINE
from fundwatch.funds.schema import IN, OUT, TRANSACTIONS_SCHEMA

START = datetime(2025, 1, 1)
DAYS = 365
START_US = int((START - datetime(1970, 1, 1)).total_seconds()) * 1_000_000
DAY = 86_400
MONTH_START = np.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30])
AVERAGE_ROWS = 280  # statement lines per account on average, to size the county for a row count

# Kinds of counterparty, and where their names come from.
PERSON, COMPANY, INSTITUTION, CASH, MONITORED, OUTFIT = range(6)

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆鹏辉晨欣雪琳婷颖倩梅"
    "林云海波亮建国文志永春荣昌祥德福康宁安佳怡思瑶晓东南"
)
DAI_GIVEN = list("温罕香应光叫坎腊砍帕南旺拉丙囡胆庄喊扁嫩燕保三四")
PLACES = ["勐海", "西双版纳", "景洪", "普洱", "云南", "勐遮", "打洛", "勐混", "昆明", "勐阿"]
BRANDS = list("茶韵古树金象雨林澜沧孔雀普洱山泉勐龙佤傣祥瑞鑫源恒达丰泰宏盛佳和诚信博远通顺兴隆天润绿野云岭")
TRADES = ["茶业", "商贸", "农业科技", "建材", "旅游开发", "餐饮管理", "物流", "酒店管理", "电子科技", "橡胶制品",
          "信息咨询", "投资咨询", "文化传媒", "生物科技", "种植", "建筑工程", "汽车服务", "食品"]
FORMS = ["有限公司", "有限责任公司"]
# Outfits already in the leads: their trades never occur in TRADES, so no ordinary company shares a name.
OUTFIT_TRADES = ["财富管理有限公司", "投资管理有限公司", "资产管理有限公司", "养老服务有限公司", "农业专业合作社",
                 "电子商务有限公司", "供应链管理有限公司"]
BANKS = ["中国农业银行勐海县支行", "中国工商银行勐海支行", "中国建设银行勐海支行", "勐海县农村信用合作联社",
         "富滇银行西双版纳分行", "中国邮政储蓄银行勐海县支行", "中国银行勐海支行", "云南红塔银行景洪分行"]
# Fixed counterparties: payment institutions, the treasury, utilities.
INSTITUTIONS = [
    ("银联商务股份有限公司", "3100010019000000001", "中国工商银行上海分行"),
    ("财付通支付科技有限公司", "4403010019000000002", "招商银行深圳分行"),
    ("支付宝（中国）网络技术有限公司", "3301010019000000003", "中国建设银行杭州分行"),
    ("国家金库勐海县支库", "2532822000000000004", "中国人民银行勐海县支行"),
    ("云南电网有限责任公司西双版纳供电局", "5305010019000000005", "中国工商银行景洪分行"),
    ("勐海县自来水有限公司", "5305010019000000006", "勐海县农村信用合作联社"),
    *((name, f"88{i:017d}", name) for i, name in enumerate(BANKS, start=7)),
]
UNIONPAY, TENPAY, ALIPAY, TREASURY, POWER, WATER = range(6)
FIRST_BANK = 6
CHANNELS = ["网银", "手机银行", "柜面", "ATM", "批量代发", "POS", "第三方支付"]
NET, MOBILE, COUNTER, ATM, BATCH, POS, THIRD = range(len(CHANNELS))

# Planted schemes: the typologies each risky account gets. Payer-adding plants
# (round_repeat, fixed_payouts, payer_growth, memo_words) are combined only with
# public_deposits, so that a scheme without it stays under its payer threshold.
SCHEMES: list[tuple[str, ...]] = [
    ("public_deposits",), ("round_repeat",), ("fixed_payouts",), ("payer_growth",), ("pool_to_controllers",),
    ("pass_through",), ("memo_words",), ("lead_links",), ("pass_through",), ("lead_links",), ("round_repeat",),
    ("fixed_payouts",), ("payer_growth",), ("memo_words",), ("pass_through",),
    ("public_deposits", "pool_to_controllers"), ("public_deposits", "fixed_payouts"),
    ("public_deposits", "memo_words"), ("public_deposits", "payer_growth"),
    ("public_deposits", "fixed_payouts", "memo_words", "pool_to_controllers"), ("round_repeat", "pool_to_controllers"),
    ("payer_growth", "pool_to_controllers"), ("memo_words", "lead_links"), ("pool_to_controllers", "lead_links"),
]
COMPANY_ONLY = {"public_deposits", "pool_to_controllers"}


@dataclass
class TransactionsDemo:
    transactions: pl.DataFrame  # TRANSACTIONS_SCHEMA, ordered by account and time; line = file line
    accounts: pl.DataFrame  # account, subject_key, kind (company | individual), name
    leads: pl.DataFrame  # subject_key, name: subjects already in leads
    truth: pl.DataFrame  # account, typology: what was planted


@dataclass
class _Flows:
    """Transactions as parallel numpy arrays, gathered block by block; memos as ids into `vocabulary`."""

    blocks: list[dict[str, np.ndarray]] = field(default_factory=list)
    vocabulary: dict[str, int] = field(default_factory=dict)

    def add(
        self, acc: np.ndarray, t: np.ndarray, cents: np.ndarray, inflow: bool | np.ndarray, kind: int | np.ndarray,
        cp: np.ndarray, memos: list[str], choice: np.ndarray | None, channel: int | np.ndarray,
    ) -> None:
        """One family of transactions; row i has memo `memos[choice[i]]` (the first when `choice` is None)."""
        n = len(acc)
        if n == 0:
            return
        ids = np.array([self.vocabulary.setdefault(m, len(self.vocabulary)) for m in memos], dtype=np.int32)
        self.blocks.append({
            "acc": acc.astype(np.int64), "t": t.astype(np.int64), "cents": np.maximum(cents.astype(np.int64), 1),
            "inflow": np.broadcast_to(np.asarray(inflow, dtype=bool), (n,)).copy(),
            "kind": np.broadcast_to(np.asarray(kind, dtype=np.int8), (n,)).copy(), "cp": cp.astype(np.int64),
            "memo": ids[choice] if choice is not None else np.full(n, ids[0]),
            "channel": np.broadcast_to(np.asarray(channel, dtype=np.int8), (n,)).copy(),
        })

    def totals(self, n: int, *, inflow: bool) -> np.ndarray:
        """Money in (or out) so far per account, in fen."""
        total = np.zeros(n)
        for block in self.blocks:
            chosen = block["inflow"] == inflow
            total += np.bincount(block["acc"][chosen], weights=block["cents"][chosen], minlength=n)
        return total

    def frame(self) -> pl.DataFrame:
        columns = {k: np.concatenate([b[k] for b in self.blocks]) for k in self.blocks[0]}
        return pl.DataFrame(columns)

    def memos(self) -> pl.Series:
        """Memo text by id; the empty memo is null."""
        words = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return pl.Series("memo", [w or None for w in words], dtype=pl.String)


class _County:
    """The accounts and the draws of one generation."""

    def __init__(self, n_accounts: int, seed: int, subjects: pl.DataFrame | None) -> None:
        self.rng = np.random.default_rng(seed)
        self.n = n_accounts
        self.persons = max(20_000, n_accounts * 60)
        self.companies = max(5_000, n_accounts * 5)
        rng = self.rng
        self.is_company = rng.random(n_accounts) < 0.6
        self.size = np.exp(rng.normal(0, 0.6, n_accounts))
        self.retail = self.is_company & (rng.random(n_accounts) < 0.25)
        self.background = np.ones(n_accounts, dtype=bool)
        self.risky = np.zeros(n_accounts, dtype=bool)
        self.subjects = subjects
        self.flows = _Flows()

    # ---- draws -------------------------------------------------------------

    def times(self, n: int, lo_day: np.ndarray | int = 0, hi_day: np.ndarray | int = DAYS) -> np.ndarray:
        days = self.rng.integers(lo_day, hi_day, n)
        return days * DAY + self.rng.integers(8 * 3600, 20 * 3600, n)

    def monthly(self, acc: np.ndarray, day: np.ndarray, months: int = 12) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each account in `acc` once a month on its `day` (0-based day of month): (acc, time, month)."""
        reps = np.repeat(acc, months)
        month = np.tile(np.arange(months), len(acc))
        t = (MONTH_START[month] + np.repeat(day, months)) * DAY + self.rng.integers(9 * 3600, 17 * 3600, len(reps))
        return reps, t, month

    def lognormal(self, median: np.ndarray | float, sigma: float, n: int) -> np.ndarray:
        return np.round(np.asarray(median) * np.exp(self.rng.normal(0, sigma, n)) * 100)

    def pick(self, n: int, k: int) -> np.ndarray:
        return self.rng.integers(0, k, n)

    def per(self, accounts: np.ndarray, rate: np.ndarray | float) -> np.ndarray:
        """Accounts repeated by a Poisson count each (rate per account)."""
        return np.repeat(accounts, self.rng.poisson(np.broadcast_to(rate, accounts.shape)))


def _non_round(cents: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whole 元 amounts that are not multiples of 100 元: people type odd sums when they pay for goods."""
    yuan = cents // 100
    yuan = np.where(yuan % 100 == 0, yuan + rng.integers(1, 99, len(yuan)), yuan)
    return yuan * 100


# ---- background --------------------------------------------------------------


def _company_background(c: _County) -> None:
    rng, f = c.rng, c.flows
    firms = np.flatnonzero(c.is_company & c.background)
    size = c.size
    acc = c.per(firms, 45 * size[firms])
    customers = (acc * 7919 + c.pick(len(acc), 25)) % c.companies
    f.add(acc, c.times(len(acc)), c.lognormal(20_000 * np.sqrt(size[acc]), 0.8, len(acc)), True, COMPANY, customers,
          ["货款", "服务费", "工程款", "销售款", "运输费"], c.pick(len(acc), 5), NET)
    acc = c.per(firms, 40 * size[firms])
    suppliers = (acc * 104_729 + c.pick(len(acc), 20)) % c.companies
    f.add(acc, c.times(len(acc)), c.lognormal(18_000 * np.sqrt(size[acc]), 0.8, len(acc)), False, COMPANY, suppliers,
          ["货款", "材料款", "采购款", "运费", "租金"], c.pick(len(acc), 5), NET)
    _salaries(c, firms)
    for institution, median, memos in ((TREASURY, 3_000.0, ["增值税", "企业所得税", "个人所得税"]),
                                       (POWER, 900.0, ["电费"]), (WATER, 200.0, ["水费"])):
        acc, t, _ = c.monthly(firms, c.pick(len(firms), 25))
        f.add(acc, t, c.lognormal(median * size[acc], 0.4, len(acc)), False, INSTITUTION,
              np.full(len(acc), institution), memos, c.pick(len(acc), len(memos)), NET)
    _bank_interest(c, firms)
    _loans(c, firms[rng.random(len(firms)) < 0.3])
    _dividends(c, firms[rng.random(len(firms)) < 0.2])
    _owner_draws(c, firms[rng.random(len(firms)) < 0.3])
    _retail(c, np.flatnonzero(c.retail & c.background))
    # Near misses, at most one per company: together they could make a real case.
    ordinary = firms[~c.risky[firms]]
    flavour = rng.random(len(ordinary))
    _wholesale(c, ordinary[flavour < 0.05])
    _private_loans(c, ordinary[(flavour >= 0.05) & (flavour < 0.09)])
    _new_shops(c, ordinary[(flavour >= 0.09) & (flavour < 0.12)])


def _salaries(c: _County, firms: np.ndarray) -> None:
    staff = c.rng.poisson(8 * c.size[firms]) + 2
    employer = np.repeat(firms, staff)
    person = c.pick(len(employer), c.persons)
    pay = np.round(4_500 * np.exp(c.rng.normal(0, 0.3, len(employer)))) * 100
    rows, t, _ = c.monthly(np.arange(len(employer)), np.full(len(employer), 9) + c.pick(len(employer), 3))
    c.flows.add(employer[rows], t, pay[rows], False, PERSON, person[rows], ["工资", "代发工资"],
                c.pick(len(rows), 2), BATCH)


def _bank_interest(c: _County, holders: np.ndarray) -> None:
    acc = np.repeat(holders, 4)
    quarter = np.tile(np.arange(4), len(holders))
    t = (MONTH_START[quarter * 3 + 2] + 20) * DAY + 3600
    c.flows.add(acc, t, c.lognormal(30.0 * c.size[acc], 0.5, len(acc)), True, INSTITUTION,
                FIRST_BANK + acc % len(BANKS), ["结息", "利息"], c.pick(len(acc), 2), COUNTER)


def _loans(c: _County, borrowers: np.ndarray) -> None:
    if len(borrowers) == 0:
        return
    f, rng = c.flows, c.rng
    bank = FIRST_BANK + borrowers % len(BANKS)
    principal = np.round(rng.uniform(5, 200, len(borrowers)) * np.sqrt(c.size[borrowers])) * 1_000_000
    start = c.pick(len(borrowers), 4)
    f.add(borrowers, MONTH_START[start] * DAY + 10 * 3600, principal, True, INSTITUTION, bank, ["贷款发放"], None,
          COUNTER)
    acc, t, month = c.monthly(np.arange(len(borrowers)), np.full(len(borrowers), 20))
    later = month > start[acc]
    acc, t = acc[later], t[later]
    f.add(borrowers[acc], t, np.round(principal[acc] * 0.0045), False, INSTITUTION, bank[acc], ["贷款利息"], None, NET)
    end = np.minimum(start + 6 + c.pick(len(borrowers), 6), 11)
    f.add(borrowers, MONTH_START[end] * DAY + 25 * DAY, principal, False, INSTITUTION, bank, ["归还贷款本金"], None,
          COUNTER)


def _dividends(c: _County, firms: np.ndarray) -> None:
    owners = np.repeat(firms, c.pick(len(firms), 2) + 1)
    amount = np.round(c.rng.uniform(1, 20, len(owners)) * c.size[owners]) * 1_000_000
    c.flows.add(owners, c.times(len(owners), 90, 180), amount, False, PERSON, (owners * 31 + 7) % c.persons,
                ["分红", "股东分红"], c.pick(len(owners), 2), NET)


def _owner_draws(c: _County, firms: np.ndarray) -> None:
    acc = c.per(firms, 3.0)
    c.flows.add(acc, c.times(len(acc)), c.lognormal(10_000.0, 0.6, len(acc)), False, PERSON, (acc * 31 + 7) % c.persons,
                ["备用金", "报销款", "借款"], c.pick(len(acc), 3), MOBILE)
    acc = c.per(firms, 2.0)
    c.flows.add(acc, c.times(len(acc)), np.round(c.rng.uniform(2, 20, len(acc))) * 100_000, False, CASH,
                np.zeros(len(acc)), ["现金支取"], None, COUNTER)


def _retail(c: _County, shops: np.ndarray) -> None:
    f = c.flows
    acc = np.repeat(shops, 300)
    settler = np.where(c.rng.random(len(acc)) < 0.5, UNIONPAY, TENPAY)
    f.add(acc, c.times(len(acc)), c.lognormal(2_500 * c.size[acc], 0.6, len(acc)), True, INSTITUTION, settler,
          ["商户结算", "POS结算款"], c.pick(len(acc), 2), NET)
    acc = c.per(shops, 40.0)
    f.add(acc, c.times(len(acc)), _non_round(c.lognormal(150.0, 0.9, len(acc)), c.rng), True, PERSON,
          c.pick(len(acc), c.persons), ["转账", "茶叶款", "货款"], c.pick(len(acc), 3), MOBILE)


def _wholesale(c: _County, firms: np.ndarray) -> None:
    """Tea sold to 10-35 private buyers by transfer: many people, but fewer than public deposit-taking needs."""
    acc = np.repeat(firms, c.rng.integers(10, 36, len(firms)))
    c.flows.add(acc, c.times(len(acc)), _non_round(c.lognormal(3_000.0, 0.6, len(acc)), c.rng), True, PERSON,
                c.pick(len(acc), c.persons), ["茶叶款", "货款"], c.pick(len(acc), 2), MOBILE)


def _private_loans(c: _County, firms: np.ndarray) -> None:
    """2-4 people lend the company round sums and get fixed monthly interest: too few for 返本付息."""
    lenders = np.repeat(firms, c.rng.integers(2, 5, len(firms)))
    person = c.pick(len(lenders), c.persons)
    principal = (c.pick(len(lenders), 5) + 1) * 10_000_000
    c.flows.add(lenders, c.times(len(lenders), 0, 60), principal, True, PERSON, person, ["借款"], None, COUNTER)
    rows, t, month = c.monthly(np.arange(len(lenders)), np.full(len(lenders), 27))
    later = month >= 3
    rows, t = rows[later], t[later]
    c.flows.add(lenders[rows], t, principal[rows] // 100, False, PERSON, person[rows], ["借款利息"], None, NET)


def _new_shops(c: _County, firms: np.ndarray) -> None:
    """A new shop's buyers grow for two months only (2, 4, 7), short of a growth run."""
    start = c.rng.integers(0, 9, len(firms))
    for step, count in enumerate((2, 4, 7, 7)):
        acc = np.repeat(firms, count)
        month = np.repeat(start, count) + step
        hi = np.where(month < 11, MONTH_START[np.minimum(month + 1, 11)], DAYS)
        c.flows.add(acc, c.times(len(acc), MONTH_START[month], hi), _non_round(c.lognormal(2_000.0, 0.5, len(acc)),
                    c.rng), True, PERSON, c.pick(len(acc), c.persons), ["货款"], None, MOBILE)


def _landlords(c: _County, owners: np.ndarray) -> None:
    """2-4 tenants pay round rents every month: repeat round payers, but few (with family, still fewer than 8)."""
    tenant_owner = np.repeat(owners, c.rng.integers(2, 5, len(owners)))
    tenant = c.pick(len(tenant_owner), c.persons)
    rent = (c.pick(len(tenant_owner), 6) + 5) * 100_000
    rows, t, _ = c.monthly(np.arange(len(tenant_owner)), c.pick(len(tenant_owner), 5))
    c.flows.add(tenant_owner[rows], t, rent[rows], True, PERSON, tenant[rows], ["房租", "租金"], c.pick(len(rows), 2),
                MOBILE)


def _person_background(c: _County) -> None:
    f, rng = c.flows, c.rng
    people = np.flatnonzero(~c.is_company & c.background)
    employer = (people * 13 + 5) % c.companies
    pay = np.round(5_000 * np.exp(rng.normal(0, 0.4, len(people)))) * 100
    rows, t, _ = c.monthly(np.arange(len(people)), np.full(len(people), 9))
    f.add(people[rows], t, pay[rows], True, COMPANY, employer[rows], ["工资", "代发工资"], c.pick(len(rows), 2), BATCH)
    acc = c.per(people, 100.0)
    to_payment = rng.random(len(acc)) < 0.6
    f.add(acc, c.times(len(acc)), c.lognormal(120.0, 1.0, len(acc)), False,
          np.where(to_payment, INSTITUTION, COMPANY).astype(np.int8),
          np.where(to_payment, np.where(rng.random(len(acc)) < 0.5, TENPAY, ALIPAY), c.pick(len(acc), c.companies)),
          ["消费", "快捷支付", "网上支付"], c.pick(len(acc), 3), THIRD)
    _family(c, people)
    ordinary = people[~c.risky[people]]
    _landlords(c, ordinary[rng.random(len(ordinary)) < 0.05])
    acc = c.per(people, 6.0)
    f.add(acc, c.times(len(acc)), (c.pick(len(acc), 30) + 1) * 10_000, False, CASH, np.zeros(len(acc)),
          ["取现", "ATM取款"], c.pick(len(acc), 2), ATM)
    _bank_interest(c, people)
    mortgages = people[rng.random(len(people)) < 0.3]
    acc, t, _ = c.monthly(mortgages, np.full(len(mortgages), 19))
    f.add(acc, t, np.repeat(np.round(rng.uniform(1_000, 4_000, len(mortgages))) * 100, 12), False, INSTITUTION,
          FIRST_BANK + acc % len(BANKS), ["房贷还款", "贷款还款"], c.pick(len(acc), 2), NET)
    savers = people[rng.random(len(people)) < 0.2]
    acc = c.per(savers, 3.0)
    amount = (c.pick(len(acc), 10) + 1) * 1_000_000
    f.add(acc, c.times(len(acc), 0, 200), amount, False, INSTITUTION, FIRST_BANK + acc % len(BANKS),
          ["理财产品购买", "理财申购"], c.pick(len(acc), 2), MOBILE)
    f.add(acc, c.times(len(acc), 220, DAYS), np.round(amount * 1.02), True, INSTITUTION, FIRST_BANK + acc % len(BANKS),
          ["理财赎回", "理财收益"], c.pick(len(acc), 2), MOBILE)


def _family(c: _County, people: np.ndarray) -> None:
    relatives = c.pick(len(people), 3) + 1
    steps = np.array([200, 500, 1_000, 2_000, 3_000, 5_000]) * 100
    for inflow in (True, False):
        acc = c.per(people, 6.0)
        relative = (acc * 977 + c.pick(len(acc), 3) % relatives[np.searchsorted(people, acc)]) % c.persons
        c.flows.add(acc, c.times(len(acc)), steps[c.pick(len(acc), len(steps))], inflow, PERSON, relative,
                    ["转账", "生活费", "还款"], c.pick(len(acc), 3), MOBILE)


# ---- planted schemes -----------------------------------------------------------


def _payments(c: _County, acc: np.ndarray, cents: np.ndarray, t: np.ndarray, memos: list[str] | None = None) -> None:
    """People paying into `acc`: each row a new person unless the caller repeats them."""
    memos = memos or ["转账", "往来款", "汇款", ""]
    c.flows.add(acc, t, cents, True, PERSON, c.pick(len(acc), c.persons), memos, c.pick(len(acc), len(memos)),
                c.rng.choice([NET, MOBILE, COUNTER], len(acc)))


def _small_sums(c: _County, n: int, median: float) -> np.ndarray:
    return _non_round(np.clip(c.lognormal(median, 0.7, n), 100_000, 4_900_000), c.rng)


def plant_public_deposits(c: _County, accounts: np.ndarray) -> None:
    payers = c.rng.integers(60, 301, len(accounts))
    acc = np.repeat(accounts, payers)
    start = np.zeros(len(acc), dtype=np.int64)
    person = c.pick(len(acc), c.persons)
    again = c.rng.random(len(acc)) < 0.1
    acc, person, start = np.concatenate([acc, acc[again]]), np.concatenate([person, person[again]]), np.concatenate(
        [start, start[again]])
    memos = ["转账", "往来款", "汇款", ""]
    c.flows.add(acc, c.times(len(acc), start, DAYS), _small_sums(c, len(acc), 12_000), True, PERSON, person, memos,
                c.pick(len(acc), len(memos)), c.rng.choice([NET, MOBILE, COUNTER], len(acc)))


def plant_round_repeat(c: _County, accounts: np.ndarray) -> None:
    payer_acc = np.repeat(accounts, c.rng.integers(10, 26, len(accounts)))
    person = c.pick(len(payer_acc), c.persons)
    amount = np.array([10_000, 20_000, 30_000, 50_000, 100_000])[c.pick(len(payer_acc), 5)] * 100
    times = c.rng.integers(2, 7, len(payer_acc))
    rows = np.repeat(np.arange(len(payer_acc)), times)
    c.flows.add(payer_acc[rows], c.times(len(rows)), amount[rows], True, PERSON, person[rows], ["转账", "汇款"],
                c.pick(len(rows), 2), MOBILE)


def plant_fixed_payouts(c: _County, accounts: np.ndarray) -> None:
    investors = c.rng.integers(12, 26, len(accounts))
    owner = np.repeat(np.arange(len(accounts)), investors)
    acc = accounts[owner]
    person = c.pick(len(acc), c.persons)
    principal = np.array([50_000, 80_000, 100_000, 200_000, 300_000])[c.pick(len(acc), 5)] * 100
    paid_month = c.pick(len(acc), 4)
    day = c.pick(len(acc), 25)
    c.flows.add(acc, (MONTH_START[paid_month] + day) * DAY + 11 * 3600, principal, True, PERSON, person, ["转账"], None,
                COUNTER)
    rate = np.round(c.rng.uniform(0.01, 0.03, len(accounts)), 3)[owner]
    rows, t, month = c.monthly(np.arange(len(acc)), day)
    later = month > paid_month[rows]
    rows, t = rows[later], t[later]
    c.flows.add(acc[rows], t, np.round(principal[rows] * rate[rows]), False, PERSON, person[rows], ["转账", ""],
                c.pick(len(rows), 2), NET)


def plant_payer_growth(c: _County, accounts: np.ndarray, *, large: bool = False) -> None:
    """New payers grow month on month: 3, 6, 11, 20 … (large: 5, 8, 13, 21, 33 … and public deposit-taking)."""
    months, first = (5, 5.0) if large else (4, 3.0)
    growth = c.rng.uniform(1.6, 2.0, len(accounts)) if large else c.rng.uniform(1.8, 2.0, len(accounts))
    start = c.rng.integers(1, 12 - months + 1, len(accounts))
    for step in range(months):
        count = np.ceil(first * growth**step).astype(np.int64)
        owner = np.repeat(np.arange(len(accounts)), count)
        month = start[owner] + step
        lo = MONTH_START[month]
        hi = np.where(month < 11, MONTH_START[np.minimum(month + 1, 11)], DAYS)
        _payments(c, accounts[owner], _small_sums(c, len(owner), 10_000), c.times(len(owner), lo, hi))


def plant_pool_to_controllers(c: _County, accounts: np.ndarray, funded: np.ndarray) -> None:
    """Most money out goes to 1-3 people (the first the holder's owner) and to cash; the `funded` ones
    (a mask over `accounts`) first get that money from companies."""
    rng = c.rng
    total = np.maximum(1.5 * c.flows.totals(c.n, inflow=False)[accounts],
                       rng.uniform(60, 300, len(accounts)) * 1_000_000)
    owner = np.repeat(np.arange(len(accounts)), rng.integers(10, 31, len(accounts)))
    weight = rng.random(len(owner)) + 0.2
    share = weight / np.bincount(owner, weight)[owner]
    controller = (accounts[owner] * 31 + 7 + rng.integers(0, 3, len(owner)) * 1_000_003) % c.persons
    c.flows.add(accounts[owner], c.times(len(owner), 30, DAYS), np.round(0.8 * total[owner] * share), False, PERSON,
                controller, ["转账", "往来款", "借款"], c.pick(len(owner), 3), NET)
    withdrawals = rng.integers(3, 11, len(accounts))
    owner = np.repeat(np.arange(len(accounts)), withdrawals)
    cash = np.maximum(np.round(0.2 * total[owner] / withdrawals[owner] / 100_000), 1) * 100_000
    c.flows.add(accounts[owner], c.times(len(owner), 30, DAYS), cash, False, CASH, np.zeros(len(owner)), ["现金支取"],
                None, COUNTER)
    owner = np.repeat(np.flatnonzero(funded), 20)
    income = np.round(rng.uniform(1.0, 1.2, len(owner)) * total[owner] / 20)
    c.flows.add(accounts[owner], c.times(len(owner), 0, 330), income, True, COMPANY, c.pick(len(owner), c.companies),
                ["往来款", "货款"], c.pick(len(owner), 2), NET)


def plant_pass_through(c: _County, accounts: np.ndarray) -> None:
    rng = c.rng
    pairs = rng.integers(60, 251, len(accounts))
    acc = np.repeat(accounts, pairs)
    t_in = c.times(len(acc), 0, DAYS - 2)
    cents = np.maximum(c.lognormal(100_000.0, 0.8, len(acc)), 500_000)
    from_person = rng.random(len(acc)) < 0.3
    c.flows.add(acc, t_in, cents, True, np.where(from_person, PERSON, COMPANY).astype(np.int8),
                np.where(from_person, c.pick(len(acc), c.persons), c.pick(len(acc), c.companies)),
                ["往来款", "货款", "转账"], c.pick(len(acc), 3), NET)
    delay = rng.uniform(0.1, 24, len(acc)) * 3600
    c.flows.add(acc, t_in + delay.astype(np.int64), np.round(cents * rng.uniform(0.998, 1.0, len(acc))), False,
                COMPANY, c.pick(len(acc), c.companies), ["往来款", "货款", "转账"], c.pick(len(acc), 3), NET)


def plant_memo_words(c: _County, accounts: np.ndarray) -> None:
    people = np.repeat(accounts, c.rng.integers(10, 17, len(accounts)))
    person = c.pick(len(people), c.persons)
    times = c.rng.integers(1, 3, len(people))
    rows = np.repeat(np.arange(len(people)), times)
    t = c.times(len(rows), 0, 300)
    c.flows.add(people[rows], t, _small_sums(c, len(rows), 20_000), True, PERSON, person[rows],
                ["认购款", "投资款", "理财本金", "入股款", "股金"], c.pick(len(rows), 5), MOBILE)
    paid = c.rng.random(len(people)) < 0.6
    c.flows.add(people[paid], c.times(int(paid.sum()), 300, DAYS), c.lognormal(1_500.0, 0.5, int(paid.sum())), False,
                PERSON, person[paid], ["利息", "分红", "返利", "收益"], c.pick(int(paid.sum()), 4), NET)


def plant_lead_links(c: _County, accounts: np.ndarray, leads: np.ndarray, outfits: int) -> None:
    """3-8 transfers with one or two lead subjects: accounts of lead subjects here (`leads`) or outfits
    known by name."""
    rng = c.rng
    count = rng.integers(3, 9, len(accounts))
    acc = np.repeat(accounts, count)
    mine = (rng.random(len(accounts)) < 0.5)[np.repeat(np.arange(len(accounts)), count)] & (len(leads) > 0)
    which = acc * 7 + c.pick(len(acc), 2)
    cp = np.where(mine, leads[which % max(len(leads), 1)] if len(leads) else 0, which % outfits)
    c.flows.add(acc, c.times(len(acc)), c.lognormal(60_000.0, 0.6, len(acc)), rng.random(len(acc)) < 0.5,
                np.where(mine, MONITORED, OUTFIT).astype(np.int8), cp, ["往来款", "转账", "借款"], c.pick(len(acc), 3),
                NET)


def brush_with_leads(c: _County, accounts: np.ndarray, outfits: int) -> None:
    """One small payment to an outfit in the leads: a customer, not a partner (below every threshold)."""
    c.flows.add(accounts, c.times(len(accounts)), c.rng.integers(500, 5_000, len(accounts)) * 100, False, OUTFIT,
                c.pick(len(accounts), outfits), ["货款", "服务费"], c.pick(len(accounts), 2), MOBILE)


# ---- names and accounts ---------------------------------------------------------


def _mix(index: np.ndarray) -> np.ndarray:
    """splitmix64: a well-spread 64-bit hash of each index (so names and accounts follow from an index)."""
    z = index.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _pick_words(words: list[str], index: np.ndarray) -> pl.Series:
    return pl.Series(words).gather(pl.Series((index % len(words)).astype(np.int64)))


def _digits(prefix: str, values: np.ndarray, width: int) -> pl.Expr:
    return pl.format(prefix + "{}", pl.lit(pl.Series(values.astype(np.int64))).cast(pl.String).str.zfill(width))


def _person_table(n: int) -> pl.DataFrame:
    """Names like 王建国, 李娜 or the Dai 岩温, 玉香; a 19-digit card number; the bank of the card."""
    h = _mix(np.arange(n))
    bits = [(h >> np.uint64(s)).astype(np.int64) & 0xFFF for s in (0, 12, 24, 36, 48)]
    han = pl.concat_str(_pick_words(SURNAMES, bits[0]), _pick_words(GIVEN, bits[1]),
                        pl.Series(np.where(bits[2] % 3 > 0, _pick_words(GIVEN, bits[2]).to_numpy(), "")))
    dai = pl.concat_str(pl.Series(np.where(bits[3] % 2 == 0, "岩", "玉")), _pick_words(DAI_GIVEN, bits[4]))
    return pl.select(
        pl.when(pl.Series(bits[3] % 10 < 3)).then(dai).otherwise(han).alias("name"),
        _digits("62", (h % np.uint64(10**17)), 17).alias("account"),
        _pick_words(BANKS, bits[4] >> 3).alias("bank"),
    )


def _firm_table(index: np.ndarray, trades: list[str], forms: list[str]) -> pl.DataFrame:
    """Distinct names for distinct indices (a mixed-radix reading of a scrambled index), accounts and banks."""
    radix = [len(PLACES), len(BRANDS), len(BRANDS), len(trades), len(forms)]
    space = int(np.prod(radix))
    code = (index.astype(np.int64) * 1_000_003) % space
    parts = []
    for r in radix:
        parts.append(code % r)
        code = code // r
    words = [PLACES, BRANDS, BRANDS, trades, forms]
    names = [_pick_words(w, p) for w, p in zip(words, parts, strict=True)]
    return pl.select(
        pl.concat_str(names).alias("name"),
        _digits("53", (index.astype(np.int64) * 7_919) % 10**18, 18).alias("account"),
        _pick_words(BANKS, index).alias("bank"),
    )


def _id_numbers(n: int, rng: np.random.Generator) -> list[str]:
    """Resident ID numbers of Menghai (532822) with a valid GB 11643 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    births = np.datetime64("1950-01-01") + rng.integers(0, 50 * 365, n).astype("timedelta64[D]")
    numbers = []
    for i, birth in enumerate(births):
        body = f"532822{str(birth).replace('-', '')}{(i * 7 + 1) % 1000:03d}"
        numbers.append(body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11])
    return numbers


def _monitored(c: _County) -> pl.DataFrame:
    """The accounts of the statements: holder name, account number, subject key, kind."""
    firms = np.flatnonzero(c.is_company)
    people = np.flatnonzero(~c.is_company)
    names = _firm_table(c.companies + firms, TRADES, FORMS)["name"].to_list()
    keys = [make_uscc("91", "532822", f"MA{k:06d}") for k in firms]
    if c.subjects is not None:
        subjects = c.subjects
        if "label" in subjects.columns:  # the registry's planted outfits hold the planted accounts
            subjects = subjects.sort(pl.col("label").fill_null(0), descending=True, maintain_order=True)
        order = np.concatenate([np.flatnonzero(c.risky[firms]), np.flatnonzero(~c.risky[firms])])
        given = min(len(firms), subjects.height)
        for position, (key, name) in zip(order[:given], subjects.select("subject_key", "name").head(given).iter_rows(),
                                         strict=True):
            keys[position], names[position] = key, name
    person_table = _person_table(c.persons + c.n).slice(c.persons).gather(people)
    return pl.concat([
        pl.DataFrame({"acc": firms, "account": [f"530501{k:014d}" for k in firms], "subject_key": keys,
                      "kind": "company", "name": names}),
        pl.DataFrame({"acc": people, "account": [f"622848{k:013d}" for k in people],
                      "subject_key": _id_numbers(len(people), c.rng), "kind": "individual",
                      "name": person_table["name"]}),
    ]).sort("acc")


def _counterparties(c: _County, monitored: pl.DataFrame, outfits: int) -> tuple[pl.DataFrame, np.ndarray]:
    """One table of every counterparty (name, account, bank) and the offset of each kind in it."""
    parts = [
        _person_table(c.persons),
        _firm_table(np.arange(c.companies), TRADES, FORMS),
        pl.DataFrame(INSTITUTIONS, schema=["name", "account", "bank"], orient="row"),
        pl.DataFrame({"name": [None], "account": [None], "bank": [None]}, schema=dict.fromkeys(("name", "account",
                                                                                               "bank"), pl.String)),
        monitored.select("name", "account", pl.lit("勐海县农村信用合作联社").alias("bank")),
        _firm_table(np.arange(outfits), OUTFIT_TRADES, [""]),
    ]
    sizes = np.array([p.height for p in parts])
    return pl.concat(parts), np.concatenate([[0], np.cumsum(sizes)[:-1]])


def _outfit_keys(outfits: int) -> list[str]:
    return [make_uscc("91", "530102", f"MB{j:06d}") for j in range(outfits)]


# ---- the county ----------------------------------------------------------------


def _assign_schemes(c: _County, risky: int) -> dict[int, tuple[str, ...]]:
    """Risky accounts and their schemes; never among the last accounts, which the row limit cuts."""
    usable = int(c.n * 0.85)
    firms = c.rng.permutation(np.flatnonzero(c.is_company[:usable])).tolist()
    people = c.rng.permutation(np.flatnonzero(~c.is_company[:usable])).tolist()
    schemes: dict[int, tuple[str, ...]] = {}
    for i in range(risky):
        scheme = SCHEMES[i % len(SCHEMES)]
        person_share = 0.5 if scheme == ("pass_through",) else 0.3
        wants_person = not COMPANY_ONLY.intersection(scheme) and c.rng.random() < person_share
        pool = people if (wants_person and people) or not firms else firms
        if not pool:
            break
        schemes[pool.pop()] = scheme
    return schemes


def _plant(c: _County, schemes: dict[int, tuple[str, ...]], leads: np.ndarray, outfits: int) -> None:
    def having(*names: str, without: tuple[str, ...] = ()) -> np.ndarray:
        return np.array(sorted(a for a, s in schemes.items() if set(names) <= set(s) and not set(without) & set(s)),
                        dtype=np.int64)

    plant_public_deposits(c, having("public_deposits", without=("payer_growth",)))
    plant_payer_growth(c, having("payer_growth", "public_deposits"), large=True)
    plant_payer_growth(c, having("payer_growth", without=("public_deposits",)))
    plant_round_repeat(c, having("round_repeat"))
    plant_fixed_payouts(c, having("fixed_payouts"))
    plant_memo_words(c, having("memo_words"))
    plant_pass_through(c, having("pass_through"))
    plant_lead_links(c, having("lead_links"), leads, outfits)
    pooled = having("pool_to_controllers")
    plant_pool_to_controllers(c, pooled, np.array(["public_deposits" not in schemes[a] for a in pooled], dtype=bool))


def _balances(raw: pl.DataFrame, c: _County, schemes: dict[int, tuple[str, ...]]) -> pl.DataFrame:
    """Running balance per account: enough opening money that it never goes below a cushion of weeks of
    spending (hours for pass-through accounts)."""
    signed = pl.when(pl.col("inflow")).then(pl.col("cents")).otherwise(-pl.col("cents"))
    raw = raw.with_columns(signed.cum_sum().over("acc").alias("running"))
    cushion = pl.DataFrame({"acc": np.arange(c.n), "days": c.rng.uniform(3, 120, c.n),
                            "spare": c.rng.integers(0, 500_000, c.n)})
    cushion = cushion.with_columns(
        pl.when(pl.col("acc").is_in([a for a, s in schemes.items() if "pass_through" in s])).then(0.0)
        .otherwise(pl.col("days")).alias("days")
    )
    opening = (
        raw.group_by("acc")
        .agg((-pl.col("running").min().clip(upper_bound=0)).alias("floor"),
             pl.col("cents").filter(~pl.col("inflow")).sum().alias("out"))
        .join(cushion, on="acc")
        .with_columns((pl.col("floor") + (pl.col("out") / DAYS * pl.col("days")).round(0).cast(pl.Int64)
                       + pl.col("spare")).alias("opening"))
    )
    return raw.join(opening.select("acc", "opening"), on="acc", how="left", maintain_order="left").with_columns(
        (pl.col("opening") + pl.col("running")).alias("balance_cents")
    )


def generate_transactions(
    rows: int = 100_000, seed: int = 7, *, risky: int | None = None, subjects: pl.DataFrame | None = None
) -> TransactionsDemo:
    """`rows` statement lines of a year (the last account cut short), `risky` accounts with planted schemes
    (default one in sixty). `subjects` (subject_key, name, optional label), when given, are the holders of
    the company accounts, those with label 1 first on the planted ones."""
    n_accounts = max(60, int(rows / AVERAGE_ROWS * 1.15))
    c = _County(n_accounts, seed, subjects)
    schemes = _assign_schemes(c, risky if risky is not None else max(len(SCHEMES), n_accounts // 60))
    for account, scheme in schemes.items():
        if c.is_company[account]:
            c.size[account] = c.rng.uniform(0.2, 0.5)
        c.background[account] = scheme != ("pass_through",)
        c.retail[account] = False
        c.risky[account] = True
    outfits = max(20, n_accounts // 200)
    leads = np.array([a for a, s in schemes.items() if s == ("public_deposits",)][: max(5, len(schemes) // 10)])
    _company_background(c)
    _person_background(c)
    _plant(c, schemes, leads, outfits)
    calm = np.setdiff1d(np.arange(c.n), np.array(list(schemes), dtype=np.int64))
    brush_with_leads(c, calm[c.rng.random(len(calm)) < 0.02], outfits)
    monitored = _monitored(c)
    transactions = _statement(c, schemes, monitored, outfits).head(rows)
    kept = transactions["account"].unique()
    lead_rows = monitored.filter(pl.col("acc").is_in(leads.tolist())).select("subject_key", "name")
    outfit_names = _firm_table(np.arange(outfits), OUTFIT_TRADES, [""])["name"]
    return TransactionsDemo(
        transactions=transactions,
        accounts=monitored.filter(pl.col("account").is_in(kept.implode())).select("account", "subject_key", "kind",
                                                                                    "name"),
        leads=pl.concat([lead_rows, pl.DataFrame({"subject_key": _outfit_keys(outfits), "name": outfit_names})]),
        truth=pl.DataFrame(
            [(monitored["account"][a], t) for a, s in sorted(schemes.items()) for t in s],
            schema={"account": pl.String, "typology": pl.String}, orient="row",
        ).filter(pl.col("account").is_in(kept.implode())),
    )


def _statement(c: _County, schemes: dict[int, tuple[str, ...]], monitored: pl.DataFrame, outfits: int) -> pl.DataFrame:
    raw = _balances(c.flows.frame().sort("acc", "t", maintain_order=True), c, schemes)
    table, offsets = _counterparties(c, monitored, outfits)
    where = offsets[raw["kind"].to_numpy()] + raw["cp"].to_numpy()
    parties = table[where]
    holders = monitored.select("account", "name").gather(raw["acc"])
    return pl.DataFrame({
        LINE: pl.int_range(2, raw.height + 2, eager=True),
        "account": holders["account"],
        "holder": holders["name"],
        "counterparty_name": parties["name"],
        "counterparty_account": parties["account"],
        "counterparty_bank": parties["bank"],
        "amount": (raw["cents"].cast(pl.Decimal(38, 2)) / 100).cast(pl.Decimal(20, 2)),
        "direction": pl.Series(np.where(raw["inflow"].to_numpy(), IN, OUT)),
        "balance": (raw["balance_cents"].cast(pl.Decimal(38, 2)) / 100).cast(pl.Decimal(20, 2)),
        "time": (raw["t"] * 1_000_000 + START_US).cast(pl.Datetime("us")),
        "channel": pl.Series(CHANNELS).gather(raw["channel"].cast(pl.Int64)),
        "memo": c.flows.memos().gather(raw["memo"].cast(pl.Int64)),
    }).select([pl.col(k).cast(v) for k, v in TRANSACTIONS_SCHEMA.items()])


# ---- files ---------------------------------------------------------------------

# The statement as a bank exports it: Chinese headers, 借/贷, amounts in 元.
STATEMENT_HEADERS: dict[str, str] = {
    "account": "账号", "holder": "户名", "time": "交易时间", "direction": "借贷标志", "amount": "交易金额",
    "balance": "余额", "counterparty_name": "对方户名", "counterparty_account": "对方账号",
    "counterparty_bank": "对方行名", "channel": "交易渠道", "memo": "摘要",
}
ACCOUNT_HEADERS: dict[str, str] = {"account": "账号", "subject_key": "主体标识", "kind": "主体类型", "name": "户名"}
KIND_ZH: dict[str, str] = {"company": "企业", "individual": "个人"}


def statement_frame(transactions: pl.DataFrame) -> pl.DataFrame:
    """The transactions as a bank's export: the columns in its order, 借 for money out and 贷 for money in."""
    return transactions.select(
        *(pl.col(c) for c in STATEMENT_HEADERS if c not in ("direction", "time")),
        pl.col("time").dt.strftime("%Y-%m-%d %H:%M:%S"),
        pl.when(pl.col("direction") == IN).then(pl.lit("贷")).otherwise(pl.lit("借")).alias("direction"),
    ).select(list(STATEMENT_HEADERS))


def write_transactions(demo: TransactionsDemo, out_dir: Path, *, parquet: bool = False) -> dict[str, Path]:
    """transactions.csv (GBK, as banks export) or .parquet, accounts.csv, leads.csv, truth.csv under `out_dir`."""
    from fundwatch.ingest.writers import write_frame

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / f"{name}.csv" for name in ("transactions", "accounts", "leads", "truth")}
    if parquet:
        paths["transactions"] = out_dir / "transactions.parquet"
        demo.transactions.write_parquet(paths["transactions"])
    else:
        write_frame(statement_frame(demo.transactions), paths["transactions"], headers=STATEMENT_HEADERS,
                    encoding="gbk")
    accounts = demo.accounts.with_columns(pl.col("kind").replace(KIND_ZH))
    write_frame(accounts, paths["accounts"], headers=ACCOUNT_HEADERS, encoding="gbk")
    write_frame(demo.leads, paths["leads"], headers={"subject_key": "主体标识", "name": "名称"}, encoding="gbk")
    write_frame(demo.truth, paths["truth"], encoding="utf-8")
    return paths
