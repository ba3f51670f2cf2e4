"""The registry body of the demo county: every column drawn for all rows at once.

`draw_plan` decides the numbers behind each row (trade, form, township, where it
is registered, when); the planted outfits may overwrite them; `registry_columns`
then turns the plan into the columns an office's export carries, messy formats
included.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from fundwatch.demo import people
from fundwatch.demo.common import (
    EARLIEST_ESTABLISHED,
    NEW_SCOPE_STYLE,
    REF_DATE,
    by_group,
    day_number,
    draw,
    either,
    pick,
    probabilities,
)
from fundwatch.demo.vocab import FORMS, Trade, Vocabulary
from fundwatch.domain.uscc import ORG_WEIGHTS, USCC_ALPHABET, USCC_WEIGHTS

FORM_INDEX = {f: i for i, f in enumerate(FORMS)}
# Round sums a registration is made in (万元); drawn capitals snap down to one of them.
ROUND_SUMS = (1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 60, 80, 100, 120, 150, 200, 300, 500, 600, 800,
              1000, 1200, 1500, 2000, 3000, 5000, 6000, 8000, 10000)
# How capital is typed, by currency: "{v}" is the sum in 万, "{y}" the sum in units with thousands separators.
CAPITAL_STYLES = {
    "CNY": (("{v}万元人民币", 30), ("{v}万元", 25), ("{y}元", 10), ("{v}.000000万人民币", 10), ("{v}万(元)", 8),
            ("{v}万人民币", 10), ("{v}万", 4), ("人民币{v}万元", 3)),
    "USD": (("{v}万美元", 6), ("{v}万(美元)", 2), ("{v}.000000万美元", 2)),
    "HKD": (("{v}万港元", 6), ("{v}万港币", 4)),
}
# How dates are typed (chrono formats); the last style is an Excel serial number.
DATE_STYLES = (("%Y-%m-%d", 45), ("%Y/%-m/%-d", 20), ("%Y年%-m月%-d日", 20), ("%Y%m%d", 10),
               ("%Y-%m-%d 00:00:00", 4), ("excel", 1))
STATUSES = (("存续（在营、开业、在册）", 45), ("在业", 20), ("开业", 5), ("存续", 15), ("吊销，未注销", 6),
            ("注销", 8), ("迁出", 1))
SCOPE_VARIANTS = 24
# Old registrations (before the 2015 reform) keep their organisation code, all digits.
OLD_CODES_BEFORE = date(2015, 10, 1)
_EXCEL_EPOCH = day_number(date(1899, 12, 30))
_COMPANY_PREFIXES = (("西双版纳", 3), ("勐海", 3), ("勐海县", 2), ("云南", 2), ("云南勐海", 1), ("西双版纳勐海", 0.5))
# A joint-stock company's name ends in 股份有限公司, whatever suffix was drawn.
JOINT_STOCK = r"(有限责任公司|有限公司)$"
_BRANCH_TAILS = ("勐海分公司", "勐海县分公司", "勐海第一分公司", "西双版纳勐海分公司")


@dataclass
class Plan:
    """The numbers behind each registry row of a chunk."""

    trade: np.ndarray  # index into vocab.trades
    form: np.ndarray  # index into FORMS
    township: np.ndarray  # index into vocab.townships (where it sits or operates)
    area: np.ndarray  # index into vocab.areas where registered elsewhere, else -1
    established: np.ndarray  # day numbers
    co_branch: np.ndarray  # a local branch (分公司) of a company registered elsewhere

    def take(self, rows: np.ndarray) -> Plan:
        return Plan(self.trade[rows], self.form[rows], self.township[rows], self.area[rows],
                    self.established[rows], self.co_branch[rows])


def _established(rng: np.random.Generator, n: int) -> np.ndarray:
    # Registrations grow year on year: a linearly rising density over the span.
    start, end = day_number(EARLIEST_ESTABLISHED), day_number(REF_DATE) - 1
    return (start + np.sqrt(rng.random(n)) * (end - start)).astype(np.int64)


def draw_plan(rng: np.random.Generator, vocab: Vocabulary, n: int) -> Plan:
    trades = vocab.trades
    trade = draw(rng, [t.weight for t in trades], n)
    form = np.asarray([FORM_INDEX[t.form] for t in trades])[trade]
    away_share = np.asarray([t.away for t in trades])[trade]
    away = rng.random(n) < away_share
    area = np.where(away, rng.choice(len(vocab.areas), size=n, p=probabilities(vocab.area_weights)), -1)
    co_branch = (form == FORM_INDEX["company"]) & ~away & (rng.random(n) < 0.03)
    township = draw(rng, vocab.places["township_weights"], n)
    return Plan(trade, form, township, area, _established(rng, n), co_branch)


def _org8(index: np.ndarray, old: np.ndarray, salt: int) -> np.ndarray:
    """Organisation codes, unique per global row index: "MA" + six base-31 characters, or eight digits."""
    alphabet = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)
    out = np.empty((len(index), 8), dtype=np.uint8)
    new = (index * 5_829_781 + salt) % 31**6
    out[:, 0], out[:, 1] = ord("M"), ord("A")
    for pos in range(7, 1, -1):
        new, digit = np.divmod(new, 31)
        out[:, pos] = alphabet[digit]
    legacy = 50_000_000 + (index * 7_368_787 + salt) % 30_000_000
    digits = np.empty((len(index), 8), dtype=np.uint8)
    for pos in range(7, -1, -1):
        legacy, digit = np.divmod(legacy, 10)
        digits[:, pos] = ord("0") + digit
    return np.where(old[:, None], digits, out)


def make_usccs(code2: np.ndarray, region: np.ndarray, org8: np.ndarray) -> pl.Series:
    """Valid USCCs from (authority+type, region, organisation code) byte arrays, check characters computed."""
    n = len(org8)
    chars = np.empty((n, 18), dtype=np.uint8)
    chars[:, 0:2] = code2.view(np.uint8).reshape(n, 2)
    chars[:, 2:8] = region.view(np.uint8).reshape(n, 6)
    chars[:, 8:16] = org8
    org_value = np.zeros(256, dtype=np.int64)
    org_value[48:58] = np.arange(10)
    org_value[65:91] = np.arange(10, 36)
    rest = 11 - (org_value[chars[:, 8:16]] * np.asarray(ORG_WEIGHTS)).sum(axis=1) % 11
    chars[:, 16] = np.where(rest == 10, ord("X"), np.where(rest == 11, ord("0"), ord("0") + rest % 10))
    uscc_value = np.zeros(256, dtype=np.int64)
    uscc_value[np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)] = np.arange(31)
    check = (31 - (uscc_value[chars[:, :17]] * np.asarray(USCC_WEIGHTS)).sum(axis=1) % 31) % 31
    chars[:, 17] = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)[check]
    return pl.Series(np.ascontiguousarray(chars).view("S18").ravel()).cast(pl.String)


def usccs(plan: Plan, vocab: Vocabulary, first_row: int, salt: int) -> pl.Series:
    n = len(plan.form)
    codes = np.asarray([vocab.forms[f].code for f in FORMS], dtype="S2")[plan.form]
    codes = np.where(plan.co_branch, np.asarray(b"91", dtype="S2"), codes)
    area_codes = np.asarray([a.code for a in vocab.areas] + [vocab.county_code], dtype="S6")
    region = area_codes[np.where(plan.area >= 0, plan.area, len(vocab.areas))]
    legacy_form = np.isin(plan.form, [FORM_INDEX["company"], FORM_INDEX["sole"], FORM_INDEX["branch"]])
    old = legacy_form & (plan.established < day_number(OLD_CODES_BEFORE))
    org8 = _org8(first_row + np.arange(n, dtype=np.int64), old, salt)
    return make_usccs(codes, region, org8)


def _by_trade(rng: np.random.Generator, plan: Plan, pools: list[tuple[str, ...]]) -> np.ndarray:
    """For each row, an index into the flattened per-trade pools (one pool per trade)."""
    offsets = np.cumsum([0] + [len(p) for p in pools])[:-1]
    counts = np.asarray([len(p) for p in pools])
    return np.asarray(offsets[plan.trade] + (rng.random(len(plan.trade)) * counts[plan.trade]).astype(np.int64))


def _flat(pools: list[tuple[str, ...]]) -> list[str]:
    return [x for p in pools for x in p]


def names(rng: np.random.Generator, vocab: Vocabulary, plan: Plan, brand: pl.Series, person: pl.Series) -> pl.Series:
    """Names built the way real ones are: place + brand + trade word + organisational form."""
    trades = vocab.trades
    word = pick(_flat([t.names for t in trades]), _by_trade(rng, plan, [t.names for t in trades]))
    county = vocab.county_name
    short_county = county.removesuffix("县")
    towns = [t.name for t in vocab.townships]
    shorts = [people.town_short(t) for t in towns]

    def part(rows: np.ndarray) -> tuple[pl.Series, pl.Series, np.ndarray]:
        return brand.gather(rows), word.gather(rows), rng.random(len(rows))

    def company(rows: np.ndarray) -> pl.Series:
        b, w, _ = part(rows)
        prefix = pick([p[0] for p in _COMPANY_PREFIXES], draw(rng, [p[1] for p in _COMPANY_PREFIXES], len(rows)))
        area = plan.area[rows]
        prefix = either(area >= 0, pick([a.short for a in vocab.areas] + [""], np.where(area >= 0, area, -1)), prefix)
        return prefix + b + w + _suffixes(rng, vocab, len(rows))

    def co_branch(rows: np.ndarray) -> pl.Series:
        b, w, _ = part(rows)
        head = pick(["云南", "昆明", "景洪", "西双版纳"], rng.integers(0, 4, len(rows)))
        return head + b + w + _suffixes(rng, vocab, len(rows)) + pick(
            _BRANCH_TAILS, rng.integers(0, len(_BRANCH_TAILS), len(rows)))

    def individual(rows: np.ndarray) -> pl.Series:
        b, w, u = part(rows)
        town = pick(towns, plan.township[rows])
        by_person = either(u < 0.8, county + town + person.gather(rows) + w, short_county + b + w)
        return either(u < 0.4, county + town + b + w, either(u < 0.65, county + b + w, by_person))

    def coop(rows: np.ndarray) -> pl.Series:
        b, w, u = part(rows)
        town = pick(shorts, plan.township[rows])
        village = people.villages(rng, vocab, plan.township[rows])
        village = either(village.str.ends_with("村").to_numpy(), village, town)
        return county + either(u < 0.4, village, either(u < 0.75, "", town)) + b + w

    def branch(rows: np.ndarray) -> pl.Series:
        b, w, u = part(rows)
        parent = pick(_flat([t.parents or ("",) for t in trades]),
                      _by_trade(rng, plan.take(rows), [t.parents or ("",) for t in trades]))
        streets = vocab.places["seat_streets"]
        street = pick(streets, rng.integers(0, len(streets), len(rows)))
        u2 = rng.random(len(rows))
        town = pick(shorts, plan.township[rows])
        place = either((u2 < 0.4) & (plan.township[rows] != 0), town, either(u2 < 0.7, street, b))
        return parent + either(u < 0.5, county, short_county) + place + w

    def plain(rows: np.ndarray) -> pl.Series:
        b, w, u = part(rows)
        return either(u < 0.6, county + b + w, county + pick(towns, plan.township[rows]) + b + w)

    makers = {FORM_INDEX["company"]: company, FORM_INDEX["individual"]: individual, FORM_INDEX["coop"]: coop,
              FORM_INDEX["branch"]: branch, FORM_INDEX["nonprofit"]: plain, FORM_INDEX["sole"]: plain, -1: co_branch}
    return by_group(np.where(plan.co_branch, -1, plan.form), makers)


def _suffixes(rng: np.random.Generator, vocab: Vocabulary, n: int) -> pl.Series:
    suffixes = vocab.forms["company"].suffixes
    return pick([s for s, _ in suffixes], draw(rng, [w for _, w in suffixes], n))


def unique_names(
    rng: np.random.Generator, vocab: Vocabulary, plan: Plan, person: pl.Series, taken: pl.Series
) -> tuple[pl.Series, pl.Series]:
    """Names and brands, re-drawing brands until no two rows share a name (nor one of `taken`)."""
    brand = people.brands(rng, vocab, len(plan.trade))
    name = names(rng, vocab, plan, brand, person)
    for _ in range(8):
        again = name.is_duplicated().to_numpy() & (np.arange(len(name)) != _first_index(name))
        repeat = np.flatnonzero(again | name.is_in(taken.implode()).to_numpy())
        if not len(repeat):
            break
        fresh = people.brands(rng, vocab, len(repeat))
        brand = brand.scatter(repeat, fresh)
        name = name.scatter(repeat, names(rng, vocab, plan.take(repeat), fresh, person.gather(repeat)))
    return name, brand


def _first_index(values: pl.Series) -> np.ndarray:
    frame = pl.DataFrame({"v": values, "i": pl.int_range(len(values), eager=True)})
    return frame.select(pl.col("i").first().over("v")).to_series().to_numpy()


def _scope_text(prng: random.Random, trade: Trade, new_style: bool) -> str:
    def some(items: tuple[str, ...], least: int) -> list[str]:
        if len(items) <= least:
            return list(items)
        keep = sorted(prng.sample(range(len(items)), prng.randint(least, len(items))))
        return [items[i] for i in keep]

    short = trade.form == "individual"
    licensed = some(trade.licensed, 0 if short else 1) if trade.licensed else []
    general = some(trade.general, 1 if short else 2) + [c for c, share in trade.extras if prng.random() < share]
    if new_style and not short:
        text = ""
        if licensed:
            text = ("许可项目：" + "；".join(licensed) + "（依法须经批准的项目，经相关部门批准后方可开展经营活动，"
                    "具体经营项目以相关部门批准文件或许可证件为准）")
        return text + "一般项目：" + "；".join(general) + "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
    sep = "、" if short or prng.random() < 0.4 else "；"
    text = sep.join(licensed + general) + "。"
    if not short and prng.random() < 0.6:
        text += "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
    return text


def scope_pool(prng: random.Random, vocab: Vocabulary) -> list[str]:
    """SCOPE_VARIANTS old-style then SCOPE_VARIANTS new-style scopes for each trade, in trade order."""
    return [_scope_text(prng, t, new) for t in vocab.trades for new in (False, True) for _ in range(SCOPE_VARIANTS)]


def scopes(rng: np.random.Generator, plan: Plan, pool: list[str]) -> pl.Series:
    new = plan.established >= day_number(NEW_SCOPE_STYLE)
    idx = plan.trade * 2 * SCOPE_VARIANTS + new * SCOPE_VARIANTS + rng.integers(0, SCOPE_VARIANTS, len(new))
    return pick(pool, idx)


def _thousands(units: int) -> str:
    return f"{units:,}"


def capital_table() -> dict[str, list[str]]:
    """For each currency, the capital texts of every (round sum, style): index = sum * styles + style."""
    table: dict[str, list[str]] = {}
    for currency, styles in CAPITAL_STYLES.items():
        table[currency] = [s.format(v=v, y=_thousands(v * 10_000)) for v in ROUND_SUMS for s, _ in styles]
    return table


def capital_sums(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Indices into ROUND_SUMS, log-uniform between low and high 万元."""
    lo, hi = np.log(np.maximum(low, 1)), np.log(np.maximum(high, 1))
    wanted = np.exp(lo + rng.random(len(low)) * (hi - lo))
    return np.asarray(np.clip(np.searchsorted(ROUND_SUMS, wanted, side="right") - 1, 0, len(ROUND_SUMS) - 1))


