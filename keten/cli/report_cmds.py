"""``keten report``: the reports the chain owes, from a dossier export or the sample, without a
server. Each report's command lives in a module of its own; register it with one line in
``REPORTS``, so ``keten report annual`` never loads the forecast engine."""

from __future__ import annotations

import click

from keten.cli import LazyGroup

# name -> "module:attribute" of a click command
REPORTS: dict[str, str] = {
    "factsheet": "keten.cli.report_document_cmds:factsheet_cmd",
    "strategy": "keten.cli.report_document_cmds:strategy_cmd",
    "monthly": "keten.cli.report_monthly_cmds:monthly_command",
    "annual": "keten.cli.report_annual_cmds:annual",
}


class _LazyReports(LazyGroup):
    lazy = REPORTS


@click.group(cls=_LazyReports)
def report() -> None:
    """Reports over a period: IND annual figures, monthly management information, the chain
    factsheet and the national strategy in the EU model."""
