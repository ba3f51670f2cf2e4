"""Settings come from the environment through strict helpers; production settings pass `check --deploy`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from fundwatch.web import settings as fw_settings

WEB = Path(fw_settings.__file__).parent
REPO = WEB.parents[1]


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)])
def test_envbool_reads_plain_words(monkeypatch: pytest.MonkeyPatch, raw: str, value: bool) -> None:
    monkeypatch.setenv("FW_FLAG", raw)
    assert fw_settings.envbool("FW_FLAG", not value) is value


@pytest.mark.parametrize("raw", ["maybe", "2", "真"])
def test_envbool_refuses_anything_else(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("FW_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="FW_FLAG"):
        fw_settings.envbool("FW_FLAG", False)


def test_database_url(tmp_path: Path) -> None:
    sqlite = fw_settings.database_from_url(None, tmp_path)
    assert sqlite["ENGINE"].endswith("sqlite3") and sqlite["NAME"] == tmp_path / "fundwatch.sqlite3"
    pg = fw_settings.database_from_url("postgres://fw:p%40ss@db.local:6543/fundwatch", tmp_path)
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql", "fundwatch", "fw", "p@ss", "db.local", "6543")
    with pytest.raises(ImproperlyConfigured, match="postgres"):
        fw_settings.database_from_url("mysql://root@localhost/x", tmp_path)


def test_secret_key_generated_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    first = fw_settings.secret_key(tmp_path)
    assert len(first) >= 50 and fw_settings.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def _check_deploy(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "fundwatch.web.settings", "FUNDWATCH_HOME": str(tmp_path), **env},
        capture_output=True, text=True, cwd=REPO, check=False,
    )


PRODUCTION = {
    "DEBUG": "0", "SECRET_KEY": "fixme-" + "x7Qp2" * 12, "ALLOWED_HOSTS": "fundwatch.example.gov.cn",
    "SECURE_SSL_REDIRECT": "1", "SESSION_COOKIE_SECURE": "1", "CSRF_COOKIE_SECURE": "1",
    "SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _check_deploy(PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_names_what_the_local_demo_leaves_off(tmp_path: Path) -> None:
    # the plain-HTTP local demo: docs/platform.md explains each of these warnings
    result = _check_deploy({"DEBUG": "0"}, tmp_path)
    found = set(re.findall(r"security\.W\d+", result.stderr + result.stdout))
    documented = set(re.findall(r"security\.W\d+", (REPO / "docs" / "platform.md").read_text(encoding="utf-8")))
    assert found and found <= documented


def test_every_setting_is_documented() -> None:
    source = (WEB / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env(?:bool|int|list|secret)?\("([A-Z_]+)"', source))
    names |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"\)', source))
    doc = (REPO / "docs" / "platform.md").read_text(encoding="utf-8")
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    assert names, "no settings found"
    assert {n for n in names if f"`{n}`" not in doc} == set()
    assert {n for n in names if not re.search(rf"^#? ?{n}=", example, re.M)} == set()
