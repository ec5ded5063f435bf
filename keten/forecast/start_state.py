"""A scenario that starts from the chain as Keten's dossiers hold it, instead of from the
published figures a shipped scenario starts from.

The forecast's starting stocks are open cases with their ages (``InitialState``). The server
counts them in its database (``keten server forecast-state``); this module says which
procedure types make up each stock, turns the cases' ages into a stock's age profile, and
writes the scenario: the base scenario's levers, started on the day counted, with the counted
stocks and a source saying where they came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

# Which open procedures make up each of the forecast's starting stocks (keten/forecast/chain.py):
# - ind_waiting: the IND's asylum queue, which takes first and repeated applications
#   (inflow.first_applications, inflow.repeated_applications); the border procedure is a first
#   application decided at the border.
# - nareis_waiting: applications for family reunification awaiting the IND's decision (the
#   forecast's nareis queue is served by ind.nareis_decisions_per_year).
# - court_waiting: appeals before the court; the forecast has no stage for the higher appeal.
# - permit_holders_waiting: permit holders in reception until they move to a municipality.
# - dublin_in_reception: outgoing Dublin claims not yet ended (transferred, lapsed or decided).
# - return_caseload: return decisions whose departure is not yet settled.
STOCK_TYPES: dict[str, tuple[str, ...]] = {
    "ind_waiting": ("asylum_first", "asylum_subsequent", "border_procedure"),
    "nareis_waiting": ("nareis",),
    "court_waiting": ("appeal",),
    "permit_holders_waiting": ("permit_holder_outflow",),
    "dublin_in_reception": ("dublin_outgoing",),
    "return_caseload": ("departure",),
}
# The stocks the forecast takes with their ages; the others are counts.
AGED = ("ind_waiting", "nareis_waiting", "court_waiting", "permit_holders_waiting")
# Age classes in weeks: a quarter, half a year, a year, two years, and the rest.
AGE_EDGES = (0, 13, 26, 52, 104)


def backlog(ages_weeks: Sequence[float]) -> dict[str, Any]:
    """A stock as the scenario writes it: ``total`` and ``age_weeks`` rows of
    ``[from_week, to_week, share]`` over the classes of ``AGE_EDGES``, the last class ending
    just past the oldest case. Classes without cases are left out."""
    total = len(ages_weeks)
    if total == 0:
        return {"total": 0, "age_weeks": [[0, 1, 1.0]]}
    oldest = max(ages_weeks)
    edges = [*AGE_EDGES, max(AGE_EDGES[-1], int(oldest)) + 1]
    rows = []
    for lo, hi in pairwise(edges):
        n = sum(1 for a in ages_weeks if lo <= a < hi)
        if n:
            rows.append([lo, hi, n / total])
    # Shares as fractions of whole cases sum to 1 up to rounding; the scenario checks 1e-6.
    rows[-1][2] = 1.0 - sum(r[2] for r in rows[:-1])
    return {"total": total, "age_weeks": rows}


def initial_state(as_of: date, ages: Mapping[str, Sequence[float]]) -> dict[str, Any]:
    """The scenario's ``initial_state`` from each stock's open cases' ages in weeks."""
    missing = set(STOCK_TYPES) - set(ages)
    if missing:
        raise ValueError(f"no cases given for {', '.join(sorted(missing))}")
    state: dict[str, Any] = {"as_of": as_of}
    for stock in STOCK_TYPES:
        state[stock] = backlog(ages[stock]) if stock in AGED else len(ages[stock])
    return state


def starting_from(
    base: Mapping[str, Any], state: Mapping[str, Any], *, counted_in: str
) -> dict[str, Any]:
    """The base scenario (raw, ``extends`` merged) started on ``state['as_of']`` from
    ``state``. The base's sources for its own starting figures are replaced by one naming
    where these were counted."""
    as_of: date = state["as_of"]
    out = dict(base)
    out["name"] = f"{base['name']}_vanaf_{as_of.isoformat()}"
    title = base["title"]
    out["title"] = {
        "nl": f"{title['nl']}, vanaf de ketenstand van {as_of.isoformat()}",
        "en": f"{title['en']}, from the chain as of {as_of.isoformat()}",
    }
    out["description"] = (
        f"Started from the open procedures Keten held on {as_of.isoformat()} "
        f"(keten server forecast-state); otherwise the scenario {base['name']}: "
        f"{' '.join(str(base.get('description', '')).split())}"
    )
    out["description_nl"] = (
        f"Gestart vanaf de open procedures in Keten op {as_of.isoformat()} "
        f"(keten server forecast-state); verder het scenario {base['name']}: "
        f"{' '.join(str(base.get('description_nl', '')).split())}"
    )
    out["start"] = as_of
    out["initial_state"] = dict(state)
    counts = ", ".join(
        f"{stock} {value['total'] if isinstance(value, dict) else value}"
        for stock, value in state.items()
        if stock != "as_of"
    )
    kept = [s for s in base.get("sources", []) if "initial_state" not in str(s.get("used_for"))]
    out["sources"] = [
        *kept,
        {
            "id": "keten-register",
            "figure": counts,
            "source": f"open procedures in {counted_in} ({', '.join(_types())})",
            "date": as_of.isoformat(),
            "kind": "register",
            "used_for": "initial_state (every stock, with ages from each procedure's start)",
        },
    ]
    return out


def _types() -> list[str]:
    return [f"{stock}: {'+'.join(types)}" for stock, types in STOCK_TYPES.items()]
