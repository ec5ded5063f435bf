"""``keten report factsheet`` and ``keten report strategy``: the two documents without a
server. The form and the strategy are data in the repository; the live figures come from a
dossier export (``--frames DIR``, ``keten.reports.frames``) where the export holds them.
What needs the server's registers (occupancy, taakstelling, departures, detention, detention
places) is printed as unavailable, with why: never as zero."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import click

from keten.cli.output import console, emit_json, err_console, fail, parse_day
from keten.reports import factsheet, strategy, strategy_counts
from keten.reports.document_figures import Figure, unavailable
from keten.reports.frames import Frames, read

WINDOW_DAYS = 365  # as the server's strategy indicators (services/strategy_indicators.py)
NO_EXPORT = (
    "geen dossierexport opgegeven (--frames)",
    "no dossier export given (--frames)",
)
NEEDS_SERVER = (
    "vraagt het locatieregister van de server; niet uit een dossierexport te berekenen",
    "needs the server's location register; not computable from a dossier export",
)


def _frames(path: Path | None, as_json: bool) -> Frames | None:
    if path is None:
        return None
    if not (path / "manifest.json").is_file():
        fail("frames", f"{path} holds no manifest.json (a dossier export)", as_json=as_json)
    return read(path)


def _outputs(html: str, html_out: Path | None, pdf_out: Path | None) -> None:
    if html_out is not None:
        html_out.write_text(html, encoding="utf-8")
        err_console.print(f"HTML: {html_out}")
    if pdf_out is not None:
        from keten.reports.pdf import to_pdf

        pdf_out.write_bytes(to_pdf(html))
        err_console.print(f"PDF: {pdf_out}")


def _print(figures: list[tuple[str, Figure]]) -> None:
    for name, fig in figures:
        if fig.available:
            shown = ", ".join(f"{fig.label(k)}: {v}" for k, v in fig.values.items())
            console.print(f"[bold]{name}[/]: {shown}")
        else:
            console.print(f"[bold]{name}[/]: [yellow]niet beschikbaar[/] ({fig.unavailable_nl})")


@click.command("factsheet")
@click.option("--half-year", "half", required=True, help="The half-year, e.g. 2026-2.")
@click.option("--frames", "frames_dir", type=click.Path(path_type=Path), help="A dossier export.")
@click.option("--json", "as_json", is_flag=True, help="The factsheet as JSON.")
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write HTML here.")
@click.option("--pdf", "pdf_out", type=click.Path(path_type=Path), help="Write PDF here.")
def factsheet_cmd(
    half: str, frames_dir: Path | None, as_json: bool, html_out: Path | None, pdf_out: Path | None
) -> None:
    """The chain factsheet of a half-year in the form of seed 001."""
    today = date.today()
    try:
        h = factsheet.half_year(half, today)
    except factsheet.HalfYearError as exc:
        fail("half-year", str(exc), as_json=as_json)
    start, end = factsheet.span(h, today)
    frames = _frames(frames_dir, as_json)
    form = factsheet.load()
    if frames is not None:
        found = factsheet.from_frames(frames, start, end)
        source = frames.source
    else:
        found = {
            s.id: unavailable(s.id, (s.name_nl, s.name_en), NO_EXPORT)
            for s in form.figures
            if s.computed_by == "frames"
        }
        source = "geen (geen dossierexport opgegeven)"
    if as_json:
        emit_json(factsheet.to_json(form, h, start, end, found))
    else:
        _print([(s.name_nl, f) for s, f in factsheet.complete(form, found)])
    _outputs(factsheet.render(form, h, start, end, found, today, source), html_out, pdf_out)


@click.command("strategy")
@click.option("--on", "on_raw", help="Reference day YYYY-MM-DD (default: today).")
@click.option("--frames", "frames_dir", type=click.Path(path_type=Path), help="A dossier export.")
@click.option("--json", "as_json", is_flag=True, help="The document as JSON.")
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write HTML here.")
@click.option("--pdf", "pdf_out", type=click.Path(path_type=Path), help="Write PDF here.")
def strategy_cmd(
    on_raw: str | None,
    frames_dir: Path | None,
    as_json: bool,
    html_out: Path | None,
    pdf_out: Path | None,
) -> None:
    """The national strategy in the model of Implementing Decision (EU) 2025/503."""
    today = date.today()
    on = parse_day(on_raw, "on", as_json=as_json) if on_raw else today
    if not date(2000, 1, 1) <= on <= today:
        fail("on", "must lie between 2000-01-01 and today", as_json=as_json)
    start = on - timedelta(days=WINDOW_DAYS - 1)
    model = strategy.load()
    frames = _frames(frames_dir, as_json)
    found: dict[str, Figure] = {}
    for key, spec in model.indicators.items():
        name = (spec.name_nl, spec.name_en)
        found[key] = unavailable(key, name, NEEDS_SERVER if frames else NO_EXPORT)
    if frames is not None:
        found["border_capacity"] = strategy_counts.border_capacity(frames, on)
        found["dublin_decision_time"] = strategy_counts.dublin_decision_time(frames, start, on)
        found["registration_within_five_days"] = strategy_counts.registrations_within_five_days(
            frames, start, on
        )
        found["nareis_waiting"] = strategy_counts.nareis_waiting(frames, on)
    source = frames.source if frames else "geen (geen dossierexport opgegeven)"
    if as_json:
        emit_json({"on": on.isoformat(), **strategy.to_json(model, found)})
    else:
        _print([(model.indicators[k].name_nl, f) for k, f in found.items()])
    span = f"peildatum {on.isoformat()}; stromen over {start.isoformat()} tot en met {on}"
    _outputs(strategy.render(model, found, today, source, span), html_out, pdf_out)
