"""The chain factsheet per half-year in the form of seed 001 (``data/reports/factsheet.yaml``):
the subjects it names, each with Keten's figure or the reason Keten has none.

The library computes what the report frames hold (applications, decisions:
``keten.reports.strategy_counts``); the server adds what needs its registers (occupancy, the
taakstelling, departures, detention: ``keten/server/services/factsheet.py``). A figure nobody
supplied is shown as unavailable, with why, never as zero."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from keten.chain.housing_quota import HalfYear
from keten.reports import strategy_counts
from keten.reports.document_figures import Figure, unavailable
from keten.reports.document_html import esc, figure_table, page, title_page
from keten.reports.frames import Frames
from keten.time.trail import nl_day

DATA = Path(__file__).resolve().parents[2] / "data" / "reports" / "factsheet.yaml"
SEED = "001_7423ba70eed50d30.txt"
FIRST_YEAR = 2000  # the chain's first event year (keten.server.services.bounds)
_HALF = re.compile(r"^\s*(\d{4})-(1|2|I|II)\s*$")


class HalfYearError(ValueError):
    """A half-year that is not ``YYYY-1``/``YYYY-2`` (or ``2026-I``/``2026-II``) or out of range."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.nl = nl


def half_year(text: str, today: date) -> HalfYear:
    """``2026-2`` or ``2026-II``; from 2000 up to the current half-year (a factsheet reports
    what happened, so a later half-year has nothing to show)."""
    found = _HALF.match(text or "")
    if found is None:
        raise HalfYearError(
            f"{text!r} is not a half-year such as 2026-1 or 2026-2",
            f"{text!r} is geen halfjaar zoals 2026-1 of 2026-2",
        )
    h = HalfYear(int(found[1]), 1 if found[2] in ("1", "I") else 2)
    last = HalfYear.of(today)
    if not HalfYear(FIRST_YEAR, 1) <= h <= last:
        raise HalfYearError(
            f"must lie between {FIRST_YEAR}-1 and the current half-year {last.year}-{last.half}",
            f"moet tussen {FIRST_YEAR}-1 en het lopende halfjaar {last.year}-{last.half} liggen",
        )
    return h


def label(h: HalfYear) -> str:
    return f"{h.year}-{h.half}"


def span(h: HalfYear, today: date) -> tuple[date, date]:
    """The half-year's first day and its last day, or today while it runs."""
    return h.start, min(h.end, today)


@dataclass(frozen=True)
class FigureSpec:
    id: str
    name_nl: str
    name_en: str
    subject: str | None  # the seed's words; None for a figure the seed's list does not name
    in_seed_list: bool
    computed_by: str | None  # frames | server | None (then ``unavailable``)
    unavailable_nl: str | None
    unavailable_en: str | None
    why: str | None


@dataclass(frozen=True)
class Form:
    title_nl: str
    quote: str
    citation: str
    figures: tuple[FigureSpec, ...]


@cache
def load(path: Path = DATA) -> Form:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc = raw["document"]
    specs = tuple(
        FigureSpec(
            f["id"],
            f["name"]["nl"],
            f["name"]["en"],
            f.get("subject"),
            bool(f["in_seed_list"]),
            f.get("computed_by"),
            (f.get("unavailable") or {}).get("nl"),
            (f.get("unavailable") or {}).get("en"),
            f.get("why"),
        )
        for f in raw["figures"]
    )
    return Form(doc["title"]["nl"], doc["source"]["quote"], doc["source"]["citation"], specs)


def from_frames(frames: Frames, start: date, end: date) -> dict[str, Figure]:
    """The figures the report frames hold, for the days ``start`` to ``end``."""
    return {
        "asylum_applications": strategy_counts.asylum_applications(frames, start, end),
        "nareis_applications": strategy_counts.nareis_applications(frames, start, end),
        "asylum_decisions": strategy_counts.asylum_decisions(frames, start, end),
    }


NEEDS_SERVER = (
    "Vraagt de registers van de server (locaties, taakstelling, vertrek, bewaring); niet "
    "uit een dossierexport te berekenen.",
    "Needs the server's registers (locations, taakstelling, departures, detention); not "
    "computable from a dossier export.",
)


def complete(form: Form, figures: dict[str, Figure]) -> list[tuple[FigureSpec, Figure]]:
    """Every figure of the form, in its order: the one supplied, or unavailable with why."""
    out = []
    for spec in form.figures:
        fig = figures.get(spec.id)
        if fig is None:
            why = (
                (spec.unavailable_nl, spec.unavailable_en or spec.unavailable_nl)
                if spec.unavailable_nl
                else NEEDS_SERVER
            )
            fig = unavailable(spec.id, (spec.name_nl, spec.name_en), why)
        out.append((spec, fig))
    return out


def to_json(form: Form, h: HalfYear, start: date, end: date, figures: dict[str, Figure]) -> Any:
    return {
        "half_year": label(h),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "title": form.title_nl,
        "source": {"document": SEED, "citation": form.citation, "quote": form.quote},
        "figures": [
            {
                "name": {"nl": spec.name_nl, "en": spec.name_en},
                "seed_subject": spec.subject,
                "in_seed_list": spec.in_seed_list,
                **fig.to_json(),
            }
            for spec, fig in complete(form, figures)
        ],
    }


def body(
    form: Form,
    h: HalfYear,
    start: date,
    end: date,
    figures: dict[str, Figure],
    made_on: date,
    source: str,
) -> str:
    parts = [
        '<article class="keten-document">',
        title_page(
            f"{form.title_nl} {h.year}, {'eerste' if h.half == 1 else 'tweede'} halfjaar",
            f"Van {nl_day(start)} tot en met {nl_day(end)}.",
            made_on,
            source,
            [
                f"Vorm: seed 001 ({SEED}), {form.citation}: “{form.quote}”",
                "Cijfers: keten/reports/strategy_counts.py en de diensten van de server "
                "(bezetting, taakstelling, vertrek, bewaring)",
            ],
        ),
    ]
    for spec, fig in complete(form, figures):
        parts.append(f'<section data-figure="{esc(spec.id)}"><h2>{esc(spec.name_nl)}</h2>')
        if spec.subject:
            parts.append(f'<p class="muted">Onderwerp in seed 001: “{esc(spec.subject)}”</p>')
        else:
            parts.append(
                f'<p class="muted">Niet in de lijst van seed 001; opgenomen omdat {esc(spec.why)}.'
                "</p>"
            )
        parts.append(figure_table(fig))
        if fig.available:
            parts.append(f'<p class="muted">{esc(fig.definition_nl)}</p>')
        parts.append("</section>")
    parts.append("</article>")
    return "".join(parts)


def render(
    form: Form,
    h: HalfYear,
    start: date,
    end: date,
    figures: dict[str, Figure],
    made_on: date,
    source: str,
) -> str:
    return page(body(form, h, start, end, figures, made_on, source), f"{form.title_nl} {label(h)}")
