"""Escorts on a special flight or mission: how many each side provides and from which service,
as append-only rows on the operation. Seed 000 point 3 speaks of "deelname aan elkaars special
flights" and says nothing of escorts; who escorts is from the services' own pages:

* NL: the Koninklijke Marechaussee advises how many escorts a removal needs ("Het aantal
  escorts dat de Koninklijke Marechaussee adviseert in te zetten", DT&V, boekingsverzoek,
  https://www.dienstterugkeerenvertrek.nl/de-terugvoerplicht/het-proces/boekingsverzoek).
* BE: "verwijdering met escorte door de Federale Politie", and the DVZ "kan ook zelf een
  begeleiding regelen en uitvoeren" (https://dofi.ibz.be/nl/themes/sejour-irregulier/retour/
  de-stappen-de-verwijdering).

Neither gives a ratio of escorts to persons: both decide per person from a risk analysis. So
no rule here says the escorts cover the seats; the page shows both counts side by side."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Sum

from keten.server.audit.log import Entry, append
from keten.server.cooperation.models import EscortCapacity, JointOperation
from keten.server.services import return_operations as ops
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.errors import BadInputError
from keten.server.services.inputs import choice
from keten.server.services.policy import check
from keten.server.services.writing import reason_of, recorded

RESOURCE = "return_escort"
SERVICES: dict[str, tuple[str, str]] = {
    "kmar": ("Koninklijke Marechaussee", "Royal Netherlands Marechaussee"),
    "be_federal_police": ("Federale Politie (België)", "Belgian Federal Police"),
    "be_dvz": ("Dienst Vreemdelingenzaken (eigen begeleiders)", "Immigration Office (own escorts)"),
}
SERVICE_IDS = tuple(sorted(SERVICES))


def escorts(value: Any, field: str = "escorts") -> int:
    # No more escorts on one row than a charter has seats: beyond it is a typing error.
    return whole_number(value, field, low=1, high=ops.MAX_SEATS)


def service(data: dict[str, Any], field: str = "service") -> str:
    return choice(data, field, SERVICES)


def add(
    actor: Actor,
    op: JointOperation,
    side: str,
    count: int,
    service_id: str,
    reason: str,
    request_ref: str = "",
) -> EscortCapacity:
    """One row of escorts in the caller's transaction; a partner's message taken again (same
    ``request_ref``) returns the row it made the first time."""
    if request_ref:
        again = EscortCapacity.objects.filter(
            operation=op, side=side, request_ref=request_ref
        ).first()
        if again is not None:
            return again
    row = EscortCapacity.objects.create(
        operation=op,
        side=side,
        service=service_id,
        escorts=count,
        request_ref=request_ref,
        **recorded(actor, reason),
    )
    append(
        actor.audit,
        [
            Entry(
                "return_operation.escorts",
                "write",
                RESOURCE,
                ("escorts", "service"),
                object_ref=f"operation:{op.pk}",
            )
        ],
    )
    return row


def provide(actor: Actor, op_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Escorts this organisation provides on an operation, its own or the partner's (escorts
    for the persons it brings onto the partner's flight)."""
    check(actor.role, RESOURCE, "write")
    count = escorts(data.get("escorts"))
    service_id = service(data)
    reason = reason_of(data)
    with transaction.atomic():
        op = ops.get(op_id, lock=True)
        add(actor, op, "", count, service_id, reason)
    return {**ops.operation_json(op, ops.taken(op)), "escorts": of([op.pk])[op.pk]}


def of_operation(actor: Actor, op_id: int) -> dict[str, Any]:
    """One operation's escorts per side and service, beside the seats taken on it."""
    check(actor.role, RESOURCE, "read")
    op = ops.get(op_id)
    return {**ops.operation_json(op, ops.taken(op)), "escorts": of([op.pk])[op.pk]}


def of(op_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Per operation, the escorts per side and service, added up."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        EscortCapacity.objects.filter(operation_id__in=op_ids)
        .values("operation_id", "side", "service")
        .annotate(n=Sum("escorts"))
        .order_by("operation_id", "side", "service")
    )
    for r in rows:
        nl, en = SERVICES.get(r["service"], (r["service"], r["service"]))
        out[r["operation_id"]].append(
            {
                "side": r["side"] or None,
                "service": r["service"],
                "service_text": nl,
                "service_text_en": en,
                "escorts": int(r["n"]),
            }
        )
    return {i: out[i] for i in op_ids}


def optional(data: dict[str, Any]) -> tuple[int, str] | None:
    """Escorts a partner's seat request brings, if it names any: both fields or neither."""
    if data.get("escorts") is None and data.get("escort_service") is None:
        return None
    if data.get("escorts") is None or data.get("escort_service") is None:
        raise BadInputError(
            "escorts",
            "escorts and escort_service go together",
            "escorts (aantal begeleiders) en escort_service (dienst) horen bij elkaar",
        )
    return escorts(data.get("escorts")), service(data, "escort_service")
