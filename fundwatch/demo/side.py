"""Side tables of the ordinary subjects: routine changes, everyday complaints, the odd lawsuit.

They are the noise a screening must live with: most ordinary subjects leave no
trace, a few leave one, drawn for the whole chunk at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from fundwatch.demo import people
from fundwatch.demo.common import EARLIEST_SIGNAL, REF_DATE, day_number, draw, either, pick, render
from fundwatch.demo.registry import FORM_INDEX, Plan, names, scopes
from fundwatch.demo.vocab import Vocabulary

OFFICER = "（执行董事兼总经理）"
# Share of ordinary subjects with at least one row in each table.
# (Ads: the share among subjects whose trade advertises at all.)
SHARE = {"changes": 0.05, "abnormal": 0.012, "judicial": 0.012, "ads": 0.06, "reports": 0.006, "news": 0.012}


def _dates(rng: np.random.Generator, established: np.ndarray, recent_years: float | None = None) -> np.ndarray:
    """Days after both the establishment and the start of the record, up to the reference date."""
    end = day_number(REF_DATE)
    start = np.maximum(established + 30, day_number(EARLIEST_SIGNAL))
    if recent_years is not None:
        start = np.maximum(start, end - int(recent_years * 365))
    start = np.minimum(start, end)
    return np.asarray(start + (rng.random(len(established)) * (end - start)).astype(np.int64))


def _subjects(rng: np.random.Generator, eligible: np.ndarray, share: float, most: int = 1) -> np.ndarray:
    """Rows of the chunk that get records, each repeated one to `most` times."""
    rows = np.flatnonzero(eligible & (rng.random(len(eligible)) < share))
    return np.repeat(rows, rng.integers(1, most + 1, len(rows)))


def _iso(days: np.ndarray) -> pl.Series:
    return pl.Series(days, dtype=pl.Int32).cast(pl.Date).dt.strftime("%Y-%m-%d")


def _templated(base: pl.DataFrame, template_of: np.ndarray, templates: list[str], columns: dict[str, pl.Expr],
               rng: np.random.Generator) -> pl.Series:
    """Each row's template filled from its own columns; rows keep their order."""
    out = pl.repeat("", base.height, eager=True, dtype=pl.String)
    uniform = base.with_columns([pl.Series(f"u{i}", rng.random(base.height)) for i in range(3)])
    for t in np.unique(template_of):
        rows = np.flatnonzero(template_of == t)
        texts = uniform[rows].select(render(templates[t], columns, lambda i: pl.col(f"u{i % 3}"))).to_series()
        out = out.scatter(rows, texts)
    return out


def _eligible_templates(rng: np.random.Generator, vocab: Vocabulary, trades: np.ndarray,
                        fits: Callable[[int, str], bool], count: int) -> np.ndarray:
    """For each row, one template index that fits its trade (or -1 when none does)."""
    per_trade = [[i for i in range(count) if fits(i, t.key)] for t in vocab.trades]
    counts = np.asarray([len(p) for p in per_trade])
    flat = np.asarray([i for p in per_trade for i in p] + [-1])
    offsets = np.cumsum([0, *counts[:-1]])
    pos = offsets[trades] + (rng.random(len(trades)) * counts[trades]).astype(np.int64)
    return np.where(counts[trades] > 0, flat[np.minimum(pos, len(flat) - 1)], -1)


