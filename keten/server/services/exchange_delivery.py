"""Delivering the outbox: one attempt per job (``jobs`` kind ``exchange``), the next try after
a growing wait (``retry_due``, the worker's timer), without limit: a message stays ``pending``
until the partner's signed receipt for exactly this envelope comes back, so nothing is lost
while a partner is down. Each attempt is signed anew (a fresh nonce and time, inside the
receiver's window); the envelope is the one signed when the message was written.

The receiver keeps message ids, so an attempt whose receipt was lost on the way is answered
with the same receipt the next time, and nothing is stored there twice.
"""

from __future__ import annotations

import http.client
import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from keten.server.audit.log import Entry, append
from keten.server.exchange import envelope
from keten.server.exchange.models import DELIVERED, PENDING, OutboxAttempt, OutboxMessage
from keten.server.services.exchange import (
    RESOURCE,
    key_at,
    own_code,
    queue_delivery,
    signing_key,
    system_context,
)
from keten.server.services.retries import queue_due

DELIVER_PURPOSE = "urn:keten:verwerking:uitwisseling:bezorging"
MAX_ERROR = 500
MAX_RECEIPT = 65_536


def backoff(number: int) -> float:
    """Seconds after attempt ``number`` before the next: base, 2 base, 4 base ..., capped."""
    base = float(settings.EXCHANGE_BACKOFF_SECONDS)
    return min(base * 2.0 ** min(number - 1, 30), float(settings.EXCHANGE_MAX_BACKOFF_SECONDS))


def _post_json(url: str, body: bytes, timeout: float) -> tuple[int, bytes]:
    """One POST; its status and (bounded) answer. Redirects are not followed."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn_type = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    conn = conn_type(parts.hostname or "", parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": "Keten-Exchange/1",
            },
        )
        response = conn.getresponse()
        return response.status, response.read(MAX_RECEIPT)
    finally:
        conn.close()


def _check_receipt(row: OutboxMessage, answer: bytes) -> dict[str, Any] | str:
    """The receipt, when it is the partner's signature over this very envelope; else why not."""
    try:
        receipt = json.loads(answer)
    except ValueError:
        return "the answer is not JSON"
    if not isinstance(receipt, dict):
        return "the answer is not a receipt"
    at = envelope.parse_timestamp(receipt.get("received_at"))
    key = key_at(row.partner, receipt.get("key_id"), at) if at else None
    if key is None:
        return "the receipt's key is not a key of the partner valid at its time"
    if not envelope.verify(envelope.load_public_pem(key.public_pem), receipt):
        return "the receipt's signature does not verify"
    if (
        receipt.get("receipt_for") != str(row.message_id)
        or receipt.get("envelope_sha256") != envelope.digest(row.envelope)
        or receipt.get("receiver") != row.partner_id
    ):
        return "the receipt is for another message"
    return receipt


def deliver(outbox_id: int, timeout: float | None = None) -> OutboxMessage:
    """One attempt, recorded; delivered once a valid receipt comes back."""
    timeout = timeout or float(settings.EXCHANGE_TIMEOUT_SECONDS)
    row = OutboxMessage.objects.select_related("partner").get(pk=outbox_id)
    if row.status != PENDING:
        return row
    number = row.attempts + 1
    body = json.dumps(
        {
            "envelope": row.envelope,
            "delivery": envelope.delivery(signing_key(), row.envelope, timezone.now()),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    status: int | None = None
    error = ""
    receipt: dict[str, Any] | None = None
    try:
        status, answer = _post_json(row.partner.inbox_url, body, timeout)
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out
        error = f"{type(exc).__name__}: {exc}"
    else:
        if status in (200, 201):
            checked = _check_receipt(row, answer)
            if isinstance(checked, str):
                error = checked
            else:
                receipt = checked
        else:
            error = f"HTTP {status}: {answer[:300].decode(errors='replace')}"
    with transaction.atomic():
        if receipt is not None:
            OutboxAttempt.objects.create(message=row, number=number, status_code=status)
            OutboxMessage.objects.filter(pk=row.pk).update(
                status=DELIVERED,
                attempts=number,
                next_try_at=None,
                last_error="",
                receipt=receipt,
                delivered_at=timezone.now(),
            )
            ctx = system_context(row.trace_id, DELIVER_PURPOSE)
            append(
                ctx,
                [
                    Entry(
                        "exchange.delivered",
                        "write",
                        RESOURCE,
                        ("receipt",),
                        object_ref=f"exchange:{row.message_id}",
                    )
                ],
            )
        else:
            next_at = timezone.now() + timedelta(seconds=backoff(number))
            OutboxAttempt.objects.create(
                message=row,
                number=number,
                status_code=status,
                error=error[:MAX_ERROR],
                next_try_at=next_at,
            )
            OutboxMessage.objects.filter(pk=row.pk).update(
                attempts=number, next_try_at=next_at, last_error=error[:MAX_ERROR]
            )
    row.refresh_from_db()
    return row


def retry_due(limit: int = 100) -> int:
    """Queue a job for each pending message whose next try has come (the idle worker's timer),
    each taken by one worker only (``retries.queue_due``)."""
    return queue_due(OutboxMessage.objects.filter(status=PENDING), queue_delivery, limit)


def run_job(job: Any, progress: Any) -> dict[str, Any]:
    """The ``exchange`` job: one attempt to deliver one outbox message (jobs/kinds.py)."""
    outbox_id = int(job.params["outbox"])
    progress(1, f"exchange message {outbox_id}")
    done = deliver(outbox_id)
    return {
        "outbox": done.pk,
        "message_id": str(done.message_id),
        "status": done.status,
        "attempts": done.attempts,
        "organisation": own_code(),
        "next_try_at": done.next_try_at.isoformat() if done.next_try_at else None,
    }
