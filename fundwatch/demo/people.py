"""People, brands, places and phones of the demo county, drawn a column at a time."""

from __future__ import annotations

import bisect
import random

import numpy as np
import polars as pl

from fundwatch.demo.common import draw, either, pick
from fundwatch.demo.vocab import Township, Vocabulary

_TOWN_SUFFIXES = ("哈尼族布朗族乡", "哈尼族乡", "布朗族乡", "农场", "镇", "乡")


def town_short(name: str) -> str:
    """勐遮镇 → 勐遮, 格朗和哈尼族乡 → 格朗和: how a township appears inside a name."""
    for suffix in _TOWN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def person_names(rng: np.random.Generator, vocab: Vocabulary, n: int) -> pl.Series:
    """Owners' names: Han, Dai (岩…/玉…), Hani, Lahu and Bulang, in the county's proportions."""
    p = vocab.people
    shares = p["shares"]
    group = draw(rng, list(shares.values()), n)

    def any_of(pool: list[str]) -> pl.Series:
        return pick(pool, rng.integers(0, len(pool), n))

    given2 = either(rng.random(n) < 0.65, any_of(p["han_given"]), "")
    by_kind = {
        "han": any_of(p["han_surnames"]) + any_of(p["han_given"]) + given2,
        "dai": either(rng.random(n) < 0.55, any_of(p["dai_male"]), any_of(p["dai_female"])),
        "hani": any_of(p["hani_surnames"]) + any_of(p["hani_given"]),
        "lahu": any_of(p["lahu_given"]),
        "bulang": any_of(p["bulang_given"]),
    }
    out = by_kind["han"]
    for i, kind in enumerate(shares):
        out = either(group == i, by_kind[kind], out)
    return out


def person_name(prng: random.Random, vocab: Vocabulary) -> str:
    """One owner's name (for the planted outfits, drawn one by one)."""
    p = vocab.people
    kind = vocab.person_kinds[bisect.bisect(vocab.person_cum, prng.random() * vocab.person_cum[-1])]
    if kind == "han":
        given = prng.choice(p["han_given"]) + (prng.choice(p["han_given"]) if prng.random() < 0.65 else "")
        return str(prng.choice(p["han_surnames"]) + given)
    if kind == "dai":
        return str(prng.choice(p["dai_male"] if prng.random() < 0.55 else p["dai_female"]))
    if kind == "hani":
        return str(prng.choice(p["hani_surnames"]) + prng.choice(p["hani_given"]))
    return str(prng.choice(p[f"{kind}_given"]))


def brands(rng: np.random.Generator, vocab: Vocabulary, n: int) -> pl.Series:
    """Trade names (字号): two or three characters, or a local place-flavoured one."""
    b = vocab.brands
    first = pick(b["first"], rng.integers(0, len(b["first"]), n))
    second = rng.integers(0, len(b["second"]), n)
    two = first + pick(b["second"], second)
    # The third character is never the second again (no 顺辉辉).
    three = two + pick(b["second"], (second + rng.integers(1, len(b["second"]), n)) % len(b["second"]))
    local = pick(b["local"], rng.integers(0, len(b["local"]), n))
    kind = rng.random(n)
    return either(kind < 0.12, local, either(kind < 0.45, three, two))


def brand(prng: random.Random, vocab: Vocabulary) -> str:
    b = vocab.brands
    u = prng.random()
    if u < 0.12:
        return prng.choice(b["local"])
    second = prng.randrange(len(b["second"]))
    two = prng.choice(b["first"]) + b["second"][second]
    third = b["second"][(second + prng.randrange(1, len(b["second"]))) % len(b["second"])]
    return two + third if u < 0.45 else two


def _village_table(towns: tuple[Township, ...]) -> tuple[list[str], np.ndarray, np.ndarray]:
    names: list[str] = []
    offsets, counts = [], []
    for t in towns:
        offsets.append(len(names))
        counts.append(len(t.villages))
        names.extend(t.villages)
    return names, np.asarray(offsets), np.asarray(counts)


def villages(rng: np.random.Generator, vocab: Vocabulary, township: np.ndarray) -> pl.Series:
    names, offsets, counts = _village_table(vocab.townships)
    idx = offsets[township] + (rng.random(len(township)) * counts[township]).astype(np.int64)
    return pick(names, idx)


