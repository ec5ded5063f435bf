"""The bodies of the return-cooperation messages to the Belgian partner (seed 000, point 3:
"uitwisseling van special flight programmatie en deelname aan elkaars special flights").
Pure payloads like ``coi_share``: the exchange signs, sends and logs them.

* ``return_operation_programme``: this side's planned special flights and identification
  missions that offer the partner seats, with the seats still free and the escorts this side
  provides (when it recorded any). Read on the other side into operations marked as received
  from the sender, with its escorts as the sender's (once per sender's id).
* ``return_operation_seats``: a request to take seats on the other side's operation, named
  by the other side's id, with the escorts the asking side brings if it names them. Read on
  the other side into a seat claim (and escort row), refused when fewer seats are free, taken
  once per request reference.

No person is named in either: seats are counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from keten.server.cooperation.models import JointOperation
from keten.server.services import return_escorts, share_body
from keten.server.services import return_operations as ops
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError, ContradictionError
from keten.server.services.policy import check

PROGRAMME = "return_operation_programme"
SEATS = "return_operation_seats"
VERSION = 1
OPERATION_KEYS = (
    "source_id",
    "kind",
    "destination",
    "day",
    "seats_offered",
    "seats_free",
    "escorts",  # only when the organiser recorded its own: [{service, escorts}]
)
MAX_OPERATIONS = 200
Escorts = list[tuple[int, str]]


def build_programme(actor: Actor, on: date) -> dict[str, Any]:
    """Own operations from ``on`` on that offer the partner seats, with the seats free."""
    rows = [
        r for r in ops.programme(actor, on) if r["received_from"] is None and r["seats_offered"] > 0
    ]
    out: list[dict[str, Any]] = []
    for r in rows:
        item = {
            "source_id": str(r["id"]),
            "kind": r["kind"],
            "destination": r["destination"],
            "day": r["day"],
            "seats_offered": r["seats_offered"],
            "seats_free": r["seats_free"],
        }
        own = [
            {"service": e["service"], "escorts": e["escorts"]}
            for e in r["escorts"]
            if e["side"] is None
        ]
        if own:
            item["escorts"] = own
        out.append(item)
    return {"kind": PROGRAMME, "version": VERSION, "operations": out}


def _escorts(item: dict[str, Any]) -> Escorts:
    """The organiser's escorts on a received operation: one entry per service."""
    raw = item.get("escorts", [])
    if not isinstance(raw, list) or len(raw) > len(return_escorts.SERVICES):
        raise BadInputError(
            "escorts",
            "must be a list of at most one entry per escort service",
            "moet een lijst zijn met ten hoogste één regel per begeleidingsdienst",
        )
    out: Escorts = []
    for entry in raw:
        if not isinstance(entry, dict) or set(entry) != {"service", "escorts"}:
            raise BadInputError(
                "escorts",
                "each entry carries service and escorts",
                "elke regel bevat service (dienst) en escorts (aantal begeleiders)",
            )
        out.append((return_escorts.escorts(entry.get("escorts")), return_escorts.service(entry)))
    if len({svc for _, svc in out}) < len(out):
        raise BadInputError(
            "escorts", "names a service twice", "noemt een begeleidingsdienst twee keer"
        )
    return out


def read_programme(body: Any) -> list[tuple[str, ops.OperationInput, Escorts]]:
    """A received programme: each operation checked as a planned one is, with the sender's
    id and the escorts it provides. The seats offered to this side are the seats still free
    there."""
    found = share_body.checked(body, PROGRAMME, VERSION, {"operations"})
    items = found.get("operations")
    if not isinstance(items, list) or len(items) > MAX_OPERATIONS:
        raise BadInputError(
            "operations",
            f"must be a list of at most {MAX_OPERATIONS} operations",
            f"moet een lijst van ten hoogste {MAX_OPERATIONS} operaties zijn",
        )
    out: list[tuple[str, ops.OperationInput, Escorts]] = []
    for item in items:
        if not isinstance(item, dict) or set(item) - set(OPERATION_KEYS):
            raise BadInputError(
                "operations",
                f"each operation carries only {', '.join(OPERATION_KEYS)}",
                f"elke operatie bevat alleen {', '.join(OPERATION_KEYS)}",
            )
        source = share_body.source_id(item, "operation", "de operatie")
        free = ops.seats(item.get("seats_free"), "seats_free")
        offered = ops.seats(item.get("seats_offered"), "seats_offered")
        if free > offered:
            raise BadInputError(
                "seats_free",
                "cannot exceed the seats offered",
                "kan niet meer zijn dan het aantal aangeboden plaatsen",
            )
        theirs = {k: v for k, v in item.items() if k != "escorts"}
        parsed = ops.operation_input({**theirs, "seats_offered": free, "note": ""})
        out.append((source, parsed, _escorts(item)))
    return out


