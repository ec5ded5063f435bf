"""The forecast's occupancy bands against the places really registered.

The forecast (``keten.forecast``) is started from the chain in this database on the day (the
open procedures and their ages, ``chain_state.open_ages``, as ``keten server forecast-state``
does) with the shipped baseline scenario's levers, for one year, and yields the COA occupancy
per month as p10, p50 and p90 over its runs. Beside it: the places registered at reception
locations on the first of each month, today's register with the capacity changes already
recorded for later days (``CapacityChange`` rows with a later ``valid_from``), with and
without the reserve.

Cheap by caching: computed once per day per server process (``RUNS`` runs of a year take about
a tenth of a second; counting the open procedures is the larger part on a big database), then
kept for that day. A change to the register shows at once (the capacity is read on every
request); a new case shows in the bands the next day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from keten.server.dossiers.models import CapacityChange
from keten.server.services.actor import Actor
from keten.server.services.occupancy import (
    NATIONAL,
    RECEPTION_KINDS,
    visible_locations,
)
from keten.time.dated import as_date

RUNS = 100
MONTHS = 12
BASE = "baseline"


def _month_starts(on: date, months: int) -> list[date]:
    """``on``'s month and the ones after it, each as its first day (the first as ``on``)."""
    out = [on]
    year, month = on.year, on.month
    for _ in range(months - 1):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        out.append(date(year, month, 1))
    return out


Bands = tuple[tuple[str, ...], tuple[tuple[float, float, float], ...]] | str


@lru_cache(maxsize=4)
def _bands(on: date) -> Bands:
    """(month labels, (p10, p50, p90) per month) of the forecast started on ``on``; or why
    it cannot start then (a day before the scenario's own figures begin)."""
    # Imported here: the simulation's modules are loaded by the first page that draws it.
    from keten.forecast.results import band_of, monthly
    from keten.forecast.run import simulate
    from keten.forecast.scenario import ScenarioError, parse_scenario, raw_scenario
    from keten.forecast.start_state import initial_state, starting_from
    from keten.server.services.chain_state import open_ages

    state = initial_state(on, open_ages(on))
    raw = starting_from(raw_scenario(BASE), state, counted_in="the Keten database")
    raw["years"] = 1  # a year ahead is what the page draws
    try:
        scenario = parse_scenario(raw, "occupancy forecast")
    except ScenarioError as exc:
        return str(exc)
    run = simulate(scenario, RUNS)
    periods = monthly(run)
    bands = band_of(periods, "occupancy")
    labels = tuple(periods.labels[:MONTHS])
    return labels, tuple(
        (float(bands[0, i]), float(bands[1, i]), float(bands[2, i])) for i in range(len(labels))
    )


def registered_capacity(actor: Actor, days: list[date]) -> list[tuple[int, int]]:
    """(places, reserve) summed over the reception locations the actor sees, on each day."""
    ids = [loc.pk for loc in visible_locations(actor).filter(kind__in=sorted(RECEPTION_KINDS))]
    rows = (
        CapacityChange.objects.filter(location_id__in=ids, valid_from__lte=max(days))
        .order_by("location_id", "valid_from", "id")
        .values_list("location_id", "valid_from", "places", "reserve")
    )
    changes: dict[int, list[tuple[date, int, int]]] = {}
    for site, valid_from, places, reserve in rows:
        changes.setdefault(site, []).append((as_date(valid_from), places, reserve))
    out = []
    for day in days:
        places = reserve = 0
        for steps in changes.values():
            now = [(p, r) for since, p, r in steps if since <= day]
            if now:
                places += now[-1][0]
                reserve += now[-1][1]
        out.append((places, reserve))
    return out


def against_capacity(
    actor: Actor, on: date, bands: Callable[[date], Bands] = _bands
) -> dict[str, Any] | None:
    """The forecast's occupancy bands per month beside the registered places; None for a role
    that sees only its own locations (the forecast is the nation's)."""
    if actor.role.organisation_kind not in NATIONAL:
        visible_locations(actor)  # still refuses a role without the right
        return None
    found = bands(on)
    if isinstance(found, str):
        return {
            "on": on.isoformat(),
            "runs": 0,
            "scenario": BASE,
            "months": [],
            "unavailable": found,
            # The scenario's own message is the library's English; a Dutch reader gets why.
            "unavailable_nl": "de cijfers van het basisscenario beginnen na deze dag, dus zijn "
            "de beginwaarden onbekend; kies een latere dag",
        }
    labels, values = found
    capacity = registered_capacity(actor, _month_starts(on, len(labels)))
    return {
        "on": on.isoformat(),
        "runs": RUNS,
        "scenario": BASE,
        "unavailable": None,
        "unavailable_nl": None,
        "months": [
            {
                "month": label,
                "p10": round(p10),
                "p50": round(p50),
                "p90": round(p90),
                "places": places,
                "available": places - reserve,
            }
            for label, (p10, p50, p90), (places, reserve) in zip(
                labels, values, capacity, strict=True
            )
        ],
    }
