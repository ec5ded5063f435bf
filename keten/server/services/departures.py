"""Recording how a person left: the "Vertrek vastleggen" form and ``POST
/api/v1/procedures/{id}/departure`` name the kind of departure (``how``), the destination and,
for a removal, whether it was escorted; this maps them onto the departure procedure's event and
its data (``keten.chain.departure_kinds``) and records it through ``commands.record_event``, so
the policy, scope, version, data and case checks and the audit record are the ones every event
gets."""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.chain.departure_kinds import DEPARTURE_KINDS, DepartureError, event_for
from keten.server.services import commands
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError
from keten.server.services.inputs import choice, text


def _escorted(data: dict[str, Any]) -> bool | None:
    value = data.get("escorted")
    if value in (True, "true", "on", "yes"):  # JSON, or a form's select or checkbox
        return True
    if value in (False, "false", "no"):
        return False
    if value in (None, ""):
        return None
    raise BadInputError("escorted", "must be true or false", "moet true of false zijn")


def record_departure(
    actor: Actor, procedure_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    how = choice(data, "how", DEPARTURE_KINDS)
    destination = text(data, "destination", required=False, max_len=3).upper() or None
    escorted = _escorted(data)
    if escorted is not None and how != "forced":
        raise BadInputError(
            "escorted",
            "is said of a removal (how: forced) only",
            "geldt alleen voor een uitzetting (how: forced)",
        )
    try:
        kind, extra = event_for(how, escorted, destination)
    except DepartureError as exc:
        raise BadInputError(exc.field, exc.rule, exc.rule_nl) from None
    # Named as the form names them: "how", "destination", "escorted" (not data.*).
    try:
        return commands.record_event(
            actor,
            procedure_id,
            {"kind": kind, "day": data.get("day"), "data": extra, "reason": data.get("reason")},
            expected,
            on,
        )
    except BadInputError as exc:
        if exc.field and exc.field.startswith("data.") and exc.rule is not None:
            # Anew, so that the messages name the field as the form does too.
            field = exc.field.removeprefix("data.")
            raise type(exc)(field, exc.rule, exc.rule_nl) from None
        raise
