"""The CLI's commands, one module each; see `fundwatch.cli.COMMAND_MODULES`."""