def receive_programme(actor: Actor, body: Any, partner: str, reason: str) -> list[dict[str, Any]]:
    """Store the partner's operations not stored before, marked as received from it, with
    the escorts it provides on them as the partner's (once per operation and service)."""
    check(actor.role, ops.RESOURCE, "write")
    partner = ops.partner_code(partner)
    parsed = read_programme(body)
    stored: list[dict[str, Any]] = []
    with transaction.atomic():
        for source, found, escorts in parsed:
            op = JointOperation.objects.filter(received_from=partner, received_ref=source).first()
            if op is None:
                op = ops.store(actor, found, reason, received_from=partner, ref=source)
            for n, service in escorts:
                ref = f"programme:{service}"
                return_escorts.add(actor, op, partner, n, service, reason, request_ref=ref)
            stored.append(
                {
                    **ops.operation_json(op, ops.taken(op)),
                    "escorts": return_escorts.of([op.pk])[op.pk],
                }
            )
    return stored


def build_seat_request(
    actor: Actor, operation_id: int, seats: int, ref: str, escorts: tuple[int, str] | None = None
) -> dict[str, Any]:
    """Ask the partner for ``seats`` on its operation (one received in its programme), with
    the escorts this side brings for its persons (a count and a service) if it names them."""
    check(actor.role, ops.RESOURCE, "write")
    op = ops.get(operation_id)
    if not op.received_from:
        raise ContradictionError(
            "operation",
            f"operation {op.pk} is this organisation's own: seats are asked on a partner's",
            f"operatie {op.pk} is van de eigen organisatie: plaatsen vraagt u bij een partner",
        )
    n = ops.seats(seats, "seats", least=1)
    if not 0 < len(ref) <= 64:
        raise BadInputError("request_ref", "1 to 64 characters", "1 tot 64 tekens")
    body: dict[str, Any] = {
        "kind": SEATS,
        "version": VERSION,
        "operation": op.received_ref,
        "seats": n,
        "request_ref": ref,
    }
    if escorts is not None:
        body["escorts"], body["escort_service"] = escorts
    return body


def read_seat_request(body: Any) -> tuple[int, int, str, tuple[int, str] | None]:
    """The operation (this side's id), the seats asked, the request's reference and the
    escorts the partner brings (none when it names none)."""
    found = share_body.checked(
        body,
        SEATS,
        VERSION,
        {"operation", "seats", "request_ref", "escorts", "escort_service"},
    )
    raw = found.get("operation")
    if (
        not isinstance(raw, str)
        or not (raw.isascii() and raw.isdecimal() and len(raw) < 20)
        or not 0 < int(raw) < 2**63
    ):
        raise BadInputError(
            "operation",
            "must be this side's id of the operation",
            "moet het id van de operatie bij de ontvanger zijn",
        )
    ref = found.get("request_ref")
    if not isinstance(ref, str) or not 0 < len(ref) <= 64:
        raise BadInputError("request_ref", "1 to 64 characters", "1 tot 64 tekens")
    n = ops.seats(found.get("seats"), "seats", least=1)
    return int(raw), n, ref, return_escorts.optional(found)


def receive_seat_request(actor: Actor, body: Any, partner: str, reason: str) -> dict[str, Any]:
    """Give the partner the seats it asks on an own operation, or refuse (422) when fewer are
    free; the same request delivered again is taken once."""
    check(actor.role, ops.RESOURCE, "write")
    partner = ops.partner_code(partner)
    op_id, n, ref, escorts = read_seat_request(body)
    with transaction.atomic():
        op = ops.get(op_id)
        if op.received_from:
            raise ContradictionError(
                "operation",
                f"operation {op.pk} is not this organisation's own",
                f"operatie {op.pk} is niet van de eigen organisatie",
            )
        ops.claim(actor, op, partner, n, reason, ref)
        if escorts is not None:
            return_escorts.add(actor, op, partner, *escorts, reason, request_ref=ref)
        return {
            **ops.operation_json(op, ops.taken(op)),
            "escorts": return_escorts.of([op.pk])[op.pk],
        }
