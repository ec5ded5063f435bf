"""Recomputing a procedure's cache columns from its events (in the caller's transaction)."""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.catalog.derive import Event, ProcedureState, derive
from keten.catalog.loader import get_procedure
from keten.chain.identity import PartialDate
from keten.chain.priority import Priority, pact_priority
from keten.chain.summary import summarize
from keten.server.dossiers.models import FamilyLink, Person, Procedure, ProcedureEvent
from keten.server.services.policy import queue_of
from keten.server.services.withdrawals import standing


def events_of(procedure: Procedure) -> list[Event]:
    rows = standing("event", ProcedureEvent.objects.filter(procedure=procedure)).order_by(
        "day", "id"
    )
    return [Event(e.kind, e.day, e.data or {}) for e in rows]


def state_of(procedure: Procedure, on: date, events: list[Event] | None = None) -> ProcedureState:
    pt = get_procedure(procedure.procedure_type)
    return derive(
        pt, events if events is not None else events_of(procedure), facts=procedure.facts, on=on
    )


def family_ids(person_id: int) -> set[int]:
    links = FamilyLink.objects.filter(parent_or_partner_id=person_id).values_list(
        "other_id", flat=True
    )
    back = FamilyLink.objects.filter(other_id=person_id).values_list(
        "parent_or_partner_id", flat=True
    )
    return set(links) | set(back)


def priority_of(person: Person | None, started: date | None) -> Priority:
    if person is None or started is None:
        return Priority.OTHER
    family = Person.objects.filter(pk__in=family_ids(person.pk)).values_list(
        "birth_date", flat=True
    )
    return pact_priority(
        PartialDate.parse(person.birth_date),
        person.unaccompanied_minor,
        [PartialDate.parse(b) for b in family],
        started,
    )


def cache_columns(procedure: Procedure, events: list[Event]) -> dict[str, Any]:
    """The cache columns the events give, by column name; not the priority, which also
    depends on the person's family (``priority_of``)."""
    summary = summarize(get_procedure(procedure.procedure_type), events, procedure.facts)
    queue, team = queue_of(procedure.procedure_type)
    return {
        "queue": queue,
        "team": team,
        "deadline_id": summary.deadline_id,
        "due": summary.due,
        "status": summary.status,
        "closed_on": summary.closed_on,
        "regime": summary.regime,
        "started_on": summary.started_on,
        "dwangsom_first_day": summary.dwangsom_first_day,
        "dwangsom_last_day": summary.dwangsom_last_day,
        "stage": summary.stage,
    }


def refresh(procedure: Procedure, events: list[Event] | None = None) -> Procedure:
    """Rewrite the cache columns from the events; returns the procedure as now stored."""
    events = events if events is not None else events_of(procedure)
    columns = cache_columns(procedure, events)
    columns["priority"] = int(priority_of(procedure.person, columns["started_on"]))
    for name, value in columns.items():
        setattr(procedure, name, value)
    Procedure.objects.filter(pk=procedure.pk).update(**columns)
    return procedure


def refresh_priorities(person_ids: set[int]) -> None:
    """After a family link or birth-date change: the priority of every procedure of these
    persons and their families."""
    everyone = set(person_ids)
    for pid in person_ids:
        everyone |= family_ids(pid)
    for proc in Procedure.objects.filter(person_id__in=everyone).select_related("person"):
        new = int(priority_of(proc.person, proc.started_on))
        if new != proc.priority:
            Procedure.objects.filter(pk=proc.pk).update(priority=new)
