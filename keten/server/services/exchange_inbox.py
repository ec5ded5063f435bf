"""Receiving a partner's message (``POST /api/v1/exchange/inbox``): no user and no token; the
message is its own credential, the signature of a partner's key valid when it was written.

Checked in this order, each refusal answered with its reason in English and Dutch and kept as
an audit record (status ERROR, the claimed sender as actor) and a warning in the server log:

1. the form: an envelope and a delivery, each an object of the known fields (400);
2. addressed to this instance (422);
3. the sender is a partner and the envelope's key is one of its keys, valid at the envelope's
   ``created_at`` (403 ``exchange-unknown-key``: forged);
4. the envelope's signature (403 ``exchange-bad-signature``: forged or tampered);
5. the delivery: signed by the same partner, for this envelope (its SHA-256), sent within the
   time window (403 / 409 ``exchange-stale``), with a nonce not seen before (409
   ``exchange-replayed``);
6. the message id: one already kept with the same envelope is a redelivery, answered with the
   receipt kept then and nothing stored again (200); another envelope under a kept id is
   refused (409);
7. the kind's body, and for an answer that it answers a request this instance sent to that
   partner and that has no answer yet (422).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from keten.server.audit.log import Context, Entry, append
from keten.server.exchange import envelope
from keten.server.exchange.models import (
    InboxMessage,
    OutboxMessage,
    Partner,
    SeenNonce,
)
from keten.server.services.errors import BadInputError, ServiceError
from keten.server.services.exchange import (
    RESOURCE,
    key_at,
    own_code,
    signing_key,
)
from keten.server.services.exchange_kinds import KINDS, OUTCOME_NAMES, kind_of, message_uuid

log = logging.getLogger("keten.server.exchange")

PARTNER_ROLE = "exchange_partner"  # the actor of a received message in our audit log
RECEIVE_PURPOSE = "urn:keten:verwerking:uitwisseling:ontvangst"
ENVELOPE_FIELDS = frozenset(
    {
        "format",
        "message_id",
        "sender",
        "receiver",
        "key_id",
        "created_at",
        "kind",
        "legal_basis",
        "purpose",
        "sender_reference",
        "trace_id",
        "body",
        "signature",
    }
)
DELIVERY_FIELDS = frozenset(
    {"message_id", "envelope_sha256", "key_id", "sent_at", "nonce", "signature"}
)


class ExchangeRefusedError(ServiceError):
    """A received message refused: ``code`` says why (forged, tampered, replayed, stale)."""

    def __init__(self, status: int, code: str, en: str, nl: str, field: str = "envelope") -> None:
        super().__init__(en, field=field, rule=en, detail_nl=nl, rule_nl=nl)
        self.status = status
        self.code = code
        self.title = "Message refused"
        self.title_nl = "Bericht geweigerd"


def window() -> timedelta:
    return timedelta(seconds=float(settings.EXCHANGE_WINDOW_SECONDS))


def _short(value: Any, n: int = 64) -> str:
    return value[:n] if isinstance(value, str) and value.isprintable() else ""


def _refused(env: Mapping[str, Any], exc: ServiceError) -> None:
    """The refusal in the audit log (its own transaction: the receipt's was rolled back)."""
    sender = _short(env.get("sender")) or "unknown"
    ctx = Context(
        actor_user=f"partner:{sender}"[:150],
        actor_org=sender,
        actor_role=PARTNER_ROLE,
        purpose=RECEIVE_PURPOSE,
    )
    trace = _short(env.get("trace_id"), 32)
    if len(trace) == 32 and all(c in "0123456789abcdef" for c in trace):
        ctx.trace_id = trace
    mid = _short(env.get("message_id"), 36)
    append(
        ctx,
        [
            Entry(
                f"exchange.refused.{exc.code.removeprefix('exchange-')}",
                "write",
                RESOURCE,
                (exc.field or "envelope",),
                object_ref=f"exchange:{mid}" if mid else "exchange:?",
                status_code="ERROR",
            )
        ],
    )
    log.warning("exchange message from %r refused: %s (%s)", sender, exc.code, exc.detail)


def receive(data: Any) -> tuple[int, dict[str, Any]]:
    """(HTTP status, the signed receipt): 201 for a message kept now, 200 for a redelivery."""
    env = data.get("envelope") if isinstance(data, Mapping) else None
    env = env if isinstance(env, Mapping) else {}
    try:
        return _receive(data)
    except ServiceError as exc:
        _refused(env, exc)
        raise


def _form(data: Any) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    if not isinstance(data, Mapping) or set(data) != {"envelope", "delivery"}:
        raise BadInputError(
            "body",
            "must be an object with envelope and delivery",
            "moet een object zijn met envelope en delivery",
        )
    env, dlv = data["envelope"], data["delivery"]
    for name, value, fields in (
        ("envelope", env, ENVELOPE_FIELDS),
        ("delivery", dlv, DELIVERY_FIELDS),
    ):
        if not isinstance(value, Mapping) or set(value) != fields:
            raise BadInputError(
                name,
                f"must be an object with exactly the fields {', '.join(sorted(fields))}",
                f"moet een object zijn met precies de velden {', '.join(sorted(fields))}",
            )
    if env["format"] != envelope.FORMAT:
        raise BadInputError("envelope.format", "must be 1", "moet 1 zijn")
    if not isinstance(env["body"], Mapping):
        raise BadInputError("envelope.body", "must be an object", "moet een object zijn")
    return env, dlv


def _when(obj: Mapping[str, Any], field: str, name: str) -> datetime:
    at = envelope.parse_timestamp(obj.get(field))
    if at is None:
        raise BadInputError(
            f"{name}.{field}",
            "must be a UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ",
            "moet een UTC-tijd zijn (JJJJ-MM-DDTUU:MM:SS.ffffffZ)",
        )
    return at


def _receive(data: Any) -> tuple[int, dict[str, Any]]:
    env, dlv = _form(data)
    mid = message_uuid(env, "message_id")
    created = _when(env, "created_at", "envelope")
    sent = _when(dlv, "sent_at", "delivery")
    if env["receiver"] != own_code():
        raise ExchangeRefusedError(
            422,
            "exchange-wrong-receiver",
            f"this instance is {own_code()}, not {_short(env['receiver'])!r}",
            f"deze installatie is {own_code()}, niet {_short(env['receiver'])!r}",
            "envelope.receiver",
        )
    sender = (
        Partner.objects.filter(code=env["sender"]).first()
        if isinstance(env["sender"], str)
        else None
    )
    env_key = key_at(sender, env["key_id"], created) if sender else None
    if sender is None or env_key is None:
        raise ExchangeRefusedError(
            403,
            "exchange-unknown-key",
            "the sender or its key is unknown here, or the key was not valid when the message "
            "was written (forged?)",
            "de afzender of zijn sleutel is hier onbekend, of de sleutel was niet geldig toen "
            "het bericht werd geschreven (vervalst?)",
            "envelope.key_id",
        )
    if not envelope.verify(envelope.load_public_pem(env_key.public_pem), env):
        raise ExchangeRefusedError(
            403,
            "exchange-bad-signature",
            "the envelope's signature does not match its content (changed after signing, or "
            "not signed by this key)",
            "de handtekening van het bericht klopt niet bij de inhoud (gewijzigd na "
            "ondertekening, of niet met deze sleutel ondertekend)",
            "envelope.signature",
        )
    now = timezone.now()
    dlv_key = key_at(sender, dlv["key_id"], sent)
    if (
        dlv_key is None
        or not envelope.verify(envelope.load_public_pem(dlv_key.public_pem), dlv)
        or dlv["message_id"] != env["message_id"]
        or dlv["envelope_sha256"] != envelope.digest(env)
    ):
        raise ExchangeRefusedError(
            403,
            "exchange-bad-signature",
            "the delivery is not signed by the sender for this envelope",
            "de bezorging is niet door de afzender voor dit bericht ondertekend",
            "delivery.signature",
        )
    if abs(now - sent) > window() or created > now + window():
        raise ExchangeRefusedError(
            409,
            "exchange-stale",
            f"sent at {dlv['sent_at']}, outside the window of {window().total_seconds():.0f} s "
            "around this instance's time (replayed, or a clock is wrong)",
            f"verzonden op {dlv['sent_at']}, buiten het venster van "
            f"{window().total_seconds():.0f} s rond de tijd van deze installatie (herhaald, of "
            "een klok loopt verkeerd)",
            "delivery.sent_at",
        )
    nonce = _short(dlv["nonce"])
    if len(nonce) < 16:
        raise BadInputError(
            "delivery.nonce", "must be 16 to 64 characters", "moet 16 tot 64 tekens zijn"
        )
    kind = kind_of(env["kind"])
    try:
        with transaction.atomic():
            return _keep(sender, env, mid, kind.id, nonce, sent)
    except IntegrityError:
        raise ExchangeRefusedError(
            409,
            "exchange-replayed",
            "this delivery's nonce was seen before: a replay",
            "de nonce van deze bezorging is al eerder ontvangen: een herhaling",
            "delivery.nonce",
        ) from None


def _keep(
    sender: Partner, env: Mapping[str, Any], mid: str, kind_id: str, nonce: str, sent: datetime
) -> tuple[int, dict[str, Any]]:
    # The nonce first: a second delivery with it fails here, before anything else is stored.
    SeenNonce.objects.create(partner=sender, nonce=nonce, sent_at=sent)
    kept = InboxMessage.objects.select_for_update().filter(message_id=mid).first()
    if kept is not None:
        if kept.partner_id != sender.code or envelope.digest(kept.envelope) != envelope.digest(env):
            raise ExchangeRefusedError(
                409,
                "exchange-id-reused",
                "another message was received under this message id",
                "onder dit berichtnummer is al een ander bericht ontvangen",
                "envelope.message_id",
            )
        return 200, kept.receipt  # a redelivery: the same receipt, nothing stored twice
    kind = KINDS[kind_id]
    body = kind.check_body(env["body"])
    ctx = Context(
        actor_user=f"partner:{sender.code}",
        actor_org=sender.code,
        actor_role=PARTNER_ROLE,
        purpose=RECEIVE_PURPOSE,
    )
    trace = _short(env.get("trace_id"), 32)
    if len(trace) == 32 and all(c in "0123456789abcdef" for c in trace):
        ctx.trace_id = trace  # the sender's trace: one trace across the two organisations
    entries = [
        Entry(
            "exchange.received",
            "write",
            RESOURCE,
            tuple(sorted({"legal_basis", "purpose", *body})),
            object_ref=f"exchange:{mid}",
        )
    ]
    in_reply_to = None
    status = "open"
    if kind.is_answer:
        in_reply_to = body["in_reply_to"]
        asked = (
            OutboxMessage.objects.select_for_update()
            .filter(message_id=in_reply_to, partner=sender, in_reply_to__isnull=True)
            .first()
        )
        if asked is None or asked.outcome:
            raise ExchangeRefusedError(
                422,
                "exchange-no-such-request",
                "answers no open request this instance sent to the sender",
                "beantwoordt geen openstaand verzoek dat deze installatie aan de afzender stuurde",
                "envelope.body.in_reply_to",
            )
        status = body["outcome"]
        OutboxMessage.objects.filter(pk=asked.pk).update(outcome=status)
        entries.append(
            Entry(
                f"exchange.{status}",
                "write",
                RESOURCE,
                ("outcome",),
                object_ref=f"exchange:{in_reply_to}",
            )
        )
    receipt = envelope.receipt(
        signing_key(), env, receiver=own_code(), trace_id=ctx.trace_id, at=timezone.now()
    )
    InboxMessage.objects.create(
        message_id=mid,
        partner=sender,
        kind=kind_id,
        envelope=dict(env),
        receipt=receipt,
        trace_id=ctx.trace_id,
        status=status,
        in_reply_to=in_reply_to,
    )
    append(ctx, entries)
    return 201, receipt


def outcome_name(status: str, lang: str = "nl") -> str:
    nl, en = OUTCOME_NAMES.get(status, (status, status))
    return nl if lang == "nl" else en


def sweep_nonces(now: datetime | None = None) -> int:
    """Forget the nonces of deliveries sent more than twice the time window ago (the idle
    worker's timer): such a delivery is refused as stale before its nonce is looked at, so
    keeping the nonce protects nothing and the table would only grow. Returns how many went."""
    cutoff = (now or timezone.now()) - 2 * window()
    deleted, _ = SeenNonce.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
