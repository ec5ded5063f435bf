"""Appending to and verifying the hash-chained audit log.

A record's hash is SHA-256 over the previous hash of its lane and the record's canonical JSON
(its subjects included), so changing, inserting, reordering or removing any row breaks every
hash after it in that lane. The position in the lane (``lane``, ``lane_seq``) is not in the
canonical form: the chain of hashes fixes the order, and leaving it out lets the database
place the record. An append takes a lane no other transaction holds (``FOR UPDATE SKIP
LOCKED``; one lane for the whole log made every request queue behind one lock) and is one
statement, so it is atomic on its own: a read is logged before its answer leaves the
server, or the request fails; a write's records commit with the write's transaction.

On PostgreSQL the statement is ``keten_audit_append`` (migrations 0004, 0005): Python computes
each record's canonical form and sends only that; the database claims the lane, chains the
hashes and inserts the columns read from the canonical form, in one round trip. Elsewhere
(SQLite, for demos and local tests) the same steps run here.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import psycopg
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from keten import __version__
from keten.server.audit.models import GENESIS, AuditHead, AuditRecord

RESOURCE = f"keten-server/{__version__}"
SUBJECT_ID_TYPE = "vreemdelingennummer"
LEGACY_LANE = 0  # records written before lanes, hashed in their original form

# SQLite serialises writers itself; within one process this lock avoids two threads racing for
# the same sequence number before SQLite's lock is taken. It is taken inside the transaction,
# never around its start: a read waiting at BEGIN while holding it would block a write that
# already holds SQLite's lock and needs it to append.
_local_lock = threading.Lock()

HASHED = (
    "trace_id",
    "span_id",
    "parent_span_id",
    "name",
    "status_code",
    "start_time",
    "end_time",
    "resource",
    "purpose",
    "actor_user",
    "actor_org",
    "actor_role",
    "action",
    "policy_resource",
    "fields",
    "object_ref",
    "subjects",
)
_RECORD_COLUMNS = ("lane", "lane_seq", *HASHED, "prev_hash", "hash")
_JSON_COLUMNS = ("fields", "subjects")

Subject = tuple[int | None, str]  # (person id, V-number)


@dataclass(frozen=True)
class Entry:
    """One processing operation, on the persons in ``subjects`` (none, e.g. reading the audit
    log without a person filter; fifty for a work-queue page)."""

    name: str
    action: str  # read | write
    policy_resource: str
    fields: tuple[str, ...] = ()
    subjects: tuple[Subject, ...] = ()
    object_ref: str = ""
    status_code: str = "OK"

    def __post_init__(self) -> None:
        object.__setattr__(self, "object_ref", fit_object_ref(self.object_ref))


OBJECT_REF_MAX = 64  # AuditRecord.object_ref


def fit_object_ref(ref: str) -> str:
    """``ref`` as it fits the record's column: whole when it fits; else its start and a
    digest of the whole. PostgreSQL refuses a longer value (SQLite would store it), and a
    reference merely cut short could name another object (a queue export's filter); the
    digest lets an auditor check which full reference it was."""
    if len(ref) <= OBJECT_REF_MAX:
        return ref
    digest = hashlib.sha256(ref.encode("utf-8")).hexdigest()[:16]
    return f"{ref[: OBJECT_REF_MAX - len(digest) - 1]}~{digest}"


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


def _dumps(payload: dict[str, Any]) -> bytes:
    # Byte for byte what json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # gave in UTF-8, which hashed the log's first records (tests/server/test_audit.py holds
    # the two equal); orjson writes it in a tenth of the time.
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


def canonical(row: dict[str, Any]) -> bytes:
    payload: dict[str, Any] = {}
    for key in HASHED:
        value = row[key]
        if isinstance(value, datetime):
            value = _ts(value)
        elif key in ("fields", "subjects"):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        payload[key] = value
    return _dumps(payload)


def _canonical_legacy(row: dict[str, Any]) -> bytes:
    """The form records of lane 0 were hashed in: one subject at most, and the global
    sequence number where lanes now have ``lane_seq``."""
    person_id, subject_id = row["subjects"][0] if row["subjects"] else (None, "")
    payload = {
        key: row[key]
        for key in HASHED
        if key not in ("subjects", "start_time", "end_time", "fields")
    }
    payload.update(
        seq=row["lane_seq"],
        start_time=_ts(row["start_time"]),
        end_time=_ts(row["end_time"]),
        fields=list(row["fields"]),
        person_id=person_id,
        subject_id=subject_id,
        subject_id_type=SUBJECT_ID_TYPE if subject_id else "",
    )
    return _dumps(payload)


def chain_hash(prev: str, row: dict[str, Any]) -> str:
    form = _canonical_legacy if row["lane"] == LEGACY_LANE else canonical
    return _link(prev, form(row))


def _link(prev: str, canonical_form: bytes) -> str:
    # keten_audit_append (migration 0004) computes the same in SQL; verify() checks both.
    return hashlib.sha256(prev.encode() + b"\n" + canonical_form).hexdigest()


def append(ctx: Context, entries: Iterable[Entry]) -> None:
    """Append one record per entry, atomically: inside the caller's transaction when there is
    one (a write), on its own otherwise (a read, logged before its answer is returned)."""
    entries = list(entries)
    if not entries:
        return
    end = timezone.now()
    rows = [
        {
            "trace_id": ctx.trace_id,
            "span_id": secrets.token_hex(8),
            "parent_span_id": ctx.parent_span_id,
            "name": entry.name,
            "status_code": entry.status_code,
            "start_time": ctx.started,
            "end_time": end,
            "resource": RESOURCE,
            "purpose": ctx.purpose,
            "actor_user": ctx.actor_user,
            "actor_org": ctx.actor_org,
            "actor_role": ctx.actor_role,
            "action": entry.action,
            "policy_resource": entry.policy_resource,
            "fields": sorted(entry.fields),
            "object_ref": entry.object_ref,
            # a page listing two procedures of one person read that person once
            "subjects": [[pid, sid] for pid, sid in dict.fromkeys(entry.subjects)],
        }
        for entry in entries
    ]
    if connection.vendor == "postgresql":
        _append_postgres(rows)
    else:
        with transaction.atomic(), _local_lock:
            _append_portable(rows)


def _append_postgres(rows: list[dict[str, Any]]) -> None:
    # One per line (migration 0005): compact JSON holds no raw line break.
    canonicals = "\n".join(canonical(row).decode() for row in rows)
    # psycopg's own cursor on Django's connection (so in the caller's transaction, if any):
    # bound on the server and prepared once, where Django's cursor would quote the records
    # into the statement's text and have PostgreSQL parse them anew.
    connection.ensure_connection()
    with psycopg.RawCursor(connection.connection) as cursor:
        cursor.execute("SELECT keten_audit_append($1::text)", [canonicals], prepare=True)


_HEAD = AuditHead._meta.db_table
_RECORDS = AuditRecord._meta.db_table


def _append_portable(rows: list[dict[str, Any]]) -> None:
    """The steps of keten_audit_append, for databases with one writer at a time."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, seq, hash FROM {_HEAD} WHERE id > %s ORDER BY id", [0])
        head = cursor.fetchone()
        if head is None:
            raise RuntimeError("the audit log has no lanes: run the migrations")
        lane, seq, prev = int(head[0]), int(head[1]), str(head[2])
        for row in rows:
            seq += 1
            row.update(lane=lane, lane_seq=seq, prev_hash=prev)
            row["hash"] = prev = chain_hash(prev, row)
        record_row = f"({', '.join(['%s'] * len(_RECORD_COLUMNS))})"
        for first in range(0, len(rows), _BATCH):
            batch = rows[first : first + _BATCH]
            cursor.execute(
                f"INSERT INTO {_RECORDS} ({', '.join(_RECORD_COLUMNS)}) VALUES "
                + ", ".join([record_row] * len(batch)),
                [p for row in batch for p in _record_params(row)],
            )
        cursor.execute(f"UPDATE {_HEAD} SET seq = %s, hash = %s WHERE id = %s", [seq, prev, lane])


