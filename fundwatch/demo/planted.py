"""The planted risky outfits: one fundraising guise each, with the traces the seeds describe.

An outfit goes through a life: it recruits (ads, a tip-off), strains (late
payouts, complaints, lawsuits) or collapses (unpaid money, lost contact, police,
bad press). Which traces it leaves is drawn per outfit, so no two look alike and
not every one shows everything; some hide behind an ordinary name and scope and
are given away only by what they promise or by who complains.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from fundwatch.demo import people
from fundwatch.demo.common import (
    EARLIEST_SIGNAL,
    NEW_SCOPE_STYLE,
    REF_DATE,
    Filler,
    Weighted,
    day_number,
    from_day,
)
from fundwatch.demo.registry import CAPITAL_STYLES, FORM_INDEX, JOINT_STOCK, ROUND_SUMS
from fundwatch.demo.vocab import FORMS, Guise, Trade, Vocabulary

STAGES = (("recruiting", 45), ("strained", 30), ("collapsed", 25))
# The chance of each kind of trace, by stage.
SIGNAL_ODDS = {
    "recruiting": {"ads": 0.9, "reports": 0.2, "churn": 0.25, "abnormal": 0.05, "judicial": 0.03, "news": 0.08},
    "strained": {"ads": 0.7, "reports": 0.6, "churn": 0.45, "abnormal": 0.2, "judicial": 0.35, "news": 0.3},
    "collapsed": {"ads": 0.5, "reports": 0.85, "churn": 0.45, "abnormal": 0.6, "judicial": 0.7, "news": 0.65},
}
NAME_GIVES_AWAY = 0.5  # share whose name carries a telling word
SCOPE_GIVES_AWAY = 0.7  # share whose business scope carries telling clauses
REGISTERED_AWAY = 0.2  # share registered outside the county that operates in it (异地注册本地经营)
RING = 0.15  # share run by a controller who already runs another planted outfit
FINANCE = {"p2p", "crowdfunding", "investment_intermediary", "private_fund", "guarantee", "pawn_leasing",
           "precious_metals", "exchange", "virtual_currency"}
DISCLAIMER = "（未经金融等监管部门批准，不得从事吸收存款、融资担保、代客理财、向社会公众集（融）资等金融业务）"
KEY_CHANGES = ("住所变更", "法定代表人变更", "名称变更")
STATUS_BY_STAGE = {
    "recruiting": (("存续（在营、开业、在册）", 6), ("在业", 3), ("存续", 1)),
    "strained": (("存续（在营、开业、在册）", 6), ("在业", 2), ("存续", 2)),
    "collapsed": (("存续（在营、开业、在册）", 4), ("存续", 2), ("吊销，未注销", 3), ("迁出", 1)),
}


@dataclass
class Outfit:
    """One planted subject: where its registry row is, what it looks like, and its side-table rows."""

    row: int
    guise: str
    stage: str
    form: int
    area: int
    township: int
    established: int
    fields: dict[str, Any] = field(default_factory=dict)
    side: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


STAGE = Weighted(STAGES)
STATUS = {stage: Weighted(pairs) for stage, pairs in STATUS_BY_STAGE.items()}
CAPITAL_STYLE = Weighted(CAPITAL_STYLES["CNY"])


def _form_compatible(word: str, form: str) -> bool:
    return word.endswith("社") == (form == "coop")


class _Ctx:
    """The draws and lookups shared by all outfits of a chunk."""

    def __init__(self, prng: random.Random, vocab: Vocabulary) -> None:
        self.prng, self.vocab = prng, vocab
        self.rings: list[tuple[str, str]] = []
        self.area_cum = list(itertools.accumulate(vocab.area_weights))
        self.town_cum = list(itertools.accumulate(
            w * (3 if i == 0 else 1) for i, w in enumerate(vocab.places["township_weights"])))
        self.guises = {g.key: g for g in vocab.guises}
        self.form = {g.key: Weighted(g.forms) for g in vocab.guises}
        self.judicial = {g.key: Weighted([((c, k), w) for c, k, w in g.judicial]) for g in vocab.guises}
        self.suffix = Weighted(vocab.forms["company"].suffixes)
        self.entity = {f: Weighted([k for k in form.entity_types if k[2] == "CNY"])
                       for f, form in vocab.forms.items()}
        self.abnormal = Weighted(vocab.lure["abnormal_reasons"])
        self._words: dict[tuple[str, str], tuple[list[str], list[Trade]]] = {}

    def words(self, guise: Guise, form: str) -> tuple[list[str], list[Trade]]:
        """The telling name words of a guise that fit a form, and the trades it may hide behind."""
        key = (guise.key, form)
        if key not in self._words:
            trades = [self.vocab.trade(k) for k in guise.cover]
            covers = [t for t in trades if t.form == form] or trades
            self._words[key] = ([w for w in guise.names if _form_compatible(w, form)], covers)
        return self._words[key]


def _name(ctx: _Ctx, form: str, area: int, township: int, brand: str, word: str) -> str:
    prng, vocab = ctx.prng, ctx.vocab
    county = vocab.county_name
    town = vocab.townships[township]
    if form == "company":
        if area >= 0:
            prefix = vocab.areas[area].short
        else:
            prefix = prng.choice(["西双版纳", "勐海", "勐海县", "云南", "云南勐海"])
        return prefix + brand + word + str(ctx.suffix(prng))
    if form == "coop":
        place = prng.choice(["", people.town_short(town.name), prng.choice(town.villages).removesuffix("社区")])
        return county + place + brand + word
    if form == "individual":
        return county + prng.choice(["", town.name]) + brand + word
    return county + brand + word


def _identity(ctx: _Ctx, o: Outfit, guise: Guise, telling_name: bool) -> tuple[str, str, Trade]:
    """Brand, name and the ordinary trade the outfit shows (or hides behind)."""
    prng = ctx.prng
    form = FORMS[o.form]
    telling, covers = ctx.words(guise, form)
    cover = prng.choice(covers)
    brand = people.brand(prng, ctx.vocab)
    ordinary = [w for w in cover.names if _form_compatible(w, form)] or list(cover.names)
    word = prng.choice(telling if telling_name and telling else ordinary)
    return brand, _name(ctx, form, o.area, o.township, brand, word), cover


def _scope(ctx: _Ctx, o: Outfit, guise: Guise, cover: Trade, telling: bool) -> str:
    prng = ctx.prng
    plain = prng.sample(cover.general, min(len(cover.general), prng.randint(1, 3)))
    clauses = list(plain)
    if telling:
        clauses += prng.sample(guise.scope, prng.randint(1, min(3, len(guise.scope))))
        prng.shuffle(clauses)
    disclaimer = DISCLAIMER if guise.key in FINANCE and prng.random() < 0.4 else ""
    if o.established >= day_number(NEW_SCOPE_STYLE):
        return ("一般项目：" + "；".join(clauses) + disclaimer
                + "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）")
    tail = "（依法须经批准的项目，经相关部门批准后方可开展经营活动）" if prng.random() < 0.6 else ""
    return "；".join(clauses) + "。" + disclaimer + tail


def _capital(ctx: _Ctx, low: float, high: float, form: str) -> dict[str, Any]:
    prng = ctx.prng
    wanted = prng.uniform(low, high) if prng.random() < 0.3 else low * (high / max(low, 1)) ** prng.random()
    value = ROUND_SUMS[max(bisect.bisect(ROUND_SUMS, wanted) - 1, 0)]
    text = str(CAPITAL_STYLE(prng)).format(v=value, y=f"{value * 10_000:,}")
    # Outfits register a large capital and pay little or none of it in.
    paid = prng.choice(["", "", "0", "0万元", "10万元"]) if form == "company" else ""
    paid_value = {"": None, "0": Decimal(0), "0万元": Decimal(0), "10万元": Decimal(100_000)}[paid]
    return {"capital_text": text, "paid_text": paid, "registered_capital": Decimal(value * 10_000),
            "paid_in_capital": paid_value, "capital_currency": "CNY"}


def _registry(ctx: _Ctx, o: Outfit, guise: Guise) -> None:
    prng, vocab = ctx.prng, ctx.vocab
    telling_name = prng.random() < NAME_GIVES_AWAY
    brand, name, cover = _identity(ctx, o, guise, telling_name)
    telling_scope = prng.random() < SCOPE_GIVES_AWAY
    if prng.random() < RING and ctx.rings:
        rep, phone = prng.choice(ctx.rings)
    else:
        rep, phone = people.person_name(prng, vocab), people.phone(prng, vocab)
        ctx.rings.append((rep, phone))
    industry = prng.choice(guise.industry if (telling_name or telling_scope) and prng.random() < 0.7
                           else cover.industry)
    here = people.county_address(prng, vocab, o.township)
    if o.area >= 0:
        address, operating = people.away_address(prng, vocab, o.area), here
    else:
        address = here
        operating = prng.choice(["", "", here, people.county_address(prng, vocab, o.township)])
    form = FORMS[o.form]
    kind = str(ctx.entity[form](prng))
    if kind.startswith("股份有限公司"):
        name = re.sub(JOINT_STOCK, "股份有限公司", name)
    low, high = guise.capital if form in ("company", "coop", "nonprofit") else (5, 50)
    o.fields = {
        "name": name, "brand": brand, "legal_rep": rep, "phone": phone, "cover": cover.key,
        "entity_type": kind,
        "scope": _scope(ctx, o, guise, cover, telling_scope),
        "industry_code": industry[0], "industry_name": industry[1],
        "address": address, "operating_address": operating,
        "status": str(STATUS[o.stage](prng)),
        "telling_name": telling_name, "telling_scope": telling_scope,
        **_capital(ctx, low, high, form),
    }


def _between(prng: random.Random, start: int, end: int) -> int:
    return start if end <= start else prng.randint(start, end)


def _timeline(prng: random.Random, o: Outfit) -> tuple[int, int, int]:
    """Days when it starts raising money, when payouts stop (or today), and today."""
    end = day_number(REF_DATE)
    start = min(max(o.established + prng.randint(20, 240), day_number(EARLIEST_SIGNAL)), end - 90)
    if o.stage == "recruiting":
        return max(start, end - 720), end, end
    return start, start + int((end - start) * prng.uniform(0.45, 0.9)), end


def _chinese_date(day: int) -> str:
    d = from_day(day)
    return f"{d.year}年{d.month}月"


def _people_and_money(prng: random.Random) -> tuple[int, Decimal]:
    participants = min(3000, max(3, int(prng.lognormvariate(3.4, 1.0))))
    wan = Decimal(str(round(participants * prng.uniform(1.2, 12.0), 1)))
    return participants, wan


def _filler(ctx: _Ctx, o: Outfit, guise: Guise) -> Filler:
    prng, vocab = ctx.prng, ctx.vocab
    f = o.fields
    town = vocab.townships[o.township]
    fixed = {"brand": f["brand"], "name": f["name"], "town": town.name, "village": prng.choice(town.villages),
             "phone": f["phone"], "addr": f["operating_address"] or f["address"],
             "bank": prng.choice(vocab.lure["banks"])}
    fill = Filler(prng, fixed)
    fixed["product"] = fill(prng.choice(guise.products))
    return fill


def _ads(ctx: _Ctx, o: Outfit, guise: Guise, fill: Filler, span: tuple[int, int]) -> list[dict[str, Any]]:
    prng, lure = ctx.prng, ctx.vocab.lure
    count = {"recruiting": (1, 4), "strained": (1, 3), "collapsed": (1, 2)}[o.stage]
    rows = []
    for _ in range(prng.randint(*count)):
        parts = [fill(prng.choice(guise.pitch))]
        if prng.random() < 0.85:  # the rest only hint: no explicit promise
            parts.append(fill(prng.choice(lure["promises"])))
        if prng.random() < 0.55:
            parts.append(fill(prng.choice(lure["targets"])))
        if prng.random() < 0.7:
            parts.append(fill(prng.choice(lure["closers"])))
        text = "，".join(parts) + prng.choice(["！", "。", "", "！！"])
        rows.append({"date": _between(prng, *span), "channel": prng.choice(lure["ad_channels"]), "text": text})
    return rows


def _report(ctx: _Ctx, guise: Guise, fill: Filler, day: int, suspicion: bool) -> dict[str, Any]:
    prng, lure = ctx.prng, ctx.vocab.lure
    reporter = fill(prng.choice(lure["reporters"]), person=people.person_name(prng, ctx.vocab))
    if suspicion:
        return {"date": day, "channel": prng.choice(lure["report_channels"]), "people": None, "amount": None,
                "text": reporter + fill(prng.choice(lure["suspicions"]))}
    participants, wan = _people_and_money(prng)
    text = fill(prng.choice(guise.complaint), people=str(participants), wan=str(wan), date=_chinese_date(day - 90))
    tail = prng.choice(["", "请求政府帮助追回资金。", "希望有关部门尽快处理。", "请求依法查处。"])
    text += "。" if tail and text[-1] not in "。！" else ""
    told = "{people}" in text or str(participants) in text
    return {"date": day, "channel": prng.choice(lure["report_channels"]), "text": reporter + text + tail,
            "people": participants if told or prng.random() < 0.5 else None,
            "amount": wan * 10_000 if str(wan) in text else None}


def _reports(ctx: _Ctx, o: Outfit, guise: Guise, fill: Filler, times: tuple[int, int, int]) -> list[dict[str, Any]]:
    prng = ctx.prng
    start, turn, end = times
    if o.stage == "recruiting":
        return [_report(ctx, guise, fill, _between(prng, start, end), suspicion=True)]
    count = prng.randint(1, 2) if o.stage == "strained" else prng.randint(1, 4)
    return [_report(ctx, guise, fill, _between(prng, turn, end), suspicion=prng.random() < 0.25)
            for _ in range(count)]


def _chain(ctx: _Ctx, o: Outfit, item: str, steps: int) -> list[str]:
    """Earlier values of a changed item, oldest first, ending with the current one."""
    prng, vocab, f = ctx.prng, ctx.vocab, o.fields
    current = {"住所变更": f["address"], "法定代表人变更": f["legal_rep"], "名称变更": f["name"],
               "经营范围变更": f["scope"], "注册资本变更": f["capital_text"]}.get(item)
    earlier: list[str] = []
    for _ in range(steps):
        if item == "住所变更" and prng.random() < 0.7:
            earlier.append(people.county_address(prng, vocab, prng.randrange(len(vocab.townships))))
        elif item == "住所变更":
            earlier.append(people.away_address(prng, vocab, prng.randrange(len(vocab.areas))))
        elif item == "名称变更":
            earlier.append(_identity(ctx, o, ctx.guises[o.guise], not f["telling_name"])[1])
        elif item == "经营范围变更":
            earlier.append(prng.choice(vocab.trade(prng.choice(ctx.guises[o.guise].cover)).general) + "。")
        elif item == "法定代表人变更":
            earlier.append(people.person_name(prng, vocab))
        elif item == "注册资本变更":
            earlier.append(f"{prng.choice([10, 50, 100, 200])}万元人民币")
        elif item == "高级管理人员备案（董事、监事、经理等）":
            earlier.append(f"{people.person_name(prng, vocab)}（执行董事兼总经理）")
        else:
            earlier.append(f"{people.person_name(prng, vocab)}、{people.person_name(prng, vocab)}")
    tail = {"高级管理人员备案（董事、监事、经理等）": f"{f['legal_rep']}（执行董事兼总经理）",
            "投资人(股权)变更": f"{f['legal_rep']}、{people.person_name(prng, vocab)}"}.get(item, current)
    return [*earlier, str(tail)]


def _churn(ctx: _Ctx, o: Outfit, times: tuple[int, int, int]) -> list[dict[str, Any]]:
    """Three to six changes within twelve months, at least three of address, legal rep or name."""
    prng, lure = ctx.prng, ctx.vocab.lure
    start, _, end = times
    first = _between(prng, max(start - 200, o.established + 1), max(end - 365, o.established + 1))
    items = [prng.choice(KEY_CHANGES) for _ in range(3)] + [prng.choice(lure["change_items"])
                                                          for _ in range(prng.randint(0, 3))]
    days = sorted(_between(prng, first, min(first + 360, end)) for _ in items)
    prng.shuffle(items)
    rows = []
    for item, group in itertools.groupby(sorted(zip(items, days, strict=True)), key=lambda p: p[0]):
        dated = list(group)
        values = _chain(ctx, o, item, len(dated))
        rows += [{"date": d, "item": item, "before": values[i], "after": values[i + 1]}
                 for i, (_, d) in enumerate(dated)]
    return rows


def _abnormal(ctx: _Ctx, o: Outfit, times: tuple[int, int, int]) -> list[dict[str, Any]]:
    prng, vocab = ctx.prng, ctx.vocab
    _, turn, end = times
    decider = vocab.areas[o.area].registrar if o.area >= 0 else vocab.places["registrars"]["county"]
    return [{"date": _between(prng, turn, end), "reason": str(ctx.abnormal(prng)),
             "decider": decider} for _ in range(1 if prng.random() < 0.75 else 2)]


def _case_number(prng: random.Random, vocab: Vocabulary, day: int, kind: str) -> tuple[str, str]:
    places = vocab.places
    year = from_day(day).year
    if kind == "刑事案件":
        return f"({year}){places['court_code']}刑初{prng.randint(1, 300)}号", places["court"]
    if kind == "执行案件":
        return f"({year}){places['court_code']}执{prng.randint(1, 3000)}号", places["court"]
    if prng.random() < 0.12:
        return f"({year}){places['appeal_code']}民终{prng.randint(1, 2000)}号", places["appeal_court"]
    return f"({year}){places['court_code']}民初{prng.randint(1, 5000)}号", places["court"]


def _judicial(ctx: _Ctx, o: Outfit, guise: Guise, times: tuple[int, int, int]) -> list[dict[str, Any]]:
    prng = ctx.prng
    start, turn, end = times
    count = {"recruiting": 1, "strained": prng.randint(1, 2), "collapsed": prng.randint(1, 4)}[o.stage]
    rows = []
    for _ in range(count):
        cause, kind = ctx.judicial[guise.key](prng)
        if o.stage == "recruiting" and kind == "刑事案件":
            cause, kind = "民间借贷纠纷", "民事案件"
        day = _between(prng, turn if o.stage != "recruiting" else start, end)
        number, court = _case_number(prng, ctx.vocab, day, kind)
        role = {"刑事案件": "被告单位", "执行案件": "被执行人"}.get(kind, "被告")
        rows.append({"date": day, "number": number, "cause": cause, "kind": kind, "role": role, "court": court})
        if kind == "民事案件" and day + 90 < end and prng.random() < 0.3:
            later = _between(prng, day + 90, end)
            number, court = _case_number(prng, ctx.vocab, later, "执行案件")
            rows.append({"date": later, "number": number, "cause": cause, "kind": "执行案件", "role": "被执行人",
                         "court": court})
    return rows


def _news(ctx: _Ctx, o: Outfit, guise: Guise, fill: Filler, times: tuple[int, int, int]) -> list[dict[str, Any]]:
    prng, lure = ctx.prng, ctx.vocab.lure
    start, turn, end = times
    count = {"recruiting": 1, "strained": 1, "collapsed": prng.randint(1, 3)}[o.stage]
    rows = []
    for _ in range(count):
        participants, wan = _people_and_money(prng)
        extra = {"people": str(participants), "wan": str(wan), "channel": prng.choice(lure["ad_channels"]),
                 "target": prng.choice(["老年人", "农民", "退休职工", "大学生", "茶农", "村民"]),
                 "promise": fill(prng.choice(lure["promises"]))}
        title = fill(prng.choice(guise.news), **extra)
        if o.stage == "recruiting":
            title = f"县打非办提示：警惕以'{guise.zh}'为名的高息宣传"
        rows.append({"date": _between(prng, turn if o.stage != "recruiting" else start, end), "title": title,
                     "text": fill(prng.choice(lure["news_bodies"]), **extra),
                     "source": prng.choice(lure["news_sources"]),
                     "sentiment": round(prng.uniform(-0.95, -0.35), 2)})
    return rows


def _traces(prng: random.Random, o: Outfit) -> set[str]:
    """Which kinds of trace this outfit leaves; always something that shows it raises money."""
    odds = SIGNAL_ODDS[o.stage]
    kinds = {k for k, p in odds.items() if prng.random() < p}
    telling = o.fields["telling_name"] or o.fields["telling_scope"]
    if not (telling or kinds & {"ads", "reports"}):
        kinds.add("ads" if o.stage == "recruiting" else "reports")
    if len(kinds) + telling + (o.area >= 0) < 2:
        kinds.add(prng.choice(["ads", "reports"]))
    return kinds


def _side(ctx: _Ctx, o: Outfit, guise: Guise) -> None:
    prng = ctx.prng
    times = _timeline(prng, o)
    fill = _filler(ctx, o, guise)
    kinds = _traces(prng, o)
    side: dict[str, list[dict[str, Any]]] = {}
    if "ads" in kinds:
        side["ads"] = _ads(ctx, o, guise, fill, (times[0], times[1]))
    if "reports" in kinds:
        side["reports"] = _reports(ctx, o, guise, fill, times)
    if "churn" in kinds:
        side["changes"] = _churn(ctx, o, times)
    if "abnormal" in kinds:
        side["abnormal"] = _abnormal(ctx, o, times)
    if "judicial" in kinds:
        side["judicial"] = _judicial(ctx, o, guise, times)
    if "news" in kinds:
        side["news"] = _news(ctx, o, guise, fill, times)
    o.side = side


def _established(prng: random.Random) -> int:
    start, end = day_number(date(2013, 1, 1)), day_number(REF_DATE) - 150
    return start + int((end - start) * prng.random() ** 0.6)


def plant(prng: random.Random, vocab: Vocabulary, rows: list[int], guise_keys: list[str]) -> list[Outfit]:
    """The planted outfits at the given registry rows, one guise each."""
    ctx = _Ctx(prng, vocab)
    outfits = []
    for row, key in zip(rows, guise_keys, strict=True):
        guise = ctx.guises[key]
        form = str(ctx.form[key](prng))
        away = form == "company" and prng.random() < REGISTERED_AWAY
        area = prng.choices(range(len(vocab.areas)), cum_weights=ctx.area_cum)[0] if away else -1
        township = prng.choices(range(len(vocab.townships)), cum_weights=ctx.town_cum)[0]
        o = Outfit(row, key, str(STAGE(prng)), FORM_INDEX[form], area, township, _established(prng))
        _registry(ctx, o, guise)
        _side(ctx, o, guise)
        outfits.append(o)
    return outfits
