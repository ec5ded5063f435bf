"""Rewriting the work-queue cache of stored procedures after the catalogue changed.

Each procedure's cache columns (main deadline, due date, status, dwangsom days; see
``keten.chain.summary``) are recomputed in the transaction of every event. A change to the
catalogue (a term, a new regime, which deadline is a procedure's main one) changes what those
columns should hold for procedures nobody touched since: the dossier, derived live, is already
right, but the queue and the dashboard read the columns. ``keten server refresh-cache`` runs
this after deploying such a change.

Nothing in a dossier changes: the events are the truth and stay as they are. The run leaves one
audit record per chunk that rewrote rows, naming the persons whose procedures it rewrote.

So that nobody has to remember to run it, the database keeps a fingerprint of what its cache
was computed from (:func:`cache_fingerprint`): ``keten server setup`` and ``keten demo`` refresh
when it differs from the running code's, and ``keten server run`` warns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from keten._data import data_path
from keten.catalog.derive import Event
from keten.catalog.loader import PROCEDURES_DIR, get_procedure
from keten.server.audit.log import Context, Entry, append
from keten.server.dossiers.models import CacheState, Procedure, ProcedureEvent
from keten.server.services.derived import cache_columns, priority_of
from keten.server.services.policy import policy
from keten.server.services.withdrawals import standing
from keten.time.dwangsom import PARAMS as DWANGSOM_PARAMS

SYSTEM_USER = "keten-cache"
SYSTEM_ORG = "keten"
SYSTEM_ROLE = "system"
PURPOSE = "urn:keten:verwerking:werkvoorraad:herberekening"

COLUMNS = (
    "queue",
    "team",
    "deadline_id",
    "due",
    "status",
    "closed_on",
    "regime",
    "started_on",
    "dwangsom_first_day",
    "dwangsom_last_day",
    "stage",
    "priority",
)


# Raise when the code that computes the cache columns (keten.chain.summary, services/derived.py)
# changes what they hold: the files below do not show such a change.
CACHE_FORMAT = 1
STATE_NAME = "procedure_cache"


@dataclass(frozen=True)
class Refreshed:
    examined: int
    rewritten: int


def _inputs() -> list[Path]:
    """The files the cache columns are computed from: the procedure types (terms, main
    deadline), the holidays that move a due date and the dwangsom regimes."""
    return [
        *sorted(PROCEDURES_DIR.glob("*.yaml")),
        data_path("calendar", "nl_holidays.yaml"),
        DWANGSOM_PARAMS,
    ]


def cache_fingerprint() -> str:
    digest = hashlib.sha256(f"cache-format {CACHE_FORMAT}\n".encode())
    for path in _inputs():
        digest.update(f"{path.name}\n".encode())
        digest.update(path.read_bytes())
    # Of the policy only the queues (which organisation's queue and team hold a type): a
    # change to who may read what must not recompute two million rows (10 min) for nothing.
    queues = sorted((t, list(q)) for t, q in policy().queues.items())
    digest.update(json.dumps(queues).encode())
    return digest.hexdigest()


def stored_fingerprint() -> str | None:
    state = CacheState.objects.filter(name=STATE_NAME).first()
    return state.fingerprint if state else None


def record_fingerprint() -> None:
    CacheState.objects.update_or_create(
        name=STATE_NAME, defaults={"fingerprint": cache_fingerprint()}
    )


def cache_is_current() -> bool:
    """Whether the stored cache was computed from this code's data (an empty database is)."""
    if not Procedure.objects.exists():
        return True
    return stored_fingerprint() == cache_fingerprint()


def refresh_cache(procedure_types: Iterable[str] = (), chunk: int = 2000) -> Refreshed:
    """Recompute the cache of every stored procedure (of ``procedure_types``, all when empty)
    and write the rows that differ, ``chunk`` procedures per transaction."""
    types = sorted(set(procedure_types))
    for pid in types:
        get_procedure(pid)  # an unknown type is refused before anything is read
    ctx = Context(SYSTEM_USER, SYSTEM_ORG, SYSTEM_ROLE, PURPOSE)
    examined = rewritten = 0
    after = 0
    while True:
        with transaction.atomic():
            # Locked as an event's transaction locks them: a write waits, then recomputes.
            rows = Procedure.objects.select_for_update(of=("self",)).filter(pk__gt=after)
            if types:
                rows = rows.filter(procedure_type__in=types)
            procs = list(rows.order_by("pk").select_related("person")[:chunk])
            if not procs:
                break
            after = procs[-1].pk
            examined += len(procs)
            changed = _recompute(procs)
            if changed:
                _write(changed)
                rewritten += len(changed)
                append(ctx, [_entry(changed)])
    if not types:  # every procedure now follows this code's data
        record_fingerprint()
    return Refreshed(examined, rewritten)


def _recompute(procs: list[Procedure]) -> list[Procedure]:
    events: dict[int, list[Event]] = {p.pk: [] for p in procs}
    rows = standing("event", ProcedureEvent.objects.filter(procedure_id__in=list(events)))
    for e in rows.order_by("day", "id"):
        events[e.procedure_id].append(Event(e.kind, e.day, e.data or {}))
    changed = []
    for proc in procs:
        fresh = cache_columns(proc, events[proc.pk])
        if fresh["started_on"] != proc.started_on:
            fresh["priority"] = int(priority_of(proc.person, fresh["started_on"]))
        if any(getattr(proc, k) != v for k, v in fresh.items()):
            for k, v in fresh.items():
                setattr(proc, k, v)
            changed.append(proc)
    return changed


def _write(changed: list[Procedure]) -> None:
    # One prepared UPDATE per row, sent together: Django's bulk_update built a CASE per
    # column per row in Python and spent 16 s of 17 on 2,000 rows (the recomputation 1 s).
    table = Procedure._meta.db_table
    sets = ", ".join(f"{c} = %s" for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {sets} WHERE id = %s",
            [[_param(getattr(p, c)) for c in COLUMNS] + [p.pk] for p in changed],
        )


def _param(value: Any) -> Any:
    if isinstance(value, date):  # as the backend stores a DateField (text on SQLite)
        return connection.ops.adapt_datefield_value(value)
    return value


def _entry(changed: list[Procedure]) -> Entry:
    subjects = tuple((p.person.pk, p.person.v_number) for p in changed if p.person is not None)
    return Entry(
        "procedure.cache_refresh",
        "write",
        "procedure",
        tuple(f"procedure.{c}" for c in ("deadline", "status", "due", "dwangsom")),
        subjects=subjects,
        object_ref=f"procedures:{changed[0].pk}-{changed[-1].pk}",
    )