def capital_texts(rng: np.random.Generator, sums: np.ndarray, currency: pl.Series) -> pl.Series:
    table = capital_table()
    out = None
    for cur, styles in CAPITAL_STYLES.items():
        style = draw(rng, [w for _, w in styles], len(sums))
        texts = pick(table[cur], sums * len(styles) + style)
        out = texts if out is None else either((currency == cur).to_numpy(), texts, out)
    assert out is not None
    return out


def date_texts(rng: np.random.Generator, days: np.ndarray) -> pl.Series:
    """Dates in the mixed formats of office exports."""
    style = draw(rng, [w for _, w in DATE_STYLES], len(days))

    def maker(fmt: str) -> Callable[[np.ndarray], pl.Series]:
        def make(rows: np.ndarray) -> pl.Series:
            if fmt == "excel":
                return pl.Series(days[rows] - _EXCEL_EPOCH).cast(pl.String)
            return pl.Series(days[rows], dtype=pl.Int32).cast(pl.Date).dt.strftime(fmt)
        return make

    return by_group(style, {i: maker(fmt) for i, (fmt, _) in enumerate(DATE_STYLES)})


def _entity_types(rng: np.random.Generator, vocab: Vocabulary, plan: Plan) -> tuple[pl.Series, pl.Series]:
    n = len(plan.form)
    kind = pl.repeat("", n, eager=True, dtype=pl.String)
    currency = pl.repeat("CNY", n, eager=True, dtype=pl.String)
    for key, form in vocab.forms.items():
        mask = plan.form == FORM_INDEX[key]
        choice = draw(rng, [w for _, w, _ in form.entity_types], n)
        kind = either(mask, pick([t for t, _, _ in form.entity_types], choice), kind)
        currency = either(mask, pick([c for _, _, c in form.entity_types], choice), currency)
    kind = either(plan.co_branch, "有限责任公司分公司(自然人投资或控股)", kind)
    return kind, either(plan.co_branch, "CNY", currency)


