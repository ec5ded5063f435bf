"""Handing over the persons of selected queue cases to a partner organisation, in bulk.

Each hand-over is the dossier's own hand-over record (``records.add_record``, resource
``handover``): the hand-over table (policy.yaml ``handovers``) says which organisation kinds
may send which kind to whom and what the case must show, the receiver is granted access, and
the dossier event and audit record say who, when and why. In bulk the request is all or
nothing: one transaction, every refused case named (which procedure, which rule), and then
nothing stored. A person with two selected cases is handed over once.

A hand-over adds a record and overwrites nothing; each person's version is read under a row
lock inside the transaction, so a write to the same dossier meanwhile waits or is seen, never
lost.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from keten.chain.kinds import HANDOVER_TYPES
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.assignments import MAX_BULK, items_of, refusal
from keten.server.services.case_checks import check_handover_parties
from keten.server.services.errors import (
    BadInputError,
    BulkRefusedError,
    NotFoundError,
    ServiceError,
)
from keten.server.services.inputs import choice, happened, text
from keten.server.services.policy import check
from keten.server.services.records import add_record
from keten.server.services.writing import reason_of


def _inputs(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """The hand-over's own fields, checked once for the whole request (kind, receiver, day,
    note, reason), so a wrong receiver is one error, not one per case."""
    kind = choice(data, "kind", HANDOVER_TYPES)
    to_org = text(data, "to_org", max_len=64)
    check_handover_parties(actor, kind, to_org)
    return {
        "kind": kind,
        "to_org": to_org,
        "day": happened(data, "day").isoformat(),
        "note": text(data, "note", required=False, max_len=4000),
        "reason": reason_of(data),
    }


def hand_over(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Hand over the persons of ``data["procedures"]`` (``[{"id": ...}]``, at most
    ``MAX_BULK``) with one kind, receiver, day and reason."""
    check(actor.role, "handover", "write")
    items = items_of(data.get("procedures"))
    record = _inputs(actor, data)
    with transaction.atomic():
        return _all(actor, [i.procedure for i in items], record)


def _all(actor: Actor, ids: list[int], record: dict[str, Any]) -> dict[str, Any]:
    persons = dict(scope.procedures(actor).filter(pk__in=ids).values_list("pk", "person_id"))
    errors: list[dict[str, Any]] = []
    done: list[dict[str, Any]] = []
    first_case: dict[int, int] = {}  # person -> the selected case that handed them over
    for pid in ids:
        try:
            if pid not in persons:
                raise NotFoundError(
                    f"no procedure {pid} in your scope",
                    field="id",
                    rule="must exist in your scope",
                    detail_nl=f"geen procedure {pid} binnen uw bevoegdheid",
                    rule_nl="moet bestaan en binnen uw bevoegdheid vallen",
                )
            person_id = persons[pid]
            if person_id is None:
                raise BadInputError(
                    "id",
                    f"procedure {pid} concerns no person (an organisation's half-year)",
                    f"procedure {pid} gaat niet over een persoon",
                )
            if person_id in first_case:
                done.append(
                    {"procedure": pid, "person": person_id, "same_as": first_case[person_id]}
                )
                continue
            p = scope.person(actor, person_id, lock=True)
            added = add_record(actor, p.pk, "handover", dict(record), p.version)
            first_case[person_id] = pid
            done.append({"procedure": pid, "person": person_id, "handover": added["id"]})
        except ServiceError as exc:
            errors.append(refusal(pid, exc))
    if errors:
        raise BulkRefusedError(("handed over", "overgedragen"), errors)
    return {
        "kind": record["kind"],
        "to_org": record["to_org"],
        "handed_over": done,
        "persons": len(first_case),
    }


__all__ = ["MAX_BULK", "hand_over"]
