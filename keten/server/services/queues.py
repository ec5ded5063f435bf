"""Work queues and the chain dashboard.

A queue is the open procedures of one organisation kind (and team), ordered by the Pact's
mandatory priority (``keten.chain.priority``) and then by the due date of the main deadline,
read from the cache columns through the partial index ``queue_team_order``. For roles scoped to
granted persons the grant is an indexed semi-join, so authorisation does not turn the list into
a per-object loop (the complaint about Open Zaak's list views).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet

from keten.catalog.loader import load_catalog
from keten.chain.summary import dwangsom_amount
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import AccessGrant, Placement, Procedure
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError
from keten.server.services.policy import check, policy
from keten.server.services.reads import procedure_row

OPEN = ("open", "suspended", "not_started")
ROW_FIELDS = (
    "id",
    "person_id",
    "procedure_type",
    "status",
    "due",
    "deadline_id",
    "priority",
    "dwangsom_first_day",
    "dwangsom_last_day",
    "queue",
    "team",
    "regime",
    "version",
)
PERSON_FIELDS = (
    "person__v_number",
    "person__given_names",
    "person__surname",
    "person__birth_date",
    "person__nationality",
)
QUEUE_FIELDS = ("v_number", "name", "birth_date", "nationality", "status", "due")
# Matches the partial index (PostgreSQL sorts NULLs last in ascending btree order).
DUE_NULLS_LAST = F("due").asc(nulls_last=True)


def _queue_qs(actor: Actor, team: str | None) -> QuerySet[Procedure]:
    role = actor.role
    own_queue = any(q == role.organisation_kind for q, _ in policy().queues.values())
    qs = Procedure.objects.filter(status__in=OPEN)
    if own_queue:
        qs = qs.filter(queue=role.organisation_kind)
        team = role.team if team is None else team
        if team:
            qs = qs.filter(team=team)
    if role.scope == "granted":
        granted = AccessGrant.objects.filter(organisation_id=actor.organisation).values("person_id")
        qs = qs.filter(person_id__in=granted)
    elif role.scope != "all":
        qs = qs.none()
    return qs


def work_queue(
    actor: Actor,
    on: date,
    *,
    page: int = 1,
    page_size: int = 50,
    team: str | None = None,
    procedure_type: str = "",
) -> dict[str, Any]:
    check(actor.role, "procedure", "read")
    if page < 1:
        raise BadInputError("page", "must be 1 or more")
    if not 1 <= page_size <= 200:
        raise BadInputError("page_size", "must be between 1 and 200")
    qs = _queue_qs(actor, team)
    if procedure_type:
        if procedure_type not in load_catalog():
            raise BadInputError("procedure_type", f"unknown procedure type {procedure_type!r}")
        qs = qs.filter(procedure_type=procedure_type)
    # Plain rows, not model instances: a page is fifty procedures and their persons, and
    # building ORM objects for them cost more than the indexed query itself.
    qs = qs.order_by("priority", DUE_NULLS_LAST, "id").values(*ROW_FIELDS, *PERSON_FIELDS)
    start = (page - 1) * page_size
    with transaction.atomic():
        rows = list(qs[start : start + page_size + 1])
        has_next = len(rows) > page_size
        rows = rows[:page_size]
        results = []
        subjects = []
        for values in rows:
            row = procedure_row(SimpleNamespace(pk=values["id"], **values), on)
            if values["person_id"] is not None:
                v_number = values["person__v_number"]
                row["person"] = {
                    "id": values["person_id"],
                    "v_number": v_number,
                    "name": f"{values['person__given_names']} {values['person__surname']}",
                    "birth_date": values["person__birth_date"],
                    "nationality": values["person__nationality"],
                }
                subjects.append((values["person_id"], v_number))
            results.append(row)
        if subjects:  # one operation: this page, on every person it shows
            append(
                actor.audit,
                [
                    Entry(
                        "queue.read",
                        "read",
                        "procedure",
                        QUEUE_FIELDS,
                        tuple(subjects),
                        object_ref=f"queue:{actor.role.organisation_kind}:page:{page}",
                    )
                ],
            )
    return {
        "queue": actor.role.organisation_kind,
        "team": actor.role.team if team is None else team,
        "on": on.isoformat(),
        "page": page,
        "page_size": page_size,
        "has_next": has_next,
        "results": results,
    }


def queue_summary(actor: Actor, on: date, team: str | None = None) -> dict[str, Any]:
    """Counts and the total dwangsom exposure of a queue (no personal data: not logged)."""
    check(actor.role, "procedure", "read")
    qs = _queue_qs(actor, team)
    counts = qs.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due__lt=on)),
        due_14=Count("id", filter=Q(due__gte=on, due__lte=on.fromordinal(on.toordinal() + 14))),
        priority=Count("id", filter=Q(priority__lt=2)),
    )
    exposure, running = _exposure(qs, on)
    return {**counts, "dwangsom_running": running, "dwangsom_exposure_eur": exposure}


def _exposure(qs: QuerySet[Procedure], on: date) -> tuple[int, int]:
    """Total euros owed on ``on`` and the number of cases with a dwangsom running. Grouped by
    (first, last) day, so the database returns a few thousand pairs, not every case."""
    pairs = (
        qs.filter(dwangsom_first_day__isnull=False, dwangsom_first_day__lte=on)
        .values("dwangsom_first_day", "dwangsom_last_day")
        .annotate(n=Count("id"))
    )
    total = running = 0
    for row in pairs:
        first, last, n = row["dwangsom_first_day"], row["dwangsom_last_day"], row["n"]
        total += n * dwangsom_amount(first, last, on)
        if last is not None and first <= on <= last:
            running += n
    return total, running


def dashboard(actor: Actor, on: date) -> dict[str, Any]:
    """Chain-wide management information: aggregates only, no personal data, so every role
    sees it (within its scope for roles scoped to granted persons)."""
    catalog = load_catalog()
    base = scope.procedures(actor) if actor.role.scope != "all" else Procedure.objects.all()
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in base.values("procedure_type", "status").annotate(n=Count("id")):
        per[row["procedure_type"]][row["status"]] += row["n"]
    missed = dict(
        base.filter(status__in=OPEN, due__lt=on)
        .values_list("procedure_type")
        .annotate(n=Count("id"))
    )
    exposure, running = _exposure(base, on)
    occupancy = list(
        Placement.objects.filter(end__isnull=True)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    return {
        "on": on.isoformat(),
        "procedures": [
            {
                "procedure_type": pid,
                "name": catalog[pid].name.nl if pid in catalog else pid,
                "by_status": dict(per[pid]),
                "missed": missed.get(pid, 0),
            }
            for pid in sorted(per)
        ],
        "deadlines_missed": sum(missed.values()),
        "dwangsom_running": running,
        "dwangsom_exposure_eur": exposure,
        "occupancy": occupancy,
    }
