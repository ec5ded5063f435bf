"""Signed checkpoints of the audit log's heads, written outside the database.

A hash chain checked only against itself proves nothing against whoever can write the
database: they can alter a record and recompute every later hash and the head, cut a lane's
tail and move its head back, or drop a lane with its head. As in Certificate Transparency and
Trillian, the heads are therefore signed and handed to a witness the database does not hold:
a *checkpoint* records every lane's head (seq, hash) at one moment, signed with an Ed25519 key
kept in a file (``keys.py``), and is appended to the witness. ``witnessed.py`` checks the
database against them.

One checkpoint is one JSON line::

    {"at": UTC time, "key_id": ..., "heads": {"<lane>": [seq, hash], ...},
     "prev": SHA-256 of the previous line (64 zeros for the first), "sig": base64 Ed25519}

``sig`` signs the canonical JSON (sorted keys, compact) of the other fields; ``prev`` links
the lines, so a line edited or removed from the middle of the witness breaks the next one.

Where checkpoints go (``Places``):

- the witness file, ``KETEN_AUDIT_WITNESS`` (default ``<VAR_DIR>/audit/witness.jsonl``),
  always: each line's ``prev`` is the hash of the line before it, and a program's standard
  input answers nothing back, so the server keeps its own copy to chain from; it is also what
  ``keten audit verify`` reads by default;
- and, when ``KETEN_AUDIT_WITNESS_EXEC`` names a program (split like a shell would, run
  without one), that program too, one line on its standard input per checkpoint: how a
  deployment sends the heads to a remote append-only log, syslog or a transparency log that
  the database's administrator cannot rewrite. A non-zero exit is an error, and the line is
  then not written to the file either, so the file and the remote log hold the same lines.

Who writes: ``keten server setup`` (and so ``keten demo``) once it is done, ``keten audit
witness`` (for cron), ``keten audit new-key`` with the new key at once, and every serving
process every ``KETEN_AUDIT_WITNESS_SECONDS`` (default 60; 0 turns it off) from a daemon thread
(``start_periodic``, started by ``keten.server.wsgi``). Writers in several processes take an
exclusive lock on the witness file, so lines never interleave and each chains from the last.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import logging
import os
import shlex
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from keten.server.audit import keys
from keten.server.audit.models import AuditHead

FIRST_PREV = "0" * 64
EXEC_TIMEOUT = 30  # seconds a witness program may take before the checkpoint counts as failed
log = logging.getLogger(__name__)


class WitnessError(Exception):
    """A checkpoint could not be written: no key, the file or the witness program failed."""


@dataclass(frozen=True)
class Places:
    signing_key: Path
    keys_dir: Path
    witness: Path
    command: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> Places:
        audit = Path(settings.VAR_DIR) / "audit"
        env = os.environ.get
        return cls(
            signing_key=Path(env("KETEN_AUDIT_SIGNING_KEY") or audit / "signing.key"),
            keys_dir=Path(env("KETEN_AUDIT_KEYS") or audit / "keys"),
            witness=Path(env("KETEN_AUDIT_WITNESS") or audit / "witness.jsonl"),
            command=tuple(shlex.split(env("KETEN_AUDIT_WITNESS_EXEC") or "")),
        )


def canonical(fields: dict[str, Any]) -> bytes:
    """What is signed, and the form each line is written in."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def read_heads() -> dict[str, list[int | str]]:
    """Every lane's head, in one statement: a committed state in which each head is the last
    record of its lane (an append moves the head in the transaction that adds the records)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, seq, hash FROM {AuditHead._meta.db_table} ORDER BY id")
        return {str(lane): [int(seq), str(hash_)] for lane, seq, hash_ in cursor.fetchall()}


def ensure_key(places: Places) -> tuple[str, bool]:
    """The signing key's id, creating the key when there is none; ``True`` if created."""
    path = places.signing_key
    created = not path.exists()
    private = keys.generate(path) if created else keys.load_private(path)
    return keys.store_public(places.keys_dir, private.public_key()), created


def new_key(places: Places) -> tuple[str, str | None]:
    """Replace the signing key; (new key id, old key id). The old public key stays in the
    keys directory, so checkpoints it signed still verify."""
    old = None
    if places.signing_key.exists():
        old = keys.store_public(places.keys_dir, keys.load_private(places.signing_key).public_key())
    private = keys.generate(places.signing_key)
    return keys.store_public(places.keys_dir, private.public_key()), old


@dataclass(frozen=True)
class Written:
    """A checkpoint as written."""

    at: str
    key_id: str
    heads: dict[str, list[int | str]]
    witness: Path

    @property
    def records(self) -> int:
        return sum(int(seq) for seq, _ in self.heads.values())


