"""The body of a ``return_joint_request`` message: a joint request to a country of origin
proposed to the partner (seed 000 point 3, "identificatie en terugkeer"). A pure payload like
``coi_share``: the exchange signs, sends and logs it.

The partner agrees by taking the message over (``POST /api/v1/exchange/inbox/{id}/take-over``):
the request is stored there as received from the proposer, with the persons counted from the
receiver's side, and its steps "proposed" and "agreed". Taken once per proposer's id, however
often it arrives. No person is named: the request carries counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from keten.server.cooperation.models import JointRequest
from keten.server.services import joint_requests as jr
from keten.server.services import return_operations as ops
from keten.server.services import share_body
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError, ContradictionError
from keten.server.services.policy import check

KIND = "return_joint_request"
VERSION = 1
REQUEST_KEYS = (
    "source_id",
    "kind",
    "destination",
    "authority",
    "proposed_on",
    "persons_sender",
    "persons_receiver",
    "sources",
)


def build(actor: Actor, request_id: int, partner: str) -> dict[str, Any]:
    """The body proposing an own request to the partner it names."""
    check(actor.role, ops.RESOURCE, "write")
    req = jr.get(request_id)
    if req.received_from:
        raise ContradictionError(
            "request",
            f"request {req.pk} was proposed by {req.received_from}: it is not passed on",
            f"verzoek {req.pk} is voorgesteld door {req.received_from}: het wordt niet doorgegeven",
        )
    if req.partner != partner:
        raise ContradictionError(
            "partner",
            f"request {req.pk} is joint with {req.partner}, not {partner}",
            f"verzoek {req.pk} is gezamenlijk met {req.partner}, niet met {partner}",
        )
    return {
        "kind": KIND,
        "version": VERSION,
        "request": {
            "source_id": str(req.pk),
            "kind": req.kind,
            "destination": req.destination,
            "authority": req.authority,
            "proposed_on": req.proposed_on.isoformat(),
            "persons_sender": req.persons_own,
            "persons_receiver": req.persons_partner,
            "sources": req.sources,
        },
    }


def read(body: Any, sender: str) -> tuple[str, jr.RequestInput]:
    """The sender's id and the request as the receiver keeps it: joint with ``sender``, its
    own persons the ones the sender counted for the receiver."""
    found = share_body.checked(body, KIND, VERSION, ("request",), field="request")
    item = found.get("request")
    if not isinstance(item, dict):
        raise BadInputError("request", "must be an object", "moet een object zijn")
    share_body.extra(item, REQUEST_KEYS, "request", KIND, prefix="request.")
    source = share_body.source_id(item, "request", "het verzoek")
    theirs = {k: v for k, v in item.items() if k not in ("persons_sender", "persons_receiver")}
    parsed = jr.request_input(
        {
            **theirs,
            "partner": sender,
            "persons_own": item.get("persons_receiver"),
            "persons_partner": item.get("persons_sender"),
        }
    )
    return source, parsed


def receive(actor: Actor, body: Any, partner: str, reason: str) -> dict[str, Any]:
    """Agree to the partner's proposal: store it with its steps proposed and agreed (today),
    or return the one stored from an earlier message with the same sender's id."""
    check(actor.role, ops.RESOURCE, "write")
    partner = ops.partner_code(partner)
    source, found = read(body, partner)
    with transaction.atomic():
        req = JointRequest.objects.filter(received_from=partner, received_ref=source).first()
        if req is None:
            req = jr.store(actor, found, reason, received_from=partner, ref=source)
            jr.add_step(actor, req, jr.AGREED, date.today(), "", reason)
    return jr.request_json(req, jr.steps_of([req.pk])[req.pk])
