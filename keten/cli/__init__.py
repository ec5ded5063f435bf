"""The ``keten`` command.

Subcommands live in their own modules and are imported only when used, so ``keten deadlines``
never pays for loading the server or the forecast engine. Register a subcommand by adding one
line to ``COMMANDS``.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name -> "module:attribute" of a click command or group
COMMANDS: dict[str, str] = {
    "calendar": "keten.cli.calendar_cmds:calendar",
    "procedures": "keten.cli.catalog_cmds:procedures",
    "deadlines": "keten.cli.catalog_cmds:deadlines",
    "dwangsom": "keten.cli.catalog_cmds:dwangsom",
    "overview": "keten.cli.overview:overview",
    "demo": "keten.cli.server_cmds:demo",
    "server": "keten.cli.server_cmds:server",
    "audit": "keten.cli.server_cmds:audit",
    "forecast": "keten.cli.forecast_cmds:forecast",
    "rules": "keten.cli.rules_cmds:rules",
    "report": "keten.cli.report_cmds:report",
    "countries": "keten.cli.countries_cmds:countries",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when used; ``lazy`` maps their names to
    "module:attribute" (a subclass names its own mapping, as ``keten report`` does)."""

    lazy: dict[str, str] = COMMANDS

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.lazy)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: Any = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup)
@click.version_option(package_name="keten")
def cli() -> None:
    """Keten: dossiers, deadlines, rules and forecasts for the Dutch migration chain."""


def main() -> None:
    cli()
