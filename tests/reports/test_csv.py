"""CSV for Excel and WPS: GBK bytes, the layout's headers, numbers with two decimals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fundwatch.reports.csvfile import write_csv
from fundwatch.reports.key_leads import key_leads_table
from fundwatch.reports.layouts import load_table
from fundwatch.reports.notices import blacklist_table
from fundwatch.reports.tables import Meta


@pytest.mark.parametrize("name", ["key_leads", "blacklist"])
def test_csv_is_gbk_with_the_layout_headers(ledger, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    layout = load_table(name)
    table = (key_leads_table(ledger.key_leads, layout, Meta()) if name == "key_leads"
             else blacklist_table(ledger.blacklist, layout, Meta()))
    path = tmp_path / f"{name}.csv"
    write_csv(table, path)
    lines = path.read_bytes().decode("gbk").splitlines()
    assert lines[0].split(",") == [c.header for c in layout.columns]
    assert len(lines) == 1 + len(table.rows)
    if name == "key_leads":
        total = lines[-1].split(",")
        assert total[0] == "合计" and re.fullmatch(r"\d+\.\d\d", total[5])
