"""Refusals in the audit log: every read or write of personal data that the policy refused (403)
or that asked for a person or procedure outside the actor's scope (404) leaves a record with the
actor, the purpose, what was asked and whom it concerned, status ERROR.

A refusal is where probing shows: someone trying V-numbers, a role walking ids it has no
grant for. The answer to the caller stays what it was (a 404 still reveals nothing); the record
is for the privacy officer, who sees refusals apart from the rest (``reads.audit_log``).

Called where a refusal leaves the server: the API's exception handler and the interface's
error pages, after the refused command's transaction has rolled back, so the record is written
on its own and survives the refusal.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from keten.server.audit.log import Context, Entry, Subject, append
from keten.server.dossiers.models import Decision, Person, Procedure
from keten.server.services.actor import actor_for
from keten.server.services.bounds import MAX_ID
from keten.server.services.errors import ForbiddenError, NotFoundError, ServiceError

log = logging.getLogger("keten.server.refusals")

# Who asked, when no role can be read from the account (no membership, a role not in the
# policy): the account's name with this purpose, so the attempt still shows.
UNKNOWN_PURPOSE = "urn:keten:verwerking:onbekend"
# Which policy resource a refused lookup concerned, by the field the refusal names.
RESOURCE_OF_FIELD = {"person": "identity", "procedure": "procedure", "decision": "decision"}


def is_refusal(exc: BaseException) -> bool:
    return isinstance(exc, ForbiddenError | NotFoundError)


def record(
    user: Any,
    headers: Any,
    method: str,
    path: str,
    ids: Mapping[str, Any],
    exc: ServiceError,
) -> None:
    """Append the refusal's audit record. Never raises: a refusal that cannot be logged is
    logged as an error, and the caller still gets its answer."""
    if not is_refusal(exc):
        return
    try:
        append(_context(user, headers), [_entry(method, path, ids, exc)])
    except Exception:  # the refusal stands whatever happens to its record
        log.exception("could not audit the refusal of %s %s", method, path)


def _context(user: Any, headers: Any) -> Context:
    try:
        return actor_for(user, headers).audit
    except ForbiddenError:
        membership = getattr(user, "membership", None)
        return Context(
            actor_user=user.get_username(),
            actor_org=membership.organisation_id if membership is not None else "",
            actor_role=membership.role if membership is not None else "",
            purpose=UNKNOWN_PURPOSE,
        )


def _entry(method: str, path: str, ids: Mapping[str, Any], exc: ServiceError) -> Entry:
    field = exc.field or ""
    resource = RESOURCE_OF_FIELD.get(field, field)
    kind = "forbidden" if isinstance(exc, ForbiddenError) else "not-found"
    return Entry(
        name=f"refused.{kind}",
        action="read" if method in ("GET", "HEAD") else "write",
        policy_resource=resource[:32],
        fields=(f"{method} {path}"[:200],),
        subjects=subjects_asked(ids),
        object_ref=_ref(ids),
        status_code="ERROR",
    )


def _ref(ids: Mapping[str, Any]) -> str:
    for name in ("procedure_id", "decision_id", "record_id", "person_id"):
        value = ids.get(name)
        if isinstance(value, int):
            return f"{name.removesuffix('_id')}:{value}"
    return ""


def subjects_asked(ids: Mapping[str, Any]) -> tuple[Subject, ...]:
    """Whom a refused request concerned, from the ids in its path: the person asked for, or
    the person whose procedure or decision it was. A person that exists is named by V-number
    (the log's subject id, so a V-number lookup finds the attempt); one that does not, by the
    id asked."""
    person_id = _id(ids.get("person_id"))
    procedure_id = _id(ids.get("procedure_id"))
    decision_id = _id(ids.get("decision_id"))
    if person_id is None and procedure_id is not None:
        person_id = (
            Procedure.objects.filter(pk=procedure_id).values_list("person_id", flat=True).first()
        )
    if person_id is None and decision_id is not None:
        person_id = (
            Decision.objects.filter(pk=decision_id)
            .values_list("procedure__person_id", flat=True)
            .first()
        )
    if person_id is None:
        return ()
    v_number = Person.objects.filter(pk=person_id).values_list("v_number", flat=True).first()
    return ((person_id, v_number or ""),)


def _id(value: Any) -> int | None:
    return value if isinstance(value, int) and 0 < value <= MAX_ID else None
