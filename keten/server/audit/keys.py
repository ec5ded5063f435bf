"""The Ed25519 key that signs the audit log's witnessed heads, and the public keys that check them.

The private key lives in a file, never in the database: whoever can rewrite the database must
not be able to sign a head that hides it. Public keys are kept one file per key
(``<key_id>.pub``) and never removed, so checkpoints signed before a rotation still verify
after it. Both are PEM, which ``openssl pkey`` reads, so an auditor can check a signature
without Keten.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class SigningKeyError(Exception):
    """A key file missing, unreadable or not an Ed25519 key."""


def key_id(public: Ed25519PublicKey) -> str:
    """The first 16 hex digits of SHA-256 over the raw public key: short enough to read,
    long enough that two keys of one deployment never share it."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate(path: Path) -> Ed25519PrivateKey:
    """A new key written to ``path`` with mode 0600, replacing any key there at once (a
    signer reading the file sees the old key or the new one, never half of either)."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    # Created 0600 rather than chmod-ed after writing: the key is never readable by others.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return private


def load_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise SigningKeyError(
            f"no audit signing key at {path}: run `keten audit new-key` (or `keten server "
            "setup`), or point KETEN_AUDIT_SIGNING_KEY at the key"
        ) from None
    except (OSError, ValueError) as exc:
        raise SigningKeyError(f"audit signing key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"audit signing key {path}: not an Ed25519 key")
    return key


def store_public(keys_dir: Path, public: Ed25519PublicKey) -> str:
    """Keep ``public`` as ``<key_id>.pub`` in ``keys_dir`` (once; never overwritten)."""
    kid = key_id(public)
    target = keys_dir / f"{kid}.pub"
    if not target.exists():
        keys_dir.mkdir(parents=True, exist_ok=True)
        pem = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        target.write_bytes(pem)
    return kid


def load_public(keys_dir: Path) -> dict[str, Ed25519PublicKey]:
    """Every public key in ``keys_dir`` by its key id, computed from the key itself: a file
    renamed to another key's id does not make its key that key."""
    keys: dict[str, Ed25519PublicKey] = {}
    if not keys_dir.is_dir():
        return keys
    for path in sorted(keys_dir.glob("*.pub")):
        try:
            key = serialization.load_pem_public_key(path.read_bytes())
        except ValueError:
            continue  # not a key; a checkpoint naming it is then refused as unknown
        if isinstance(key, Ed25519PublicKey):
            keys[key_id(key)] = key
    return keys
