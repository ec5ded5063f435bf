"""Partner webhooks for hand-overs, in the manner of Open Notificaties: an organisation
subscribes a URL to a channel (``handover``); each hand-over *to that organisation* is sent
there as a small signed JSON payload, so that partners stop polling.

- Need-to-know: only the receiving organisation's subscriptions get a delivery; the payload
  says which hand-over (id, kind, day), the V-number only when the subscribing role reads
  identity, and a URL to fetch the rest with the partner's own token (and the policy's say).
- Signed: ``X-Keten-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``
  (how to verify: docs/workday.md). The timestamp is signed with the body, so a captured
  delivery cannot be replayed later than the receiver's tolerance.
- Sent by a job (``jobs`` kind ``webhook``, the worker runs it), one attempt per job; a failed
  attempt sets the next try after an exponential backoff, and the idle worker queues it when
  due (``retry_due``); bounded attempts, every attempt a row (status, error, next try).
  Redirects are never followed (a 3xx is a failed attempt), every attempt has a bounded
  timeout, and a URL must be https unless it is on loopback (or the server runs with DEBUG).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import os
import secrets
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Handover
from keten.server.jobs import queue
from keten.server.notifications.models import (
    DELIVERED,
    FAILED,
    PENDING,
    Delivery,
    DeliveryAttempt,
    Subscription,
)
from keten.server.services.actor import Actor
from keten.server.services.bounds import MAX_ID, whole_number
from keten.server.services.errors import BadInputError, NotFoundError
from keten.server.services.inputs import text
from keten.server.services.policy import check, policy
from keten.server.services.retries import queue_due
from keten.server.services.writing import reason_of, recorded

CHANNELS = ("handover",)
MAX_URL = 500
MAX_PER_ORGANISATION = 10  # subscriptions an organisation keeps active at once
SECRET_MIN, SECRET_MAX = 32, 128
# Attempts and waits: five attempts 2, 4, 8, 16 s apart by default. Bounded so that a partner
# that is down costs the worker half a minute, not an hour; KETEN_WEBHOOK_* set them.
DEFAULT_ATTEMPTS, MAX_ATTEMPTS = 5, 10
DEFAULT_BACKOFF, MAX_BACKOFF = 2.0, 300.0
DEFAULT_TIMEOUT, MAX_TIMEOUT = 10.0, 30.0
MAX_ERROR = 500
SIGNATURE_HEADER = "X-Keten-Signature"


def _env_number(name: str, default: float, low: float, high: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return min(max(value, low), high)


def attempts_setting() -> int:
    return int(_env_number("KETEN_WEBHOOK_ATTEMPTS", DEFAULT_ATTEMPTS, 1, MAX_ATTEMPTS))


def backoff_setting() -> float:
    return _env_number("KETEN_WEBHOOK_BACKOFF_SECONDS", DEFAULT_BACKOFF, 0.01, MAX_BACKOFF)


def timeout_setting() -> float:
    return _env_number("KETEN_WEBHOOK_TIMEOUT_SECONDS", DEFAULT_TIMEOUT, 0.1, MAX_TIMEOUT)


# -- the URL --------------------------------------------------------------------------------


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def valid_url(raw: str) -> str:
    """A subscription's URL: https (http only on loopback, or with DEBUG), a host, no user or
    password in it, no fragment, at most 500 characters."""
    if len(raw) > MAX_URL:
        raise BadInputError("url", f"at most {MAX_URL} characters", f"ten hoogste {MAX_URL} tekens")
    parts = urlsplit(raw)
    host = parts.hostname or ""
    bad_nl = "moet een volledige https-URL zijn, zonder gebruikersnaam, wachtwoord of #-deel"
    if not host or parts.username or parts.password or parts.fragment:
        raise BadInputError("url", "must be a full https URL without user, password or #", bad_nl)
    try:
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError:
        raise BadInputError(
            "url", "the port is not a port number", "de poort is geen poortnummer"
        ) from None
    if parts.scheme == "https":
        return raw
    if parts.scheme == "http" and (_loopback(host) or settings.DEBUG):
        return raw
    raise BadInputError(
        "url",
        "must use https (http only on this machine's loopback address)",
        "moet https gebruiken (http alleen op het loopbackadres van deze machine)",
    )


# -- subscriptions --------------------------------------------------------------------------


def _channels(data: dict[str, Any]) -> list[str]:
    raw = data.get("channels", ["handover"])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or len(raw) > len(CHANNELS):
        raise BadInputError(
            "channels",
            f"must be a list of channels from {', '.join(CHANNELS)}",
            f"moet een lijst van kanalen uit {', '.join(CHANNELS)} zijn",
        )
    for c in raw:
        if c not in CHANNELS:
            raise BadInputError(
                "channels",
                f"{str(c)[:40]!r} is not a channel (known: {', '.join(CHANNELS)})",
                f"{str(c)[:40]!r} is geen kanaal (bekend: {', '.join(CHANNELS)})",
            )
    return sorted(set(raw))


def _secret(data: dict[str, Any]) -> str:
    given = data.get("secret")
    if given in (None, ""):
        return secrets.token_urlsafe(32)
    if (
        not isinstance(given, str)
        or not SECRET_MIN <= len(given) <= SECRET_MAX
        or not given.isprintable()
    ):
        raise BadInputError(
            "secret",
            f"must be {SECRET_MIN} to {SECRET_MAX} printable characters (or leave it out: "
            "the server makes one)",
            f"moet {SECRET_MIN} tot {SECRET_MAX} afdrukbare tekens zijn (of laat het weg: de "
            "server maakt er een)",
        )
    return given


def subscription_json(s: Subscription, secret: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.pk,
        "organisation": s.organisation_id,
        "url": s.url,
        "channels": list(s.channels),
        "active": s.active,
        "recorded_by": s.recorded_by,
        "recorded_role": s.recorded_role,
        "recorded_at": s.recorded_at.isoformat(),
        "reason": s.reason,
        "ended_at": s.ended_at.isoformat() if s.ended_at else None,
    }
    if secret:  # shown once, on creation: the partner keeps it to verify signatures
        out["secret"] = s.secret
    return out


def subscribe(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    check(actor.role, "subscription", "write")
    reason = reason_of(data)
    url = valid_url(text(data, "url", max_len=MAX_URL))
    channels = _channels(data)
    secret = _secret(data)

    def run() -> Subscription:
        active = Subscription.objects.select_for_update().filter(
            organisation_id=actor.organisation, active=True
        )
        if len(list(active)) >= MAX_PER_ORGANISATION:
            raise BadInputError(
                "url",
                f"an organisation keeps at most {MAX_PER_ORGANISATION} active subscriptions",
                f"een organisatie heeft ten hoogste {MAX_PER_ORGANISATION} actieve abonnementen",
            )
        row = Subscription.objects.create(
            organisation_id=actor.organisation,
            url=url,
            secret=secret,
            channels=channels,
            **recorded(actor, reason),
        )
        _audit(actor, "subscription.add", ("url", "channels"), row)
        return row

    with transaction.atomic():
        row = run()
    return subscription_json(row, secret=True)


def _audit(actor: Actor, name: str, fields: tuple[str, ...], row: Subscription) -> None:
    append(
        actor.audit,
        [Entry(name, "write", "subscription", fields, object_ref=f"subscription:{row.pk}")],
    )


def subscriptions(actor: Actor) -> dict[str, Any]:
    """The actor's organisation's subscriptions (no secrets), newest first."""
    check(actor.role, "subscription", "read")
    rows = Subscription.objects.filter(organisation_id=actor.organisation).order_by("-id")[:100]
    return {"results": [subscription_json(s) for s in rows]}


def _own(actor: Actor, subscription_id: Any) -> Subscription:
    pk = whole_number(subscription_id, "subscription", high=MAX_ID)
    row = Subscription.objects.filter(pk=pk, organisation_id=actor.organisation).first()
    if row is None:
        raise NotFoundError(
            f"no subscription {pk}",
            field="subscription",
            rule="must be one of your organisation's subscriptions",
            detail_nl=f"geen abonnement {pk}",
            rule_nl="moet een abonnement van uw eigen organisatie zijn",
        )
    return row


def end_subscription(actor: Actor, subscription_id: Any, data: dict[str, Any]) -> dict[str, Any]:
    """End (deactivate) one of the organisation's subscriptions; the row stays, with who
    ended it, when and why."""
    check(actor.role, "subscription", "write")
    reason = reason_of(data)
    with transaction.atomic():
        row = _own(actor, subscription_id)
        Subscription.objects.filter(pk=row.pk, active=True).update(
            active=False, ended_at=timezone.now(), ended_by=actor.username, end_reason=reason
        )
        row.refresh_from_db()
        _audit(actor, "subscription.end", ("active",), row)
    return subscription_json(row)


def deliveries(actor: Actor, subscription_id: Any) -> dict[str, Any]:
    """A subscription's deliveries with every attempt, newest first (the last hundred)."""
    check(actor.role, "subscription", "read")
    row = _own(actor, subscription_id)
    found = Delivery.objects.filter(subscription=row).order_by("-id")[:100]
    return {
        "results": [
            {
                "id": d.pk,
                "handover": d.handover_id,
                "status": d.status,
                "attempts": d.attempts,
                "next_try_at": d.next_try_at.isoformat() if d.next_try_at else None,
                "tries": [
                    {
                        "number": t.number,
                        "at": t.at.isoformat(),
                        "status_code": t.status_code,
                        "error": t.error,
                        "next_try_at": t.next_try_at.isoformat() if t.next_try_at else None,
                    }
                    for t in d.tries.order_by("number")
                ],
            }
            for d in found
        ]
    }


