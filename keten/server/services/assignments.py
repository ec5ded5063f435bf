"""Who works a case: assigning open procedures to a member of the team that holds them, and
reading who they are assigned to.

Every assignment (and every release back to the team's queue) is an ``Assignment`` row saying
who gave the case to whom, when and why, plus an audit record on the person; the one-row-per-
procedure ``CurrentAssignment`` is rewritten in the same transaction. Its ``version`` is the
optimistic check: a caller names the version it saw (0 for a case never assigned), and a case
someone else assigned meanwhile is refused, not silently taken over.

A bulk request is all-or-nothing: every item is checked, each refusal is named (which
procedure, which field, which rule), and one refused item stores nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Procedure
from keten.server.organisations.models import Membership
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_text
from keten.server.services.errors import (
    BadInputError,
    BulkRefusedError,
    ServiceError,
)
from keten.server.services.policy import check, policy
from keten.server.services.writing import recorded
from keten.server.workqueue.models import Assignment, CurrentAssignment

OPEN = ("open", "suspended", "not_started")
MAX_BULK = 100  # items per bulk request: a page of the queue is at most 100 rows on screen


def current_assignees(procedure_ids: Iterable[int]) -> dict[int, str]:
    """The username each of these procedures is assigned to; unassigned ones are absent."""
    return {pid: who for pid, (who, _) in current(procedure_ids).items() if who}


def current(procedure_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
    """(assignee, version) per procedure that was ever assigned; the assignee is "" once the
    case was released back to the queue. Absent: never assigned (version 0)."""
    ids = list(procedure_ids)
    if not ids:
        return {}
    rows = CurrentAssignment.objects.filter(procedure_id__in=ids).values_list(
        "procedure_id", "assignee", "version"
    )
    return {pid: (who, version) for pid, who, version in rows}


def team_roles(queue: str, team: str) -> list[str]:
    """The roles whose holders work the queue ``queue``/``team`` (policy.yaml ``roles``)."""
    return sorted(
        r.id for r in policy().roles.values() if r.organisation_kind == queue and r.team == team
    )


def team_members(organisation: str, queue: str, team: str) -> list[str]:
    """Usernames of the organisation's people in that team, alphabetically."""
    roles = team_roles(queue, team)
    if not roles:
        return []
    return sorted(
        Membership.objects.filter(organisation_id=organisation, role__in=roles).values_list(
            "user__username", flat=True
        )
    )


def my_team(actor: Actor) -> list[str]:
    """The people an actor may assign its own team's cases to (the bulk form's choices)."""
    return team_members(actor.organisation, actor.role.organisation_kind, actor.role.team)


@dataclass(frozen=True)
class Item:
    """One procedure of a bulk request with the assignment version the caller saw."""

    procedure: int
    version: int


def items_of(raw: Any, field: str = "procedures") -> list[Item]:
    """A bulk request's list: ``[{"id": 12, "version": 0}, ...]``, 1 to ``MAX_BULK`` items,
    each procedure once."""
    if not isinstance(raw, list) or not raw:
        raise BadInputError(
            field,
            'must be a list of {"id": procedure, "version": assignment version}',
            'moet een lijst zijn van {"id": procedure, "version": versie van de toewijzing}',
        )
    if len(raw) > MAX_BULK:
        raise BadInputError(
            field,
            f"at most {MAX_BULK} procedures per request ({len(raw)} given)",
            f"hoogstens {MAX_BULK} procedures per verzoek ({len(raw)} opgegeven)",
        )
    items: list[Item] = []
    seen: set[int] = set()
    for i, entry in enumerate(raw):
        where = f"{field}[{i}]"
        if not isinstance(entry, dict):
            raise BadInputError(
                where,
                "must be an object with id and version",
                "moet een object met id en version zijn",
            )
        pid, version = entry.get("id"), entry.get("version", 0)
        for name, value in (("id", pid), ("version", version)):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
                raise BadInputError(
                    f"{where}.{name}", "must be a whole number", "moet een geheel getal zijn"
                )
        assert isinstance(pid, int) and isinstance(version, int)
        if pid in seen:
            raise BadInputError(
                f"{where}.id",
                f"procedure {pid} is listed twice",
                f"procedure {pid} staat er twee keer in",
            )
        seen.add(pid)
        items.append(Item(pid, version))
    return items


def refusal(procedure: int, exc: ServiceError) -> dict[str, Any]:
    """One refused item of a bulk request, named: which procedure, which field, which rule."""
    return {
        "procedure": procedure,
        "status": exc.status,
        "field": exc.field,
        "rule": exc.rule or exc.detail,
        "rule_nl": exc.rule_nl or exc.detail_nl,
        "detail": exc.detail,
        "detail_nl": exc.detail_nl,
    }


def _refused(field: str, en: str, nl: str, status: int = 422) -> ServiceError:
    exc = ServiceError(en, field=field, rule=en, rule_nl=nl, detail_nl=nl)
    exc.status = status
    return exc


