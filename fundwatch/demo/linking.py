"""Generated registries with outfits that come back rebranded, relocated or behind a front person, with truth.

`generate_linking(subjects, blacklist, seed)` returns a registry of `subjects`
rows, a blacklist of `blacklist` closed outfits, both sides' people, change
records and the truth: which registry subjects are which blacklisted outfit
come back. A share of the blacklist comes back, each case keeping at least one
real tie to its old self (a person by ID, a private phone, a website, the same
premises) and changing name, place or front person. The rest of the registry is
made to mislead: namesake companies (same brand elsewhere, other people),
namesake people (the same name, another ID), registration agents' phones and
business-centre addresses shared by many subjects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from fundwatch.linking.frames import PEOPLE_SCHEMA

PLACES: tuple[tuple[str, str], ...] = (
    ("532822", "云南省西双版纳傣族自治州勐海县"), ("532801", "云南省西双版纳傣族自治州景洪市"),
    ("532823", "云南省西双版纳傣族自治州勐腊县"), ("530102", "云南省昆明市五华区"), ("530103", "云南省昆明市盘龙区"),
    ("530802", "云南省普洱市思茅区"), ("532901", "云南省大理白族自治州大理市"), ("440305", "广东省深圳市南山区"),
    ("350203", "福建省厦门市思明区"), ("110105", "北京市朝阳区"), ("310115", "上海市浦东新区"),
    ("640106", "宁夏回族自治区银川市金凤区"),
)
SHORT = {"532822": "勐海县", "532801": "景洪市", "532823": "勐腊县", "530102": "昆明市", "530103": "昆明市",
         "530802": "普洱市", "532901": "大理市", "440305": "深圳市", "350203": "厦门市", "110105": "北京市",
         "310115": "上海市", "640106": "银川市"}
TOWNS = ("勐海镇", "勐遮镇", "打洛镇", "勐混镇", "勐满镇", "勐阿镇", "勐往乡", "勐宋乡")
BRAND_CHARS = ("鑫源汇通金瑞丰华盛泰隆福祥和信达恒昌兴宏利嘉禾天宇博远腾龙凤祥云海润德安康乐富贵永佳美优普"
               "洱茶香山水竹林松柏梅兰菊春夏秋冬东南西北中星月辰光明亮晨曦朝阳彩虹宝玉珠翠银铜铁石"
               "聚众诚实惠民益众帮扶携手同心合力创新智慧科达讯捷速航运通畅顺达远大鼎峰巅极至尊豪雅")
TRADES = ("投资咨询", "财富管理", "资产管理", "茶业", "茶叶", "商贸", "科技", "信息技术", "农业开发", "电子商务",
          "旅游", "养生", "文化传媒", "生物科技", "实业", "供应链", "贸易", "金融服务", "建材", "酒业")
FORMS = ("有限公司", "有限责任公司", "股份有限公司", "专业合作社", "商行")
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武岩玉")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉力斌宇浩凯鹏飞云龙海燕红梅玲雪峰"
         "波宁欣怡晨阳子涵梓轩俊杰志强永福德顺光荣罕温香叫应坎")
ROADS = ("曼贺路", "象山路", "佛双路", "茶城大道", "景洪路", "勐遮大街", "打洛街", "新城路", "黎明路", "民族路",
         "人民路", "建设路", "解放路", "春城路", "北京路", "滨江路", "环城路", "东风路", "团结路", "胜利路")
ROLES = ("法定代表人", "实际控制人", "股东", "董事", "监事", "经理")
CASES = ("rebranded", "relocated", "front_person")


@dataclass
class LinkingDemo:
    registry: pl.DataFrame  # registry-shaped (REGISTRY_SCHEMA columns used by the linker, plus website)
    people: pl.DataFrame  # PEOPLE_SCHEMA
    blacklist: pl.DataFrame
    blacklist_people: pl.DataFrame
    changes: pl.DataFrame  # SIDE_SCHEMAS["changes"]
    truth: pl.DataFrame  # subject_key, matched_key, case: the registry subject that is the blacklisted outfit


def _pick(rng: np.random.Generator, pool: str | tuple[str, ...], size: int, power: float = 0.0) -> np.ndarray:
    items = np.array(list(pool))
    if power:
        weights = 1.0 / np.arange(1, len(items) + 1) ** power
        return rng.choice(items, size=size, p=weights / weights.sum())
    return rng.choice(items, size=size)


def _join(*parts: np.ndarray) -> np.ndarray:
    out = parts[0].astype(object)
    for part in parts[1:]:
        out = out + part.astype(object)
    return out


_BIRTH_DAYS = (date(2000, 12, 31) - date(1955, 1, 1)).days
_ID_SPACE = _BIRTH_DAYS * 1000  # (birth day, sequence) pairs per region
_ID_STEP = 1_000_003  # a prime: k * step mod space visits every pair once, in scattered order


class IdMaker:
    """Valid, distinct 18-character ID numbers (GB 11643 check digit), people born 1955-2000."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.next = int(rng.integers(0, _ID_SPACE))

    def take(self, regions: np.ndarray) -> np.ndarray:
        n = len(regions)
        k = (np.arange(self.next, self.next + n, dtype=np.int64) * _ID_STEP) % _ID_SPACE
        self.next += n
        frame = pl.DataFrame({"region": regions.astype(str), "day": k // 1000, "seq": k % 1000})
        body = pl.col("region") + (pl.lit(date(1955, 1, 1)) + pl.duration(days=pl.col("day"))).dt.strftime(
            "%Y%m%d") + pl.col("seq").cast(pl.String).str.zfill(3)
        weights = [pow(2, 17 - i, 11) for i in range(17)]
        total = pl.sum_horizontal([pl.col("body").str.slice(i, 1).cast(pl.Int64) * w for i, w in enumerate(weights)])
        check = (total % 11).replace_strict(dict(enumerate("10X98765432")), return_dtype=pl.String)
        out = frame.select(body.alias("body")).select(pl.col("body") + check)
        return out.to_series().to_numpy().astype(str)


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    two = rng.random(n) < 0.6
    given = np.where(two, _join(_pick(rng, GIVEN, n), _pick(rng, GIVEN, n)), _pick(rng, GIVEN, n, power=0.6))
    return _join(_pick(rng, SURNAMES, n, power=0.9), given).astype(str)


def _brands(rng: np.random.Generator, n: int) -> np.ndarray:
    three = rng.random(n) < 0.3
    base = _join(_pick(rng, BRAND_CHARS, n), _pick(rng, BRAND_CHARS, n))
    return np.where(three, _join(base, _pick(rng, BRAND_CHARS, n)), base).astype(str)


def _addresses(rng: np.random.Generator, regions: np.ndarray, rooms: float = 0.6) -> np.ndarray:
    n = len(regions)
    names = dict(PLACES)
    town = np.where(regions == "532822", _pick(rng, TOWNS, n), "")
    number = rng.integers(1, 1000, size=n).astype(str)
    room = np.where(rng.random(n) < rooms, _join(rng.integers(1, 30, size=n).astype(str), np.full(n, "楼"),
                                                rng.integers(1, 20, size=n).astype(str), np.full(n, "室")), "")
    place = np.array([names[r] for r in regions])
    return _join(place, town, _pick(rng, ROADS, n), number, np.full(n, "号"), room).astype(str)


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    prefix = _pick(rng, ("138", "139", "150", "151", "158", "187", "188", "135", "136", "137"), n)
    return _join(prefix, np.char.zfill(rng.integers(0, 10**8, size=n).astype(str), 8)).astype(str)


def _companies(rng: np.random.Generator, keys: np.ndarray, hub_phones: np.ndarray,
               hub_addresses: np.ndarray) -> pl.DataFrame:
    n = len(keys)
    region_pick = rng.random(n)
    regions = np.where(region_pick < 0.55, "532822", np.array([p[0] for p in PLACES])[rng.integers(1, len(PLACES), n)])
    brand = _brands(rng, n)
    trade, form = _pick(rng, TRADES, n), _pick(rng, FORMS, n, power=1.2)
    prefix = np.where(rng.random(n) < 0.8, np.array([SHORT[r] for r in regions]), "")
    address = _addresses(rng, regions)
    agent = rng.random(n)
    address = np.where(agent < 0.03, hub_addresses[rng.integers(0, len(hub_addresses), n)], address).astype(str)
    phone = np.where(agent > 0.97, hub_phones[rng.integers(0, len(hub_phones), n)], _phones(rng, n))
    has_site = rng.random(n) < 0.05
    website = pl.Series("website", _join(np.full(n, "www."), np.char.lower(keys.astype(str)),
                                         np.full(n, ".com")).astype(str)).set(pl.Series(~has_site), None)
    founded = np.datetime64("2012-01-01") + rng.integers(0, 4000, n).astype("timedelta64[D]")
    return pl.DataFrame({
        "subject_key": keys, "uscc": None, "name": _join(prefix, brand, trade, form).astype(str),
        "legal_rep": _names(rng, n), "address": address, "operating_address": None,
        "region_code": regions, "phone": phone.astype(str), "website": website, "status": "存续",
        "established": founded.astype("datetime64[D]"), "_brand": brand, "_trade": trade,
    }).with_columns(pl.col("uscc").cast(pl.String), pl.col("operating_address").cast(pl.String),
                    pl.col("established").cast(pl.Date))


def _people(rng: np.random.Generator, ids: IdMaker, companies: pl.DataFrame) -> pl.DataFrame:
    """Legal rep (with ID for 80%), a controller for 30%, 0-2 shareholders, an officer for 40%."""
    n = companies.height
    keys = companies["subject_key"].to_numpy()
    regions = companies["region_code"].to_numpy()
    rep_id = pl.Series(ids.take(regions)).set(pl.Series(rng.random(n) >= 0.8), None)
    frames = [pl.DataFrame({"subject_key": keys, "name": companies["legal_rep"].to_numpy(), "id_number": rep_id,
                            "role": "法定代表人", "phone": None})]
    for role, share in (("实际控制人", 0.3), ("股东", 0.5), ("股东", 0.25), ("董事", 0.4)):
        take = rng.random(n) < share
        m = int(take.sum())
        frames.append(pl.DataFrame({"subject_key": keys[take], "name": _names(rng, m),
                                    "id_number": ids.take(regions[take]), "role": role, "phone": None}))
    return _typed_people(pl.concat([f.with_columns(pl.col("id_number").cast(pl.String),
                                                   pl.col("phone").cast(pl.String)) for f in frames]))


def _typed_people(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(pl.int_range(2, frame.height + 2).alias("line"))
    return frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, dtype=t).alias(c)
                         for c, t in PEOPLE_SCHEMA.items()])


