"""Small statements for the typology tests: a row factory and a few patterns of money in and out.

Names and amounts are plain so a failing test reads like a statement: 张三
pays 勐海茶韵投资咨询有限公司 12,345 元 on 2025-03-01.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import polars as pl

from fundwatch.funds.schema import IN, OUT, TRANSACTIONS_SCHEMA

COMPANY = "勐海茶韵投资咨询有限公司"
COMPANY_ACCOUNT = "530501000000000001"
PERSON = "岩温"
PERSON_ACCOUNT = "6228480000000000001"
START = datetime(2025, 1, 1, 9, 0)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红"


def person(i: int) -> tuple[str, str]:
    """The i-th distinct person: (name, card account)."""
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + GIVEN[i // 900 % len(GIVEN)]
    return name, f"62170000{i:011d}"


@dataclass
class Statement:
    """Rows of one or more accounts; `frame()` numbers them as lines 2, 3, … of a file."""

    rows: list[dict[str, object]] = field(default_factory=list)

    def add(self, account: str, holder: str, counterparty: str | None, amount: float, direction: str,
            when: datetime, *, cp_account: str | None = None, memo: str | None = None,
            balance: float | None = None, channel: str = "网银") -> Statement:
        self.rows.append({
            "account": account, "holder": holder, "counterparty_name": counterparty,
            "counterparty_account": cp_account, "counterparty_bank": "勐海县农村信用合作联社" if cp_account else None,
            "amount": Decimal(str(amount)).quantize(Decimal("0.01")), "direction": direction,
            "balance": None if balance is None else Decimal(str(balance)).quantize(Decimal("0.01")),
            "time": when, "channel": channel, "memo": memo,
        })
        return self

    def people_pay(self, n: int, amount: float | list[float], *, account: str = COMPANY_ACCOUNT,
                   holder: str = COMPANY, first: int = 0, start: datetime = START, every: timedelta = timedelta(days=1),
                   memo: str | None = "转账") -> Statement:
        """n distinct people (from person number `first`) each pay once, one a day from `start`."""
        for k in range(n):
            name, card = person(first + k)
            value = amount[k % len(amount)] if isinstance(amount, list) else amount
            self.add(account, holder, name, value, IN, start + k * every, cp_account=card, memo=memo)
        return self

    def frame(self) -> pl.DataFrame:
        rows = [{"line": i + 2, **row} for i, row in enumerate(self.rows)]
        return pl.DataFrame(rows, schema=TRANSACTIONS_SCHEMA)


def odd(i: int, base: float = 12_000) -> float:
    """A different, non-round amount for each i (what people pay for goods or a share)."""
    return base + 37 * i + 13


def months(n: int, start: datetime = START) -> list[datetime]:
    return [start.replace(month=start.month + k) for k in range(n)]


__all__ = ["COMPANY", "COMPANY_ACCOUNT", "IN", "OUT", "PERSON", "PERSON_ACCOUNT", "START", "Statement", "months",
           "odd", "person"]
