"""``keten overview``: a deadline overview of generated sample procedures, no server.

Generates sample procedures of every common type, derives every deadline from their events and
prints the overview a team lead would start the day with: per procedure type what is open, what
is due within two weeks, what is overdue and the dwangsom running; then the most urgent cases,
the first one with its full explanation.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import click
from rich.progress import track
from rich.table import Table

from keten.catalog.derive import derive
from keten.catalog.loader import load_catalog
from keten.catalog.model import main_deadline
from keten.chain.sample import SampleProcedure, generate_chain
from keten.cli.output import console, parse_day, print_trail


def _sample(cases: int, on: date, seed: int) -> list[SampleProcedure]:
    """The first ``cases`` procedures of the synthetic chain the server's demo also uses."""
    out: list[SampleProcedure] = []
    for household in generate_chain(cases // 2 + 1, on, seed, procedures=cases):
        out.extend(household.procedures)
        if len(out) >= cases:
            break
    return out[:cases]


@click.command()
@click.option("--cases", default=5000, show_default=True, help="Number of sample procedures.")
@click.option("--on", "on", default=None, help="Reference day (default: today).")
@click.option("--seed", default=0, show_default=True, help="Random seed of the sample.")
def overview(cases: int, on: str | None, seed: int) -> None:
    """Termijnenoverzicht van voorbeeldzaken / deadline overview of sample cases."""
    on_day = parse_day(on, "on", as_json=False) if on else date.today()
    catalog = load_catalog()
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    exposure: dict[str, Decimal] = defaultdict(Decimal)
    urgent = []
    for sample in track(_sample(cases, on_day, seed), description="Termijnen afleiden"):
        pt = catalog[sample.procedure_type]
        state = derive(pt, sample.events, facts=sample.facts, on=on_day)
        main = main_deadline(pt)
        d = next((x for x in state.deadlines if x.id == main.id), None)
        if d is None or d.date is None:
            continue
        counts = rows[pt.id]
        if d.status in ("open", "running"):
            counts["open"] += 1
            if d.days_left is not None and d.days_left <= 14:
                counts["due_14"] += 1
            urgent.append((d.days_left, sample.key, pt, d))
        elif d.status in ("overdue", "expired"):
            counts["overdue"] += 1
            urgent.append((d.days_left, sample.key, pt, d))
        else:
            counts["closed"] += 1
        if state.dwangsom is not None and state.dwangsom.amount_eur:
            counts["dwangsom"] += 1
            exposure[pt.id] += state.dwangsom.amount_eur

    table = Table(title=f"Keten: termijnen per procedure op {on_day} ({cases} voorbeeldzaken)")
    for col in (
        "procedure",
        "open",
        "≤ 14 dagen",
        "over termijn",
        "afgerond",
        "dwangsom (zaken)",
        "dwangsom EUR",
    ):
        table.add_column(col, justify="right" if col != "procedure" else "left")
    for pid in sorted(rows):
        c = rows[pid]
        table.add_row(
            catalog[pid].name.nl,
            str(c["open"]),
            str(c["due_14"]),
            str(c["overdue"]),
            str(c["closed"]),
            str(c["dwangsom"]),
            f"{exposure[pid]:,.0f}",
        )
    table.add_row(
        "[bold]totaal[/]",
        *(
            str(sum(c[k] for c in rows.values()))
            for k in ("open", "due_14", "overdue", "closed", "dwangsom")
        ),
        f"[bold]{sum(exposure.values(), Decimal()):,.0f}[/]",
    )
    console.print(table)

    urgent.sort(key=lambda u: (u[0] if u[0] is not None else 10**6, u[1]))
    top = Table(title="Meest urgent / most urgent")
    for col in ("zaak", "procedure", "termijn", "datum", "dagen", "status", "grondslag"):
        top.add_column(col)
    for days_left, case_id, pt, d in urgent[:15]:
        top.add_row(
            f"Z-{case_id:06d}",
            pt.name.nl,
            d.name.nl,
            str(d.date),
            str(days_left),
            d.status,
            d.citation,
        )
    console.print(top)
    if urgent:
        _, case_id, pt, d = urgent[0]
        console.print(f"\n[bold]Uitleg Z-{case_id:06d}[/] {d.name.nl} ({pt.name.nl}):")
        print_trail(d.trail)
    console.print(
        "\nMeer: [bold]keten procedures[/], [bold]keten deadlines --help[/], "
        "[bold]keten dwangsom --help[/]"
    )