_BATCH = 500  # rows per statement, well under SQLite's limit on bound parameters


def _record_params(row: dict[str, Any]) -> list[Any]:
    out = []
    for col in _RECORD_COLUMNS:
        value = row[col]
        if col in _JSON_COLUMNS:
            value = json.dumps(value)
        elif col in ("start_time", "end_time"):
            value = connection.ops.adapt_datetimefield_value(value)
        out.append(value)
    return out


def about(records: QuerySet[AuditRecord], person_id: int) -> QuerySet[AuditRecord]:
    """The records among ``records`` whose operation touched the person ``person_id``."""
    if connection.vendor == "postgresql":  # the GIN index on subjects (migration 0003)
        return records.filter(subjects__contains=[[person_id]])
    return records.extra(  # SQLite, for demos: a scan
        where=[
            f"EXISTS (SELECT 1 FROM json_each({_RECORDS}.subjects) "
            "WHERE json_extract(json_each.value, '$[0]') = %s)"
        ],
        params=[person_id],
    )


@dataclass(frozen=True)
class Breach:
    lane: int
    lane_seq: int
    problem: str

    def __str__(self) -> str:
        return f"lane {self.lane}, record {self.lane_seq}: {self.problem}"


_CHUNK = 5000


def _lane_records(lane: int) -> Iterator[dict[str, Any]]:
    after = 0
    while True:
        chunk = list(
            AuditRecord.objects.filter(lane=lane, lane_seq__gt=after)
            .order_by("lane_seq")
            .values(*_RECORD_COLUMNS)[:_CHUNK]
        )
        if not chunk:
            return
        yield from chunk
        after = chunk[-1]["lane_seq"]


