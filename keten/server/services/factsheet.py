"""The chain factsheet per half-year (``keten.reports.factsheet``) from the database.

Applications and decisions are counted by the library over the report frames; occupancy, the
taakstelling, departures and detention are the existing services' own figures
(``occupancy``, ``taakstelling``, ``return_stats``, ``detention_stats``), called as the reader,
so that the factsheet and those pages never disagree and each keeps its own access rule: a
figure the reader's role may not read is shown as such, not left out silently.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from keten.chain.departure_kinds import DEPARTURE_KINDS
from keten.chain.housing_quota import HalfYear
from keten.chain.locations import location_rules
from keten.reports import factsheet, strategy_counts
from keten.reports.document_figures import Figure, unavailable
from keten.server.services import detention_stats, occupancy, return_stats, taakstelling
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_text
from keten.server.services.errors import BadInputError, ForbiddenError
from keten.server.services.policy import check
from keten.server.services.strategy_indicators import RESOURCE, SOURCE, Selection, chain_frames

FIELD = "halfjaar"
TYPES = (*strategy_counts.ASYLUM_TYPES, strategy_counts.NAREIS)


def half_year(raw: str | None, today: date) -> HalfYear:
    """``?halfjaar=2026-2``; the current half-year by default."""
    if not raw:
        return HalfYear.of(today)
    check_text(raw, FIELD, max_len=10)
    try:
        return factsheet.half_year(raw, today)
    except factsheet.HalfYearError as exc:
        raise BadInputError(FIELD, str(exc), exc.nl) from None


def _coa_occupancy(actor: Actor, end: date) -> Figure:
    coa_kinds = {k for k, rules in location_rules().items() if "coa" in rules.operators}
    rows = occupancy.day_figures(actor, end, by="kind")["results"]
    mine = [r for r in rows if r["key"] in coa_kinds]
    places = sum(r["places"] for r in mine)
    taken = sum(r["occupancy"] for r in mine)
    return Figure(
        "coa_occupancy",
        "Bezetting van de locaties die het COA beheert op de laatste dag van het halfjaar "
        "(of vandaag): dezelfde cijfers als de opvangpagina (/opvang).",
        "Occupancy of the locations the COA runs on the half-year's last day (or today): the "
        "reception occupancy page's figures (/opvang).",
        {
            "locations": sum(r["locations"] for r in mine),
            "places": places,
            "occupied": taken,
            "free": sum(r["free"] for r in mine),
        },
    )


def _housed(actor: Actor, h: HalfYear, end: date) -> Figure:
    totals = taakstelling.overview(actor, end, period=h.label)["totals"]
    row = next((t for t in totals if t["period"] == h.label), None)
    values: dict[str, int | float | None] = (
        {"quota": row["quota"], "realised": row["realised"], "municipalities_met": row["met"]}
        if row
        else {"quota": None, "realised": None, "municipalities_met": None}
    )
    return Figure(
        "permit_holders_housed",
        "Vergunninghouders gehuisvest in het halfjaar tegen de aangekondigde taakstelling, "
        "opgeteld over de gemeenten: dezelfde cijfers als de taakstellingpagina.",
        "Permit holders housed in the half-year against the announced taakstelling, summed "
        "over the municipalities: the taakstelling page's figures.",
        values,
    )


def _departures(actor: Actor, start: date, end: date) -> Figure:
    stats = return_stats.statistics(actor, start.isoformat(), end.isoformat(), end)
    per_kind = dict.fromkeys(DEPARTURE_KINDS, 0)
    for month in stats["months"]:
        for kind, n in month["by_kind"].items():
            per_kind[kind] += n
    return Figure(
        "departures",
        "Vertrek in het halfjaar naar soort: dezelfde telling als de vertrekcijfers "
        "(/terugkeer/cijfers).",
        "Departures in the half-year by kind: the departure statistics' count.",
        {**per_kind, "total": stats["total"]},
        labels={k: (v.nl, v.en) for k, v in DEPARTURE_KINDS.items()},
    )


def _detention(actor: Actor, start: date, end: date) -> Figure:
    check(actor.role, detention_stats.RESOURCE, "read")
    total = detention_stats.compute(detention_stats.detentions(), start, end)["total"]
    keys = ("started", "ended", "released", "removed", "days_mean")
    return Figure(
        "detention",
        "Bewaringen gestart en beëindigd in het halfjaar, met de gemiddelde duur van de "
        "beëindigde: dezelfde telling als de bewaringsstatistiek.",
        "Detentions started and ended in the half-year, with the mean days held of those that "
        "ended: the detention statistics' count.",
        {k: total[k] for k in keys},
    )


def _guarded(figure_id: str, name: tuple[str, str], make: Callable[[], Figure]) -> Figure:
    """The figure, or unavailable when the reader's role may not read its source or the
    source does not cover the half-year."""
    try:
        return make()
    except ForbiddenError as exc:
        return unavailable(
            figure_id,
            name,
            (f"uw rol mag de bron niet inzien ({exc.rule_nl})", f"not readable ({exc.rule})"),
        )
    except BadInputError as exc:  # e.g. a half-year before the first taakstelling
        return unavailable(
            figure_id, name, (f"de bron kent dit halfjaar niet ({exc.rule_nl})", str(exc.rule))
        )


def figures(actor: Actor, h: HalfYear, start: date, end: date) -> dict[str, Figure]:
    # applications by their first 'lodged' day, decisions by their date: the procedures with a
    # 'lodged' event or a decision in the half-year, and their 'lodged' events
    selection = Selection(TYPES, ("lodged",), ("lodged",), start)
    found = factsheet.from_frames(chain_frames(selection, end), start, end)
    specs = {s.id: (s.name_nl, s.name_en) for s in factsheet.load().figures}
    found["coa_occupancy"] = _guarded(
        "coa_occupancy", specs["coa_occupancy"], lambda: _coa_occupancy(actor, end)
    )
    found["permit_holders_housed"] = _guarded(
        "permit_holders_housed", specs["permit_holders_housed"], lambda: _housed(actor, h, end)
    )
    found["departures"] = _guarded(
        "departures", specs["departures"], lambda: _departures(actor, start, end)
    )
    found["detention"] = _guarded(
        "detention", specs["detention"], lambda: _detention(actor, start, end)
    )
    return found


def document(actor: Actor, raw_half: str | None, today: date) -> dict[str, Any]:
    check(actor.role, RESOURCE, "read")
    h = half_year(raw_half, today)
    start, end = factsheet.span(h, today)
    out: dict[str, Any] = factsheet.to_json(
        factsheet.load(), h, start, end, figures(actor, h, start, end)
    )
    return out


def html(actor: Actor, raw_half: str | None, today: date, standalone: bool) -> tuple[str, str]:
    """The document's HTML and its half-year label (``2026-2``)."""
    check(actor.role, RESOURCE, "read")
    h = half_year(raw_half, today)
    start, end = factsheet.span(h, today)
    form = factsheet.load()
    found = figures(actor, h, start, end)
    render = factsheet.render if standalone else factsheet.body
    return render(form, h, start, end, found, today, SOURCE), factsheet.label(h)
