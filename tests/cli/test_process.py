"""Batch commands keep freed memory for reuse (jemalloc options set before Polars loads); serving ones do not."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest

from fundwatch import cli as cli_module
from fundwatch.process import ALLOCATOR_ENV, BATCH_ALLOCATOR


def _child(code: str, env: dict[str, str] | None = None) -> str:
    environ = {k: v for k, v in os.environ.items() if k != ALLOCATOR_ENV}
    environ.update(env or {})
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environ, check=True)
    return done.stdout.strip()


def test_a_batch_run_sets_the_allocator_before_polars_loads() -> None:
    out = _child(
        "from fundwatch.process import for_batch_run\n"
        "print(for_batch_run())\n"
        "import os, polars\n"
        f"print(os.environ[{ALLOCATOR_ENV!r}])\n"
    )
    first, conf = out.splitlines()
    assert first == "True"
    assert conf.endswith(BATCH_ALLOCATOR)  # Polars puts its defaults in front; the later options win


def test_too_late_or_set_from_outside_changes_nothing() -> None:
    assert _child("import polars\nfrom fundwatch.process import for_batch_run\nprint(for_batch_run())") == "False"
    code = "import os\nfrom fundwatch.process import for_batch_run\n"
    out = _child(code + f"print(for_batch_run(), os.environ[{ALLOCATOR_ENV!r}])", env={ALLOCATOR_ENV: "narenas:2"})
    assert out == "False narenas:2"


@pytest.mark.parametrize(("command", "batch"), [("screen", True), ("funds", True), ("serve", False), ("manage", False)])
def test_only_batch_commands_ask_for_it(monkeypatch: pytest.MonkeyPatch, command: str, batch: bool) -> None:
    calls: list[str] = []
    monkeypatch.setattr(cli_module, "for_batch_run", lambda: calls.append(command) or True)
    group = cli_module.cli
    assert isinstance(group, click.Group)
    with click.Context(group) as ctx:
        assert group.get_command(ctx, command) is not None
    assert calls == ([command] if batch else [])
