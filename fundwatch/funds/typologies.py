"""The typologies: each a small documented rule over the working frame.

A rule takes the working frame (`prepare.WORK_SCHEMA`) and the context (the
settings, the holders, the leads) and returns its findings
(`evidence.FINDING_SCHEMA`), one row per account that meets it. The first
sentence of its docstring is what an analyst reads beside the evidence. Its
thresholds are the entries of the same name in funds.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from fundwatch.frames import LINE
from fundwatch.funds.config import FundsConfig, Typology
from fundwatch.funds.evidence import FINDING_SCHEMA, percent, wan, yuan


@dataclass(frozen=True, slots=True)
class Context:
    config: FundsConfig
    holders: pl.LazyFrame  # prepare.HOLDERS_SCHEMA
    lead_keys: tuple[str, ...]  # accounts, subject keys or names of subjects already in leads
    lead_accounts: tuple[str, ...]  # accounts of those subjects per the accounts file

    def typology(self, name: str) -> Typology:
        return self.config.typologies[name]

    def of_kind(self, *kinds: str) -> pl.LazyFrame:
        return self.holders.filter(pl.col("kind").is_in(kinds)).select("account")


Rule = Callable[[pl.LazyFrame, Context], pl.LazyFrame]

FEN = 100  # fen per 元


def _common() -> list[pl.Expr]:
    """Amount, count, window and lines of the transactions in a group."""
    return [
        pl.col("cents").sum().alias("amount_cents"),
        pl.len().cast(pl.Int64).alias("transactions"),
        pl.col("time").min().alias("first_time"),
        pl.col("time").max().alias("last_time"),
        pl.col(LINE).sort().alias("lines"),
    ]


def _findings(frame: pl.LazyFrame, measure: pl.Expr, summary: pl.Expr) -> pl.LazyFrame:
    return frame.with_columns(measure.cast(pl.Float64).alias("measure"), summary.alias("summary")).select(
        [pl.col(c).cast(t) for c, t in FINDING_SCHEMA.items()]
    )


def _people_in(tx: pl.LazyFrame, min_yuan: float) -> pl.LazyFrame:
    return tx.filter(pl.col("inflow"), pl.col("cp_kind") == "individual", pl.col("cents") >= min_yuan * FEN)


def public_deposits(tx: pl.LazyFrame, ctx: Context) -> pl.LazyFrame:
    """非金融企业账户收到大量不同个人的小额转入，涉嫌向社会公众吸收资金。

    Measure: distinct individual payers of at least `min_amount` 元; the median
    payment is at most `max_median` 元 and individuals bring at least `min_share`
    of the money coming in.
    """
    t = ctx.typology("public_deposits")
    total_in = tx.filter(pl.col("inflow")).group_by("account").agg(pl.col("cents").sum().alias("total_in"))
    found = (
        _people_in(tx, t["min_amount"])
        .join(ctx.of_kind("company"), on="account", how="semi")
        .group_by("account")
        .agg(*_common(), pl.col("cp_key").n_unique().alias("counterparties"), pl.col("cents").median().alias("median"))
        .join(total_in, on="account")
        .filter(
            pl.col("counterparties") >= t["min_payers"],
            pl.col("median") <= t["max_median"] * FEN,
            pl.col("amount_cents") >= t["min_share"] * pl.col("total_in"),
        )
    )
    share = pl.col("amount_cents") / pl.col("total_in")
    summary = pl.format(
        "{}名个人转入{}笔，合计{}，每笔中位数{}，占全部转入的{}",
        "counterparties", "transactions", wan(pl.col("amount_cents")), yuan(pl.col("median")), percent(share),
    )
    return _findings(found, pl.col("counterparties"), summary)


def round_repeat(tx: pl.LazyFrame, ctx: Context) -> pl.LazyFrame:
    """多名个人以整数金额反复向同一账户转入，符合定额认购、按期追加出资的特征。

    Measure: individuals who paid in at least `min_payments` round amounts
    (multiples of `unit` 元, at least `min_amount` 元); round payments are at
    least `min_round_share` of all payments from individuals.
    """
    t = ctx.typology("round_repeat")
    people = _people_in(tx, 0).with_columns(
        ((pl.col("cents") % (t["unit"] * FEN) == 0) & (pl.col("cents") >= t["min_amount"] * FEN)).alias("round")
    )
    payers = people.group_by("account", "cp_key").agg(pl.col("round").sum().alias("n_round"), pl.len().alias("n"))
    accounts = (
        payers.group_by("account")
        .agg(
            (pl.col("n_round") >= t["min_payments"]).sum().alias("repeaters"),
            (pl.col("n_round").sum() / pl.col("n").sum()).alias("round_share"),
        )
        .filter(pl.col("repeaters") >= t["min_payers"], pl.col("round_share") >= t["min_round_share"])
    )
    repeaters = payers.filter(pl.col("n_round") >= t["min_payments"]).select("account", "cp_key")
    found = (
        people.filter(pl.col("round"))
        .join(repeaters, on=["account", "cp_key"], how="semi")
        .group_by("account")
        .agg(
            *_common(),
            pl.col("cp_key").n_unique().alias("counterparties"),
            pl.col("cents").mode().sort().first().alias("mode"),
        )
        .join(accounts, on="account")
    )
    summary = pl.format(
        "{}名个人以整数金额各转入{}次以上，共{}笔，合计{}，最常见金额{}；整数金额占个人转入笔数的{}",
        "counterparties", pl.lit(int(t["min_payments"])), "transactions", wan(pl.col("amount_cents")),
        yuan(pl.col("mode")), percent(pl.col("round_share")),
    )
    return _findings(found, pl.col("counterparties"), summary)


def fixed_payouts(tx: pl.LazyFrame, ctx: Context) -> pl.LazyFrame:
    """账户向多名此前转入资金的个人按期支付固定金额，金额与其本金成固定比例，符合返本付息的特征。

    Measure: payees who paid in and later received at least `min_payouts` payments
    in different months, spread at most `max_spread` of their median, each between
    `min_rate` and `max_rate` of the money they paid in.
    """
    t = ctx.typology("fixed_payouts")
    paid = (
        _people_in(tx, 0)
        .group_by("account", "cp_key")
        .agg(pl.col("cents").sum().alias("principal"), pl.col("time").min().alias("paid_at"))
    )
    rate = pl.col("cents").median() / pl.col("principal").first()
    payees = (
        tx.filter(~pl.col("inflow"), pl.col("cp_kind") == "individual")
        .join(paid, on=["account", "cp_key"])
        .filter(pl.col("time") > pl.col("paid_at"))
        .group_by("account", "cp_key")
        .agg(
            *_common(),
            pl.col("month").n_unique().alias("months"),
            ((pl.col("cents").max() - pl.col("cents").min()) / pl.col("cents").median()).alias("spread"),
            rate.alias("rate"),
            pl.col("principal").first(),
        )
        .filter(
            pl.col("months") >= t["min_payouts"],
            pl.col("spread") <= t["max_spread"],
            pl.col("rate").is_between(t["min_rate"], t["max_rate"]),
        )
    )
    found = (
        payees.group_by("account")
        .agg(
            pl.col("amount_cents").sum(),
            pl.col("transactions").sum(),
            pl.len().alias("counterparties"),
            pl.col("first_time").min(),
            pl.col("last_time").max(),
            pl.col("lines").list.explode(keep_nulls=False, empty_as_null=False).sort(),
            pl.col("principal").sum(),
            pl.col("rate").median(),
        )
        .filter(pl.col("counterparties") >= t["min_payees"])
    )
    summary = pl.format(
        "{}名此前转入本金（合计{}）的个人此后按期收到固定金额{}笔，合计{}，每期约为本金的{}%",
        "counterparties", wan(pl.col("principal")), "transactions", wan(pl.col("amount_cents")),
        (pl.col("rate") * 100).round(2),
    )
    return _findings(found, pl.col("counterparties"), summary)


MAX_GROWTH_MONTHS = 12  # longest run of growth months looked at


def _growth_runs(monthly: pl.LazyFrame, t: Typology) -> pl.LazyFrame:
    """Per account the best run: (end month, start month, new payers in the end month).

    A run is consecutive months each with more new payers than the month before,
    whose end has at least `factor` ** months times the new payers of its start
    and `over_before` times the account's average month before the run (months
    without new payers count), so a dip and its recovery is no run.
    """
    consecutive = pl.col("month").shift(1).over("account") == pl.col("month") - 1
    rises = consecutive & (pl.col("new") > pl.col("new").shift(1).over("account"))
    runs = (
        monthly.with_columns(
            rises.fill_null(False).alias("rises"),
            (pl.col("new").cum_sum().over("account") - pl.col("new")).alias("new_before"),
            (pl.col("month") - pl.col("month").min().over("account")).alias("months_before"),
        )
        .with_columns((~pl.col("rises")).cum_sum().over("account").alias("segment"))
        .with_columns(pl.col("rises").cast(pl.Int64).cum_sum().over("account", "segment").alias("steps"))
    )
    spans = []
    for months in range(int(t["min_steps"]), MAX_GROWTH_MONTHS + 1):
        start = pl.col("new").shift(months).over("account")
        average = pl.col("new_before").shift(months).over("account") / pl.col("months_before").shift(months).over(
            "account").clip(lower_bound=1)
        grown = (pl.col("new") >= t["factor"] ** months * start) & (pl.col("new") >= t["over_before"] * average)
        fits = (pl.col("steps") >= months) & (start >= t["min_first"]) & grown
        spans.append(pl.when(fits).then(pl.lit(months)))
    return (
        runs.with_columns(pl.max_horizontal(spans).alias("span"))
        .filter(pl.col("span").is_not_null(), pl.col("new") >= t["min_last"])
        .sort("span", "new", descending=True)
        .group_by("account")
        .first()
        .select("account", pl.col("month").alias("end"), (pl.col("month") - pl.col("span")).alias("start"), "new")
    )


def payer_growth(tx: pl.LazyFrame, ctx: Context) -> pl.LazyFrame:
    """向账户转入资金的新增个人连续数月逐月增加、成倍扩大，符合集资规模快速扩张的特征。

    Measure: new individual payers in the last month of a run of at least
    `min_steps` months in which new payers rise every month and grow on average at
    least `factor` times a month, from at least `min_first` to at least `min_last`
    and to at least `over_before` times the account's average month before the run.
    """
    t = ctx.typology("payer_growth")
    first = (
        _people_in(tx, t["min_amount"])
        .sort(LINE)
        .group_by("account", "cp_key")
        .agg(pl.col("month").min(), pl.col(LINE).first(), pl.col("cents").first(), pl.col("time").min())
    )
    monthly = first.group_by("account", "month").agg(pl.len().cast(pl.Int64).alias("new")).sort("account", "month")
    best = _growth_runs(monthly, t)
    in_run = pl.col("month").is_between(pl.col("start"), pl.col("end"))
    series = (
        monthly.join(best.select("account", "start", "end"), on="account")
        .filter(in_run)
        .group_by("account")
        .agg(pl.col("new").sort_by("month").cast(pl.String).str.join("、").alias("series"))
    )
    found = (
        first.join(best, on="account")
        .filter(in_run)
        .group_by("account")
        .agg(*_common(), pl.len().cast(pl.Int64).alias("counterparties"), pl.col("new").first().alias("last_new"))
        .join(series, on="account")
    )
    summary = pl.format(
        "新增个人出资人按月为 {} 人，逐月增加至每月{}人，共{}人转入{}",
        "series", "last_new", "counterparties", wan(pl.col("amount_cents")),
    )
    return _findings(found, pl.col("last_new"), summary)


def pool_to_controllers(tx: pl.LazyFrame, ctx: Context) -> pl.LazyFrame:
    """企业账户的转出资金大部分流向少数个人账户或被提取现金，涉嫌将归集资金转入控制人名下。

    Measure: share of the company's outgoing money going to its `top` largest
    individual payees plus cash, when that money is at least `min_amount` 元.
    """
    t = ctx.typology("pool_to_controllers")
    out = tx.filter(~pl.col("inflow")).join(ctx.of_kind("company"), on="account", how="semi")
    total_out = out.group_by("account").agg(pl.col("cents").sum().alias("total_out"))
    cash = pl.col("cp_kind") == "cash"
    recipients = (
        out.filter(pl.col("cp_kind").is_in(["individual", "cash"]))
        .with_columns(
            pl.when(cash).then(pl.lit("现金")).otherwise(pl.col("cp_key")).alias("recipient"),
            pl.when(cash).then(pl.lit("提取现金")).otherwise(pl.col("cp_name")).alias("label"),
        )
        .group_by("account", "recipient")
        .agg(*_common(), pl.col("label").first())
        .sort("amount_cents", descending=True)
        .group_by("account", maintain_order=True)
        .head(int(t["top"]))
    )
    found = (
        recipients.group_by("account")
        .agg(
            pl.col("amount_cents").sum(),
            pl.col("transactions").sum(),
            pl.len().cast(pl.Int64).alias("counterparties"),
            pl.col("first_time").min(),
            pl.col("last_time").max(),
            pl.col("lines").list.explode(keep_nulls=False, empty_as_null=False).sort(),
            pl.format("{}{}", "label", wan(pl.col("amount_cents"))).str.join("、").alias("who"),
        )
        .join(total_out, on="account")
        .with_columns((pl.col("amount_cents") / pl.col("total_out")).alias("share"))
        .filter(pl.col("amount_cents") >= t["min_amount"] * FEN, pl.col("share") >= t["min_share"])
    )
    summary = pl.format(
        "全部转出{}中的{}（{}，{}笔）流向：{}",
        wan(pl.col("total_out")), percent(pl.col("share")), wan(pl.col("amount_cents")), "transactions", "who",
    )
    return _findings(found, pl.col("share"), summary)


def _holding_days(tx: pl.LazyFrame) -> pl.LazyFrame:
    """Per account: money-weighted days money stays (Little's law: time-weighted balance / money in)."""
    signed = pl.when(pl.col("inflow")).then(pl.col("cents")).otherwise(-pl.col("cents"))
    running = signed.cum_sum().over("account")
    estimated = running - pl.min_horizontal(running.min().over("account"), pl.lit(0))
    balance = pl.coalesce("balance_cents", estimated).clip(lower_bound=0)
    until_next = (pl.col("time").shift(-1).over("account") - pl.col("time")).dt.total_seconds().fill_null(0)
    return (
        tx.sort("account", "time", LINE)
        .with_columns((balance.cast(pl.Float64) * until_next).alias("weighted"))
        .group_by("account")
        .agg(
            *_common(),
            pl.col("cp_key").n_unique().cast(pl.Int64).alias("counterparties"),
            pl.col("cents").filter(pl.col("inflow")).sum().alias("total_in"),
            pl.col("cents").filter(~pl.col("inflow")).sum().alias("total_out"),
            (pl.col("weighted").sum() / 86_400).alias("weighted_days"),
        )
        .with_columns((pl.col("weighted_days") / pl.col("total_in")).alias("holding"))
    )


def pass_through(tx: pl.LazyFrame, ctx: Context) -> pl.LazyFrame:
    """账户大额资金快进快出、转入转出基本相当且余额很低，符合资金池或过渡账户的特征。

    Measure: `max_holding_days` over the average days money stays, for an account
    taking in at least `min_in` 元 whose money out is within `max_imbalance` of
    its money in.
    """
    t = ctx.typology("pass_through")
    totals = tx.group_by("account").agg(
        pl.col("cents").filter(pl.col("inflow")).sum().alias("total_in"),
        pl.col("cents").filter(~pl.col("inflow")).sum().alias("total_out"),
    )
    candidates = totals.filter(
        pl.col("total_in") >= t["min_in"] * FEN,
        (pl.col("total_out") / pl.col("total_in") - 1).abs() <= t["max_imbalance"],
    ).select("account")
    found = (
        _holding_days(tx.join(candidates, on="account", how="semi"))
        .filter(pl.col("holding") <= t["max_holding_days"])
        .with_columns(pl.col("total_in").alias("amount_cents"))
    )
    holding = pl.col("holding").clip(lower_bound=t["max_holding_days"] / 1000)
    summary = pl.format(
        "转入{}、转出{}（转出为转入的{}），资金平均停留约{}天，{}笔交易涉及{}个对手方",
        wan(pl.col("total_in")), wan(pl.col("total_out")), percent(pl.col("total_out") / pl.col("total_in")),
        pl.col("holding").round(2), "transactions", "counterparties",
    )
    return _findings(found, t["max_holding_days"] / holding, summary)


def memo_words(tx: pl.LazyFrame, ctx: Context) -> pl.LazyFrame:
    """交易摘要或附言多次出现投资、理财、利息、分红、返利、认购等字样，且涉及多名对手方。

    Measure: transactions with non-financial counterparties whose memo has a memo
    word, from at least `min_counterparties` distinct counterparties.
    """
    t = ctx.typology("memo_words")
    words = list(ctx.config.memo_words)
    hits = tx.filter(pl.col("memo_hit").is_not_null()).with_columns(
        pl.col("memo_hit").str.extract_many(words).list.first().alias("word")
    )
    counts = (
        hits.group_by("account", "word")
        .agg(pl.len().alias("n"))
        .sort("n", "word", descending=[True, False])
        .group_by("account", maintain_order=True)
        .agg(pl.format("“{}”{}笔", "word", "n").str.join("、").alias("words"))
    )
    found = (
        hits.group_by("account")
        .agg(*_common(), pl.col("cp_key").n_unique().cast(pl.Int64).alias("counterparties"))
        .filter(pl.col("transactions") >= t["min_transactions"], pl.col("counterparties") >= t["min_counterparties"])
        .join(counts, on="account")
    )
    summary = pl.format(
        "{}笔交易的摘要含{}，涉及{}个对手方，合计{}",
        "transactions", "words", "counterparties", wan(pl.col("amount_cents")),
    )
    return _findings(found, pl.col("transactions"), summary)


def lead_links(tx: pl.LazyFrame, ctx: Context) -> pl.LazyFrame:
    """账户与已列入风险线索的主体有资金往来。

    Measure: money to or from lead subjects, matched by counterparty account (or
    the accounts file's subject key) or name; at least `min_transactions`
    transactions or `min_amount` 元.
    """
    t = ctx.typology("lead_links")
    accounts = sorted(set(ctx.lead_keys) | set(ctx.lead_accounts))
    # cp_key is the counterparty's account, or its name when the bank gave no account
    linked = pl.col("cp_key").is_in(accounts) | pl.col("cp_name").is_in(list(ctx.lead_keys))
    found = (
        tx.filter(linked, pl.col("cp_key").fill_null("") != pl.col("account"))
        .group_by("account")
        .agg(
            *_common(),
            pl.col("cp_key").n_unique().cast(pl.Int64).alias("counterparties"),
            pl.col("cents").filter(pl.col("inflow")).sum().alias("in"),
            pl.col("cents").filter(~pl.col("inflow")).sum().alias("out"),
            pl.col("cp_name").drop_nulls().unique(maintain_order=True).head(3).str.join("、").alias("who"),
        )
        .filter((pl.col("transactions") >= t["min_transactions"]) | (pl.col("amount_cents") >= t["min_amount"] * FEN))
    )
    summary = pl.format(
        "与线索主体{}等{}个对手方往来{}笔，转入{}、转出{}",
        "who", "counterparties", "transactions", wan(pl.col("in")), wan(pl.col("out")),
    )
    return _findings(found, pl.col("amount_cents") / FEN, summary)


RULES: dict[str, Rule] = {
    "public_deposits": public_deposits,
    "round_repeat": round_repeat,
    "fixed_payouts": fixed_payouts,
    "payer_growth": payer_growth,
    "pool_to_controllers": pool_to_controllers,
    "pass_through": pass_through,
    "memo_words": memo_words,
    "lead_links": lead_links,
}

# The threshold each rule's measure is scored against.
THRESHOLDS: dict[str, Callable[[Typology], float]] = {
    "public_deposits": lambda t: t["min_payers"],
    "round_repeat": lambda t: t["min_payers"],
    "fixed_payouts": lambda t: t["min_payees"],
    "payer_growth": lambda t: t["min_last"],
    "pool_to_controllers": lambda t: t["min_share"],
    "pass_through": lambda t: 1.0,
    "memo_words": lambda t: t["min_transactions"],
    "lead_links": lambda t: t["min_amount"],
}


def explanation(name: str) -> str:
    """The first sentence of the rule's docstring: what the analyst reads."""
    doc = RULES[name].__doc__ or ""
    return doc.strip().splitlines()[0].strip()
