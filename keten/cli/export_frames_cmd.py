"""``keten server export-frames``: the rows a report counts over (``keten.reports.frames``),
written from the server's database to a directory (Parquet + manifest.json), so that the
reports can be computed from it without a server (``keten report annual --export DIR``)."""

from __future__ import annotations

from pathlib import Path

import click

from keten.cli.output import console, fail, parse_day

# A period longer than this is a typing error; the annual report needs two years.
MAX_DAYS = 10 * 366


@click.command("export-frames")
@click.option("--from", "from_", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "to", required=True, help="Last day (YYYY-MM-DD), at most ten years on.")
@click.option("--out", "out", type=click.Path(file_okay=False), required=True)
@click.option(
    "--types",
    default="",
    help="Procedure types, comma-separated (default: every type in the catalogue and the court's).",
)
def export_frames(from_: str, to: str, out: str, types: str) -> None:
    """Export the report rows of a period (procedures, events, decisions, documents)."""
    start = parse_day(from_, "from", as_json=False)
    end = parse_day(to, "to", as_json=False)
    if start > end:
        fail("from", f"{start} is after to ({end})", as_json=False)
    if (end - start).days > MAX_DAYS:
        fail("to", "covers more than ten years: export a shorter period", as_json=False)
    from keten.catalog.loader import load_catalog
    from keten.reports.counting import COURT
    from keten.reports.frames import write
    from keten.server.setup import django_setup

    django_setup()
    from django.db import connection

    from keten.server.services.report_source import frames_for

    chosen = [t.strip() for t in types.split(",") if t.strip()] or sorted(
        set(load_catalog()) | set(COURT.types)
    )
    where = f"Keten database ({connection.vendor}, {connection.settings_dict['NAME']})"
    frames = frames_for(chosen, start, end, source=where)
    directory = Path(out)
    write(frames, directory)
    sizes = ", ".join(
        f"{name} {getattr(frames, name).height}"
        for name in ("procedures", "events", "decisions", "documents")
    )
    console.print(f"wrote {directory}: {sizes} ({start}..{end})", soft_wrap=True)
