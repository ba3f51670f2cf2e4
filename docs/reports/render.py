"""Render every report of the demo county once and keep pictures of the pages (a documentation step).

    .venv/bin/python docs/reports/render.py

Needs LibreOffice and poppler-utils (`apt-get install libreoffice-calc-nogui
libreoffice-writer-nogui poppler-utils`): XLSX and DOCX → PDF with LibreOffice, as an office
prints them; PDF → PNG with pdftoppm. The reports are built from the demo ledger
(fundwatch.reports.sample.demo_ledger), the same one the tests read back.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from fundwatch.reports.campaigns import load_campaign, progress, progress_table
from fundwatch.reports.county_free import county_free_table
from fundwatch.reports.docx_render import write_docx
from fundwatch.reports.duties import duties_frame, duties_table
from fundwatch.reports.key_leads import key_leads_table
from fundwatch.reports.layouts import load_table
from fundwatch.reports.monthly import load_monthly, monthly_document
from fundwatch.reports.notices import Issuer, blacklist_notice, public_warning, storefront_notice
from fundwatch.reports.overview import overview_table
from fundwatch.reports.pdf_render import write_pdf
from fundwatch.reports.sample import demo_ledger
from fundwatch.reports.tables import Meta
from fundwatch.reports.xlsx import write_xlsx

HERE = Path(__file__).resolve().parent
OFFICE = "勐海县打击和处置非法集资工作领导小组办公室"
PERIOD = "2018-07"
DAY = date(2018, 8, 3)
DPI = "90"
LAST_PAGE = {"campaign": 2}  # a long table: its first pages show the form


def build(out: Path) -> list[Path]:
    ledger = demo_ledger()
    meta = Meta(OFFICE, PERIOD, "刘建云", "0691-5123117", DAY)
    issuer = Issuer(OFFICE, "0691-5123117", DAY)
    campaign = load_campaign("campaign_menghai_2018")
    table = progress(campaign, ledger.units, ledger.submissions, date(2018, 7, 31))
    monthly = monthly_document(ledger.monthly_leads, ledger.monitored, PERIOD, jurisdiction="勐海县", issuer=OFFICE,
                               report_date=DAY, layout=load_monthly())
    files = {
        "key-leads.xlsx": key_leads_table(ledger.key_leads, load_table("key_leads"), meta),
        "overview.xlsx": overview_table(ledger.institutions, load_table("overview"), meta),
        "county-free.xlsx": county_free_table(ledger.villages, ledger.area_leads, load_table("county_free"), meta),
        "duties.xlsx": duties_table(duties_frame(ledger.ruleset), load_table("duties"), Meta(OFFICE, "", "", "", DAY)),
        "campaign.xlsx": progress_table(table, load_table("campaign_progress"), meta, date(2018, 7, 31)),
        "monthly.docx": monthly,
        "monthly.pdf": monthly,
        "notice.pdf": storefront_notice(ledger.blacklist["name"].head(1).to_list(), issuer),
        "warning.docx": public_warning("勐海县", ["consumption_rebate", "elderly_care", "virtual_currency"],
                                       ledger.blacklist["name"].to_list(), issuer),
        "blacklist-notice.pdf": blacklist_notice(ledger.blacklist, load_table("blacklist"), issuer),
    }
    written = []
    for name, built in files.items():
        path = out / name
        {".xlsx": write_xlsx, ".docx": write_docx, ".pdf": write_pdf}[path.suffix](built, path)  # type: ignore[operator]
        written.append(path)
    return written


def to_pdf(path: Path) -> Path:
    if path.suffix == ".pdf":
        return path
    printed = path.parent / "printed"  # LibreOffice names its PDF after the input: keep it apart
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(printed), str(path)],
                   check=True, capture_output=True, timeout=300)
    return printed / f"{path.stem}.pdf"


def to_png(pdf: Path, name: str) -> list[Path]:
    for old in HERE.glob(f"{name}-*.png"):
        old.unlink()
    last = ["-l", str(LAST_PAGE[name])] if name in LAST_PAGE else []
    subprocess.run(["pdftoppm", "-png", "-r", DPI, *last, str(pdf), str(HERE / name)], check=True, timeout=300)
    return sorted(HERE.glob(f"{name}-*.png"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for path in build(Path(tmp)):
            name = path.stem + ("-reportlab" if path.suffix == ".pdf" and path.stem == "monthly" else "")
            pictures = to_png(to_pdf(path), name)
            print(f"{path.name}: {', '.join(p.name for p in pictures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
