import subprocess
import sys

from fundwatch.commands.reference import DOC


def test_cli_reference_matches_the_commands() -> None:
    # rendered in a fresh interpreter, as `python -m fundwatch.commands.reference` writes it: click
    # caches each command's help option on first use, so help rendered after other tests invoked a
    # subcommand directly would differ from what a person sees
    rendered = subprocess.run(
        [sys.executable, "-c", "import sys; from fundwatch.commands.reference import render; "
                               "sys.stdout.buffer.write(render().encode('utf-8'))"],
        capture_output=True, check=True,
    ).stdout.decode("utf-8")
    assert DOC.read_text(encoding="utf-8") == rendered, (
        "docs/cli.md is out of date: run `.venv/bin/python -m fundwatch.commands.reference`"
    )


def test_every_command_and_option_has_help() -> None:
    import click

    from fundwatch.cli import cli
    from fundwatch.commands.reference import _walk

    ctx = click.Context(cli)
    for path in _walk(cli, []):
        command: click.Command | None = cli
        for name in path:
            assert isinstance(command, click.Group)
            command = command.get_command(ctx, name)
        assert command is not None and command.help, f"fundwatch {' '.join(path)} has no help"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"fundwatch {' '.join(path)} {param.opts[0]} has no help"
