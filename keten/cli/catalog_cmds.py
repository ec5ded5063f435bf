"""``keten procedures``, ``keten deadlines`` and ``keten dwangsom``."""

from __future__ import annotations

from datetime import date
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from keten.catalog.derive import Event, FactValue, InputError, derive
from keten.catalog.loader import CatalogError, get_procedure, load_catalog
from keten.catalog.model import DeadlineSpec, ProcedureType
from keten.cli.output import console, emit_json, fail, parse_day, print_trail
from keten.time.calendar import CalendarRangeError
from keten.time.dated import NoValueError
from keten.time.dwangsom import DwangsomInputError, compute_dwangsom


def _deadline_json(d: DeadlineSpec) -> dict[str, Any]:
    start = d.start.model_dump(exclude_none=True, exclude_defaults=True)
    return {
        "id": d.id,
        "name": d.name.nl,
        "name_en": d.name.en,
        "kind": d.kind.value,
        "start": start,
        "length": str(d.length),
        "counting": d.counting.value,
        "citation": d.source.citation,
        "quote": d.source.quote,
        "source_document": d.source.document,
        "uncertain": d.source.uncertain,
        "regimes": list(d.regimes) if d.regimes else None,
        "variants": [
            {
                "length": str(v.length),
                "when": v.when.model_dump(exclude_none=True, by_alias=True),
                "citation": v.source.citation,
            }
            for v in d.variants
        ],
        "extensions": [
            {
                "event": e.event,
                "length": str(e.length),
                "max_times": e.max_times,
                "citation": e.source.citation,
            }
            for e in d.extensions
        ],
        "suspensions": [
            {"start": s.start, "end": s.end, "citation": s.source.citation} for s in d.suspensions
        ],
        "maximum": (
            {"length": str(d.maximum.length), "citation": d.maximum.source.citation}
            if d.maximum
            else None
        ),
        "stop": list(d.stop),
        "responsible": d.responsible,
    }


def procedure_json(pt: ProcedureType) -> dict[str, Any]:
    return {
        "id": pt.id,
        "name": pt.name.nl,
        "name_en": pt.name.en,
        "names": {"nl": pt.name.nl, "en": pt.name.en},
        "owner": pt.owner,
        "citation": pt.legal_basis[0].citation,
        "legal_basis": [b.model_dump(exclude_none=True) for b in pt.legal_basis],
        "in_force_from": pt.in_force_from.isoformat(),
        "in_force_to": pt.in_force_to.isoformat() if pt.in_force_to else None,
        "regimes": [
            {
                "id": r.id,
                "name": r.name.nl,
                "name_en": r.name.en,
                "valid_from": r.valid_from.isoformat(),
                "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                "citation": r.source.citation,
            }
            for r in pt.regimes
        ],
        "events": [{"kind": e.kind, "name": e.name.nl, "name_en": e.name.en} for e in pt.events],
        "facts": {
            k: {
                "nl": v.nl,
                "en": v.en,
                "kind": v.kind,  # choice | bool | None (any value)
                "values": {c: {"nl": t.nl, "en": t.en} for c, t in v.values.items()},
            }
            for k, v in pt.facts.items()
        },
        "deadlines": [_deadline_json(d) for d in pt.deadlines],
        "dwangsom_class": pt.dwangsom.dwangsom_class if pt.dwangsom else None,
    }


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--markdown", is_flag=True, help="The catalogue as docs/procedures.md.")
def procedures(as_json: bool, markdown: bool) -> None:
    """De procedurecatalogus / the catalogue of procedure types."""
    catalog = load_catalog()
    if markdown:
        from keten.catalog.docs import render

        click.echo(render(), nl=False)
        return
    if as_json:
        emit_json([procedure_json(pt) for pt in catalog.values()])
        return
    table = Table(title="Procedures / procedure types")
    for col in ("id", "naam", "name", "grondslag / legal basis", "termijnen / deadlines"):
        table.add_column(col)
    for pt in catalog.values():
        table.add_row(
            pt.id,
            pt.name.nl,
            pt.name.en,
            pt.legal_basis[0].citation,
            ", ".join(f"{d.id} ({d.length})" for d in pt.deadlines),
        )
    console.print(table)


def _parse_events(raw: tuple[str, ...], as_json: bool) -> list[Event]:
    events = []
    for item in raw:
        kind, sep, value = item.partition("=")
        if not sep or not kind:
            fail("event", f"{item!r}: expected KIND=YYYY-MM-DD", as_json=as_json)
        events.append(
            Event(kind.strip(), parse_day(value.strip(), f"event {kind}", as_json=as_json))
        )
    return events


