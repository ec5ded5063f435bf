"""What a server may cache of a procedure's derived state to serve work queues fast.

Nothing here is truth: the events are. The summary holds only what does not depend on the day
the queue is read (the due date of the main deadline, whether the procedure is closed or
suspended, the days a dwangsom can run), so a cache row stays right until the next event and is
recomputed in the same transaction as that event. Days left, overdue and the dwangsom amount
are computed at read time from these columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from keten.catalog.derive import Event, FactValue, derive
from keten.catalog.model import ProcedureType, main_deadline
from keten.time.dwangsom import amount_for_days, params


@dataclass(frozen=True)
class ProcedureSummary:
    deadline_id: str
    due: date | None
    status: str  # open | suspended | not_started | closed
    closed_on: date | None
    regime: str | None
    started_on: date | None
    dwangsom_first_day: date | None  # None: no dwangsom runs
    dwangsom_last_day: date | None  # the last day it can run (cap, or the day before deciding)
    stage: str = ""  # the kind of the latest event: where the case stands, for the queue


_CLOSED = {"met", "late", "ended", "ended_late"}


def summarize(
    pt: ProcedureType, events: Iterable[Event], facts: Mapping[str, FactValue] | None = None
) -> ProcedureSummary:
    events = list(events)
    # the latest by day; of one day's events the last given (callers pass them in order)
    stage = max(enumerate(events), key=lambda ie: (ie[1].day, ie[0]))[1].kind if events else ""
    main = main_deadline(pt)
    days = [e.day for e in events]
    # A reference day past every date involved, so the dwangsom computation sees its whole run.
    far = (max(days) if days else date(2000, 1, 1)) + timedelta(days=3 * 366)
    state = derive(pt, events, facts=facts, on=far)
    result = next((d for d in state.deadlines if d.id == main.id), None)
    started = min(days) if days else None
    regime = state.regime.id if state.regime else None
    if result is None:
        return ProcedureSummary(
            main.id, None, "not_started", None, regime, started, None, None, stage
        )
    if result.status in _CLOSED:
        stop_days = [e.day for e in events if e.kind in main.stop]
        status, closed_on = "closed", min(stop_days) if stop_days else None
    elif result.status == "suspended":
        status, closed_on = "suspended", None
    elif result.status == "not_started":
        status, closed_on = "not_started", None
    else:
        status, closed_on = "open", None
    first = last = None
    if state.dwangsom is not None and state.dwangsom.first_day is not None:
        first = state.dwangsom.first_day
        last = state.dwangsom.last_day
        if last is None:  # decided before the first day: nothing can run
            first = None
    return ProcedureSummary(
        result.id, result.date, status, closed_on, regime, started, first, last, stage
    )


def dwangsom_bands(on: date) -> tuple[list[tuple[int | None, int]], int]:
    """The Awb 4:17 bands in force on ``on`` as (days or None, euro per day), and the cap."""
    amounts = params().amounts.at(on)
    return [(b.days, b.eur_per_day) for b in amounts.bands], amounts.max_days


def dwangsom_amount(first: date | None, last: date | None, on: date) -> int:
    """Euros owed on ``on`` from the cached first and last day (what the queue shows)."""
    if first is None or last is None:
        return 0
    days = (min(on, last) - first).days + 1
    if days <= 0:
        return 0
    amounts = params().amounts.at(on)
    total, _ = amount_for_days(min(days, amounts.max_days), amounts)
    return int(total)
