from fundwatch.commands.reference import DOC, render


def test_cli_reference_matches_the_commands() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
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
