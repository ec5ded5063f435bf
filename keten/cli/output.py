"""Shared output for CLI commands: JSON or rich tables, and errors that name field and rule."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import date
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape

from keten.time.trail import TrailStep

console = Console()
err_console = Console(stderr=True)


def emit_json(payload: Any) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def fail(field: str, rule: str, *, as_json: bool, code: int = 2) -> NoReturn:
    """Report bad input and exit non-zero. Nothing is written anywhere else."""
    if as_json:
        click.echo(
            json.dumps({"error": {"field": field, "rule": rule}}, ensure_ascii=False), err=True
        )
    else:
        err_console.print(f"[bold red]error[/] [bold]{field}[/]: {rule}")
    sys.exit(code)


def parse_day(value: str, field: str, *, as_json: bool) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(field, f"{value!r} is not a date (expected YYYY-MM-DD)", as_json=as_json)


def print_trail(steps: Iterable[TrailStep]) -> None:
    """A trail as a Dutch bullet list with citations (rich markup in the text is escaped)."""
    for step in steps:
        cite = f" [dim]({step.citation})[/]" if step.citation else ""
        console.print(f"  - {escape(step.text('nl'))}{cite}")
