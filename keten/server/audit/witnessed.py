"""Checking the audit log against its witnessed checkpoints (``witness.py`` writes them).

Three things are checked, and each catches what the others cannot:

1. the witness itself: every line parses, is signed by a key in the keys directory (a key
   the database does not hold), and names the hash of the line before it, so a checkpoint
   forged, edited or removed from the middle is a breach;
2. the database against each signed checkpoint: every witnessed lane still exists, the record
   at each witnessed (lane, seq) is there with the witnessed hash, and no lane now ends
   before a witnessed record. A hash commits to every record before it, so this catches a
   record rewritten with every later hash and the head recomputed, a tail cut with the head
   moved back, and a lane dropped with its head;
3. every lane against itself, as before (``log.verify``, which also runs 2 in the same walk).

What no check here can see: records written after the last checkpoint, which only the chain
protects until the next one (the window is the witness interval), and a rewrite by someone
who holds both the signing key and every copy of the witness (docs/security.md).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from keten.server.audit import keys
from keten.server.audit.log import Breach, Witnessed, verify
from keten.server.audit.witness import FIRST_PREV, canonical, line_hash, read_heads

_FIELDS = {"at", "key_id", "heads", "prev", "sig"}
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class LineBreach:
    """A witness line that is not what the server wrote."""

    line: int
    problem: str

    def __str__(self) -> str:
        return f"witness line {self.line}: {self.problem}"


@dataclass(frozen=True)
class Checkpoint:
    line: int
    at: str
    key_id: str
    heads: dict[int, tuple[int, str]]

    @property
    def where(self) -> str:
        return f"the checkpoint of {self.at} (witness line {self.line})"


@dataclass
class Report:
    witness: Path
    records: int = 0
    lines: int = 0
    checkpoints: list[Checkpoint] = field(default_factory=list)
    breaches: list[Breach | LineBreach] = field(default_factory=list)
    since_last: int = 0  # records written after the last checkpoint, protected by the chain only

    @property
    def witnessed(self) -> bool:
        return self.lines > 0


def verify_witnessed(witness: Path, keys_dir: Path) -> Report:
    """Check the witness, then the database against it and against itself."""
    # The witness first, then the database: every checkpoint read saw a state the database
    # had reached before the walk; records appended meanwhile count as newer than the last.
    report = Report(witness)
    raw = witness.read_bytes() if witness.exists() else b""
    report.lines, report.checkpoints, line_breaches = _read(raw, keys.load_public(keys_dir))
    points, conflicts = _points(report.checkpoints)
    report.records, lane_breaches = verify(points)
    report.breaches = [*line_breaches, *conflicts, *lane_breaches]
    if report.checkpoints:
        last = report.checkpoints[-1].heads
        report.since_last = sum(
            max(0, int(seq) - last.get(int(lane), (0, ""))[0])
            for lane, (seq, _) in read_heads().items()
        )
    return report


def _lines(raw: bytes) -> Iterator[tuple[int, bytes]]:
    body = raw[:-1] if raw.endswith(b"\n") else raw
    if body:
        yield from enumerate(body.split(b"\n"), start=1)


def _read(
    raw: bytes, known: dict[str, Ed25519PublicKey]
) -> tuple[int, list[Checkpoint], list[LineBreach]]:
    """(lines, the checkpoints whose signature holds, the lines that are not sound)."""
    checkpoints: list[Checkpoint] = []
    breaches: list[LineBreach] = []
    prev, number = FIRST_PREV, 0
    for number, line in _lines(raw):
        try:
            fields = _parse(line)
            if fields["prev"] != prev:
                # The line itself may be sound: its heads still count if its signature holds.
                breaches.append(
                    LineBreach(
                        number,
                        "its link does not match the line before it: a line was removed, "
                        "inserted or edited before it",
                    )
                )
            checkpoints.append(_signed(number, fields, known))
        except _RefusedError as refused:
            breaches.append(LineBreach(number, str(refused)))
        prev = line_hash(line)
    return number, checkpoints, breaches


class _RefusedError(Exception):
    """A witness line that is no sound checkpoint; the message says why."""


def _parse(line: bytes) -> dict[str, Any]:
    try:
        fields = json.loads(line)
    except ValueError:
        raise _RefusedError("not a checkpoint (not JSON)") from None
    if not isinstance(fields, dict) or set(fields) != _FIELDS:
        raise _RefusedError(f"not a checkpoint (expected the fields {', '.join(sorted(_FIELDS))})")
    heads = fields["heads"]
    if not (
        isinstance(heads, dict)
        and all(
            lane.isdigit()
            and isinstance(head, list)
            and len(head) == 2
            and isinstance(head[0], int)
            and isinstance(head[1], str)
            and _HEX64.fullmatch(head[1])
            for lane, head in heads.items()
        )
        and all(isinstance(fields[k], str) for k in ("at", "key_id", "prev", "sig"))
    ):
        raise _RefusedError("not a checkpoint (malformed heads or fields)")
    return fields


def _signed(number: int, fields: dict[str, Any], known: dict[str, Ed25519PublicKey]) -> Checkpoint:
    public = known.get(fields["key_id"])
    if public is None:
        raise _RefusedError(
            f"signed by key {fields['key_id']}, which is not among the known public keys: "
            "forged, or its public key was not kept"
        )
    body = {k: v for k, v in fields.items() if k != "sig"}
    try:
        public.verify(base64.b64decode(fields["sig"], validate=True), canonical(body))
    except (InvalidSignature, binascii.Error):
        raise _RefusedError(
            f"signature does not verify under key {fields['key_id']}: the line was altered"
        ) from None
    heads = {int(lane): (int(seq), str(h)) for lane, (seq, h) in fields["heads"].items()}
    return Checkpoint(number, fields["at"], fields["key_id"], heads)


def _points(
    checkpoints: list[Checkpoint],
) -> tuple[dict[int, dict[int, Witnessed]], list[Breach]]:
    """lane -> seq -> the first checkpoint that witnessed it. Two signed checkpoints that
    saw one record with different hashes mean the database was rewritten between them."""
    points: dict[int, dict[int, Witnessed]] = {}
    conflicts: list[Breach] = []
    for checkpoint in checkpoints:
        for lane, (seq, hash_) in checkpoint.heads.items():
            seen = points.setdefault(lane, {})
            first = seen.get(seq)
            if first is None:
                seen[seq] = Witnessed(hash_, checkpoint.where)
            elif first.hash != hash_:
                conflicts.append(
                    Breach(
                        lane,
                        seq,
                        f"witnessed with another hash by {checkpoint.where} than by "
                        f"{first.where}: rewritten between the two",
                    )
                )
    return points, conflicts
