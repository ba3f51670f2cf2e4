"""The enterprise registry (企业登记信息) in: one row per subject, REGISTRY_SCHEMA first, every other column after.

The subject key is the normalised USCC; a file without a USCC column is keyed
by its `id` column instead. A row is rejected when its key is empty or not a
valid USCC (the reason names the check that failed: length, characters, the
organisation code's check digit or the USCC's), when its name is empty, or
when its key repeats an earlier row's ("与第N行重复"; the first is kept, across
batches too). 注册资本 and 实缴资本 given as bare numbers are in 万元, as
registry exports give them, unless the header says otherwise (`注册资本(元)`).
region_code is the county named in the address (else in the operating
address), else the USCC's region; township_code the township named in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl

from fundwatch.domain.regions import locate, region_from_uscc_expr
from fundwatch.domain.text import clean_string_expr
from fundwatch.frames import LINE, REGISTRY_SCHEMA, REJECTS_SCHEMA
from fundwatch.ingest.keys import checked_usccs
from fundwatch.ingest.readers import (
    CURRENCY_SUFFIX,
    DEFAULT_BATCH_ROWS,
    Column,
    Imported,
    TableSpec,
    concat_imported,
    map_table,
)

__all__ = ["REGISTRY_SPEC", "RegistryReader", "iter_registry", "load_registry", "prepare"]

HASH_BITS = 24  # a 16 MB table (a bigger one costs more in fresh pages than its fewer second looks save)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


REGISTRY_SPEC = TableSpec(
    label="企业登记信息",
    columns=(
        Column("uscc", _names("统一社会信用代码 社会信用代码 信用代码 统一代码 uscc unified_social_credit_code "
                              "credit_code social_credit_code")),
        Column("id", _names("id subject_key subject_id 主体编号 主体ID 编号")),
        Column("name", _names("企业名称 名称 企业名称(中文) 企业(机构)名称 主体名称 市场主体名称 单位名称 公司名称 "
                              "name company_name enterprise_name entname"), required=True, reject_empty=True),
        Column("business_scope", _names("经营范围 经营范围及方式 业务范围 business_scope scope opscope")),
        Column("registered_capital", _names("注册资本 注册资金 注册资本(金) 出资额 出资总额 registered_capital "
                                            "reg_capital regcap"), "money", unit="万元"),
        Column("paid_in_capital", _names("实缴资本 实收资本 实缴出资额 paid_in_capital paid_capital reccap"),
               "money", unit="万元"),
        Column("established", _names("成立日期 注册日期 设立日期 成立时间 established establish_date founded estdate"),
               "date"),
        Column("legal_rep", _names("法定代表人 法人代表 法定代表人/负责人 负责人 经营者 执行事务合伙人 投资人 "
                                   "legal_rep legal_representative legal_person")),
        Column("address", _names("住所 地址 注册地址 企业地址 住所地址 通信地址 address reg_address dom")),
        Column("operating_address", _names("经营场所 经营地址 实际经营地址 经营场所地址 operating_address "
                                           "business_address oploc")),
        Column("status", _names("登记状态 经营状态 企业状态 状态 status reg_status regstate")),
        Column("industry_code", _names("行业代码 国民经济行业代码 所属行业代码 industry_code nic_code")),
        Column("entity_type", _names("企业类型 市场主体类型 公司类型 主体类型 类型 entity_type company_type enttype")),
        Column("phone", _names("电话 联系电话 企业联系电话 联系方式 电话号码 手机 phone telephone tel")),
        Column("registration_number", _names("注册号 工商注册号 registration_number reg_no regno")),
    ),
    any_of=(("uscc", "id"),),
)


_PROBLEM = "\x00problem"  # why the row's key is unusable, or null
_WARNING = "\x00region_warning"
_HASH = "\x00hash"


def prepare(batch: Imported) -> Imported:
    """All a batch needs that no other batch affects: the keys checked (rows with an unusable key rejected),
    the regions, the currency, the columns in REGISTRY_SCHEMA order with the extras after, the rejected rows
    dropped. Batches are prepared in parallel; `RegistryReader.shape_prepared` rejects repeated keys, in order."""
    frame = batch.frame
    if "uscc" in batch.headers:
        keys, problems = checked_usccs(frame.get_column("uscc"))
        label = "统一社会信用代码"
        # the region a valid USCC was issued in (the rows with an invalid one are rejected)
        uscc_regions = pl.select(pl.when(pl.lit(problems).is_null()).then(pl.lit(keys).str.slice(2, 6))).to_series()
    else:
        keys = frame.select(clean_string_expr(pl.col("id"))).to_series()
        problems = pl.repeat(None, len(keys), dtype=pl.String, eager=True)
        label = batch.headers["id"]
        uscc_regions = frame.select(region_from_uscc_expr(pl.col("uscc"))).to_series()
    address = frame.get_column("address")
    if address.has_nulls():  # the operating address where the address is empty (scattered: no copy of the rest)
        blank = address.is_null().arg_true()
        address = address.scatter(blank, frame.get_column("operating_address").gather(blank))
    places = locate(address, uscc_regions)
    frame = frame.with_columns(
        keys,
        keys.alias("subject_key"),
        pl.coalesce(f"registered_capital{CURRENCY_SUFFIX}", f"paid_in_capital{CURRENCY_SUFFIX}").alias(
            "capital_currency"
        ),
        places.get_column("region_code"),
        places.get_column("township_code"),
        pl.when(pl.lit(keys).is_null()).then(pl.lit(f"{label}为空")).otherwise(pl.lit(problems)).alias(_PROBLEM),
        places.get_column("region_warning").alias(_WARNING),
    )
    extras = [c for c in frame.columns if c not in REGISTRY_SCHEMA and not c.endswith(CURRENCY_SUFFIX)]
    extras = [c for c in extras if c != "id" or ("uscc" in batch.headers and "id" in batch.headers)]
    ordered = frame.select(
        *(pl.col(c) if frame.schema[c] == t else pl.col(c).cast(t) for c, t in REGISTRY_SCHEMA.items()), *extras
    )
    return _without_rejected(Imported(ordered, batch.rejects, batch.read, batch.headers))


def _without_rejected(batch: Imported) -> Imported:
    """The rows with an unusable key rejected, every rejected row dropped (one filter), the region warnings
    of the rows kept, and the hash of each key kept (for `RegistryReader`)."""
    frame = batch.frame
    rejected = batch.rejects.filter(pl.col("severity") == "reject").get_column(LINE)
    live = None if rejected.is_empty() else ~frame.get_column(LINE).is_in(rejected.implode())
    failed = frame.get_column(_PROBLEM).is_not_null()
    bad = (failed if live is None else failed & live).arg_true()
    notes = batch.rejects
    if not bad.is_empty():
        source = batch.headers.get("uscc") or batch.headers["id"]
        rejects = frame.select(LINE, "subject_key", _PROBLEM)[bad].select(  # the few rows first, then the texts
            LINE, pl.lit(source).alias("column"), pl.col("subject_key").alias("value"),
            pl.col(_PROBLEM).alias("reason"), pl.lit("reject").alias("severity"),
        )
        notes = notes.filter(~pl.col(LINE).is_in(rejects.get_column(LINE).implode()))
        notes = pl.concat([notes, rejects], how="vertical")
        rejected = pl.concat([rejected, rejects.get_column(LINE)])
    if not rejected.is_empty():
        # A mask, not a predicate: a predicate is evaluated in parts and leaves every column in two
        # chunks, which each later step on the frame would first have to join up again.
        frame = frame.filter(~frame.get_column(LINE).is_in(rejected.implode()))
    regions = _region_notes(batch, frame)
    if not bad.is_empty() or not regions.is_empty():
        notes = pl.concat([notes, regions], how="vertical").sort(LINE, maintain_order=True)
    frame = frame.drop(_PROBLEM, _WARNING).with_columns(pl.col("subject_key").hash().alias(_HASH))
    return Imported(frame, notes, batch.read, batch.headers)


class RegistryReader:
    """Turns the reader's batches into registry batches, remembering the keys seen in earlier batches.

    Earlier keys are remembered twice: as marks at (the top bits of) their 64-bit hashes in a table of
    2**hash_bits bytes, which clears most keys of a batch in one numpy lookup, and as (hash, key, line)
    frames that confirm the few keys whose mark is set and name the earlier line.
    """

    def __init__(self, hash_bits: int = HASH_BITS) -> None:
        self._shift = np.uint64(64 - hash_bits)
        self._marks = np.zeros(1 << hash_bits, dtype=np.bool_)
        self._seen: list[pl.DataFrame] = []  # hash, subject_key, first_line; one frame per batch

    def shape(self, batch: Imported) -> Imported:
        """The registry batch of a reader's batch (whose rejected rows may still be in its frame)."""
        return self.shape_prepared(prepare(batch))

    def shape_prepared(self, batch: Imported) -> Imported:
        """`shape` of a batch already through `prepare`: the keys an earlier row has are rejected too."""
        keys = _keys(batch.frame)
        repeats = self._duplicates(keys, batch.headers.get("uscc") or batch.headers["id"])
        if not repeats.is_empty():
            batch = batch.without(repeats)
            keys = _keys(batch.frame)
        self._remember(keys)
        return Imported(batch.frame.drop(_HASH), batch.rejects, batch.read, batch.headers)

    def _duplicates(self, keys: pl.DataFrame, source: str) -> pl.DataFrame:
        """Rows (LINE, subject_key, hash) whose key an earlier row (this batch or before) already has."""
        maybe = self._marks[keys.get_column("hash").to_numpy() >> self._shift]
        earlier = pl.DataFrame(schema={LINE: pl.Int64(), "subject_key": pl.String(), "first_line": pl.Int64()})
        if maybe.any():
            candidates = keys.filter(pl.Series(maybe))
            hashes = candidates.get_column("hash").implode()
            seen = pl.concat([part.filter(pl.col("hash").is_in(hashes)) for part in self._seen], how="vertical")
            earlier = candidates.join(seen, on=["hash", "subject_key"]).select(LINE, "subject_key", "first_line")
        hashes = keys.get_column("hash")
        repeated = hashes.filter(~hashes.is_first_distinct())  # (cheaper than counting the distinct hashes)
        if not repeated.is_empty():  # rows sharing a hash: compared on the keys themselves
            group = keys.filter(pl.col("hash").is_in(repeated.implode()))
            firsts = group.filter(pl.col("subject_key").is_first_distinct())
            later = group.join(
                firsts.select("subject_key", pl.col(LINE).alias("first_line")), on="subject_key"
            ).filter(pl.col(LINE) != pl.col("first_line"))
            earlier = pl.concat([earlier, later.select(LINE, "subject_key", "first_line")], how="vertical")
        return earlier.select(
            LINE,
            pl.lit(source).alias("column"),
            pl.col("subject_key").alias("value"),
            pl.format("与第{}行重复", "first_line").alias("reason"),
            pl.lit("reject").alias("severity"),
        ).unique(LINE, keep="first", maintain_order=True)

    def _remember(self, keys: pl.DataFrame) -> None:
        """The keys imported from this batch (each once), for the batches after it."""
        self._marks[keys.get_column("hash").to_numpy() >> self._shift] = True
        self._seen.append(keys.select("hash", "subject_key", pl.col(LINE).alias("first_line")))


