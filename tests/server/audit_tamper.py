"""What the audit-witness tests do to a database from outside, run as its own process:
``python -m tests.server.audit_tamper ACTION [ARG …]`` with the environment selecting it.

``read N``: N dossier reads through the real service layer (each appends one audit record).
``rewrite LANE SEQ``, ``truncate LANE KEEP``, ``drop LANE``: what someone with the power to
drop the append-only trigger can do with plain SQL, leaving every lane consistent with
itself, so that only the witnessed checkpoints can tell. ``checkpoints N``: write N
checkpoints as fast as possible (run several at once to race for the witness).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

RECORDS, HEADS = "audit_auditrecord", "audit_audithead"


def _django() -> None:
    from keten.server.setup import django_setup

    django_setup()


def read(times: int) -> None:
    from django.contrib.auth.models import User

    from keten.server.dossiers.models import Person
    from keten.server.services import reads
    from keten.server.services.actor import actor_for

    actor = actor_for(User.objects.get(username="ind"))
    persons = list(Person.objects.values_list("pk", flat=True))
    for i in range(times):
        reads.get_person(actor, persons[i % len(persons)])


def _execute(sql: str, params: list[Any] | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _unprotect() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        _execute(f"DROP TRIGGER {RECORDS}_append_only ON {RECORDS}")
    else:
        _execute(f"DROP TRIGGER {RECORDS}_no_update")
        _execute(f"DROP TRIGGER {RECORDS}_no_delete")


def rewrite(lane: int, seq: int) -> None:
    """Put another name on record ``seq`` and recompute its hash, every later hash and the
    head: the lane verifies against itself."""
    from keten.server.audit.log import _RECORD_COLUMNS, chain_hash
    from keten.server.audit.models import AuditRecord

    rows = list(
        AuditRecord.objects.filter(lane=lane, lane_seq__gte=seq)
        .order_by("lane_seq")
        .values(*_RECORD_COLUMNS)
    )
    assert rows and rows[0]["lane_seq"] == seq, f"no record {seq} in lane {lane}"
    _unprotect()
    rows[0]["actor_user"] = "someone-else"
    prev = rows[0]["prev_hash"]
    for row in rows:
        row["prev_hash"], row["hash"] = prev, chain_hash(prev, row)
        prev = row["hash"]
        _execute(
            f"UPDATE {RECORDS} SET actor_user = %s, prev_hash = %s, hash = %s "
            "WHERE lane = %s AND lane_seq = %s",
            [row["actor_user"], row["prev_hash"], row["hash"], lane, row["lane_seq"]],
        )
    _execute(f"UPDATE {HEADS} SET hash = %s WHERE id = %s", [prev, lane])


def truncate(lane: int, keep: int) -> None:
    """Delete the lane's records after ``keep`` and move its head back to that record."""
    from keten.server.audit.models import AuditRecord

    kept = AuditRecord.objects.get(lane=lane, lane_seq=keep).hash
    _unprotect()
    _execute(f"DELETE FROM {RECORDS} WHERE lane = %s AND lane_seq > %s", [lane, keep])
    _execute(f"UPDATE {HEADS} SET seq = %s, hash = %s WHERE id = %s", [keep, kept, lane])


def drop(lane: int) -> None:
    """Delete every record of the lane and its head row."""
    _unprotect()
    _execute(f"DELETE FROM {RECORDS} WHERE lane = %s", [lane])
    _execute(f"DELETE FROM {HEADS} WHERE id = %s", [lane])


def checkpoints(times: int) -> None:
    from keten.server.audit.witness import write_checkpoint

    for _ in range(times):
        write_checkpoint()


def main(argv: list[str]) -> None:
    action, *args = argv
    numbers = [int(a) for a in args]
    _django()
    actions: dict[str, Callable[..., None]] = {
        "read": read,
        "rewrite": rewrite,
        "truncate": truncate,
        "drop": drop,
        "checkpoints": checkpoints,
    }
    actions[action](*numbers)
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1:])
