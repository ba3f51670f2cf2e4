"""`fundwatch ...`: everything a person runs from a shell.

Each command lives in its own module under `fundwatch.commands`; a module
exposes `COMMANDS`, the click commands it adds to this group. Modules are
imported lazily so `fundwatch --help` stays fast and one command's heavy
dependencies (Django, LightGBM) are loaded only when it runs.
"""

from __future__ import annotations

import importlib
import sys

import click

from fundwatch import __version__
from fundwatch.process import for_batch_run

# command name -> module that defines it
COMMAND_MODULES: dict[str, str] = {
    "screen": "fundwatch.commands.screen",
    "demo-data": "fundwatch.commands.demo",
    "serve": "fundwatch.commands.platform",
    "demo-setup": "fundwatch.commands.platform",
    "manage": "fundwatch.commands.platform",
    "funds": "fundwatch.commands.funds",
    "link": "fundwatch.commands.link",
    "model": "fundwatch.commands.model",
    "report": "fundwatch.commands.report",
}


# commands that serve (a long-running process gives memory back to the system, see fundwatch.process)
SERVING = frozenset({"serve", "manage"})


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMAND_MODULES.get(cmd_name)
        if module_name is None:
            return None
        if cmd_name not in SERVING:
            for_batch_run()
        module = importlib.import_module(module_name)
        for command in module.COMMANDS:
            if command.name == cmd_name:
                return command  # type: ignore[no-any-return]
        raise RuntimeError(f"{module_name} does not define the command {cmd_name}")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fundwatch")
def cli() -> None:
    """Fundwatch 非法集资风险监测预警平台: screen, link, monitor funds, serve the platform, report."""


def main() -> None:
    sys.exit(cli.main(standalone_mode=True))