def _keys(frame: pl.DataFrame) -> pl.DataFrame:
    """LINE, subject_key and hash of a prepared batch's rows."""
    return frame.select(LINE, "subject_key", pl.col(_HASH).alias("hash"))


def _region_notes(batch: Imported, frame: pl.DataFrame) -> pl.DataFrame:
    warnings = frame.get_column(_WARNING)
    if warnings.null_count() == len(warnings):
        return pl.DataFrame(schema=REJECTS_SCHEMA)
    column = batch.headers.get("address") or batch.headers.get("operating_address") or "address"
    return frame.filter(warnings.is_not_null()).select(
        LINE, pl.lit(column).alias("column"), pl.coalesce("address", "operating_address").alias("value"),
        pl.col(_WARNING).alias("reason"), pl.lit("warning").alias("severity"),
    )


def iter_registry(
    path: str | Path,
    *,
    encoding: str | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    sheet: str | None = None,
    raws: Iterator[pl.DataFrame] | None = None,
) -> Iterator[Imported]:
    """The registry in batches; duplicate keys are caught across batches. Raises IngestError if unreadable.

    Batches are read, typed and prepared (keys checked, regions found) ahead, in parallel; only the
    duplicate check, which needs every earlier batch, runs in order. `raws`: the file's raw batches, when
    the caller has started reading them already (see `readers.map_table`).
    """
    reader = RegistryReader()
    batches = map_table(
        path, REGISTRY_SPEC, prepare, encoding=encoding, batch_rows=batch_rows, sheet=sheet, keep_rejected=True,
        raws=raws,
    )
    for batch in batches:
        yield reader.shape_prepared(batch)


def load_registry(path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> Imported:
    """The whole registry at once."""
    return concat_imported(iter_registry(path, encoding=encoding, sheet=sheet))