def check_writable(actor: Actor, proc: Procedure | None, pid: int) -> Procedure:
    """The procedure exists in the actor's scope, is open, and is of a type the actor's role
    works (policy.yaml ``procedures``)."""
    if proc is None:  # absent or outside the scope: the same answer, revealing nothing
        raise _refused(
            "id",
            f"no procedure {pid} in your scope",
            f"geen procedure {pid} binnen uw bevoegdheid",
            404,
        )
    if proc.status not in OPEN:
        raise _refused(
            "id",
            f"procedure {pid} is closed ({proc.status}): only open cases are worked",
            f"procedure {pid} is afgesloten: alleen open zaken worden toegewezen",
        )
    if proc.procedure_type not in actor.role.procedures:
        raise _refused(
            "id",
            f"policy: {actor.role.id} does not work procedures of type {proc.procedure_type}",
            f"beleid: {actor.role.id} behandelt geen procedures van het type {proc.procedure_type}",
            403,
        )
    return proc


def assign(actor: Actor, raw_items: Any, assignee: str, reason: str) -> dict[str, Any]:
    """Assign every listed procedure to ``assignee`` (a member of the team holding it), or
    release them back to the team's queue with ``assignee`` "". All or nothing."""
    check(actor.role, "procedure", "write")
    items = items_of(raw_items)
    assignee = check_text(assignee or "", "assignee", max_len=150).strip()
    reason = check_text(reason or "", "reason", max_len=2000, multiline=True).strip()
    if not reason:
        raise BadInputError("reason", "is required", "is verplicht")
    with transaction.atomic():
        return _assign_all(actor, items, assignee, reason)


def _assign_all(actor: Actor, items: Sequence[Item], assignee: str, reason: str) -> dict[str, Any]:
    ids = [i.procedure for i in items]
    visible = scope.procedures(actor).filter(pk__in=ids).select_related("person")
    procs = {p.pk: p for p in visible.select_for_update(of=("self",))}
    held = {
        c.procedure_id: c
        for c in CurrentAssignment.objects.select_for_update().filter(procedure_id__in=ids)
    }
    members: dict[tuple[str, str], set[str]] = {}
    errors: list[dict[str, Any]] = []
    changes: list[tuple[Procedure, CurrentAssignment | None]] = []
    unchanged: list[int] = []
    for item in items:
        try:
            proc = check_writable(actor, procs.get(item.procedure), item.procedure)
            key = (proc.queue, proc.team)
            if key not in members:
                members[key] = set(team_members(actor.organisation, *key))
            if assignee and assignee not in members[key]:
                raise _refused(
                    "assignee",
                    f"{assignee} is not in team {proc.team or proc.queue} of "
                    f"{actor.organisation}, which holds procedure {proc.pk}",
                    f"{assignee} hoort niet bij team {proc.team or proc.queue} van "
                    f"{actor.organisation}, dat procedure {proc.pk} behandelt",
                )
            now = held.get(proc.pk)
            seen_version = now.version if now is not None else 0
            if item.version != seen_version:
                raise _refused(
                    "version",
                    f"procedure {proc.pk}: the assignment is at version {seen_version}, not "
                    f"{item.version} (someone assigned it meanwhile: reload the queue)",
                    f"procedure {proc.pk}: de toewijzing is intussen gewijzigd (nu versie "
                    f"{seen_version}, niet {item.version}); laad de werkvoorraad opnieuw",
                    409,
                )
            if (now.assignee if now is not None else "") == assignee:
                unchanged.append(proc.pk)
                continue
            changes.append((proc, now))
        except ServiceError as exc:
            errors.append(refusal(item.procedure, exc))
    if errors:
        raise BulkRefusedError(("assigned", "toegewezen"), errors)
    stamp = timezone.now()
    done = []
    entries = []
    for proc, now in changes:
        Assignment.objects.create(procedure=proc, assignee=assignee, **recorded(actor, reason))
        version = (now.version if now is not None else 0) + 1
        CurrentAssignment.objects.update_or_create(
            procedure=proc,
            defaults={"assignee": assignee, "assigned_at": stamp, "version": version},
        )
        done.append({"procedure": proc.pk, "assignee": assignee or None, "version": version})
        subjects = ((proc.person_id, proc.person.v_number),) if proc.person else ()
        entries.append(
            Entry(
                "queue.assign" if assignee else "queue.release",
                "write",
                "procedure",
                ("assignee",),
                subjects,
                object_ref=f"procedure:{proc.pk}",
            )
        )
    if entries:
        append(actor.audit, entries)
    return {"assignee": assignee or None, "assigned": done, "unchanged": unchanged}


def history(actor: Actor, procedure_id: int) -> list[dict[str, Any]]:
    """Who assigned the procedure to whom, newest first (the dossier shows it)."""
    check(actor.role, "procedure", "read")
    rows = Assignment.objects.filter(procedure_id=procedure_id).order_by("-id")[:50]
    return [
        {
            "assignee": a.assignee or None,
            "recorded_by": a.recorded_by,
            "recorded_at": a.recorded_at.isoformat(),
            "reason": a.reason,
        }
        for a in rows
    ]
