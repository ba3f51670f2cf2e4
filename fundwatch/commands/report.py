"""`fundwatch report ...`: the official tables and documents, from the platform's database.

The same database as `fundwatch serve` (Django settings fundwatch.web.settings, DATABASE_URL or
the SQLite file under FUNDWATCH_HOME). The format follows the --out suffix: tables .xlsx or .csv
(GBK), documents .docx or .pdf.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from fundwatch.commands.common import InputProblem

TABLE_SUFFIXES = (".xlsx", ".csv")
_OUT = click.Path(path_type=Path, dir_okay=False)


def _period(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from fundwatch.reports.monthly import month_bounds

    try:
        start, _ = month_bounds(value)
    except ValueError as err:
        raise InputProblem(str(err)) from err
    return f"{start.year}-{start.month:02d}"


def _options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("--period", callback=_period, default=None,
                     help="统计月份 YYYY-MM (default: last month)."),
        click.option("--region", default=None,
                     help="辖区行政区划代码 (county, township or village; default: FUNDWATCH_COUNTY)."),
        click.option("--out", type=_OUT, required=True,
                     help="Output file; its suffix (.xlsx .csv .docx .pdf) is the format."),
        click.option("--reporter", default="", help="填报人 in the footer (blank: left to fill in by hand)."),
        click.option("--phone", default="", help="电话 in the footer."),
        click.option("--date", "filled_on", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="Date in the footer / on the document, YYYY-MM-DD (default: today)."),
    ]):
        func = option(func)
    return func


def _check_out(out: Path, suffixes: tuple[str, ...]) -> None:
    if out.suffix.lower() not in suffixes:
        raise InputProblem(f"输出文件 {out} 的格式不支持：应为 {' 或 '.join(suffixes)}")
    if not out.parent.exists():
        raise InputProblem(f"输出目录不存在：{out.parent}")


@contextmanager
def _platform() -> Iterator[None]:
    """Django set up on the platform's database; its and the layouts' problems become exit-2 messages."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundwatch.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from fundwatch.lexicons import LexiconError
    from fundwatch.reports.key_leads import ReportDataError
    from fundwatch.reports.layouts import LayoutError

    try:
        django.setup()
    except ImproperlyConfigured as err:
        raise InputProblem(f"配置有误：{err}") from err
    from fundwatch.reports.queries import UnknownRegion

    try:
        yield
    except DatabaseError as err:
        raise InputProblem(f"数据库不可用或尚未迁移（请先运行 fundwatch demo-setup）：{err}") from err
    except (LayoutError, LexiconError, ReportDataError, UnknownRegion) as err:
        raise InputProblem(str(err)) from err
    except OSError as err:
        raise InputProblem(f"无法写入输出文件：{err}") from err


def _order(period: str | None, region: str | None, reporter: str, phone: str, filled_on: Any,
           hotline: str | None = None, names: tuple[str, ...] = ()) -> Any:
    from fundwatch.reports import queries
    from fundwatch.reports.monthly import last_month
    from fundwatch.reports.products import Order

    day = filled_on.date() if filled_on else date.today()
    return Order(queries.region_of(region), period or last_month(date.today()), day, reporter, phone,
                 hotline or "", None, names)


def _produce(key: str, out: Path, **options: Any) -> None:
    """Build product `key` for the run's jurisdiction and month and write it to `out`."""
    with _platform():
        from fundwatch.reports.products import PRODUCTS, NothingToReport, render

        product = PRODUCTS[key]
        _check_out(out, tuple(f".{f}" for f in product.formats))
        try:
            built = product.build(_order(**options))
        except NothingToReport as err:
            raise InputProblem(str(err)) from err
        out.write_bytes(render(built, out.suffix.lower().lstrip(".")))
    rows = getattr(built, "rows", None)
    click.echo(f"已生成 {out}" + (f"（{len(rows)} 行）" if rows is not None else ""))


_HOTLINE = click.option("--hotline", default=None, help="举报电话 on notices (default: notices.yaml).")