def _capital(rng: np.random.Generator, vocab: Vocabulary, plan: Plan, currency: pl.Series) -> dict[str, pl.Series]:
    """Registered and paid-in capital: the texts as typed, and the sums they stand for (元, exact)."""
    n = len(plan.form)
    lows = np.asarray([(t.capital or (0, 0))[0] for t in vocab.trades])[plan.trade]
    highs = np.asarray([(t.capital or (0, 0))[1] for t in vocab.trades])[plan.trade]
    sums = capital_sums(rng, lows, highs)
    has = (highs > 0) & ~plan.co_branch
    has &= ~((plan.form == FORM_INDEX["individual"]) & (rng.random(n) < 0.4))
    text = either(has, capital_texts(rng, sums, currency), "")
    value = pl.Series(np.asarray(ROUND_SUMS)[sums] * 10_000).cast(pl.Decimal(20, 2))
    incorporated = np.isin(plan.form, [FORM_INDEX["company"], FORM_INDEX["sole"]]) & has
    u = rng.random(n)
    paid_sums = (rng.random(n) * (sums + 1)).astype(np.int64)
    paid_given = incorporated & (u >= 0.67)
    paid_zero = incorporated & (u >= 0.55) & (u < 0.67)
    paid_text = either(paid_given, capital_texts(rng, paid_sums, currency), either(paid_zero, "0", ""))
    paid_value = pl.Series(np.asarray(ROUND_SUMS)[paid_sums] * 10_000 * (~paid_zero)).cast(pl.Decimal(20, 2))
    none = pl.Series([None] * n, dtype=pl.Decimal(20, 2))
    return {
        "capital_text": text, "paid_text": paid_text,
        "registered_capital": value.zip_with(pl.Series(has), none),
        "paid_in_capital": paid_value.zip_with(pl.Series(paid_given | paid_zero), none),
        "capital_currency": either(has, currency, ""),
    }


