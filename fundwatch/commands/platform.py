"""`fundwatch serve`, `fundwatch demo-setup`, `fundwatch manage`: the web platform from a shell."""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path

import click

from fundwatch.commands.common import InputProblem


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundwatch.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as err:
        raise InputProblem(f"配置有误：{err}") from err


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for the LAN).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve the platform with waitress (static files by whitenoise, from the repository only)."""
    _django()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from fundwatch.web.wsgi import application

    click.echo(f"非法集资风险监测预警平台：http://{host}:{port}/  （数据目录 {settings.FUNDWATCH_HOME}，Ctrl+C 退出）")
    serve(application, host=host, port=port, threads=threads, ident="fundwatch")


def demo_password(home: Path) -> str:
    """FUNDWATCH_DEMO_PASSWORD, else one generated once and kept beside the database."""
    given = os.environ.get("FUNDWATCH_DEMO_PASSWORD")
    if given:
        return given
    path = home / "demo_password"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(9), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


@click.command("demo-setup")
@click.option("--subjects", default=3000, show_default=True, type=click.IntRange(50, 200_000),
              help="Subjects in the generated demo county.")
@click.option("--seed", default=20180515, show_default=True,
              help="Seed of the demo generator (same seed, same county).")
@click.option("--profile", default=None, help="Locality profile (default: FUNDWATCH_PROFILE, menghai).")
def demo_setup_command(subjects: int, seed: int, profile: str | None) -> None:
    """Migrate, generate the demo county, import and screen it, open leads, create one account per role.

    Running it again updates the same rows: no duplicate subjects, signals, leads or accounts.
    """
    _django()
    from django.conf import settings
    from django.core.management import call_command

    from fundwatch.web.demo_setup import run_demo_setup

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    profile = profile or settings.FUNDWATCH_PROFILE
    password = demo_password(settings.FUNDWATCH_HOME)
    try:
        counts, accounts = run_demo_setup(profile, subjects, seed, settings.FUNDWATCH_HOME / "demo", password)
    except (OSError, ValueError) as err:
        raise InputProblem(str(err)) from err
    click.echo(f"演示县已就绪（{time.monotonic() - started:.0f} 秒）：主体 {counts['subjects']} 户，"
               f"规则命中 {counts['hits']} 条，新信号 {counts['signals']} 条，新线索 {counts['leads']} 条。")
    click.echo(f"演示账号：{', '.join(accounts)}")
    click.echo(f"密码：{password}" + ("（来自 FUNDWATCH_DEMO_PASSWORD）" if os.environ.get("FUNDWATCH_DEMO_PASSWORD")
                                    else f"（保存在 {settings.FUNDWATCH_HOME / 'demo_password'}）"))


@click.command("manage", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage_command(args: tuple[str, ...]) -> None:
    """Django's manage.py with the platform's settings, e.g. `fundwatch manage createsuperuser`."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fundwatch manage", *args])
    sys.exit(0)


COMMANDS = [serve_command, demo_setup_command, manage_command]