def _variant(rng: np.random.Generator, brand: str) -> str:
    """A brand changed the way outfits change it: a character added before or after."""
    extra = str(rng.choice(list(BRAND_CHARS)))
    return extra + brand if rng.random() < 0.5 else brand + extra


def _new_name(rng: np.random.Generator, old: dict[str, object], case: str, region: str) -> tuple[str, str]:
    brand, trade = str(old["_brand"]), str(old["_trade"])
    style = rng.random()
    if style < 0.45:
        new_brand = brand
    elif style < 0.75 or case != "rebranded":
        new_brand = _variant(rng, brand)
    else:
        new_brand = str(_brands(rng, 1)[0])
    new_trade = str(rng.choice([t for t in TRADES if t != trade]))
    return SHORT[region] + new_brand + new_trade + str(rng.choice(FORMS[:3])), new_brand


def _ties(rng: np.random.Generator, case: str, brand_kept: bool) -> list[str]:
    """Which ties a come-back keeps: a person, and enough contact ties that the case is decidable."""
    if case == "front_person":
        person = "controller" if rng.random() < 0.5 else "shareholder"
    else:
        person = "rep" if rng.random() < 0.45 else ""
    contacts = ["phone", "website"] + ([] if case == "relocated" else ["address"])
    need = 0 if person in ("rep", "controller") else 1 if brand_kept or person else 2
    need = min(len(contacts), need + int(rng.random() < 0.3))
    return ([person] if person else []) + [str(c) for c in rng.choice(contacts, size=need, replace=False)]