@dataclass(frozen=True)
class Witnessed:
    """A record's hash as a signed checkpoint outside the database saw it
    (``keten.server.audit.witnessed``); ``where`` names that checkpoint in a breach."""

    hash: str
    where: str


def verify(
    witnessed: Mapping[int, Mapping[int, Witnessed]] | None = None,
) -> tuple[int, list[Breach]]:
    """Walk every lane; return the number of records and every breach found.

    Every lane is checked against itself. ``witnessed`` (lane -> lane_seq -> hash seen by a
    checkpoint) adds what the chain alone cannot: someone who can write the database can
    alter a record and recompute every later hash and the head, cut a lane's tail and move
    its head back, or drop a lane with its head, and the chain still holds. A witnessed
    record is checked in the same walk, so the witness costs no second pass over the log."""
    breaches: list[Breach] = []
    witnessed = witnessed or {}
    heads = {h.id: h for h in AuditHead.objects.all()}
    lanes = sorted(
        set(heads)
        | set(AuditRecord.objects.values_list("lane", flat=True).distinct())
        | set(witnessed)
    )
    count = 0
    for lane in lanes:
        prev, expected, last = GENESIS, 1, 0
        against = _AgainstWitness(lane, witnessed.get(lane, {}))
        for row in _lane_records(lane):
            count += 1
            seq = row["lane_seq"]
            if seq != expected:
                breaches.append(Breach(lane, seq, f"sequence gap: expected {expected}"))
            if row["prev_hash"] != prev:
                breaches.append(Breach(lane, seq, "prev_hash does not match the previous record"))
            if chain_hash(row["prev_hash"], row) != row["hash"]:
                breaches.append(Breach(lane, seq, "hash does not match the record's content"))
            breaches.extend(against.meet(seq, row["hash"]))
            prev, expected, last = row["hash"], seq + 1, seq
        head = heads.get(lane)
        breaches.extend(against.missing(last, head is not None))
        if head is None:
            if last:
                breaches.append(Breach(lane, last, "records without a head row for their lane"))
        elif head.seq != last or head.hash != prev:
            breaches.append(
                Breach(lane, head.seq, f"head ({head.seq}) does not match the last record ({last})")
            )
    return count, breaches


class _AgainstWitness:
    """One lane's walk compared with the records its checkpoints witnessed."""

    def __init__(self, lane: int, seen: Mapping[int, Witnessed]) -> None:
        self.lane, self.seen = lane, seen
        self.met: set[int] = set()
        self.matched = 0  # the last witnessed record found as witnessed

    def meet(self, seq: int, hash_: str) -> list[Breach]:
        point = self.seen.get(seq)
        if point is None:
            return []
        self.met.add(seq)
        if point.hash == hash_:
            self.matched = seq
            return []
        # A hash commits to every record before it: the rewrite lies after the last
        # witnessed record that still matches, and at or before this one.
        span = (
            f"a record from {self.matched + 1} to {seq} was" if self.matched + 1 < seq else "it was"
        )
        return [
            Breach(
                self.lane,
                seq,
                f"hash differs from the one witnessed by {point.where}: {span} rewritten",
            )
        ]

    def missing(self, last: int, has_head: bool) -> list[Breach]:
        """Witnessed records the walk did not meet: a lane dropped, a tail cut, a record gone."""
        if not self.seen:
            return []
        lane, seen, top = self.lane, self.seen, max(self.seen)
        if not has_head and not last:
            return [
                Breach(
                    lane,
                    top,
                    f"lane dropped: witnessed at record {top} by {seen[top].where}, now "
                    "without records or head row",
                )
            ]
        breaches = [
            Breach(lane, seq, f"witnessed by {seen[seq].where} but gone")
            for seq in sorted(seen)
            if 0 < seq < last and seq not in self.met
        ]
        if top > last:
            breaches.append(
                Breach(
                    lane,
                    top,
                    f"witnessed by {seen[top].where} but gone: the lane now ends at record "
                    f"{last} (its tail was cut and its head moved back)",
                )
            )
        return breaches