# -- deliveries -----------------------------------------------------------------------------


def payload_for(subscription: Subscription, h: Handover) -> dict[str, Any]:
    """What the receiver is told: which hand-over, and where to read the rest with its own
    authorisation; the V-number only when the role that subscribed may read identity."""
    body: dict[str, Any] = {
        "channel": "handover",
        "handover": h.pk,
        "kind": h.kind,
        "day": h.day.isoformat(),
        "url": f"{settings.KETEN_PUBLIC_URL}/api/v1/persons/{h.person_id}/handovers",
    }
    role = policy().roles.get(subscription.recorded_role)
    if role is not None and role.can("identity", "read"):
        body["v_number"] = h.person.v_number
    return body


def enqueue_for(h: Handover) -> list[int]:
    """A delivery and its job for each active subscription of the hand-over's receiver (only
    the receiver: nothing goes to another organisation). Inside the dispatch's transaction."""
    made: list[int] = []
    subs = Subscription.objects.filter(organisation_id=h.to_org_id, active=True)
    for sub in subs:
        if "handover" not in sub.channels:
            continue
        delivery, created = Delivery.objects.get_or_create(
            subscription=sub, handover=h, defaults={"payload": payload_for(sub, h)}
        )
        if not created:
            continue
        _enqueue(delivery, f"hand-over {h.pk} to {h.to_org_id}: webhook {sub.pk}")
        made.append(delivery.pk)
    return made


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, tolerance: float = 300.0) -> bool:
    """What a receiver does (also used by the tests' receiver): the signature over the
    timestamp and body matches, and the timestamp is recent."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (ValueError, KeyError):
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    fresh = abs(time.time() - timestamp) <= tolerance
    return fresh and hmac.compare_digest(expected, fields.get("v1", ""))


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """One POST; the status. http.client follows no redirect: a 3xx is returned as it is."""
    parts = urlsplit(url)
    conn_type = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    conn = conn_type(parts.hostname or "", parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(65_536)  # a receiver's answer is not ours to store; a little is read
        return response.status
    finally:
        conn.close()


def attempt(delivery: Delivery, timeout: float) -> tuple[int | None, str]:
    sub = delivery.subscription
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Keten-Webhook/1",
        "X-Keten-Channel": "handover",
        "X-Keten-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(sub.secret, int(time.time()), body),
    }
    try:
        status = _post(sub.url, body, headers, timeout)
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, TLS
        return None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
    if 200 <= status < 300:
        return status, ""
    if 300 <= status < 400:
        return status, "redirect not followed"
    return status, f"HTTP {status}"


def backoff(number: int, base: float) -> float:
    """Seconds after attempt ``number`` (1, 2, ...) before the next: base, 2 base, 4 base ..."""
    return min(base * 2.0 ** (number - 1), MAX_BACKOFF)


def deliver(
    delivery_id: int,
    *,
    attempts: int | None = None,
    base: float | None = None,
    timeout: float | None = None,
) -> Delivery:
    """One attempt of a delivery, recorded. On failure with attempts left, the next try is set
    ``backoff`` seconds ahead (``retry_due`` queues it then): the worker does not wait for a
    partner that is down, so one such partner delays no one else's deliveries. A subscription
    ended meanwhile gets no further attempt."""
    attempts = attempts or attempts_setting()
    base = backoff_setting() if base is None else base
    timeout = timeout or timeout_setting()
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    if delivery.status != PENDING or delivery.attempts >= attempts:
        return delivery
    if not Subscription.objects.filter(pk=delivery.subscription_id, active=True).exists():
        Delivery.objects.filter(pk=delivery.pk).update(status=FAILED, next_try_at=None)
        delivery.refresh_from_db()
        return delivery
    number = delivery.attempts + 1
    status, error = attempt(delivery, timeout)
    ok = not error
    wait = None if ok or number >= attempts else backoff(number, base)
    next_at = timezone.now() + timedelta(seconds=wait) if wait is not None else None
    DeliveryAttempt.objects.create(
        delivery=delivery, number=number, status_code=status, error=error, next_try_at=next_at
    )
    new_status = DELIVERED if ok else (PENDING if wait is not None else FAILED)
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=number, status=new_status, next_try_at=next_at
    )
    delivery.refresh_from_db()
    return delivery


def _enqueue(delivery: Delivery, reason: str) -> None:
    h = delivery.handover
    queue.enqueue(
        "webhook",
        {"delivery": delivery.pk},
        requested_by=h.recorded_by,
        requested_org=h.recorded_org,
        requested_role=h.recorded_role,
        reason=reason,
    )


def retry_due(limit: int = 100) -> int:
    """Queue a job for each delivery whose next try has come (the worker calls this when it
    is idle, ``jobs/kinds.py`` TIMERS), each taken by one worker only (``retries.queue_due``)."""
    return queue_due(
        Delivery.objects.filter(status=PENDING).select_related("handover"),
        lambda d: _enqueue(d, f"webhook delivery {d.pk}: attempt {d.attempts + 1}"),
        limit,
    )


def run_job(job: Any, progress: Any) -> dict[str, Any]:
    """The ``webhook`` job: one attempt of one delivery (jobs/kinds.py)."""
    delivery_id = int(job.params["delivery"])
    progress(1, f"delivery {delivery_id}")
    done = deliver(delivery_id)
    return {
        "delivery": done.pk,
        "status": done.status,
        "attempts": done.attempts,
        "next_try_at": done.next_try_at.isoformat() if done.next_try_at else None,
    }