def _comeback(rng: np.random.Generator, old: dict[str, object], key: str,
              case: str) -> tuple[dict[str, object], list[str]]:
    """The registry row of a blacklisted outfit come back, and the ties to its old self it keeps."""
    region = str(old["region_code"])
    if case == "relocated":
        region = str(rng.choice([p[0] for p in PLACES if p[0] != region]))
    name, brand = _new_name(rng, old, case, region)
    new = dict(old, subject_key=key, status="存续", website=None, name=name, _brand=brand, region_code=region,
               address=str(_addresses(rng, np.array([region]))[0]), phone=str(_phones(rng, 1)[0]))
    new["established"] = date(2023, 1, 1) + timedelta(days=int(rng.integers(0, 700)))
    ties = _ties(rng, case, brand_kept=brand == old["_brand"] or str(old["_brand"]) in brand)
    for tie in ties:
        # a kept contact is the outfit's own, never an agent's shared phone or a business centre's address
        if tie == "website" and not old["website"]:
            old["website"] = f"www.{str(old['subject_key']).lower()}.net"
        if tie == "phone":
            old["phone"] = str(_phones(rng, 1)[0])
        if tie == "address":
            old["address"] = str(_addresses(rng, np.array([str(old["region_code"])]), rooms=1.0)[0])
        if tie in ("phone", "address", "website"):
            new[tie] = old[tie]
    if "rep" not in ties:
        new["legal_rep"] = str(_names(rng, 1)[0])
    return new, ties