def county_addresses(rng: np.random.Generator, vocab: Vocabulary, township: np.ndarray) -> pl.Series:
    """Addresses in the county: prefix, township, village or community, street or group, number."""
    n = len(township)
    pl_ = vocab.places
    prefix = pick([p[0] for p in pl_["county_prefixes"]], draw(rng, [p[1] for p in pl_["county_prefixes"]], n))
    town = pick([t.name for t in vocab.townships], township)
    village = villages(rng, vocab, township)
    seat = pick(pl_["seat_streets"], rng.integers(0, len(pl_["seat_streets"]), n))
    street = pick(pl_["town_streets"], rng.integers(0, len(pl_["town_streets"]), n))
    group = pick(pl_["groups"], rng.integers(0, len(pl_["groups"]), n))
    number = pl.Series(rng.integers(1, 300, n)).cast(pl.String)
    tail_kind = rng.random(n)
    tail_num = pl.Series(rng.integers(1, 12, n)).cast(pl.String)
    frame = pl.DataFrame({"prefix": prefix, "town": town, "village": village, "seat": seat, "street": street,
                          "group": group, "number": number, "tk": tail_kind, "tn": tail_num,
                          "is_seat": township == 0})
    where = (pl.when(pl.col("is_seat")).then(pl.col("seat"))
             .when(pl.col("village").str.ends_with("社区")).then(pl.col("street"))
             .otherwise(pl.col("group")))
    tail = (pl.when(pl.col("tk") < 0.07).then(pl.concat_str([pl.lit("附"), pl.col("tn"), pl.lit("号")]))
            .when(pl.col("tk") < 0.12).then(pl.concat_str([pl.col("tn"), pl.lit("栋"), pl.col("tn"), pl.lit("单元")]))
            .when(pl.col("tk") < 0.17).then(pl.lit("商铺"))
            .otherwise(pl.lit("")))
    return frame.select(pl.concat_str([pl.col("prefix"), pl.col("town"), pl.col("village"), where,
                                       pl.col("number"), pl.lit("号"), tail]).alias("address")).to_series()


def away_addresses(rng: np.random.Generator, vocab: Vocabulary, area: np.ndarray) -> pl.Series:
    """Addresses outside the county, often in an office block (where financial outfits like to sit)."""
    n = len(area)
    pl_ = vocab.places
    full = pick([a.full_name for a in vocab.areas], area)
    street = pick(pl_["away_streets"], rng.integers(0, len(pl_["away_streets"]), n))
    building = pick(pl_["away_buildings"], rng.integers(0, len(pl_["away_buildings"]), n))
    number = pl.Series(rng.integers(1, 999, n)).cast(pl.String)
    room = pl.Series(rng.integers(2, 32, n) * 100 + rng.integers(1, 20, n)).cast(pl.String)
    office = pl.Series(rng.random(n) < 0.35)
    frame = pl.DataFrame({"f": full, "s": street, "b": building, "n": number, "r": room, "o": office})
    return frame.select(pl.concat_str([
        pl.col("f"), pl.col("s"), pl.col("n"), pl.lit("号"),
        pl.when(pl.col("o")).then(pl.concat_str([pl.col("b"), pl.col("r"), pl.lit("室")])).otherwise(pl.lit("")),
    ])).to_series()


def phones(rng: np.random.Generator, vocab: Vocabulary, n: int, landline_share: float = 0.2) -> pl.Series:
    """Mobiles (1xx xxxx xxxx) and county landlines (0691-51xxxxx), written the ways people write them."""
    pl_ = vocab.places
    prefix = pick([str(p) for p in pl_["mobile_prefixes"]], rng.integers(0, len(pl_["mobile_prefixes"]), n))
    mobile = prefix + pl.Series(rng.integers(0, 100_000_000, n)).cast(pl.String).str.zfill(8)
    exchange = pick(pl_["landline_exchanges"], rng.integers(0, len(pl_["landline_exchanges"]), n))
    local = exchange + pl.Series(rng.integers(0, 100_000, n)).cast(pl.String).str.zfill(5)
    area = pl_["landline_area"]
    style = rng.random(n)
    landline = either(style < 0.7, area + "-" + local, either(
        style < 0.85, area + local, either(style < 0.93, "(" + area + ")" + local, area + " " + local)))
    return either(rng.random(n) < landline_share, landline, mobile)


def phone(prng: random.Random, vocab: Vocabulary) -> str:
    return str(prng.choice(vocab.places["mobile_prefixes"])) + f"{prng.randrange(100_000_000):08d}"


def county_address(prng: random.Random, vocab: Vocabulary, township: int) -> str:
    """One address in the county (for the planted outfits)."""
    pl_ = vocab.places
    t = vocab.townships[township]
    village = prng.choice(t.villages)
    if township == 0:
        where = prng.choice(pl_["seat_streets"])
    elif village.endswith("社区"):
        where = prng.choice(pl_["town_streets"])
    else:
        where = prng.choice(pl_["groups"])
    prefix = vocab.prefixes[bisect.bisect(vocab.prefix_cum, prng.random() * vocab.prefix_cum[-1])]
    return f"{prefix}{t.name}{village}{where}{prng.randint(1, 299)}号"


def away_address(prng: random.Random, vocab: Vocabulary, area: int) -> str:
    pl_ = vocab.places
    office = ""
    if prng.random() < 0.6:
        office = f"{prng.choice(pl_['away_buildings'])}{prng.randint(2, 31)}{prng.randint(1, 19):02d}室"
    return f"{vocab.areas[area].full_name}{prng.choice(pl_['away_streets'])}{prng.randint(1, 998)}号{office}"
