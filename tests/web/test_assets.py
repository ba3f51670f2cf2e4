"""Every script and stylesheet is served from the repository: no CDN, no internet needed."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

WEB = Path(__file__).resolve().parents[2] / "fundwatch" / "web"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']\s*(?:https?:)?//""", re.I)


def test_templates_link_no_external_asset() -> None:
    templates = list((WEB / "templates").rglob("*.html"))
    assert templates
    offenders = [str(t) for t in templates if EXTERNAL.search(t.read_text(encoding="utf-8"))]
    assert offenders == []


def test_own_css_and_js_load_nothing_from_outside() -> None:
    own = [p for p in (WEB / "static").rglob("*") if p.suffix in {".css", ".js"} and "vendor" not in p.parts]
    assert own
    assert [str(p) for p in own if re.search(r"(?:url\(|import\s|fetch\().{0,3}(?:https?:)?//", p.read_text())] == []


def test_vendored_echarts_is_found_by_staticfiles() -> None:
    path = finders.find("vendor/echarts/echarts.min.js")
    assert path is not None and Path(path).stat().st_size > 500_000
    assert b"echarts" in Path(path).read_bytes()[:2000].lower()
