"""The audit log as the privacy officer reads it: by person (V-number or id), by user, refusals
apart, newest or oldest first, a page or a CSV export. Reading the log is itself logged: looking
up whose data was processed is a processing of that person's data."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from keten.server.audit.log import SUBJECT_ID_TYPE, Entry, about, append
from keten.server.audit.models import AuditRecord
from keten.server.dossiers.models import Person
from keten.server.services.actor import Actor
from keten.server.services.bounds import MAX_ID, whole_number
from keten.server.services.errors import BadInputError
from keten.server.services.policy import check

# Refused requests, failed logins, identifier probes: everything not answered as asked.
REFUSED = "ERROR"
MAX_EXPORT = 50_000  # rows in one CSV export: a year of one person, a day of the whole chain


@dataclass(frozen=True)
class AuditQuery:
    person_id: int | None = None
    v_number: str = ""
    actor_user: str = ""
    refused: bool = False  # only records whose status is ERROR
    newest_first: bool = False
    after: int = 0  # oldest first: records after this seq
    before: int = 0  # newest first: records before this seq (0: from the newest)


def audit_query(params: Mapping[str, str]) -> AuditQuery:
    """The query a page's or the API's parameters ask for (both read the same names)."""
    person = params.get("person_id") or ""
    order = params.get("order") or "oldest"
    if order not in ("oldest", "newest"):
        raise BadInputError("order", "must be oldest or newest", "moet oldest of newest zijn")
    return AuditQuery(
        person_id=whole_number(person, "person_id") if person else None,
        v_number=(params.get("v_number") or "").strip(),
        actor_user=(params.get("actor_user") or "").strip(),
        refused=(params.get("refused") or "").lower() in ("1", "true", "on"),
        newest_first=order == "newest",
        after=_seq(params, "after"),
        before=_seq(params, "before"),
    )


def _seq(params: Mapping[str, str], name: str) -> int:
    raw = params.get(name) or ""
    return whole_number(raw, name, low=0, high=MAX_ID) if raw else 0


def _subject(query: AuditQuery) -> tuple[int | None, str] | None:
    """The person the query asks about, as (id, V-number): the V-number looked up when only
    the id is given, the id when only the V-number is (None when no such person exists)."""
    if query.v_number:
        pid = Person.objects.filter(v_number=query.v_number).values_list("pk", flat=True).first()
        return pid, query.v_number
    if query.person_id is not None:
        v = Person.objects.filter(pk=query.person_id).values_list("v_number", flat=True).first()
        return query.person_id, v or ""
    return None


def _records(query: AuditQuery, subject: tuple[int | None, str] | None) -> QuerySet[AuditRecord]:
    qs = AuditRecord.objects.all()
    if subject is not None:
        # Records name a person by id and V-number; a V-number nobody holds names no record.
        qs = about(qs, subject[0]) if subject[0] is not None else qs.none()
    if query.actor_user:
        qs = qs.filter(actor_user=query.actor_user)
    if query.refused:
        qs = qs.filter(status_code=REFUSED)
    if query.newest_first:
        if query.before:
            qs = qs.filter(seq__lt=query.before)
        return qs.order_by("-seq")
    return qs.filter(seq__gt=query.after).order_by("seq")


def _log_query(
    actor: Actor, query: AuditQuery, subject: tuple[int | None, str] | None, how: str
) -> None:
    append(
        actor.audit,
        [
            Entry(
                "audit.query",
                "read",
                "audit",
                ("audit_log",),
                subjects=(subject,) if subject is not None else (),
                object_ref=how[:64],
            )
        ],
    )


def audit_log(actor: Actor, query: AuditQuery, limit: int = 100) -> dict[str, Any]:
    check(actor.role, "audit", "read")
    if not 1 <= limit <= 1000:
        raise BadInputError("limit", "must be between 1 and 1000", "moet tussen 1 en 1000 liggen")
    with transaction.atomic():
        subject = _subject(query)
        rows = list(_records(query, subject)[:limit])
        how = f"before:{query.before}" if query.newest_first else f"after:{query.after}"
        _log_query(actor, query, subject, how)
    full = len(rows) == limit
    return {
        "results": [record_json(r) for r in rows],
        "next_after": rows[-1].seq if full and not query.newest_first else None,
        "next_before": rows[-1].seq if full and query.newest_first else None,
    }


def export(actor: Actor, query: AuditQuery) -> Iterator[dict[str, Any]]:
    """Every record the query finds (at most ``MAX_EXPORT``), newest first, for a CSV file; the
    export is logged before the first row leaves."""
    check(actor.role, "audit", "read")
    with transaction.atomic():
        subject = _subject(query)
        _log_query(actor, query, subject, "export")
    wanted = AuditQuery(
        query.person_id, query.v_number, query.actor_user, query.refused, newest_first=True
    )
    for r in _records(wanted, subject)[:MAX_EXPORT].iterator(chunk_size=2000):
        yield record_json(r)


def record_json(r: AuditRecord) -> dict[str, Any]:
    return {
        "seq": r.seq,
        "lane": r.lane,
        "lane_seq": r.lane_seq,
        "trace_id": r.trace_id,
        "span_id": r.span_id,
        "name": r.name,
        "status_code": r.status_code,
        "start_time": r.start_time.isoformat(),
        "end_time": r.end_time.isoformat(),
        "resource": r.resource,
        "dpl.core.processing_activity_id": r.purpose,
        "subjects": [
            {
                "person_id": pid,
                "dpl.core.data_subject_id": sid,
                "dpl.core.data_subject_id_type": SUBJECT_ID_TYPE if sid else "",
            }
            for pid, sid in r.subjects
        ],
        "actor_user": r.actor_user,
        "actor_org": r.actor_org,
        "actor_role": r.actor_role,
        "action": r.action,
        "policy_resource": r.policy_resource,
        "fields": r.fields,
        "object_ref": r.object_ref,
        "hash": r.hash,
    }
