"""Every report the platform and the command line hand out: what it is called, in which formats,
and how it is built from the ledger of a jurisdiction and month. One list, so the download
buttons and `fundwatch report ...` cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fundwatch.reports import queries
from fundwatch.reports.county_free import county_free_table
from fundwatch.reports.csvfile import csv_bytes
from fundwatch.reports.document import Document
from fundwatch.reports.docx_render import docx_bytes
from fundwatch.reports.duties import duties_frame, duties_table
from fundwatch.reports.key_leads import key_leads_table
from fundwatch.reports.layouts import load_table
from fundwatch.reports.monthly import load_monthly, monthly_document
from fundwatch.reports.notices import (
    Issuer,
    blacklist_notice,
    blacklist_table,
    notice_texts,
    public_warning,
    storefront_notice,
)
from fundwatch.reports.overview import overview_table
from fundwatch.reports.pdf_render import pdf_bytes
from fundwatch.reports.tables import BuiltTable, Meta
from fundwatch.reports.xlsx import xlsx_bytes
from fundwatch.web.models import Region

TABLE_FORMATS = ("xlsx", "csv")
DOCUMENT_FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=gb18030",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class NothingToReport(ValueError):
    pass


@dataclass(frozen=True)
class Order:
    """One report asked for: the jurisdiction, the month, the date it carries, who fills it in."""

    region: Region
    period: str
    day: date
    reporter: str = ""
    phone: str = ""
    hotline: str = ""
    user: Any = None  # the platform user asking; None for the command line (everything)
    names: tuple[str, ...] = ()  # outfits for the storefront notice

    @property
    def office(self) -> str:
        return office_name(self.region)

    @property
    def meta(self) -> Meta:
        return Meta(self.office, self.period, self.reporter, self.phone, self.day)

    @property
    def issuer(self) -> Issuer:
        return Issuer(self.office, self.hotline or notice_texts().text("hotline"), self.day)


def office_name(region: Region) -> str:
    """The profile's office for its own county, else the region's office by the usual name."""
    profile = queries.ruleset().profile
    if profile.region_code == region.code:
        return profile.office
    return f"{region.name}打击和处置非法集资工作领导小组办公室"


def _key_leads(o: Order) -> BuiltTable:
    return key_leads_table(queries.key_leads_frame(o.region, o.period, o.user), load_table("key_leads"), o.meta)


def _overview(o: Order) -> BuiltTable:
    return overview_table(queries.institutions_frame(o.region, o.period, o.user), load_table("overview"), o.meta)


def _county_free(o: Order) -> BuiltTable:
    villages, leads = queries.county_free_frames(o.region, o.user)
    return county_free_table(villages, leads, load_table("county_free"), o.meta)


def _duties(o: Order) -> BuiltTable:
    meta = Meta(o.office, "", o.reporter, o.phone, o.day)
    return duties_table(duties_frame(queries.ruleset()), load_table("duties"), meta)


def _monthly(o: Order) -> Document:
    leads, monitored = queries.monthly_frames(o.region, o.period, o.user)
    return monthly_document(leads, monitored, o.period, jurisdiction=o.region.name, issuer=o.office,
                            report_date=o.day, layout=load_monthly())


def _blacklist(o: Order) -> BuiltTable:
    return blacklist_table(queries.blacklist_frame(o.region, o.day, o.user), load_table("blacklist"), o.meta)


def _blacklist_notice(o: Order) -> Document:
    return blacklist_notice(queries.blacklist_frame(o.region, o.day, o.user), load_table("blacklist"), o.issuer)


def _storefront(o: Order) -> Document:
    names = list(o.names) or queries.blacklist_frame(o.region, o.day, o.user)["name"].to_list()
    if not names:
        raise NothingToReport("没有要张贴公告的主体：请指定主体，或先将主体列入黑名单")
    return storefront_notice(names, o.issuer)


def _warning(o: Order) -> Document:
    listed = queries.blacklist_frame(o.region, o.day, o.user)["name"].to_list()
    return public_warning(o.region.name, queries.guises_seen(o.region, o.user), listed, o.issuer)


@dataclass(frozen=True)
class Product:
    title: str
    formats: tuple[str, ...]
    build: Callable[[Order], BuiltTable | Document]


PRODUCTS: dict[str, Product] = {
    "key-leads": Product("重点风险线索统计表", TABLE_FORMATS, _key_leads),
    "overview": Product("涉嫌非法集资风险专项排查总体情况统计表", TABLE_FORMATS, _overview),
    "county-free": Product("“无非法集资县（市、区）”统计表", TABLE_FORMATS, _county_free),
    "duties": Product("职责分工表", TABLE_FORMATS, _duties),
    "monthly": Product("非法集资监测报告（月报）", DOCUMENT_FORMATS, _monthly),
    "blacklist": Product("涉嫌非法集资风险企业（主体）名单", TABLE_FORMATS, _blacklist),
    "blacklist-notice": Product("关于公布涉嫌非法集资风险企业名单的公告", DOCUMENT_FORMATS, _blacklist_notice),
    "notice": Product("店面公告（不具备集资、吸储、保险、理财经营资格）", DOCUMENT_FORMATS, _storefront),
    "warning": Product("关于防范非法集资风险的提示", DOCUMENT_FORMATS, _warning),
}


def render(built: BuiltTable | Document, fmt: str) -> bytes:
    """The file of `built` in `fmt` (xlsx, csv for tables; docx, pdf for documents)."""
    if isinstance(built, BuiltTable):
        return {"xlsx": xlsx_bytes, "csv": csv_bytes}[fmt](built)
    return {"docx": docx_bytes, "pdf": pdf_bytes}[fmt](built)


def filename(key: str, order: Order, fmt: str) -> str:
    return f"{PRODUCTS[key].title}_{order.region.name}_{order.period}.{fmt}"