def changes(rng: np.random.Generator, vocab: Vocabulary, reg: pl.DataFrame, plan: Plan, eligible: np.ndarray,
            pool: list[str]) -> pl.DataFrame:
    """Routine changes: scope, capital, shareholders, officers, address, name."""
    rows = _subjects(rng, eligible, SHARE["changes"], most=2)
    items = vocab.ordinary["change_items"]
    item = pick([i for i, _ in items], draw(rng, [w for _, w in items], len(rows)))
    sub = reg[rows]
    # Individual businesses and cooperatives have no shareholders, officers or (often) capital to change.
    partnerless = np.isin(plan.form[rows], [FORM_INDEX["individual"], FORM_INDEX["coop"]])
    odd = item.is_in(["注册资本变更", "投资人(股权)变更", "高级管理人员备案（董事、监事、经理等）"]).to_numpy()
    item = either(odd & (partnerless | (sub["capital_text"] == "").to_numpy()), "经营范围变更", item)
    part = plan.take(rows)
    n = len(rows)
    person = people.person_names(rng, vocab, n)
    other = people.person_names(rng, vocab, n)
    cols = {
        "经营范围变更": (scopes(rng, part, pool), sub["scope"]),
        "注册资本变更": ((sub["registered_capital"].cast(pl.Float64).fill_null(0) / 20_000).floor().clip(1)
                   .cast(pl.Int64).cast(pl.String) + "万元人民币", sub["capital_text"]),
        "投资人(股权)变更": (person + "、" + other, sub["legal_rep"] + "、" + other),
        "法定代表人变更": (person, sub["legal_rep"]),
        "住所变更": (people.county_addresses(rng, vocab, part.township), sub["address"]),
        "高级管理人员备案（董事、监事、经理等）": (person + OFFICER, sub["legal_rep"] + OFFICER),
        "章程备案": (pl.repeat("", n, eager=True, dtype=pl.String), pl.repeat("", n, eager=True, dtype=pl.String)),
        "名称变更": (names(rng, vocab, part, people.brands(rng, vocab, n), sub["legal_rep"]), sub["name"]),
    }
    before = after = pl.repeat("", n, eager=True, dtype=pl.String)
    for key, (b, a) in cols.items():
        mask = (item == key).to_numpy()
        before, after = either(mask, b, before), either(mask, a, after)
    frame = pl.DataFrame({"row": rows, "day": _dates(rng, part.established), "item": item,
                          "before": before, "after": after})
    return frame.unique(subset=["row", "item"], keep="first", maintain_order=True)


def abnormal(rng: np.random.Generator, vocab: Vocabulary, reg: pl.DataFrame, plan: Plan,
             eligible: np.ndarray) -> pl.DataFrame:
    rows = _subjects(rng, eligible, SHARE["abnormal"])
    reasons = vocab.ordinary["abnormal_reasons"]
    reason = pick([r for r, _ in reasons], draw(rng, [w for _, w in reasons], len(rows)))
    individual = plan.form[rows] == FORM_INDEX["individual"]
    reason = either(individual, vocab.ordinary["abnormal_reason_individual"], reason)
    decider = either((reg["registrar"][rows] == vocab.places["registrars"]["civil"]).to_numpy(),
                     vocab.places["registrars"]["county"], reg["registrar"][rows])
    return pl.DataFrame({"row": rows, "day": _dates(rng, plan.established[rows]), "reason": reason,
                         "decider": decider})


def judicial(rng: np.random.Generator, vocab: Vocabulary, plan: Plan, eligible: np.ndarray) -> pl.DataFrame:
    rows = _subjects(rng, eligible, SHARE["judicial"], most=2)
    n = len(rows)
    cases = vocab.ordinary["judicial"]
    choice = draw(rng, [c[2] for c in cases], n)
    kind = pick([c[1] for c in cases], choice)
    days = _dates(rng, plan.established[rows])
    year = pl.Series(days, dtype=pl.Int32).cast(pl.Date).dt.year().cast(pl.String)
    places = vocab.places
    execution = (kind == "执行案件").to_numpy()
    number = ("(" + year + ")" + places["court_code"] + either(execution, "执", "民初")
              + pl.Series(rng.integers(1, 5000, n)).cast(pl.String) + "号")
    role = either(execution, either(rng.random(n) < 0.5, "被执行人", "申请执行人"),
                  either(rng.random(n) < 0.45, "原告", "被告"))
    return pl.DataFrame({"row": rows, "day": days, "number": number, "cause": pick([c[0] for c in cases], choice),
                         "kind": kind, "role": role, "court": pl.repeat(places["court"], n, eager=True)})


def _text_columns(sub: pl.DataFrame) -> dict[str, pl.Expr]:
    return {"name": pl.col("name"), "brand": pl.col("brand"), "phone": pl.col("phone"), "town": pl.col("town"),
            "yuan": pl.col("yuan"), "people": pl.col("people").cast(pl.String), "year": pl.col("year")}


