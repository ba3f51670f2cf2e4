"""The CLI reference (docs/cli.md) rendered from the commands' own --help.

`python -m fundwatch.commands.reference` rewrites docs/cli.md; a test fails
when the file and the commands disagree, so the reference cannot drift.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click
from click.testing import CliRunner

from fundwatch.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
HEADER = """# fundwatch command reference

Generated from each command's `--help` by `python -m fundwatch.commands.reference`;
`tests/cli/test_reference.py` fails when this file and the commands disagree.
"""


def _walk(group: click.Group, prefix: list[str]) -> Iterator[list[str]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = [*prefix, name]
        yield path
        if isinstance(command, click.Group):
            yield from _walk(command, path)


def render() -> str:
    runner = CliRunner()
    parts = [HEADER]
    for path in [[], *_walk(cli, [])]:
        result = runner.invoke(cli, [*path, "--help"], terminal_width=100, prog_name="fundwatch")
        if result.exit_code != 0:
            raise RuntimeError(f"fundwatch {' '.join(path)} --help failed: {result.output}")
        title = " ".join(["fundwatch", *path])
        parts.append(f"\n## `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "".join(parts)


def main() -> None:
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")


if __name__ == "__main__":
    main()