def write_checkpoint(places: Places | None = None, unless_recent: float = 0) -> Written | None:
    """Sign the current heads and append them to the witness.

    ``unless_recent`` (the periodic writer's): write nothing when the last checkpoint already
    witnesses these heads under this key (an idle server adds no lines), or when it is younger
    than this many seconds (another process of the same server has just written one)."""
    places = places or Places.from_env()
    try:
        private = keys.load_private(places.signing_key)
    except keys.SigningKeyError as exc:
        raise WitnessError(str(exc)) from None
    key_id = keys.key_id(private.public_key())
    try:
        places.witness.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(places.witness, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    except OSError as exc:
        raise WitnessError(f"witness {places.witness}: {exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        last = _last_line(fd)
        # Read under the lock: checkpoints appear in the witness in the order of the states
        # they saw, whichever process wrote them.
        heads = read_heads()
        now = datetime.now(UTC)
        if unless_recent and last and _needless(last, heads, key_id, now, unless_recent):
            return None
        body: dict[str, Any] = {
            "at": now.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "key_id": key_id,
            "heads": heads,
            "prev": line_hash(last) if last else FIRST_PREV,
        }
        line = canonical({**body, "sig": base64.b64encode(private.sign(canonical(body))).decode()})
        if places.command:
            _send(places.command, line)
        _append(fd, _after_torn(fd) + line + b"\n")
    except OSError as exc:
        raise WitnessError(f"witness {places.witness}: {exc}") from None
    finally:
        os.close(fd)  # releases the lock
    return Written(body["at"], key_id, heads, places.witness)


def _last_line(fd: int) -> bytes:
    """The witness's last line (without its newline), read backwards from the end."""
    end = os.fstat(fd).st_size
    tail, start = b"", end
    while start > 0:
        start = max(0, start - 8192)
        tail = os.pread(fd, end - start, start)
        if tail.rstrip(b"\n").count(b"\n"):
            break
    return tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]


def _after_torn(fd: int) -> bytes:
    """A newline when the file ends in a line cut short (a crash mid-write): the new line
    then stands on its own, chained to the cut one, which verify names."""
    size = os.fstat(fd).st_size
    return b"\n" if size and os.pread(fd, 1, size - 1) != b"\n" else b""


def _needless(
    last: bytes, heads: dict[str, list[int | str]], key_id: str, now: datetime, recent: float
) -> bool:
    try:
        previous = json.loads(last)
        at = datetime.fromisoformat(previous["at"])
    except (ValueError, KeyError, TypeError):
        return False  # a line that is no checkpoint: write one after it (verify names it)
    same = previous.get("heads") == heads and previous.get("key_id") == key_id
    return same or now - at < timedelta(seconds=recent)


def _send(command: tuple[str, ...], line: bytes) -> None:
    try:
        done = subprocess.run(
            command, input=line + b"\n", capture_output=True, timeout=EXEC_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WitnessError(f"witness program {shlex.join(command)}: {exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()[-500:]
        raise WitnessError(
            f"witness program {shlex.join(command)} exited {done.returncode}: {said}"
        )


def _append(fd: int, data: bytes) -> None:
    # One write with O_APPEND lands at the end whatever other writers do; fsync, so a
    # checkpoint reported written survives a crash of the host.
    while data:
        data = data[os.write(fd, data) :]
    os.fsync(fd)


def interval() -> float:
    raw = os.environ.get("KETEN_AUDIT_WITNESS_SECONDS", "60")
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"KETEN_AUDIT_WITNESS_SECONDS: {raw!r} is not a number") from None


_started: set[int] = set()  # the processes (by id) whose writer runs
_starting = threading.Lock()


def start_periodic() -> threading.Thread | None:
    """Start this process's checkpoint writer, once; ``None`` when it runs already or
    ``KETEN_AUDIT_WITNESS_SECONDS`` is 0.

    Called where the server loads its WSGI application (``keten.server.wsgi``), which every
    serving process imports and management commands, the CLI and the tests' Django do not:
    only a process that serves writes audit records all the time."""
    seconds = interval()
    if seconds <= 0:
        return None
    with _starting:
        if os.getpid() in _started:
            return None
        _started.add(os.getpid())
    thread = threading.Thread(
        target=_periodic, args=(seconds,), name="keten-audit-witness", daemon=True
    )
    thread.start()
    return thread


def _periodic(seconds: float) -> None:
    while True:
        try:
            write_checkpoint(unless_recent=seconds / 2)
        except Exception:
            # Loud, and never fatal: requests go on; the records since the last checkpoint
            # stay protected by the chain alone until a write succeeds.
            log.exception("audit witness: checkpoint NOT written; retrying in %s s", seconds)
        finally:
            connection.close()  # this thread's own; not held open between checkpoints
        time.sleep(seconds)
