"""Tiny builders of registry and side-table frames for screening tests.

A subject is a plain, local, ordinary tea company unless a test says otherwise,
so each test states only what its case is about.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl

from fundwatch.domain.uscc import make_uscc
from fundwatch.frames import REGISTRY_SCHEMA, SIDE_SCHEMAS

ORDINARY = {
    "name": "勐海县兴茂茶业有限公司",
    "business_scope": "茶叶种植、加工、销售；农副产品销售",
    "registered_capital": Decimal("500000"),
    "paid_in_capital": None,
    "capital_currency": "CNY",
    "established": dt.date(2015, 3, 18),
    "legal_rep": "岩温",
    "address": "云南省西双版纳傣族自治州勐海县勐海镇曼贺社区佛双路12号",
    "operating_address": None,
    "status": "存续",
    "industry_code": "0164",
    "entity_type": "有限责任公司(自然人投资或控股)",
    "phone": "0691-5123456",
    "region_code": "532822",
    "township_code": "532822100",
}


def key(i: int, region: str = "532822") -> str:
    """A valid USCC for test subject number i, registered in `region`."""
    return make_uscc("91", region, f"MA{i:06d}")


def registry(*rows: dict[str, Any]) -> pl.DataFrame:
    """A registry frame: row i gets key(i) and line i + 2 unless given; other columns as ORDINARY."""
    records = []
    for i, row in enumerate(rows):
        subject = row.get("subject_key", key(i))
        records.append({"line": i + 2, "subject_key": subject, "uscc": subject, **ORDINARY, **row})
    return pl.DataFrame(records, schema=REGISTRY_SCHEMA)


def side(kind: str, *rows: dict[str, Any]) -> pl.DataFrame:
    """A side table of `kind`: row i gets line i + 2 unless given; missing columns are null."""
    schema = SIDE_SCHEMAS[kind]
    records = [{c: row.get(c, i + 2 if c == "line" else None) for c in schema} for i, row in enumerate(rows)]
    return pl.DataFrame(records, schema=schema)
