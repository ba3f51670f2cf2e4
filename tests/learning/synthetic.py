"""A small hand-made county for the learning tests: registry, side tables and a screening-like result.

Risk is a hidden score; the confirmed cases are the subjects with the highest hidden score plus
noise, and every table carries some of it, none all of it — like real evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import polars as pl

from fundwatch.frames import DIMENSIONS, HITS_SCHEMA, MONEY, SIDE_SCHEMAS

AS_OF = date(2024, 6, 30)
STATUSES = ("存续", "在业", "吊销", "注销")
INDUSTRIES = ("A0111", "F5211", "I6510", "J6620", "L7212", "M7320", "O8010")
SECTORS = ("私募基金", "民间投融资中介", "养老服务", None)


@dataclass
class Screened:
    scores: pl.DataFrame
    hits: pl.DataFrame


@dataclass
class County:
    registry: pl.DataFrame
    side: dict[str, pl.DataFrame]
    screening: Screened
    truth: pl.DataFrame  # subject_key, label, guise


def _dates(rng: np.random.Generator, days_back: np.ndarray) -> list[date]:
    return [AS_OF - timedelta(days=int(d)) for d in days_back]


def _registry(rng: np.random.Generator, keys: list[str], risk: np.ndarray) -> pl.DataFrame:
    n = len(keys)
    risky = risk > 1.0
    capital = np.round(np.exp(rng.normal(13 + 1.0 * risky, 1.2, n)), -2)
    industry = np.where(rng.random(n) < 0.4 * risky, rng.choice(["J6620", "L7212"], n), rng.choice(INDUSTRIES, n))
    return pl.DataFrame({
        "line": np.arange(2, n + 2),
        "subject_key": keys,
        "uscc": keys,
        "name": [f"勐海{'财富' if r and rng.random() < 0.3 else ''}茶业有限公司{i}" for i, r in enumerate(risky)],
        "business_scope": ["茶叶种植、加工、销售" for _ in keys],
        "registered_capital": [Decimal(int(c)) for c in capital],
        "paid_in_capital": [Decimal(0) if rng.random() < 0.3 + 0.4 * r else Decimal(int(c) // 2)
                            for c, r in zip(capital, risky, strict=True)],
        "established": _dates(rng, np.maximum(30, rng.integers(100, 5000, n) - 800 * np.clip(risk, 0, None))),
        "status": rng.choice(STATUSES, n, p=[0.6, 0.3, 0.07, 0.03]),
        "industry_code": industry,
        "region_code": rng.choice(["532822", "532801"], n, p=[0.9, 0.1]),
        "employees": np.maximum(0, rng.poisson(12, n) - rng.poisson(6 * risky)).astype(np.int64),
        "brands": rng.poisson(0.5 + 0.5 * risky, n).astype(np.int64),
        "行业小类": rng.choice(["茶叶", "旅游", "商贸", "种植"], n),
    }, schema_overrides={"registered_capital": MONEY, "paid_in_capital": MONEY})


def _side(rng: np.random.Generator, keys: list[str], risk: np.ndarray) -> dict[str, pl.DataFrame]:
    def rows(rate: np.ndarray) -> np.ndarray:
        return np.repeat(np.arange(len(keys)), rng.poisson(rate))

    report_rows = rows(0.05 + 0.8 * np.clip(risk, 0, None))
    news_rows = rows(0.2 + 0.3 * np.clip(risk, 0, None))
    change_rows = rows(np.full(len(keys), 0.7) + 0.4 * (risk > 1))
    key = np.asarray(keys)
    side = {
        "reports": pl.DataFrame({
            "line": np.arange(2, report_rows.size + 2), "subject_key": key[report_rows],
            "date": _dates(rng, rng.integers(0, 900, report_rows.size)),
            "channel": rng.choice(["12345热线", "来信", "网络"], report_rows.size),
            "text": ["承诺高额回报，到期不能兑付" for _ in report_rows],
            "people": rng.poisson(5 + 10 * np.clip(risk[report_rows], 0, None)).astype(np.int64),
            "amount": [Decimal(int(a)) for a in rng.integers(1_000, 500_000, report_rows.size)],
        }),
        "news": pl.DataFrame({
            "line": np.arange(2, news_rows.size + 2), "subject_key": key[news_rows],
            "date": _dates(rng, rng.integers(0, 700, news_rows.size)),
            "title": ["报道" for _ in news_rows], "text": ["正文" for _ in news_rows],
            "sentiment": np.clip(rng.normal(0.2 - 0.4 * (risk[news_rows] > 1), 0.4), -1, 1),
        }),
        "changes": pl.DataFrame({
            "line": np.arange(2, change_rows.size + 2), "subject_key": key[change_rows],
            "date": _dates(rng, rng.integers(0, 1500, change_rows.size)),
            "item": rng.choice(["住所变更", "法定代表人变更", "经营范围变更"], change_rows.size),
            "before": ["甲" for _ in change_rows], "after": ["乙" for _ in change_rows],
        }),
    }
    return {k: v.cast(SIDE_SCHEMAS[k]) for k, v in side.items()}  # type: ignore[arg-type]


def _screening(rng: np.random.Generator, keys: list[str], risk: np.ndarray) -> Screened:
    n = len(keys)
    dims = {f"dim_{d}": np.round(np.clip(rng.normal(10 + 12 * risk, 15, n), 0, 100), 1) for d in DIMENSIONS}
    score = np.round(np.mean(list(dims.values()), axis=0), 1)
    scores = pl.DataFrame({"subject_key": keys, "score": score, **dims,
                           "sector": [SECTORS[i] for i in rng.integers(0, len(SECTORS), n)]})
    fired = rng.random(n) < 0.1 + 0.3 * (risk > 1)
    hit_keys = [k for k, f in zip(keys, fired, strict=True) if f]
    hits = pl.DataFrame({
        "subject_key": hit_keys, "rule": "promise_returns", "dimension": "returns",
        "points": 30.0, "table": "ads", "field": "text", "matched": "保本保息",
        "source_line": list(range(2, len(hit_keys) + 2)), "explanation": "宣传中承诺保本、保息或固定回报",
    }, schema=HITS_SCHEMA)
    return Screened(scores, hits)


def county(n: int = 3000, seed: int = 1) -> County:
    rng = np.random.default_rng(seed)
    keys = [f"S{seed:02d}{i:06d}" for i in range(n)]
    risk = rng.normal(0, 1, n)
    noisy = risk + rng.normal(0, 0.6, n)
    label = (noisy > np.quantile(noisy, 0.9)).astype(np.int8)
    truth = pl.DataFrame({"subject_key": keys, "label": label,
                          "guise": [("p2p" if x else None) for x in label]}, schema_overrides={"label": pl.Int8})
    return County(_registry(rng, keys, risk), _side(rng, keys, risk), _screening(rng, keys, risk), truth)
