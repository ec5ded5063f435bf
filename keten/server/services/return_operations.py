"""Special flights and joint identification missions shared with the Belgian partner (seed
000, point 3: "gezamenlijke identificatiemissies, uitwisseling van special flight
programmatie en deelname aan elkaars special flights"). DTenV plans its own operations with
the seats it offers the partner; the partner's programme arrives as operations marked as
received from it; seats taken are append-only claims that may not exceed the seats offered.
No person is named: seats are counts (who flies is in each person's departure procedure).
Who may do what is ``return_operation`` in policy.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Sum

from keten.server.audit.log import Entry, append
from keten.server.cooperation.models import JointOperation, SeatClaim
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.coi import PARTNER, country_code
from keten.server.services.errors import BadInputError, ContradictionError, NotFoundError
from keten.server.services.inputs import choice, day, text
from keten.server.services.policy import check
from keten.server.services.writing import reason_of, recorded

RESOURCE = "return_operation"
KINDS: dict[str, tuple[str, str]] = {
    "special_flight": ("special flight (charter voor gedwongen vertrek)", "special flight"),
    "identification_mission": ("gezamenlijke identificatiemissie", "joint identification mission"),
}
KIND_IDS = tuple(sorted(KINDS))  # as the OpenAPI document names them
MAX_SEATS = 500  # more than any charter carries


@dataclass(frozen=True)
class OperationInput:
    kind: str
    destination: str
    day: date
    seats_offered: int
    note: str


def seats(value: Any, field: str, *, least: int = 0) -> int:
    return whole_number(value, field, low=least, high=MAX_SEATS)


def partner_code(value: Any, field: str = "partner") -> str:
    if not isinstance(value, str) or not PARTNER.fullmatch(value):
        raise BadInputError(
            field,
            "must be the partner organisation's code (letters, digits, hyphens)",
            "moet de code van de partnerorganisatie zijn (letters, cijfers, koppeltekens)",
        )
    return value


def operation_input(data: dict[str, Any]) -> OperationInput:
    when = day(data, "day", earliest=date(2015, 2, 24))  # the declaration of intent's day
    assert when is not None  # required
    return OperationInput(
        kind=choice(data, "kind", KINDS),
        destination=country_code(data.get("destination"), "destination"),
        day=when,
        seats_offered=seats(data.get("seats_offered"), "seats_offered"),
        note=text(data, "note", required=False, max_len=2000),
    )


def _audit(actor: Actor, name: str, fields: tuple[str, ...], op: JointOperation) -> None:
    append(actor.audit, [Entry(name, "write", RESOURCE, fields, object_ref=f"operation:{op.pk}")])


def store(
    actor: Actor, found: OperationInput, reason: str, *, received_from: str = "", ref: str = ""
) -> JointOperation:
    op = JointOperation.objects.create(
        kind=found.kind,
        destination=found.destination,
        day=found.day,
        seats_offered=found.seats_offered,
        note=found.note,
        received_from=received_from,
        received_ref=ref,
        **recorded(actor, reason),
    )
    _audit(actor, "return_operation.plan", ("kind", "destination", "day", "seats_offered"), op)
    return op


def plan(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Plan an own special flight or mission with the seats offered to the partner."""
    check(actor.role, RESOURCE, "write")
    found = operation_input(data)
    reason = reason_of(data)
    with transaction.atomic():
        op = store(actor, found, reason)
    return operation_json(op, 0)


def taken(op: JointOperation) -> int:
    total = SeatClaim.objects.filter(operation=op).aggregate(n=Sum("seats"))["n"]
    return int(total or 0)


def get(op_id: int, *, lock: bool = False) -> JointOperation:
    rows = JointOperation.objects.filter(pk=op_id)
    op = (rows.select_for_update() if lock else rows).first()
    if op is None:
        raise NotFoundError(
            f"no operation {op_id}",
            field="operation",
            rule="must exist",
            detail_nl=f"geen operatie {op_id}",
            rule_nl="moet bestaan",
        )
    return op


def claim(
    actor: Actor, op: JointOperation, partner: str, n: int, reason: str, request_ref: str = ""
) -> SeatClaim:
    """Take ``n`` seats on ``op`` for ``partner`` (or for this organisation, ``""``), in the
    caller's transaction. The operation's row is locked, so two claims cannot both take the
    last seat; a request delivered again (same ``request_ref``) returns the first claim."""
    op = get(op.pk, lock=True)
    if request_ref:
        again = SeatClaim.objects.filter(
            operation=op, partner=partner, request_ref=request_ref
        ).first()
        if again is not None:
            return again
    free = op.seats_offered - taken(op)
    if n > free:
        raise ContradictionError(
            "seats",
            f"only {free} of the {op.seats_offered} seats offered are free",
            f"van de {op.seats_offered} aangeboden plaatsen zijn er nog {free} vrij",
        )
    made = SeatClaim.objects.create(
        operation=op, partner=partner, seats=n, request_ref=request_ref, **recorded(actor, reason)
    )
    _audit(actor, "return_operation.seats", ("seats_taken",), op)
    return made


def operation_json(op: JointOperation, seats_taken: int) -> dict[str, Any]:
    nl, en = KINDS[op.kind]
    return {
        "id": op.pk,
        "kind": op.kind,
        "kind_text": nl,
        "kind_text_en": en,
        "destination": op.destination,
        "day": op.day.isoformat(),
        "seats_offered": op.seats_offered,
        "seats_taken": seats_taken,
        "seats_free": op.seats_offered - seats_taken,
        "received_from": op.received_from or None,
        "received_ref": op.received_ref or None,
        "note": op.note,
        "recorded_by": op.recorded_by,
        "recorded_org": op.recorded_org,
        "reason": op.reason,
    }


def programme(actor: Actor, on: date) -> list[dict[str, Any]]:
    """Every operation from ``on`` on, own and received, soonest first, with the escorts
    each side provides (figures only)."""
    check(actor.role, RESOURCE, "read")
    ops = list(JointOperation.objects.filter(day__gte=on).order_by("day", "id"))
    sums = dict(
        SeatClaim.objects.filter(operation__in=ops)
        .values_list("operation_id")
        .annotate(n=Sum("seats"))
        .values_list("operation_id", "n")
    )
    from keten.server.services import return_escorts  # it builds on this module

    escorts = return_escorts.of([op.pk for op in ops])
    return [
        {**operation_json(op, int(sums.get(op.pk) or 0)), "escorts": escorts[op.pk]} for op in ops
    ]
