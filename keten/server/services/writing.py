"""What every command does the same way: one transaction, the version it was based on checked
and raised, who recorded the row and why, the audit entry, an access grant written or
withdrawn. Used by the dossier's commands (``commands``, ``records``, ``corrections``) and the
taakstelling's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from keten.server.audit.log import Entry
from keten.server.dossiers.models import (
    AccessGrant,
    Handover,
    Measure,
    Person,
    Placement,
    Procedure,
)
from keten.server.organisations.models import Organisation
from keten.server.services import access
from keten.server.services.actor import Actor
from keten.server.services.errors import ConflictError
from keten.server.services.inputs import text, version
from keten.server.services.policy import grant_of
from keten.server.services.reads import person_json, procedure_row


def bump_person(actor: Actor, p: Person, expected: int | None) -> Person:
    expected = version(expected)
    updated = Person.objects.filter(pk=p.pk, version=expected).update(version=F("version") + 1)
    if not updated:
        current = Person.objects.get(pk=p.pk)
        raise ConflictError(
            f"person {p.pk} is at version {current.version}, not {expected}",
            current_version=current.version,
            current=person_json(current),
        )
    p.refresh_from_db()
    return p


def bump_procedure(proc: Procedure, expected: int | None, on: date) -> None:
    expected = version(expected)
    updated = Procedure.objects.filter(pk=proc.pk, version=expected).update(
        version=F("version") + 1
    )
    if not updated:
        current = Procedure.objects.get(pk=proc.pk)
        raise ConflictError(
            f"procedure {proc.pk} is at version {current.version}, not {expected}",
            current_version=current.version,
            current=procedure_row(current, on),
        )
    proc.version = expected + 1


def recorded(actor: Actor, reason: str) -> dict[str, str]:
    return {
        "recorded_by": actor.username,
        "recorded_org": actor.organisation,
        "recorded_role": actor.role.id,
        "reason": reason,
    }


def reason_of(data: dict[str, Any]) -> str:
    return text(data, "reason", max_len=2000)


def entry(name: str, resource: str, fields: tuple[str, ...], p: Person, ref: str = "") -> Entry:
    return Entry(name, "write", resource, fields, subjects=((p.pk, p.v_number),), object_ref=ref)


def grant(person: Person, org_code: str, reason: str, since: date) -> None:
    if not Organisation.objects.filter(code=org_code).exists():
        return
    AccessGrant.objects.get_or_create(
        person=person, organisation_id=org_code, defaults={"reason": reason, "since": since}
    )


def withdraw_unfounded(
    actor: Actor,
    p: Person,
    resource: str,
    record: Measure | Placement | Handover,
    reason: str,
    today: date,
    how: str = "ended",
) -> str | None:
    """Withdraw the access grant that the just-ended (or withdrawn, ``how``) record gave, when
    its organisation has no basis left (``access.founded``). Returns the organisation's code,
    or None when nothing was withdrawn. Runs inside the command's transaction, after the
    person's version was bumped, so a concurrent addition or hand-over cannot slip in between
    the check and the withdrawal (it conflicts on the version instead)."""
    if isinstance(record, Handover):
        org = record.to_org_id
    else:
        basis = grant_of(resource, record.kind, getattr(record, "municipality", None))
        if basis is None:
            return None
        org = basis[0]
    # The record no longer runs (its end day has come, or it was withdrawn): no basis itself.
    held = access.unfounded(today).filter(person=p, organisation_id=org).first()
    if held is None:
        return None
    why = f"{resource} {record.pk} ({record.kind}) {how} and {org} has no other basis: "
    access.withdraw(
        held,
        [access.Ended(resource, record.pk, record.kind, getattr(record, "end", None))],
        why + access.NO_BASIS,
        recorded(actor, reason),
    )
    return org


def atomic(fn: Callable[[], Any]) -> Any:
    with transaction.atomic():
        return fn()