def _parse_facts(raw: tuple[str, ...], as_json: bool) -> dict[str, FactValue]:
    facts: dict[str, FactValue] = {}
    for item in raw:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail("fact", f"{item!r}: expected NAME=VALUE", as_json=as_json)
        lowered = value.strip().lower()
        parsed: FactValue
        if lowered in ("true", "yes", "ja"):
            parsed = True
        elif lowered in ("false", "no", "nee"):
            parsed = False
        elif lowered.lstrip("-").isdigit():
            parsed = int(lowered)
        else:
            parsed = value.strip()
        facts[name.strip()] = parsed
    return facts


@click.command()
@click.option("--procedure", "procedure_id", required=True, help="Procedure type id.")
@click.option("--event", "events", multiple=True, help="KIND=YYYY-MM-DD; repeat per event.")
@click.option("--fact", "facts", multiple=True, help="NAME=VALUE for facts the deadlines read.")
@click.option("--on", "on", default=None, help="Reference day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def deadlines(
    procedure_id: str,
    events: tuple[str, ...],
    facts: tuple[str, ...],
    on: str | None,
    as_json: bool,
) -> None:
    """Alle termijnen van een procedure met uitleg / every deadline with its explanation."""
    try:
        pt = get_procedure(procedure_id)
    except CatalogError as exc:
        fail("procedure", str(exc).removeprefix("procedure: "), as_json=as_json)
    on_day = parse_day(on, "on", as_json=as_json) if on else date.today()
    try:
        state = derive(
            pt, _parse_events(events, as_json), facts=_parse_facts(facts, as_json), on=on_day
        )
    except InputError as exc:
        fail(exc.field, exc.rule, as_json=as_json)
    except (CalendarRangeError, NoValueError) as exc:
        fail("event", str(exc), as_json=as_json)
    if as_json:
        emit_json(state.to_json())
        return
    console.print(f"[bold]{pt.name.nl}[/] / {pt.name.en}  ({pt.id}), peildatum {on_day}")
    for step in state.regime_trail:
        console.print(f"  {escape(step.text('nl'))}")
    for d in state.deadlines:
        when = d.date.isoformat() if d.date else "-"
        left = f", {d.days_left} dagen" if d.days_left is not None else ""
        console.print(f"\n[bold]{d.name.nl}[/] / {d.name.en}: [bold]{when}[/] ({d.status}{left})")
        console.print(f"  [dim]{d.citation}[/]")
        print_trail(d.trail)
    if state.dwangsom is not None:
        console.print(
            f"\n[bold]Dwangsom[/]: EUR {state.dwangsom.amount_eur} ({state.dwangsom.days} dagen)"
        )


@click.command()
@click.option("--due", required=True, help="Last day of the decision term (YYYY-MM-DD).")
@click.option("--notice", required=True, help="Day the notice of default was received.")
@click.option("--on", "on", required=True, help="Day the amount is computed for.")
@click.option("--decided", default=None, help="Day the decision was given, if any.")
@click.option(
    "--procedure",
    "procedure_id",
    default=None,
    help="Procedure type id, to apply its dwangsom regime.",
)
@click.option("--lodged", default=None, help="Day the application was lodged (selects regime).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def dwangsom(
    due: str,
    notice: str,
    on: str,
    decided: str | None,
    procedure_id: str | None,
    lodged: str | None,
    as_json: bool,
) -> None:
    """Dwangsom bij niet tijdig beslissen (Awb 4:17) / penalty for deciding late."""
    dwangsom_class = "awb_other"
    if procedure_id is not None:
        try:
            pt = get_procedure(procedure_id)
        except CatalogError as exc:
            fail("procedure", str(exc).removeprefix("procedure: "), as_json=as_json)
        dwangsom_class = pt.dwangsom.dwangsom_class if pt.dwangsom else "none"
    try:
        result = compute_dwangsom(
            parse_day(due, "due", as_json=as_json),
            parse_day(notice, "notice", as_json=as_json),
            parse_day(on, "on", as_json=as_json),
            decided=parse_day(decided, "decided", as_json=as_json) if decided else None,
            dwangsom_class=dwangsom_class,
            lodged=parse_day(lodged, "lodged", as_json=as_json) if lodged else None,
        )
    except DwangsomInputError as exc:
        fail(exc.field, exc.rule, as_json=as_json)
    except NoValueError as exc:
        fail("notice", str(exc), as_json=as_json)
    if as_json:
        emit_json(result.to_json())
        return
    console.print(f"[bold]Dwangsom[/]: EUR {result.amount_eur} over {result.days} dag(en)")
    print_trail(result.trail)