def ads(rng: np.random.Generator, vocab: Vocabulary, reg: pl.DataFrame, plan: Plan,
        eligible: np.ndarray) -> pl.DataFrame:
    """Ordinary promotion: new tea, room rates, opening discounts; no promises of returns."""
    templates = [(t.key, a) for t in vocab.trades for a in t.ads]
    has_ads = np.asarray([bool(t.ads) for t in vocab.trades])[plan.trade]
    rows = _subjects(rng, eligible & has_ads, SHARE["ads"], most=2)
    which = _eligible_templates(rng, vocab, plan.trade[rows], lambda i, key: templates[i][0] == key, len(templates))
    sub = reg[rows].with_columns(yuan=pl.lit(""), people=pl.lit(0), year=pl.lit(""))
    text = _templated(sub, which, [a for _, a in templates], _text_columns(sub), rng)
    channels = vocab.ordinary["ad_channels"]
    return pl.DataFrame({"row": rows, "day": _dates(rng, plan.established[rows], recent_years=4),
                         "channel": pick(channels, rng.integers(0, len(channels), len(rows))), "text": text})


def reports(rng: np.random.Generator, vocab: Vocabulary, reg: pl.DataFrame, plan: Plan,
            eligible: np.ndarray) -> pl.DataFrame:
    """Everyday complaints: shoddy goods, unpaid deposits, wage arrears; one group of people each."""
    templates = vocab.ordinary["complaints"]
    rows = _subjects(rng, eligible, SHARE["reports"])
    which = _eligible_templates(rng, vocab, plan.trade[rows], lambda i, key: key in templates[i][1], len(templates))
    rows, which = rows[which >= 0], which[which >= 0]
    n = len(rows)
    lo = np.asarray([t[2][0] for t in templates])[which]
    hi = np.asarray([t[2][1] for t in templates])[which]
    count = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    money = [t[3] or [0, 0] for t in templates]
    a_lo = np.asarray([m[0] for m in money])[which]
    a_hi = np.asarray([m[1] for m in money])[which]
    amount = np.round((a_lo + rng.random(n) * (a_hi - a_lo)) / 100) * 100
    sub = reg[rows].with_columns(yuan=pl.Series(amount.astype(np.int64)).cast(pl.String),
                                 people=pl.Series(count), year=pl.lit(""))
    text = _templated(sub, which, [t[0] for t in templates], _text_columns(sub), rng)
    channels = vocab.lure["report_channels"]
    stated = pl.Series(amount, dtype=pl.Float64).cast(pl.Decimal(20, 2))
    return pl.DataFrame({
        "row": rows, "day": _dates(rng, plan.established[rows]),
        "channel": pick(channels, rng.integers(0, len(channels), n)), "text": text,
        "people": pl.Series(count, dtype=pl.Int64),
        "amount": stated.zip_with(pl.Series(a_hi > 0), pl.Series([None] * n, dtype=pl.Decimal(20, 2))),
    })


def news(rng: np.random.Generator, vocab: Vocabulary, reg: pl.DataFrame, plan: Plan,
         eligible: np.ndarray) -> pl.DataFrame:
    """Local press about ordinary subjects: mostly good news, now and then a failed test or an accident."""
    templates = vocab.ordinary["news"]
    rows = _subjects(rng, eligible, SHARE["news"])
    which = _eligible_templates(rng, vocab, plan.trade[rows],
                                lambda i, key: not templates[i][2] or key in templates[i][2], len(templates))
    rows, which = rows[which >= 0], which[which >= 0]
    days = _dates(rng, plan.established[rows])
    year = pl.Series(days, dtype=pl.Int32).cast(pl.Date).dt.year().cast(pl.String)
    sub = reg[rows].with_columns(yuan=pl.lit(""), people=pl.lit(0), year=year)
    title = _templated(sub, which, [t[0] for t in templates], _text_columns(sub), rng)
    body = _templated(sub, which, [t[1] for t in templates], _text_columns(sub), rng)
    lo = np.asarray([t[3][0] for t in templates])[which]
    hi = np.asarray([t[3][1] for t in templates])[which]
    sources = vocab.lure["news_sources"]
    return pl.DataFrame({"row": rows, "day": days, "title": title, "text": body,
                         "source": pick(sources, rng.integers(0, len(sources), len(rows))),
                         "sentiment": np.round(lo + rng.random(len(rows)) * (hi - lo), 2)})
