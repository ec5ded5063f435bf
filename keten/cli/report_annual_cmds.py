"""``keten report annual --year Y --export DIR``: the IND annual figures computed by the library
from an export made by ``keten server export-frames`` (no server, no database)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from keten.cli.output import console, fail


@click.command("annual")
@click.option("--year", type=int, required=True, help="The year, compared with the year before.")
@click.option(
    "--export",
    "export",
    type=click.Path(file_okay=False, exists=True),
    required=True,
    help="A directory written by `keten server export-frames` covering both years.",
)
@click.option("--json", "as_json", is_flag=True, help="The figures as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="The tables as CSV, one after the other.")
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), help="Write an XLSX file.")
@click.option("--html", "html", type=click.Path(dir_okay=False), help="Write an HTML page.")
def annual(
    year: int, export: str, as_json: bool, as_csv: bool, xlsx: str | None, html: str | None
) -> None:
    """IND annual figures for YEAR against the year before, in the form of the IND annual report
    (seed 003): rounded to 50, differences on the unrounded figures."""
    from keten.reports import annual as annual_report
    from keten.reports.frames import read
    from keten.reports.render import to_html, to_json, to_tables
    from keten.reports.tables import to_csv, to_xlsx

    if not annual_report.EARLIEST_YEAR <= year <= date.today().year:
        fail(
            "year",
            f"must be between {annual_report.EARLIEST_YEAR} and {date.today().year}",
            as_json=as_json,
        )
    frames = read(Path(export))
    try:
        result = annual_report.compute(frames, year)
    except ValueError as exc:
        fail("export", str(exc), as_json=as_json)
    if xlsx:
        Path(xlsx).write_bytes(to_xlsx(to_tables(result)))
    if html:
        Path(html).write_text(to_html(result), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(to_json(result), ensure_ascii=False, indent=2))
        return
    if as_csv:
        for table in to_tables(result):
            sys.stdout.write(to_csv(table) + "\n")
        return
    data = to_json(result)
    console.print(f"[bold]{data['title_nl']} {year}[/] ({data['source']})", soft_wrap=True)
    for section in data["sections"]:
        console.print(f"\n[bold]{section['nl']}[/]")
        for f in section["figures"]:
            if section["layout"] == "target":
                cells = (f["current_text"], f["target_text"], f["difference_text"])
            else:
                cells = (f["previous_text"], f["current_text"], f["difference_text"])
            console.print(f"  {f['nl'][:60]:60} {cells[0]:>12} {cells[1]:>12} {cells[2]:>8}")
