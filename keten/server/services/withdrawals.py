"""Which entries stand: everything recorded, less what was withdrawn as mistaken
(``Withdrawal``, written by ``services/corrections.py``).

Every question that counts or derives (a procedure's state and deadlines, the queue's cache,
occupancy, the taakstelling's count of housed permit holders, access grants, the state of a
case) asks it of the standing rows only; the reads show withdrawn rows too, marked, with who
withdrew them, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, QuerySet

from keten.server.dossiers.models import Withdrawal

M = TypeVar("M", bound=Model)

# What a withdrawn entry is called in a Dutch timeline.
NAMES_NL = {
    "event": "gebeurtenis",
    "decision": "besluit",
    "measure": "maatregel",
    "placement": "plaatsing",
    "handover": "overdracht",
    "support_offer": "ondersteuningsaanbod",
}


def withdrawn(resource: str, ref: str = "pk") -> Exists:
    """True for a row (``ref``: the outer query's column holding its id) withdrawn as a
    ``resource``; the unique index on (resource, record_id) answers it."""
    return Exists(Withdrawal.objects.filter(resource=resource, record_id=OuterRef(ref)))


def standing(resource: str, rows: QuerySet[M], ref: str = "pk") -> QuerySet[M]:
    """``rows`` without the ones withdrawn."""
    return rows.exclude(withdrawn(resource, ref))


def by_record(rows: Iterable[Withdrawal]) -> dict[tuple[str, int], dict[str, Any]]:
    """(resource, record id) -> what a read shows of its withdrawal."""
    return {(w.resource, int(w.record_id)): as_json(w) for w in rows}


def of_person(person_id: int) -> dict[tuple[str, int], dict[str, Any]]:
    return by_record(Withdrawal.objects.filter(person_id=person_id).order_by("id"))


def as_json(w: Withdrawal) -> dict[str, Any]:
    return {
        "withdrawal_id": w.pk,
        "withdrawn_by": w.recorded_by,
        "withdrawn_org": w.recorded_org,
        "withdrawn_at": w.recorded_at.isoformat(),
        "withdrawn_reason": w.reason,
    }
