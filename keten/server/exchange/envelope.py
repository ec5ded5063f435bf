"""The exchange's message format, signing and verifying: no database, so a partner (or a test)
can build and check messages with this module and ``cryptography`` alone.

A message travels as ``{"envelope": {...}, "delivery": {...}}``:

- the **envelope** is the message itself (id, sender, receiver, kind, legal basis, purpose,
  person, question or answer, ``created_at``), signed once by the sender: it is what both sides
  keep, and its signature stays the sender's proof of what was sent;
- the **delivery** is one attempt to hand it over (``sent_at``, a fresh ``nonce``, the SHA-256
  of the signed envelope), signed at each attempt: the receiver refuses a delivery outside its
  time window or with a nonce it has seen, so a captured request cannot be played again, while
  the sender can still deliver a message written before the receiver went down.

Signatures are Ed25519 over the canonical JSON of the object without its ``signature``: keys
sorted, no whitespace, UTF-8, no floating-point numbers (their text is not canonical).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from keten.server.audit.keys import key_id

FORMAT = 1  # the envelope's format version


class NotCanonicalError(ValueError):
    """A value canonical JSON cannot carry unambiguously (a float, a non-string key)."""


def _check(value: Any, depth: int = 0) -> None:
    if depth > 16:
        raise NotCanonicalError("nested deeper than 16 levels")
    if isinstance(value, float):
        raise NotCanonicalError("floating-point numbers are not allowed")
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise NotCanonicalError("object keys must be strings")
            _check(v, depth + 1)
    elif isinstance(value, list | tuple):
        for v in value:
            _check(v, depth + 1)


def canonical(obj: Mapping[str, Any]) -> bytes:
    """The bytes that are signed: ``obj`` without its ``signature``, keys sorted, compact."""
    unsigned = {k: v for k, v in obj.items() if k != "signature"}
    _check(unsigned)
    return orjson.dumps(unsigned, option=orjson.OPT_SORT_KEYS)


def sign(private: Ed25519PrivateKey, obj: Mapping[str, Any]) -> dict[str, Any]:
    """``obj`` with its ``signature`` (base64 of the Ed25519 signature over ``canonical``)."""
    signature = base64.b64encode(private.sign(canonical(obj))).decode()
    return {**{k: v for k, v in obj.items() if k != "signature"}, "signature": signature}


def verify(public: Ed25519PublicKey, obj: Mapping[str, Any]) -> bool:
    raw = obj.get("signature")
    if not isinstance(raw, str):
        return False
    try:
        public.verify(base64.b64decode(raw, validate=True), canonical(obj))
    except (InvalidSignature, binascii.Error, NotCanonicalError):
        return False
    return True


def digest(obj: Mapping[str, Any]) -> str:
    """SHA-256 of the signed object as signed (signature included): what a delivery binds."""
    return hashlib.sha256(orjson.dumps(dict(obj), option=orjson.OPT_SORT_KEYS)).hexdigest()


def timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_timestamp(raw: Any) -> datetime | None:
    if not isinstance(raw, str) or not raw.endswith("Z") or len(raw) > 40:
        return None
    try:
        at = datetime.fromisoformat(raw[:-1] + "+00:00")
    except ValueError:
        return None
    return at


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def load_public_pem(pem: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ValueError for anything else."""
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def envelope(
    private: Ed25519PrivateKey,
    *,
    sender: str,
    receiver: str,
    kind: str,
    legal_basis: str,
    purpose: str,
    sender_reference: str,
    trace_id: str,
    body: dict[str, Any],
    at: datetime,
    message_id: str | None = None,
) -> dict[str, Any]:
    """A new signed envelope."""
    return sign(
        private,
        {
            "format": FORMAT,
            "message_id": message_id or str(uuid.uuid4()),
            "sender": sender,
            "receiver": receiver,
            "key_id": key_id(private.public_key()),
            "created_at": timestamp(at),
            "kind": kind,
            "legal_basis": legal_basis,
            "purpose": purpose,
            "sender_reference": sender_reference,
            "trace_id": trace_id,
            "body": body,
        },
    )


def delivery(
    private: Ed25519PrivateKey, signed_envelope: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    """One signed attempt to deliver ``signed_envelope``, with a fresh nonce."""
    return sign(
        private,
        {
            "message_id": signed_envelope["message_id"],
            "envelope_sha256": digest(signed_envelope),
            "key_id": key_id(private.public_key()),
            "sent_at": timestamp(at),
            "nonce": secrets.token_hex(16),
        },
    )


def receipt(
    private: Ed25519PrivateKey,
    signed_envelope: Mapping[str, Any],
    *,
    receiver: str,
    trace_id: str,
    at: datetime,
) -> dict[str, Any]:
    """The receiver's signed word that it holds ``signed_envelope``, naming its own audit
    trace of the receipt (``audit_reference``) so the two logs can be matched."""
    return sign(
        private,
        {
            "receipt_for": signed_envelope["message_id"],
            "envelope_sha256": digest(signed_envelope),
            "receiver": receiver,
            "key_id": key_id(private.public_key()),
            "received_at": timestamp(at),
            "audit_reference": trace_id,
        },
    )
