"""Appending to and verifying the hash-chained audit log.

Each record's hash is SHA-256 over the previous hash and the record's canonical JSON, so
changing, inserting or removing any row breaks every hash after it. Appends lock the single
``AuditHead`` row, which keeps the chain linear under concurrent requests; the caller's
transaction commits the records together with what they describe, so a read or write that is
not logged does not happen.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from keten import __version__
from keten.server.audit.models import AuditHead, AuditRecord

RESOURCE = f"keten-server/{__version__}"
GENESIS = "0" * 64
SUBJECT_ID_TYPE = "vreemdelingennummer"

# SQLite serialises writers itself; within one process this lock avoids two threads racing for
# the same sequence number before SQLite's lock is taken.
_local_lock = threading.Lock()

HASHED = (
    "seq",
    "trace_id",
    "span_id",
    "parent_span_id",
    "name",
    "status_code",
    "start_time",
    "end_time",
    "resource",
    "purpose",
    "subject_id",
    "subject_id_type",
    "person_id",
    "actor_user",
    "actor_org",
    "actor_role",
    "action",
    "policy_resource",
    "fields",
    "object_ref",
)


@dataclass(frozen=True)
class Entry:
    """One processing of one person's data (or of no person, e.g. reading the audit log)."""

    name: str
    action: str  # read | write
    policy_resource: str
    fields: tuple[str, ...] = ()
    person_id: int | None = None
    subject_id: str = ""
    object_ref: str = ""
    status_code: str = "OK"


@dataclass
class Context:
    """Who acts, for what purpose, in which trace (one per request)."""

    actor_user: str
    actor_org: str
    actor_role: str
    purpose: str
    trace_id: str = field(default_factory=lambda: secrets.token_hex(16))
    parent_span_id: str = ""
    started: datetime = field(default_factory=timezone.now)


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(row: dict[str, Any]) -> bytes:
    payload = {}
    for key in HASHED:
        value = row[key]
        if isinstance(value, datetime):
            value = _ts(value)
        elif key == "fields":
            value = list(value)
        payload[key] = value
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(prev: str, row: dict[str, Any]) -> str:
    return hashlib.sha256(prev.encode() + b"\n" + canonical(row)).hexdigest()


def append(ctx: Context, entries: Iterable[Entry]) -> list[int]:
    """Append records for ``entries``; must run inside the caller's transaction."""
    entries = list(entries)
    if not entries:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.append must run inside the transaction it describes")
    end = timezone.now()
    with _local_lock:
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            AuditHead.objects.create(id=1)
            head = AuditHead.objects.select_for_update().get(id=1)
        prev, seq = head.hash, head.seq
        rows = []
        for entry in entries:
            seq += 1
            row = {
                "seq": seq,
                "trace_id": ctx.trace_id,
                "span_id": secrets.token_hex(8),
                "parent_span_id": ctx.parent_span_id,
                "name": entry.name,
                "status_code": entry.status_code,
                "start_time": ctx.started,
                "end_time": end,
                "resource": RESOURCE,
                "purpose": ctx.purpose,
                "subject_id": entry.subject_id,
                "subject_id_type": SUBJECT_ID_TYPE if entry.subject_id else "",
                "person_id": entry.person_id,
                "actor_user": ctx.actor_user,
                "actor_org": ctx.actor_org,
                "actor_role": ctx.actor_role,
                "action": entry.action,
                "policy_resource": entry.policy_resource,
                "fields": sorted(entry.fields),
                "object_ref": entry.object_ref,
            }
            row["prev_hash"] = prev
            row["hash"] = prev = chain_hash(prev, row)
            rows.append(row)
        _insert(rows)
        AuditHead.objects.filter(id=1).update(seq=seq, hash=prev)
    return [r["seq"] for r in rows]


_COLUMNS = (*HASHED, "prev_hash", "hash")
_INSERT = f"INSERT INTO {AuditRecord._meta.db_table} ({', '.join(_COLUMNS)}) VALUES "
_ROW = f"({', '.join(['%s'] * len(_COLUMNS))})"
_BATCH = 500  # rows per statement, well under SQLite's limit on bound parameters


def _insert(rows: list[dict[str, Any]]) -> None:
    """One multi-row INSERT per batch: every page read writes tens of records, and the ORM's
    per-object machinery (or one round trip per row) cost more than the page itself
    (see benchmarks/server.py)."""
    if connection.vendor == "postgresql":
        _copy(rows)
        return
    ops = connection.ops
    with connection.cursor() as cursor:
        for first in range(0, len(rows), _BATCH):
            batch = rows[first : first + _BATCH]
            params: list[Any] = []
            for row in batch:
                for col in _COLUMNS:
                    value = row[col]
                    if col in ("start_time", "end_time"):
                        value = ops.adapt_datetimefield_value(value)
                    elif col == "fields":
                        value = json.dumps(value)
                    params.append(value)
            cursor.execute(_INSERT + ", ".join([_ROW] * len(batch)), params)


@dataclass(frozen=True)
class Breach:
    seq: int
    problem: str


def _stream() -> Iterator[dict[str, Any]]:
    columns = [*HASHED, "prev_hash", "hash"]
    qs = AuditRecord.objects.order_by("seq").values(*columns)
    yield from qs.iterator(chunk_size=5000)


def verify() -> tuple[int, list[Breach]]:
    """Walk the whole chain; return the number of records and every breach found."""
    breaches: list[Breach] = []
    prev, expected_seq, count = GENESIS, 1, 0
    for row in _stream():
        count += 1
        if row["seq"] != expected_seq:
            breaches.append(
                Breach(row["seq"], f"sequence gap: expected {expected_seq}, found {row['seq']}")
            )
        if row["prev_hash"] != prev:
            breaches.append(Breach(row["seq"], "prev_hash does not match the previous record"))
        if chain_hash(row["prev_hash"], row) != row["hash"]:
            breaches.append(Breach(row["seq"], "hash does not match the record's content"))
        prev, expected_seq = row["hash"], row["seq"] + 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != count or head.hash != prev) and count:
        breaches.append(
            Breach(head.seq, f"head ({head.seq}) does not match the last record ({count})")
        )
    return count, breaches


def _copy(rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY the rows in (no SQL text to build or parse for tens of rows)."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(
            f"COPY {AuditRecord._meta.db_table} ({', '.join(_COLUMNS)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c]) if c == "fields" else row[c] for c in _COLUMNS])
