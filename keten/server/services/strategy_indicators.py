"""The live indicators beside the national strategy (``keten.reports.strategy``), from the
database: the report frames of the procedure types they count (standing events and decisions
only), counted by ``keten.reports.strategy_counts``, and the detention places from the
location register with occupancy's one counting rule (``occupancy_count``).

Figures only, no person: reading them writes no audit record, like the other statistics; who
may read them is ``strategy_report`` in policy.yaml (the ministry's policy staff).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef

from keten.reports import strategy, strategy_counts
from keten.reports.document_figures import Figure
from keten.reports.frames import Frames, conform, empty
from keten.server.dossiers.models import Decision, Location, Procedure, ProcedureEvent
from keten.server.services.actor import Actor
from keten.server.services.bounds import EARLIEST_EVENT_DAY, check_text, day_within, parse_day
from keten.server.services.occupancy import capacity_on
from keten.server.services.occupancy_count import occupied
from keten.server.services.policy import check
from keten.server.services.withdrawals import withdrawn

RESOURCE = "strategy_report"
# Flows (decisions, registrations) are counted over the twelve months up to the reference day:
# the strategy is a five-year document, a shorter window would show noise.
WINDOW_DAYS = 365
SOURCE = "de database van Keten"
# The detention centres DJI runs (data/reception/location_kinds.yaml: operators [dji]).
DETENTION_KIND = "detention_centre"


@dataclass(frozen=True)
class Selection:
    """Which rows a rule needs: the procedures of ``types`` (only those with an event of
    ``touching`` or a decision in ``since``..until, when ``since`` is given: a flow over a
    window need not read the whole history), and of their events only ``kinds`` (all when
    empty). Keeps a page's read proportional to what it counts."""

    types: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    touching: tuple[str, ...] = ()
    since: date | None = None


def chain_frames(selection: Selection, until: date) -> Frames:
    """The report frames of the selected procedures: their cache columns, their standing
    events up to ``until`` and their standing decisions up to ``until``."""
    chosen = Procedure.objects.filter(procedure_type__in=list(selection.types))
    if selection.since is not None:
        window = {"day__gte": selection.since, "day__lte": until}
        touched = ProcedureEvent.objects.filter(
            procedure=OuterRef("pk"), kind__in=list(selection.touching), **window
        ).exclude(withdrawn("event"))
        decided = Decision.objects.filter(
            procedure=OuterRef("pk"), decided_on__gte=selection.since, decided_on__lte=until
        )
        chosen = chosen.filter(Exists(touched) | Exists(decided))
    ids = chosen.values("pk")
    procs = chosen.values_list(
        "id",
        "person_id",
        "person__nationality",
        "procedure_type",
        "queue",
        "team",
        "started_on",
        "closed_on",
        "due",
        "status",
        "regime",
        "dwangsom_first_day",
        "dwangsom_last_day",
        "contests_id",
    )
    events = ProcedureEvent.objects.filter(procedure__in=ids, day__lte=until)
    if selection.kinds:
        events = events.filter(kind__in=list(selection.kinds))
    event_rows = list(events.exclude(withdrawn("event")).values_list("procedure_id", "kind", "day"))
    decision_rows = list(
        Decision.objects.filter(procedure__in=ids, decided_on__lte=until)
        .exclude(withdrawn("decision"))
        .exclude(withdrawn("event", "event_id"))
        .values_list("id", "procedure_id", "outcome", "decided_on")
    )
    proc_rows = [(r[0], r[1], r[2] or "", *r[3:]) for r in procs]
    return Frames(
        procedures=conform("procedures", proc_rows) if proc_rows else empty("procedures"),
        events=conform("events", event_rows) if event_rows else empty("events"),
        decisions=conform("decisions", decision_rows) if decision_rows else empty("decisions"),
        documents=empty("documents"),
        source=SOURCE,
        period=None,
    )


def detention_places(on: date) -> Figure:
    """The DJI detention centres' places and how many are held there on ``on``."""
    sites = list(
        Location.objects.filter(kind=DETENTION_KIND, opened__lte=on).values_list("pk", flat=True)
    )
    capacity = capacity_on(on, sites) if sites else {}
    held = occupied(on, sites) if sites else {}
    places = sum(p for p, _ in capacity.values())
    taken = sum(held.values())
    return Figure(
        "detention_places",
        "Detentiecentra (locatiesoort detention_centre, DJI) uit het locatieregister: plaatsen "
        "op de peildatum (laatste capaciteitswijziging) en bezetting (lopende plaatsingen die "
        "niet zijn ingetrokken, dezelfde telregel als de opvangcijfers).",
        "Detention centres (location kind detention_centre, DJI) from the location register: "
        "places on the reference day (last capacity change) and occupancy (running, not "
        "withdrawn placements, the occupancy figures' own counting rule).",
        {"locations": len(sites), "places": places, "occupied": taken, "free": places - taken},
    )


def reference_day(raw: str | None, today: date) -> date:
    if not raw:
        return today
    check_text(raw, "on", max_len=10)
    return day_within(parse_day(raw, "on"), "on", EARLIEST_EVENT_DAY, today)


def figures(on: date) -> dict[str, Figure]:
    """Every indicator of the strategy on the reference day ``on``."""
    start = on - timedelta(days=WINDOW_DAYS - 1)
    sc = strategy_counts
    border = chain_frames(Selection((sc.BORDER,)), on)
    dublin = chain_frames(
        Selection((sc.DUBLIN,), ("accepted", "transfer_decision"), ("transfer_decision",), start),
        on,
    )
    registering = tuple(sc.REGISTRATION_START)
    registration = chain_frames(
        Selection(
            registering,
            (*sc.REGISTRATION_START.values(), *sc.REGISTRATION_STOP),
            sc.REGISTRATION_STOP,
            start,
        ),
        on,
    )
    nareis = chain_frames(Selection((sc.NAREIS,), ("lodged", *sc.NAREIS_ENDS)), on)
    return {
        "border_capacity": sc.border_capacity(border, on),
        "dublin_decision_time": sc.dublin_decision_time(dublin, start, on),
        "registration_within_five_days": sc.registrations_within_five_days(registration, start, on),
        "nareis_waiting": sc.nareis_waiting(nareis, on),
        "detention_places": detention_places(on),
    }


def span_text(on: date) -> str:
    start = on - timedelta(days=WINDOW_DAYS - 1)
    return (
        f"peildatum {on.isoformat()}; stromen over {start.isoformat()} tot en met {on.isoformat()}"
    )


def document(actor: Actor, raw_on: str | None, today: date) -> dict[str, Any]:
    """The strategy as data with the live indicators (the API's answer)."""
    check(actor.role, RESOURCE, "read")
    on = reference_day(raw_on, today)
    model = strategy.load()
    out: dict[str, Any] = strategy.to_json(model, figures(on))
    out["on"] = on.isoformat()
    out["window"] = {"from": (on - timedelta(days=WINDOW_DAYS - 1)).isoformat(), "to": str(on)}
    return out


def html(actor: Actor, raw_on: str | None, today: date, standalone: bool) -> str:
    check(actor.role, RESOURCE, "read")
    on = reference_day(raw_on, today)
    model = strategy.load()
    found = figures(on)
    if standalone:
        return strategy.render(model, found, today, SOURCE, span_text(on))
    return strategy.body(model, found, today, SOURCE, span_text(on))
