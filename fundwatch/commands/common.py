"""What every command shares: the exit-2 error for input that cannot be used, progress, summaries."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class InputProblem(click.ClickException):
    """A file or setting that cannot be used: one message on stderr, exit code 2, no traceback."""

    exit_code = 2

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def row_progress(description: str) -> Iterator[Any]:
    """A progress line counting rows on a terminal; silent when stderr is not one."""
    if not sys.stderr.isatty():
        yield lambda rows: None
        return
    with Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(bar_width=None),
        TextColumn("{task.completed:,.0f} 行"), TimeElapsedColumn(),
        console=stderr_console(), transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)
        yield lambda rows: bar.update(task, completed=rows)