def _registrar(rng: np.random.Generator, vocab: Vocabulary, plan: Plan, capital: pl.Series) -> pl.Series:
    n = len(plan.form)
    names = vocab.places["registrars"]
    old = (plan.established < day_number(date(2019, 2, 1))) & (rng.random(n) < 0.4)
    big = (plan.form == FORM_INDEX["company"]) & (capital.fill_null(0) >= 10_000_000).to_numpy() & (rng.random(n) < 0.1)
    out = pl.repeat(names["county"], n, eager=True, dtype=pl.String)
    out = either(old, names["county_old"], out)
    out = either(big, names["prefecture"], out)
    out = either(plan.form == FORM_INDEX["nonprofit"], names["civil"], out)
    away = pick([a.registrar for a in vocab.areas] + [""], np.where(plan.area >= 0, plan.area, len(vocab.areas)))
    return either(plan.area >= 0, away, out)


def _addresses(rng: np.random.Generator, vocab: Vocabulary, plan: Plan) -> tuple[pl.Series, pl.Series]:
    """住所 and 经营场所: the operating address is in the county even for outside registrations."""
    n = len(plan.form)
    home = people.county_addresses(rng, vocab, plan.township)
    away = plan.area >= 0
    elsewhere = np.flatnonzero(away)
    address = home.clone().scatter(elsewhere, people.away_addresses(rng, vocab, plan.area[elsewhere]))
    u = rng.random(n)
    individual = plan.form == FORM_INDEX["individual"]
    moved = np.flatnonzero(u >= 0.9)
    other = people.county_addresses(rng, vocab, draw(rng, vocab.places["township_weights"], len(moved)))
    operating = either(u < 0.55, "", address).scatter(moved, other)
    operating = either(individual | away, home, operating)
    address = either(individual & (rng.random(n) < 0.15), "", address)
    return address, operating


