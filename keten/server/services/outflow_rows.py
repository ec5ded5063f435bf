"""A permit holder's outflow as the list, the commands' answers and the pages show it: the
phase, both phases' terms and the 14-week norm as the catalogue's deadlines derive them
(``derived.state_of``), the municipality matched to, the lease, where the person stays now,
and the actions the role may take (``services/outflow.py`` holds the commands,
``services/outflow_list.py`` the list)."""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.catalog.derive import Event
from keten.catalog.loader import get_procedure
from keten.server.dossiers.models import Handover, Placement, Procedure, ProcedureEvent
from keten.server.services.access import running
from keten.server.services.actor import Actor
from keten.server.services.derived import state_of
from keten.server.services.reads import person_row, procedure_row
from keten.server.services.taakstelling import PREFIX, municipalities
from keten.server.services.withdrawals import standing

TYPE = "permit_holder_outflow"
MATCH = "housing_match"

# The phases as the procedure's latest event tells them (its cached ``stage``): the deadline
# that runs in each is the catalogue's (matching 2 weeks, housing 10 weeks, the 14-week norm).
PHASES: dict[str, tuple[str, str, str]] = {
    # phase: (the latest event, Dutch, English)
    "matching": ("permit_granted", "Fase 1: koppeling door COA", "Phase 1: matching by COA"),
    "housing": ("matched", "Fase 2: huisvesting door gemeente", "Phase 2: housing by municipality"),
    "moving": ("lease_start", "Huurcontract, verhuizing volgt", "Lease signed, move to follow"),
    "left": ("moved_out", "Uit de opvang vertrokken", "Left reception"),
}
PHASE_OF_STAGE = {stage: phase for phase, (stage, _, _) in PHASES.items()}
DEADLINES = ("matching", "housing", "outflow")


def rows(actor: Actor, procs: list[Procedure], on: date) -> list[dict[str, Any]]:
    """One row per procedure: three queries for the page (events, matches, placements)."""
    ids = [p.pk for p in procs]
    persons = [p.person_id for p in procs if p.person_id is not None]
    events: dict[int, list[ProcedureEvent]] = {pk: [] for pk in ids}
    rows = ProcedureEvent.objects.filter(procedure_id__in=ids).order_by("day", "id")
    for e in standing("event", rows):
        events[e.procedure_id].append(e)
    matches: dict[int, Handover] = {}
    handovers = Handover.objects.filter(person_id__in=persons, kind=MATCH).order_by("day", "id")
    for h in standing("handover", handovers):
        matches.setdefault(h.person_id, h)
    staying: dict[int, Placement] = {}
    if actor.role.can("placement", "read"):
        placed = Placement.objects.filter(running(on), person_id__in=persons, start__lte=on)
        for pl in standing("placement", placed).order_by("start", "id"):
            staying[pl.person_id] = pl  # the latest that runs on the day
    names = municipalities()
    return [
        _row(actor, proc, events[proc.pk], matches.get(proc.person_id or 0), staying, names, on)
        for proc in procs
    ]


def _row(
    actor: Actor,
    proc: Procedure,
    rows: list[ProcedureEvent],
    found: Handover | None,
    staying: dict[int, Placement],
    names: dict[str, str],
    on: date,
) -> dict[str, Any]:
    state = state_of(proc, on, [Event(e.kind, e.day, e.data or {}) for e in rows])
    happened = {e.kind: e for e in rows}
    phase = PHASE_OF_STAGE.get(proc.stage, "matching")
    deadlines: list[dict[str, Any]] = []
    for deadline_id in DEADLINES:
        d = state.deadline(deadline_id)
        stop = next(
            (happened[k] for k in get_procedure(TYPE).deadline(deadline_id).stop if k in happened),
            None,
        )
        deadlines.append(
            {
                "id": d.id,
                "name": d.name.nl,
                "name_en": d.name.en,
                "date": d.date.isoformat() if d.date else None,
                "status": d.status,
                "days_left": d.days_left,
                # Ended: how many days before (negative: after) its day the step was taken.
                "margin": (d.date - stop.day).days if d.date and stop is not None else None,
                "ended_on": stop.day.isoformat() if stop is not None else None,
                "responsible": d.responsible,
                "citation": d.citation,
            }
        )
    norm = deadlines[-1]
    over = norm["status"] in ("overdue", "late") or (
        norm["margin"] is not None and norm["margin"] < 0
    )
    leased = happened.get("lease_start")
    org = found.to_org_id if found is not None else None
    here = staying.get(proc.person_id) if proc.person_id is not None else None
    assert proc.person is not None
    return {
        "person": person_row(proc.person),
        "person_version": proc.person.version,  # what a command from this row is based on
        "procedure": procedure_row(proc, on),
        "phase": phase,
        "phase_name": PHASES[phase][1],
        "phase_name_en": PHASES[phase][2],
        "municipality": org.removeprefix(PREFIX) if org else None,
        "municipality_name": names.get(org.removeprefix(PREFIX), org) if org else None,
        "matched_on": found.day.isoformat() if found is not None else None,
        "lease": {
            "start": leased.day.isoformat(),
            "address": leased.data.get("address"),
            "signed_on": leased.data.get("signed_on"),
        }
        if leased is not None
        else None,
        "moved_out_on": happened["moved_out"].day.isoformat() if "moved_out" in happened else None,
        "deadlines": deadlines,
        "over_norm": over,
        "staying": {
            "kind": here.kind,
            "location": here.location,
            "municipality": here.municipality,
            "since": here.start.isoformat(),
        }
        if here is not None
        else None,
        "actions": actions(actor, phase, org),
    }


def actions(actor: Actor, phase: str, matched_to: str | None) -> list[str]:
    """What the role may do next for a person in ``phase``: what its pages offer (the commands
    refuse the rest anyway)."""
    role = actor.role
    out = []
    if (
        phase == "matching"
        and matched_to is None
        and role.can("handover", "write")
        and role.records_event(TYPE, "matched")
    ):
        out.append("match")
    own = actor.organisation_kind != "municipality" or matched_to == actor.organisation
    if (
        phase == "housing"
        and actor.organisation_kind == "municipality"
        and own
        and role.records_event(TYPE, "lease_start")
    ):
        out.append("lease")
    if (
        phase == "moving"
        and own
        and role.can("placement", "write")
        and role.records_event(TYPE, "moved_out")
    ):
        out.append("move")
    return out