@click.group("report")
def report_group() -> None:
    """官方报表：重点风险线索统计表、总体情况统计表、无非法集资县统计表、职责分工表、月度监测报告、专项活动、黑名单、公告。"""


@report_group.command("key-leads")
@_options
def key_leads_command(out: Path, **options: Any) -> None:
    """重点风险线索统计表 (001 附件1), .xlsx or .csv: one row per lead of the ledger open in the month."""
    _produce("key-leads", out, **options)


@report_group.command("overview")
@_options
def overview_command(out: Path, **options: Any) -> None:
    """涉嫌非法集资风险专项排查总体情况统计表, .xlsx or .csv: institutions by key sector and key behaviour."""
    _produce("overview", out, **options)


@report_group.command("county-free")
@_options
def county_free_command(out: Path, **options: Any) -> None:
    """“无非法集资县（市、区）”统计表 (000 附件3), .xlsx or .csv: villages and townships declared free."""
    _produce("county-free", out, **options)


@report_group.command("duties")
@_options
def duties_command(out: Path, **options: Any) -> None:
    """职责分工表 of the active profile (FUNDWATCH_PROFILE), .xlsx or .csv."""
    _produce("duties", out, **options)


@report_group.command("monthly")
@_options
def monthly_command(out: Path, **options: Any) -> None:
    """非法集资监测报告 (002 五(四)), .docx or .pdf, due by the 5th: risk, hotspots with charts, leads, disposal."""
    _produce("monthly", out, **options)


@report_group.command("blacklist")
@_HOTLINE
@_options
def blacklist_command(out: Path, **options: Any) -> None:
    """涉嫌非法集资风险企业名单: .xlsx/.csv the list; .docx/.pdf the public notice that publishes it."""
    _produce("blacklist" if out.suffix.lower() in TABLE_SUFFIXES else "blacklist-notice", out, **options)


@report_group.command("notice")
@click.option("--subject", "names", multiple=True,
              help="Outfit named on the notice (repeatable); default: every subject on the blacklist.")
@_HOTLINE
@_options
def notice_command(out: Path, **options: Any) -> None:
    """店面公告 (004), .docx or .pdf: “该公司不具备开展集资、吸储、保险、理财经营资格，谨防上当受骗”, one page each."""
    _produce("notice", out, **options)


@report_group.command("warning")
@_HOTLINE
@_options
def warning_command(out: Path, **options: Any) -> None:
    """风险提示 for the public, .docx or .pdf: the guises seen here, the blacklist, the report hotline."""
    _produce("warning", out, **options)


@report_group.command("campaign")
@click.option("--campaign", "key", default="campaign_menghai_2018", show_default=True,
              help="Campaign definition (campaign_*.yaml) run in the region.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Progress as of YYYY-MM-DD (default: the --date, else today).")
@_options
def campaign_command(out: Path, key: str, as_of: Any, **options: Any) -> None:
    """专项活动报送情况表, .xlsx or .csv: what each unit owes (plan, bulletins, summary), has sent, who is late."""
    _check_out(out, TABLE_SUFFIXES)
    with _platform():
        from fundwatch.reports import queries
        from fundwatch.reports.campaigns import late_units, load_campaign, progress, progress_table
        from fundwatch.reports.layouts import load_table
        from fundwatch.reports.products import render
        from fundwatch.reports.webapp.models import Campaign

        order = _order(**options)
        definition = load_campaign(key)
        campaign, _ = Campaign.objects.get_or_create(key=key, region=order.region, defaults={"name": definition.name})
        units, sent = queries.campaign_frames(campaign)
        day = as_of.date() if as_of else order.day
        table = progress(definition, units, sent, day)
        built = progress_table(table, load_table("campaign_progress"), order.meta, day)
        out.write_bytes(render(built, out.suffix.lower().lstrip(".")))
    late = late_units(table)
    click.echo(f"已生成 {out}；逾期未报单位 {len(late)} 个" + (f"：{'、'.join(late)}" if late else ""))


COMMANDS: list[click.Command] = [report_group]