def _rows_frame(rows: list[dict[str, object]], like: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=like.schema) if rows else like.clear()


def _person_rows(rows: list[dict[str, object]]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={"subject_key": pl.String(), "name": pl.String(), "id_number": pl.String(),
                                       "role": pl.String(), "phone": pl.String()})
    return frame


def _namesakes(rng: np.random.Generator, old_rows: list[dict[str, object]], keys: list[str]) -> list[dict[str, object]]:
    """Other companies of the same brand and trade elsewhere, with other people and contacts."""
    out = []
    for old, key in zip(old_rows, keys, strict=True):
        region = str(rng.choice([p[0] for p in PLACES if p[0] != old["region_code"]]))
        out.append(dict(old, subject_key=key, status="存续", website=None, region_code=region,
                        name=SHORT[region] + str(old["_brand"]) + str(old["_trade"]) + "有限公司",
                        address=str(_addresses(rng, np.array([region]))[0]), phone=str(_phones(rng, 1)[0]),
                        legal_rep=str(_names(rng, 1)[0])))
    return out


def _changes(rng: np.random.Generator, keys: np.ndarray) -> tuple[pl.DataFrame, np.ndarray]:
    """Change records: 2% of subjects change 3-4 times within ten months, 10% once or twice over years."""
    items = np.array(["住所变更", "名称变更", "法定代表人变更", "高级管理人员备案（董事、监事、经理等）"])
    n = len(keys)
    busy = rng.random(n) < 0.02
    calm = ~busy & (rng.random(n) < 0.10)
    rows_key, rows_date, rows_item = [], [], []
    for flag, counts, span in ((busy, (3, 5), 300), (calm, (1, 3), 2000)):
        chosen = keys[flag]
        count = rng.integers(counts[0], counts[1], size=len(chosen))
        start = np.datetime64("2021-01-01") + rng.integers(0, 900, size=len(chosen)).astype("timedelta64[D]")
        for key, k, first in zip(chosen, count, start, strict=True):
            offsets = np.sort(rng.integers(0, span, size=k))
            rows_key += [key] * k
            rows_date += list(first + offsets.astype("timedelta64[D]"))
            rows_item += list(rng.choice(items, size=k))
    frame = pl.DataFrame({"subject_key": rows_key, "date": np.array(rows_date, dtype="datetime64[D]"),
                          "item": rows_item}, schema_overrides={"subject_key": pl.String(), "item": pl.String()})
    frame = frame.with_columns(pl.col("date").cast(pl.Date), pl.lit(None, dtype=pl.String).alias("before"),
                               pl.lit(None, dtype=pl.String).alias("after"))
    frame = frame.with_columns(pl.int_range(2, frame.height + 2).alias("line"))
    return frame.select("line", "subject_key", "date", "item", "before", "after"), keys[busy]


def _out_of_area(rng: np.random.Generator, registry: pl.DataFrame) -> pl.DataFrame:
    """1% of the subjects registered elsewhere operate in a Menghai township."""
    n = registry.height
    here = (rng.random(n) < 0.01) & (registry["region_code"] != "532822").to_numpy()
    where = _join(np.full(n, "勐海县"), _pick(rng, TOWNS, n), _pick(rng, ROADS, n),
                  rng.integers(1, 300, n).astype(str), np.full(n, "号")).astype(str)
    return registry.with_columns(pl.Series("operating_address", where).set(pl.Series(~here), None))


def _blacklist(rng: np.random.Generator, ids: IdMaker, m: int, hub_phones: np.ndarray,
               hub_addresses: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame]:
    keys = np.array([f"B{i:06d}" for i in range(m)])
    black = _companies(rng, keys, hub_phones, hub_addresses).with_columns(
        pl.Series("status", _pick(rng, ("注销", "吊销", "存续"), m)),
        pl.Series("established", (np.datetime64("2014-01-01") + rng.integers(0, 2000, m).astype(
            "timedelta64[D]")).astype("datetime64[D]")).cast(pl.Date))
    people = _people(rng, ids, black)
    # the office knows who ran a blacklisted outfit: every legal rep there has an ID
    reps = people.filter(pl.col("role") == "法定代表人").drop("id_number").join(
        pl.DataFrame({"subject_key": keys, "id_number": ids.take(black["region_code"].to_numpy())}),
        on="subject_key")
    people = pl.concat([reps.select(people.columns), people.filter(pl.col("role") != "法定代表人")])
    return black, people