def registry_columns(
    rng: np.random.Generator, vocab: Vocabulary, plan: Plan, first_row: int, salt: int, pool: list[str],
    taken: pl.Series,
) -> pl.DataFrame:
    """The registry rows of a plan, with the sums and dates their texts stand for; no name of `taken` reused."""
    n = len(plan.form)
    trades = vocab.trades
    person = people.person_names(rng, vocab, n)
    name, brand = unique_names(rng, vocab, plan, person, taken)
    kind, currency = _entity_types(rng, vocab, plan)
    name = either(kind.str.starts_with("股份有限公司").to_numpy(), name.str.replace(JOINT_STOCK, "股份有限公司"), name)
    capital = _capital(rng, vocab, plan, currency)
    industry_pools = [tuple(c for c, _ in t.industry) for t in trades]
    industry_idx = _by_trade(rng, plan, industry_pools)
    approved = plan.established + (rng.random(n) * (day_number(REF_DATE) - plan.established)).astype(np.int64)
    years = rng.choice([20, 30, 50], size=n)
    term = pl.Series(plan.established + years * 365, dtype=pl.Int32).cast(pl.Date).dt.strftime("%Y-%m-%d")
    incorporated = np.isin(plan.form, [FORM_INDEX["company"], FORM_INDEX["sole"]])
    term = either(incorporated & (rng.random(n) < 0.4), term, either(rng.random(n) < 0.8, "长期", ""))
    staff_lo = np.asarray([t.staff[0] for t in trades])[plan.trade]
    staff_hi = np.asarray([t.staff[1] for t in trades])[plan.trade]
    staff = pl.Series(staff_lo + (rng.random(n) * (staff_hi - staff_lo + 1)).astype(np.int64)).cast(pl.String)
    address, operating = _addresses(rng, vocab, plan)
    county_rows = plan.area < 0
    return pl.DataFrame({
        "uscc": usccs(plan, vocab, first_row, salt),
        "name": name,
        "brand": brand,
        "entity_type": kind,
        "legal_rep": person,
        "capital_text": capital["capital_text"],
        "paid_text": capital["paid_text"],
        "established": pl.Series(plan.established, dtype=pl.Int32).cast(pl.Date),
        "established_text": date_texts(rng, plan.established),
        "approved_text": date_texts(rng, approved),
        "term_end": term,
        "registrar": _registrar(rng, vocab, plan, capital["registered_capital"]),
        "status": pick([s for s, _ in STATUSES], draw(rng, [w for _, w in STATUSES], n)),
        "address": address,
        "operating_address": operating,
        "industry_code": pick(_flat(industry_pools), industry_idx),
        "industry_name": pick(_flat([tuple(nm for _, nm in t.industry) for t in trades]), industry_idx),
        "scope": scopes(rng, plan, pool),
        "phone": people.phones(rng, vocab, n),
        "staff": either(rng.random(n) < 0.75, staff, ""),
        "registered_capital": capital["registered_capital"],
        "paid_in_capital": capital["paid_in_capital"],
        "capital_currency": capital["capital_currency"],
        "region_code": pick([a.code for a in vocab.areas] + [vocab.county_code],
                            np.where(county_rows, len(vocab.areas), plan.area)),
        "township_code": either(county_rows, pick([t.code for t in vocab.townships], plan.township), ""),
        "town": pick([t.name for t in vocab.townships], plan.township),
    })
