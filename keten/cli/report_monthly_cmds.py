"""``keten report monthly``: the monthly management information from a dossier export (the
Parquet directory of ``keten.reports.frames``), without a server: the library's rules
(``keten.reports.monthly``) over the exported rows. Every organisation's figures: whoever holds
the export holds them all."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from keten.reports import frames, monthly
from keten.reports.tables import to_csv, to_xlsx


def _month(value: str, name: str) -> monthly.Month:
    try:
        return monthly.parse_month(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is geen maand (verwacht JJJJ-MM) / is not a month (YYYY-MM)",
            param_hint=name,
        ) from None


@click.command("monthly")
@click.option("--from", "from_", required=True, help="First month, YYYY-MM.")
@click.option("--to", "to", required=True, help="Last month, YYYY-MM (at most 36 months).")
@click.option(
    "--export",
    "export",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A dossier export directory (keten server export-frames).",
)
@click.option("--organisation", default=None, help="Only this organisation kind's queues.")
@click.option("--team", default=None, help="Only this team.")
@click.option("--type", "procedure_type", default=None, help="Only this procedure type.")
@click.option(
    "--json", "form", flag_value="json", default=True, help="JSON on standard output (default)."
)
@click.option("--csv", "form", flag_value="csv", help="The per-group table as CSV.")
@click.option("--xlsx", "form", flag_value="xlsx", help="Both tables as XLSX (needs --output).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
def monthly_command(
    from_: str,
    to: str,
    export: Path,
    organisation: str | None,
    team: str | None,
    procedure_type: str | None,
    form: str,
    output: Path | None,
) -> None:
    """Monthly management information: intake, decided, open and over the term at month end,
    lead time (median, P90), dwangsom forfeited and notices of default, per organisation, team,
    procedure type and month."""
    first, last = _month(from_, "--from"), _month(to, "--to")
    if last < first:
        raise click.BadParameter(
            f"{last.label} ligt vóór --from {first.label} / is before --from", param_hint="--to"
        )
    count = len(monthly.months(first, last))
    if count > monthly.MAX_MONTHS:
        raise click.BadParameter(
            f"ten hoogste {monthly.MAX_MONTHS} maanden, niet {count} / at most "
            f"{monthly.MAX_MONTHS} months",
            param_hint="--from",
        )
    if form == "xlsx" and output is None:
        raise click.BadParameter("XLSX is binary: name a file", param_hint="--output")
    data = monthly.report(
        frames.read(export),
        first,
        last,
        monthly.Selection(organisation=organisation, team=team, procedure_type=procedure_type),
    )
    tables = monthly.tables(data["results"], data["totals"])
    body: bytes
    if form == "csv":
        body = to_csv(tables[0]).encode("utf-8")
    elif form == "xlsx":
        body = to_xlsx(tables)
    else:
        body = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        output.write_bytes(body)
