"""``keten calendar``: the recognised holidays of a year, with the source of each."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from keten.cli.output import console, emit_json, fail
from keten.time.calendar import CalendarSystem, load_calendar
from keten.time.trail import WEEKDAYS_NL


@click.command()
@click.argument("year", type=int)
@click.option(
    "--system",
    type=click.Choice([s.value for s in CalendarSystem]),
    default=CalendarSystem.ATW.value,
    show_default=True,
    help="atw: Algemene termijnenwet; eu_1182_71: Regulation 1182/71.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def calendar(year: int, system: str, as_json: bool) -> None:
    """Erkende feestdagen van een jaar / recognised holidays of a year."""
    cal = load_calendar(CalendarSystem(system))
    if not cal.first_year <= year <= cal.last_year:
        fail(
            "year",
            f"{year} is outside the calendar ({cal.first_year}-{cal.last_year})",
            as_json=as_json,
        )
    days = [h for d, h in sorted(cal.holidays.items()) if d.year == year]
    rows = [
        {
            "date": h.day.isoformat(),
            "weekday": WEEKDAYS_NL[h.day.weekday()],
            "name": h.name_nl,
            "name_en": h.name_en,
            "basis": h.basis,
            "verified": h.verified,
            "note": h.note,
        }
        for h in days
    ]
    if as_json:
        emit_json({"year": year, "system": system, "holidays": rows})
        return
    table = Table(title=f"Feestdagen {year} ({system})")
    for col in ("datum", "dag", "naam", "grondslag", ""):
        table.add_column(col)
    for h in days:
        table.add_row(
            h.day.isoformat(),
            WEEKDAYS_NL[h.day.weekday()],
            h.name_nl,
            escape(h.basis),
            "" if h.verified else "onzeker",
        )
    console.print(table)
    if any(not h.verified for h in days):
        console.print("[dim]onzeker: zie data/calendar/nl_holidays.yaml voor de bron[/]")


__all__ = ["calendar"]