def generate_linking(subjects: int = 20_000, blacklist: int = 200, seed: int = 7,
                     comeback_share: float = 0.6) -> LinkingDemo:
    """A registry of `subjects` rows and a blacklist of `blacklist` outfits, a share of which come back."""
    rng = np.random.default_rng(seed)
    hub_phones = _phones(rng, max(20, subjects // 5000))
    centres = max(20, subjects // 10000)
    hub_addresses = np.array([f"{PLACES[0][1]}勐海镇曼贺路{i}号商务中心{j}室" for i, j in
                              zip(rng.integers(1, 300, centres), rng.integers(101, 120, centres), strict=True)])
    ids = IdMaker(rng)
    black, black_people = _blacklist(rng, ids, blacklist, hub_phones, hub_addresses)
    rows = black.to_dicts()
    come = rng.permutation(blacklist)[: int(blacklist * comeback_share)]
    fakes = rng.permutation(blacklist)[: blacklist // 5]
    extra = len(come) + 2 * len(fakes)
    keys = np.array([f"R{i:07d}" for i in rng.permutation(subjects)])
    registry = _companies(rng, keys[: subjects - extra], hub_phones, hub_addresses)
    people = _people(rng, ids, registry)
    cursor = subjects - extra
    back_rows, tie_rows, truth = [], [], []
    black_ids = dict(black_people.filter(pl.col("role") == "法定代表人").select("subject_key", "id_number").iter_rows())
    for n, index in enumerate(come):
        old = rows[int(index)]
        case = CASES[n % len(CASES)]
        new, ties = _comeback(rng, old, str(keys[cursor]), case)
        cursor += 1
        back_rows.append(new)
        truth.append({"subject_key": new["subject_key"], "matched_key": old["subject_key"], "case": case,
                      "ties": ",".join(ties)})
        old_rep = {"name": old["legal_rep"], "id_number": black_ids[str(old["subject_key"])], "phone": None}
        role = {"rep": "法定代表人", "controller": "实际控制人", "shareholder": "股东"}
        for tie in ties:
            if tie in role:
                tie_rows.append({"subject_key": new["subject_key"], "role": role[tie], **old_rep})
        if "rep" not in ties:
            tie_rows.append({"subject_key": new["subject_key"], "role": "法定代表人", "name": new["legal_rep"],
                             "id_number": str(ids.take(np.array([str(new["region_code"])]))[0]), "phone": None})
    black = pl.DataFrame(rows, schema=black.schema)
    fake_keys = [str(k) for k in keys[cursor: cursor + 2 * len(fakes)]]
    fake_rows = [rows[int(i)] for i in fakes]
    namesakes = _namesakes(rng, fake_rows, fake_keys[: len(fakes)])
    # namesake people: someone of the same name as a blacklisted legal rep, with another ID
    lookalikes = _namesakes(rng, [dict(r, _brand=str(_brands(rng, 1)[0])) for r in fake_rows], fake_keys[len(fakes):])
    for row, old in zip(lookalikes, fake_rows, strict=True):
        row["legal_rep"] = old["legal_rep"]
        tie_rows.append({"subject_key": row["subject_key"], "role": "法定代表人", "name": old["legal_rep"],
                         "id_number": str(ids.take(np.array([str(row["region_code"])]))[0]), "phone": None})
    registry = pl.concat([registry, _rows_frame(back_rows + namesakes + lookalikes, registry)])
    registry = _out_of_area(rng, registry)
    people = pl.concat([people, _typed_people(_person_rows(tie_rows)).select(people.columns)])
    changes, _ = _changes(rng, registry["subject_key"].to_numpy())
    truth_frame = pl.DataFrame(truth, schema={"subject_key": pl.String(), "matched_key": pl.String(),
                                              "case": pl.String(), "ties": pl.String()})
    drop = ["_brand", "_trade"]
    return LinkingDemo(registry.drop(drop), _typed_people(people.drop("line")), black.drop(drop),
                       _typed_people(black_people.drop("line")), changes, truth_frame)


def write_linking(demo: LinkingDemo, out_dir: Path) -> dict[str, Path]:
    """The demo as UTF-8 CSV files (registry-shaped files keyed by `id`, having no USCC); returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "registry": demo.registry.drop("uscc").rename({"subject_key": "id"}),
        "people": demo.people.drop("line"),
        "blacklist": demo.blacklist.drop("uscc").rename({"subject_key": "id"}),
        "blacklist_people": demo.blacklist_people.drop("line"),
        "changes": demo.changes.drop("line"),
        "truth": demo.truth,
    }
    paths = {}
    for name, frame in files.items():
        paths[name] = out_dir / f"{name}.csv"
        frame.write_csv(paths[name])
    return paths
