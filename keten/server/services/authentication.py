"""Throttling the password check, and the audit records of authentication.

The rule (OWASP ASVS 4.0 V2.2.1): after ``LOGIN_ACCOUNT_FAILURES`` failed attempts on one user
name within ``LOGIN_WINDOW_SECONDS``, or ``LOGIN_ADDRESS_FAILURES`` from one address, every
attempt on that name, or from that address, is refused for ``LOGIN_LOCK_SECONDS`` without
checking the password, so the right password is refused too. A name that belongs to no account
is counted and locked like any other: the answers never tell whether an account exists.

Each attempt is two short transactions around the password check, never one around it: on
SQLite a transaction holds the database's one write lock, and the hash takes most of a second.
The first checks the lock and, if there is none, writes the attempt, which stands as a failure
until the check succeeds; the second records the outcome. Writers of the first are serialised
(SQLite's write lock; on PostgreSQL an advisory lock per name and per address), so concurrent
attempts cannot all pass under the limit.

Every failure and every refusal is an audit record (``auth.login`` / ``auth.login.locked``,
status ERROR, the name tried as the actor) and a WARNING log line; a success is an ``auth.login``
record with status OK (ASVS V7.2.1: every authentication decision is logged). The action is
``read``: a login reads the account's credential to compare it and changes nothing the policy
governs; the attempt rows are the server's bookkeeping, not the actor's processing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from keten.server.audit.log import Context, Entry, append
from keten.server.audit.models import AuditRecord
from keten.server.authn.lock import Lock, locked_until
from keten.server.authn.models import LoginAttempt
from keten.server.services.access import SYSTEM_ORG

log = logging.getLogger("keten.server.auth")

PURPOSE = "urn:keten:verwerking:authenticatie"
RESOURCE = "account"  # the policy_resource of the records: the account whose password is read
# Who acts before authentication succeeds: a name typed, no organisation, no role of the policy.
UNAUTHENTICATED_ORG = SYSTEM_ORG
UNAUTHENTICATED_ROLE = "unauthenticated"
_NAME_MAX = LoginAttempt._meta.get_field("username").max_length or 150
_ADDRESS_MAX = LoginAttempt._meta.get_field("address").max_length or 64
_REF_MAX = AuditRecord._meta.get_field("object_ref").max_length or 64


@dataclass(frozen=True)
class Rules:
    account_failures: int
    address_failures: int
    window: timedelta
    lock: timedelta

    @classmethod
    def from_settings(cls) -> Rules:
        return cls(
            account_failures=int(settings.LOGIN_ACCOUNT_FAILURES),
            address_failures=int(settings.LOGIN_ADDRESS_FAILURES),
            window=timedelta(seconds=float(settings.LOGIN_WINDOW_SECONDS)),
            lock=timedelta(seconds=float(settings.LOGIN_LOCK_SECONDS)),
        )


@dataclass(frozen=True)
class Attempt:
    """An attempt let through to the password check, its row standing as a failure."""

    id: int
    username: str
    address: str
    started: datetime


def _lock(username: str, address: str, rules: Rules, now: datetime) -> Lock | None:
    horizon = now - rules.window - rules.lock  # older attempts can no longer lock anything
    ends = []
    by_account = LoginAttempt.objects.filter(
        username=username, counts_for_account=True, at__gt=horizon
    )
    ends.append(_end(by_account, rules.account_failures, rules, now))
    if address:
        by_address = LoginAttempt.objects.filter(address=address, at__gt=horizon)
        ends.append(_end(by_address, rules.address_failures, rules, now))
    latest = max((e for e in ends if e is not None), default=None)
    return Lock(latest) if latest is not None else None


def _end(
    attempts: QuerySet[LoginAttempt], limit: int, rules: Rules, now: datetime
) -> datetime | None:
    if limit <= 0:
        return None
    times = list(attempts.order_by("-at").values_list("at", flat=True)[:limit])
    return locked_until(times, limit, rules.window, rules.lock, now)


def _serialise(username: str, address: str) -> None:
    """On PostgreSQL, make concurrent attempts on one name or from one address check and
    write one after the other (SQLite's write lock does that by itself). The name is always
    locked before the address, so two attempts cannot wait for each other."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in (f"login:name:{username}", f"login:address:{address}"):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def begin(username: str, address: str, now: datetime | None = None) -> Attempt | Lock:
    """Let an attempt through to the password check (its row written as a failure), or
    refuse it because the name or the address is locked (audited and logged)."""
    username, address = username[:_NAME_MAX], address[:_ADDRESS_MAX]
    rules = Rules.from_settings()
    now = now or timezone.now()
    with transaction.atomic():
        _serialise(username, address)
        # Pruned when writing: one indexed delete, nearly always of nothing, keeps the table
        # at the attempts of the last window and lock.
        LoginAttempt.objects.filter(at__lt=now - rules.window - rules.lock).delete()
        lock = _lock(username, address, rules, now)
        if lock is None:
            row = LoginAttempt.objects.create(username=username, address=address, at=now)
            return Attempt(row.pk, username, address, now)
        # Refused before anything was checked: no fields.
        _audit(_unauthenticated(username, now), "auth.login.locked", address, ok=False, fields=())
    log.warning(
        "login refused without checking the password: user name %r from %s is locked until %s",
        username,
        address or "-",
        lock.until.isoformat(),
    )
    return lock


def failed(attempt: Attempt) -> Lock | None:
    """The password check failed (unknown name, wrong password, inactive account): the
    attempt's row stays; audited and logged. Returns the lock in force now (this failure may
    have started it), so that the answer can already say when to try again."""
    rules = Rules.from_settings()
    now = timezone.now()
    with transaction.atomic():
        ctx = _unauthenticated(attempt.username, attempt.started)
        _audit(ctx, "auth.login", attempt.address, ok=False, fields=("password",))
        lock = _lock(attempt.username, attempt.address, rules, now)
    log.warning(
        "login failed: user name %r from %s%s",
        attempt.username,
        attempt.address or "-",
        f"; locked until {lock.until.isoformat()}" if lock else "",
    )
    return lock


def succeeded(attempt: Attempt, user: Any) -> None:
    """The password was right: the attempt was no failure, and the account's earlier
    failures no longer count for the account (the address still counts them)."""
    membership = getattr(user, "membership", None)
    ctx = Context(
        actor_user=attempt.username,
        actor_org=membership.organisation_id if membership else UNAUTHENTICATED_ORG,
        actor_role=membership.role if membership else UNAUTHENTICATED_ROLE,
        purpose=PURPOSE,
        started=attempt.started,
    )
    with transaction.atomic():
        LoginAttempt.objects.filter(pk=attempt.id).delete()
        LoginAttempt.objects.filter(username=attempt.username, counts_for_account=True).update(
            counts_for_account=False
        )
        _audit(ctx, "auth.login", attempt.address, ok=True, fields=("password",))
    log.info("login: user name %r from %s", attempt.username, attempt.address or "-")


def token_expired(user: Any, address: str, expired_at: datetime) -> None:
    """An API token past its maximum age was refused: audited and logged."""
    membership = getattr(user, "membership", None)
    username = user.get_username()
    ctx = Context(
        actor_user=username,
        actor_org=membership.organisation_id if membership else UNAUTHENTICATED_ORG,
        actor_role=membership.role if membership else UNAUTHENTICATED_ROLE,
        purpose=PURPOSE,
    )
    _audit(ctx, "auth.token", address, ok=False, fields=("token",))
    log.warning(
        "API token refused: the token of %r expired at %s (from %s)",
        username,
        expired_at.isoformat(),
        address or "-",
    )


def _unauthenticated(username: str, started: datetime) -> Context:
    return Context(
        actor_user=username,
        actor_org=UNAUTHENTICATED_ORG,
        actor_role=UNAUTHENTICATED_ROLE,
        purpose=PURPOSE,
        started=started,
    )


def _audit(ctx: Context, name: str, address: str, *, ok: bool, fields: tuple[str, ...]) -> None:
    ref = f"address:{address or '-'}"[:_REF_MAX]
    status = "OK" if ok else "ERROR"
    append(ctx, [Entry(name, "read", RESOURCE, fields, object_ref=ref, status_code=status)])
