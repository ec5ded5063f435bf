"""The exchange with partner organisations abroad: partners and their keys, liaison officers'
accreditations, writing a request or an answer to the outbox, and reading the work queue.

Every write checks the policy (resource ``exchange``), the actor's accreditation with the
partner (a liaison officer acts only for the partners it is accredited with, on the days it
is) and leaves an audit record naming the message (``object_ref`` ``exchange:<message id>``,
the same id on both sides) in the trace the envelope carries, so the two logs can be matched.
Delivery is the job's (``exchange_delivery``); receiving is ``exchange_inbox``'s.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from keten.server.audit import keys as key_files
from keten.server.audit.log import Context, Entry, append
from keten.server.exchange import envelope
from keten.server.exchange.models import (
    DELIVERED,
    OPEN,
    OUTCOMES,
    PENDING,
    Accreditation,
    InboxMessage,
    OutboxMessage,
    Partner,
    PartnerKey,
)
from keten.server.services.actor import Actor
from keten.server.services.errors import (
    BadInputError,
    ContradictionError,
    ForbiddenError,
    NotFoundError,
    UnavailableError,
)
from keten.server.services.exchange_kinds import (
    KINDS,
    OUTCOME_NAMES,
    Kind,
    kind_of,
    kinds_for,
    message_uuid,
)
from keten.server.services.inputs import text
from keten.server.services.policy import check
from keten.server.services.writing import reason_of

RESOURCE = "exchange"
TAKEN_OVER = "taken_over"
# The roles whose access is always bound to an accreditation: the liaison officers, the IND's
# and the DVZ's (seed 000 point 1).
ACCREDITED_ROLES = frozenset({"liaison_officer", "dvz_liaison_officer"})
SYSTEM_USER = "keten-exchange"
SYSTEM_ROLE = "system"
ADMIN_PURPOSE = "urn:keten:verwerking:uitwisseling:beheer"
LIST_LIMIT = 200


def own_code() -> str:
    return str(settings.EXCHANGE_ORGANISATION)


def own_country() -> str:
    return str(settings.EXCHANGE_COUNTRY)


def country_of(organisation: str) -> str:
    """The country of a chain organisation (policy.yaml ``organisations``; NL when unsaid)."""
    from keten.server.services.policy import policy

    found = next((o for o in policy().organisations if o["code"] == organisation), None)
    return str((found or {}).get("country", "NL"))


def accreditation_bound(role_id: str, organisation: str) -> bool:
    """Whether the actor acts only with the partners it is accredited with: a liaison officer,
    and anyone of another country's organisation than this instance's (a Belgian officer on a
    Dutch instance does not act for the IND, nor a Dutch one on a Belgian instance)."""
    return role_id in ACCREDITED_ROLES or country_of(organisation) != own_country()


def key_path() -> Path:
    return Path(settings.EXCHANGE_SIGNING_KEY)


def signing_key() -> Ed25519PrivateKey:
    try:
        return key_files.load_private(key_path())
    except key_files.SigningKeyError:
        raise UnavailableError(
            f"this instance has no exchange signing key at {key_path()}",
            field="key",
            rule="run `keten server exchange-keygen` first",
            detail_nl="deze installatie heeft nog geen sleutel om berichten te ondertekenen",
            rule_nl="voer eerst `keten server exchange-keygen` uit",
        ) from None


def system_context(trace_id: str = "", purpose: str = ADMIN_PURPOSE) -> Context:
    ctx = Context(
        actor_user=SYSTEM_USER, actor_org=own_code(), actor_role=SYSTEM_ROLE, purpose=purpose
    )
    if trace_id:
        ctx.trace_id = trace_id
    return ctx


# -- partners, keys, accreditations (the operator's commands) --------------------------------


def add_partner(code: str, name: str, country: str, inbox_url: str, reason: str) -> Partner:
    from keten.server.services.webhooks import valid_url  # the same rule for a partner's URL

    data = {"code": code, "name": name, "country": country, "reason": reason}
    code = text(data, "code", max_len=32)
    if code == own_code():
        raise BadInputError(
            "code", "is this instance's own code", "is de code van deze installatie zelf"
        )
    country = text(data, "country", max_len=2).upper()
    row, _ = Partner.objects.update_or_create(
        code=code,
        defaults={
            "name": text(data, "name", max_len=200),
            "country": country,
            "inbox_url": valid_url(inbox_url),
            "recorded_by": SYSTEM_USER,
            "recorded_org": own_code(),
            "recorded_role": SYSTEM_ROLE,
            "reason": reason_of(data),
        },
    )
    append(
        system_context(),
        [Entry("exchange.partner", "write", RESOURCE, ("name", "inbox_url"), object_ref=code)],
    )
    return row


def partner(code: Any) -> Partner:
    found = Partner.objects.filter(code=code).first() if isinstance(code, str) else None
    if found is None:
        raise NotFoundError(
            f"no partner {str(code)[:40]!r}",
            field="partner",
            rule="must be a partner this instance knows (keten server exchange-partner)",
            detail_nl=f"geen partner {str(code)[:40]!r}",
            rule_nl="moet een partner zijn die deze installatie kent",
        )
    return found


def add_partner_key(
    code: str, pem: str, valid_from: datetime, valid_to: datetime | None, reason: str
) -> PartnerKey:
    """A partner's public key, from when (and until when) it signs. The same key added again
    changes nothing; an older key stays, so the messages it signed still verify."""
    p = partner(code)
    try:
        public = envelope.load_public_pem(pem)
    except ValueError as exc:
        raise BadInputError(
            "key", f"not an Ed25519 public key in PEM: {exc}", "geen Ed25519-sleutel in PEM"
        ) from None
    if valid_to is not None and valid_to <= valid_from:
        raise BadInputError("valid_to", "must be after valid_from", "moet na valid_from liggen")
    row, _ = PartnerKey.objects.get_or_create(
        partner=p,
        key_id=key_files.key_id(public),
        defaults={
            "public_pem": envelope.public_pem(public),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "recorded_by": SYSTEM_USER,
            "recorded_org": own_code(),
            "recorded_role": SYSTEM_ROLE,
            "reason": reason,
        },
    )
    append(
        system_context(),
        [
            Entry(
                "exchange.partner_key",
                "write",
                RESOURCE,
                ("key",),
                object_ref=f"{code}:{row.key_id}",
            )
        ],
    )
    return row


def retire_partner_key(code: str, key_id: str, valid_to: datetime, reason: str) -> PartnerKey:
    """Set the day a partner's key stops signing (a rotation); messages signed before still
    verify."""
    p = partner(code)
    row = PartnerKey.objects.filter(partner=p, key_id=key_id).first()
    if row is None:
        raise NotFoundError(
            f"partner {code} has no key {key_id}",
            field="key_id",
            rule="must be one of the partner's keys",
            detail_nl=f"partner {code} heeft geen sleutel {key_id}",
            rule_nl="moet een van de sleutels van de partner zijn",
        )
    PartnerKey.objects.filter(pk=row.pk).update(valid_to=valid_to, reason=reason)
    append(
        system_context(),
        [
            Entry(
                "exchange.partner_key_end",
                "write",
                RESOURCE,
                ("valid_to",),
                object_ref=f"{code}:{key_id}",
            )
        ],
    )
    row.refresh_from_db()
    return row


def key_at(p: Partner, key_id: Any, at: datetime) -> PartnerKey | None:
    """The partner's key ``key_id`` if it was valid at ``at``."""
    if not isinstance(key_id, str):
        return None
    row = PartnerKey.objects.filter(partner=p, key_id=key_id).first()
    if row is None or row.valid_from > at or (row.valid_to is not None and row.valid_to <= at):
        return None
    return row


def accredit(
    username: str, code: str, valid_from: date, valid_to: date, reason: str
) -> Accreditation:
    p = partner(code)
    if valid_to < valid_from:
        raise BadInputError(
            "valid_to", "must not be before valid_from", "mag niet voor valid_from liggen"
        )
    row = Accreditation.objects.create(
        username=username,
        partner=p,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=SYSTEM_USER,
        recorded_org=own_code(),
        recorded_role=SYSTEM_ROLE,
        reason=reason,
    )
    append(
        system_context(),
        [
            Entry(
                "exchange.accreditation",
                "write",
                RESOURCE,
                ("valid_from", "valid_to"),
                object_ref=f"{username}@{code}",
            )
        ],
    )
    return row


# -- who sees which partners -----------------------------------------------------------------


def partners_of(actor: Actor, action: str, on: date | None = None) -> set[str] | None:
    """The partner codes the actor may act for (None: every partner). A liaison officer, or an
    officer of another country's organisation, only those it is accredited with on the day;
    the check of the role's right comes first."""
    check(actor.role, RESOURCE, action)
    if not accreditation_bound(actor.role.id, actor.organisation):
        return None
    on = on or timezone.localdate()
    return set(
        Accreditation.objects.filter(
            username=actor.username, valid_from__lte=on, valid_to__gte=on
        ).values_list("partner_id", flat=True)
    )


def _handles(actor: Actor, kind: Kind) -> None:
    """The role takes part in the exchange for this kind of message (``Kind.roles``)."""
    if kind.id not in kinds_for(actor.role.id):
        raise ForbiddenError(
            f"role {actor.role.id} does not handle {kind.id} messages",
            field="kind",
            rule="each kind of message is sent and handled by the roles its agreement names",
            detail_nl=f"de rol {actor.role.id} behandelt geen berichten van de soort {kind.id}",
            rule_nl="elke soort bericht wordt verstuurd en behandeld door de rollen die de "
            "afspraak noemt",
        )


def _for_partner(actor: Actor, code: Any, action: str) -> Partner:
    allowed = partners_of(actor, action)
    p = partner(code)
    if allowed is not None and p.code not in allowed:
        raise NotFoundError(
            f"no partner {p.code} for you today",
            field="partner",
            rule="a liaison officer (or an officer of another country's service) acts only for "
            "the partners it is accredited with, on the days of its accreditation",
            detail_nl=f"geen partner {p.code} voor u vandaag",
            rule_nl="een verbindingsambtenaar (of een ambtenaar van een dienst van een ander "
            "land) handelt alleen voor de partners waarbij hij of zij geaccrediteerd is, op de "
            "dagen van de accreditatie",
        )
    return p


# -- writing to the outbox -------------------------------------------------------------------


def queue_delivery(row: OutboxMessage) -> None:
    from keten.server.jobs import queue  # jobs imports no capability; this one queues there

    queue.enqueue(
        "exchange",
        {"outbox": row.pk},
        requested_by=row.recorded_by,
        requested_org=row.recorded_org,
        requested_role=row.recorded_role,
        reason=f"exchange message {row.message_id} to {row.partner_id}",
    )


def _write(
    actor: Actor,
    p: Partner,
    kind: str,
    body: dict[str, Any],
    *,
    legal_basis: str,
    purpose: str,
    sender_reference: str,
    reason: str,
    entries: list[Entry],
    in_reply_to: str | None = None,
) -> OutboxMessage:
    """Sign and store one outbox message with its audit records and delivery job: one
    transaction, so a message is either kept and on its way, or not written at all."""
    key = signing_key()
    signed = envelope.envelope(
        key,
        sender=own_code(),
        receiver=p.code,
        kind=kind,
        legal_basis=legal_basis,
        purpose=purpose,
        sender_reference=sender_reference,
        trace_id=actor.audit.trace_id,
        body=body,
        at=timezone.now(),
    )
    ref = f"exchange:{signed['message_id']}"
    row = OutboxMessage.objects.create(
        message_id=signed["message_id"],
        partner=p,
        kind=kind,
        envelope=signed,
        next_try_at=None,
        trace_id=actor.audit.trace_id,
        in_reply_to=in_reply_to,
        recorded_by=actor.username,
        recorded_org=actor.organisation,
        recorded_role=actor.role.id,
        reason=reason,
    )
    append(
        actor.audit,
        [
            Entry(e.name, e.action, e.policy_resource, e.fields, object_ref=e.object_ref or ref)
            for e in entries
        ],
    )
    queue_delivery(row)
    return row


def send_request(actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """A request to a partner (e.g. ``request_1f_information``): the person as the partner
    can match them, the question, the legal basis and purpose (the kind's unless stated)."""
    p = _for_partner(actor, data.get("partner"), "write")
    kind = kind_of(data.get("kind", "request_1f_information"), answers=False, informs=False)
    _handles(actor, kind)
    body = kind.check_body(data)
    legal_basis = text(data, "legal_basis", required=False, max_len=500) or kind.legal_basis
    purpose = text(data, "purpose", required=False, max_len=500) or kind.purpose
    sender_reference = text(data, "sender_reference", max_len=64)
    reason = reason_of(dict(data))
    fields = ("legal_basis", "purpose", "question", *(f"person.{k}" for k in body["person"]))
    with transaction.atomic():
        row = _write(
            actor,
            p,
            kind.id,
            body,
            legal_basis=legal_basis,
            purpose=purpose,
            sender_reference=sender_reference,
            reason=reason,
            entries=[Entry("exchange.send", "write", RESOURCE, fields)],
        )
    return outbox_json(row)


def share(actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Information for a partner without a question: a COI report of ours (``document``: its
    id; only a shareable one of our own), our programme of special flights and missions on a
    day (``on``), a request for ``seats`` on an ``operation`` the partner shared (with the
    ``escorts`` and ``escort_service`` it brings), or a joint request of ours (``request``) to
    the partner it is joint with. The body is built by the owning service, which checks the
    actor may read it."""
    from keten.server.services import (
        coi_share,
        joint_request_share,
        return_cooperation_share,
        return_escorts,
    )
    from keten.server.services.bounds import reference_day, whole_number

    p = _for_partner(actor, data.get("partner"), "write")
    kind = kind_of(data.get("kind"), answers=False, informs=True)
    _handles(actor, kind)
    if kind.id == "coi_report":
        document = whole_number(data.get("document"), "document")
        built = coi_share.build_for(actor, document)
        fields: tuple[str, ...] = ("coi_document",)
    elif kind.id == "return_operation_seats":
        operation = whole_number(data.get("operation"), "operation")
        seats = whole_number(data.get("seats"), "seats", high=1000)
        built = return_cooperation_share.build_seat_request(
            actor,
            operation,
            seats,
            text(data, "sender_reference", max_len=64),
            return_escorts.optional(dict(data)),
        )
        fields = ("return_operation", "seats")
    elif kind.id == "return_joint_request":
        request = whole_number(data.get("request"), "request")
        built = joint_request_share.build(actor, request, p.code)
        fields = ("joint_request",)
    else:
        built = return_cooperation_share.build_programme(actor, reference_day(data.get("on")))
        fields = ("return_operation",)
    body = kind.check_body(built)
    with transaction.atomic():
        row = _write(
            actor,
            p,
            kind.id,
            body,
            legal_basis=kind.legal_basis,
            purpose=kind.purpose,
            sender_reference=text(data, "sender_reference", max_len=64),
            reason=reason_of(dict(data)),
            entries=[Entry("exchange.share", "write", RESOURCE, fields)],
        )
    return outbox_json(row)


def take_over(actor: Actor, message_id: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """Take shared information into this side's own records, as the partner's: a COI report
    (a role that writes COI), a flight programme, a seat request or a joint request (a role
    that writes return operations; taking a joint request over is agreeing to it).
    Once only; the message then reads "taken over"."""
    from keten.server.services import coi_share, joint_request_share, return_cooperation_share

    mid = message_uuid({"message": message_id}, "message")
    allowed = partners_of(actor, "write")
    reason = reason_of(dict(data))
    with transaction.atomic():
        row = _inbox_row(mid, allowed, lock=True, kinds=kinds_for(actor.role.id))
        kind = KINDS[row.kind]
        if not kind.informs:
            raise ContradictionError(
                "message",
                "asks a question: answer it instead",
                "stelt een vraag: beantwoord die in plaats daarvan",
            )
        if row.status != OPEN:
            raise ContradictionError("message", "was taken over already", "is al overgenomen")
        body = row.envelope["body"]
        stored: Any
        if kind.id == "coi_report":
            stored = coi_share.receive(actor, body, row.partner_id, reason)
        elif kind.id == "return_operation_seats":  # the seats given, or refused when too few
            stored = return_cooperation_share.receive_seat_request(
                actor, body, row.partner_id, reason
            )
        elif kind.id == "return_joint_request":  # taking it over is agreeing to it
            stored = joint_request_share.receive(actor, body, row.partner_id, reason)
        else:
            stored = return_cooperation_share.receive_programme(actor, body, row.partner_id, reason)
        InboxMessage.objects.filter(pk=row.pk).update(
            status=TAKEN_OVER, answered_by=actor.username, answered_at=timezone.now()
        )
        append(
            actor.audit,
            [
                Entry(
                    "exchange.taken_over",
                    "write",
                    RESOURCE,
                    ("status",),
                    object_ref=f"exchange:{mid}",
                )
            ],
        )
        row.refresh_from_db()
    return {**inbox_json(row), "stored": stored}


def answer(actor: Actor, message_id: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """The liaison officer's answer to a request received: answered, partly answered or
    refused (with the reason), sent back under the request's legal basis and purpose."""
    mid = message_uuid({"message": message_id}, "message")
    allowed = partners_of(actor, "write")
    reason = reason_of(dict(data))
    with transaction.atomic():
        request = _inbox_row(mid, allowed, lock=True, kinds=kinds_for(actor.role.id))
        if KINDS[request.kind].is_answer or KINDS[request.kind].informs:
            raise ContradictionError(
                "message",
                "is not a request (an answer, or information to take over)",
                "is geen verzoek (een antwoord, of informatie om over te nemen)",
            )
        if request.status != OPEN:
            raise ContradictionError(
                "message",
                f"was already answered ({request.status})",
                f"is al afgehandeld ({OUTCOME_NAMES[request.status][0]})",
            )
        body = kind_of("answer").check_body({**data, "in_reply_to": str(request.message_id)})
        env = request.envelope
        row = _write(
            actor,
            request.partner,
            "answer",
            body,
            legal_basis=str(env.get("legal_basis", "")),
            purpose=str(env.get("purpose", "")),
            sender_reference=text(data, "sender_reference", required=False, max_len=64),
            reason=reason,
            in_reply_to=str(request.message_id),
            entries=[
                Entry(
                    "exchange.answer", "write", RESOURCE, ("outcome", "answer", "refusal_reason")
                ),
                # The request's own id in the same trace: this side's log ties answer to request.
                Entry(
                    f"exchange.{body['outcome']}",
                    "write",
                    RESOURCE,
                    ("status",),
                    object_ref=f"exchange:{request.message_id}",
                ),
            ],
        )
        InboxMessage.objects.filter(pk=request.pk).update(
            status=body["outcome"],
            answered_by=actor.username,
            answered_at=timezone.now(),
            answer_id=row.message_id,
        )
        request.refresh_from_db()
    return inbox_json(request)


# -- reading ---------------------------------------------------------------------------------


def _inbox_row(
    mid: str,
    allowed: set[str] | None,
    *,
    lock: bool = False,
    kinds: frozenset[str] | None = None,
) -> InboxMessage:
    rows = InboxMessage.objects.select_related("partner")
    if lock:
        rows = rows.select_for_update()
    row = rows.filter(message_id=uuid.UUID(mid)).first()
    hidden = row is not None and kinds is not None and row.kind not in kinds
    if row is None or hidden or (allowed is not None and row.partner_id not in allowed):
        raise NotFoundError(
            f"no message {mid}",
            field="message",
            rule="must be a message received from a partner you act for",
            detail_nl=f"geen bericht {mid}",
            rule_nl="moet een bericht zijn van een partner waarvoor u optreedt",
        )
    return row


def _ts(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def is_erased(env: Any) -> bool:
    """Whether the envelope's body was erased after its retention period
    (services/exchange_retention.py): the body is then a marker with the old body's hash."""
    body = env.get("body") if isinstance(env, Mapping) else None
    return isinstance(body, Mapping) and "erased" in body


def erased_at(env: Any) -> str | None:
    return str(env["body"]["erased"]["at"]) if is_erased(env) else None


def outbox_json(row: OutboxMessage) -> dict[str, Any]:
    return {
        "message_id": str(row.message_id),
        "partner": row.partner_id,
        "kind": row.kind,
        "status": row.status,
        "attempts": row.attempts,
        "next_try_at": _ts(row.next_try_at),
        "last_error": row.last_error,
        "delivered_at": _ts(row.delivered_at),
        "outcome": row.outcome or None,
        "in_reply_to": str(row.in_reply_to) if row.in_reply_to else None,
        "trace_id": row.trace_id,
        "body_erased_at": erased_at(row.envelope),
        "partner_audit_reference": (row.receipt or {}).get("audit_reference"),
        "recorded_by": row.recorded_by,
        "recorded_at": row.recorded_at.isoformat(),
        "envelope": row.envelope,
        "receipt": row.receipt,
    }


def inbox_json(row: InboxMessage) -> dict[str, Any]:
    return {
        "message_id": str(row.message_id),
        "partner": row.partner_id,
        "kind": row.kind,
        "status": row.status,
        "received_at": row.received_at.isoformat(),
        "answered_by": row.answered_by or None,
        "answered_at": _ts(row.answered_at),
        "answer_id": str(row.answer_id) if row.answer_id else None,
        "in_reply_to": str(row.in_reply_to) if row.in_reply_to else None,
        "trace_id": row.trace_id,
        "body_erased_at": erased_at(row.envelope),
        "envelope": row.envelope,
        "receipt": row.receipt,
    }


def messages(actor: Actor, box: str = "inbox", status: str = "") -> dict[str, Any]:
    """The actor's work queue (``inbox``: received, open requests first) or what it sent
    (``outbox``), for the partners it may act for; the newest 200. Reading the persons the
    messages name is one audit record naming every message listed."""
    if box not in ("inbox", "outbox"):
        raise BadInputError("box", "must be inbox or outbox", "moet inbox of outbox zijn")
    known = (PENDING, DELIVERED) if box == "outbox" else (OPEN, *OUTCOMES, TAKEN_OVER)
    if status and status not in known:
        # An unknown status would list nothing and look like an empty queue.
        raise BadInputError(
            "status",
            f"must be one of {', '.join(known)} for the {box}",
            f"moet een van deze zijn voor de {box}: {', '.join(known)}",
        )
    allowed = partners_of(actor, "read")
    results: list[dict[str, Any]]
    if box == "inbox":
        inbox = (
            InboxMessage.objects.select_related("partner")
            .filter(kind__in=kinds_for(actor.role.id))
            .order_by("-id")
        )
        if allowed is not None:
            inbox = inbox.filter(partner_id__in=allowed)
        if status:
            inbox = inbox.filter(status=status)
        rows_in = list(inbox[:LIST_LIMIT])
        rows_in.sort(key=lambda r: r.status != OPEN)  # stable: open ones first, newest first
        results = [inbox_json(r) for r in rows_in]
    else:
        outbox = OutboxMessage.objects.filter(kind__in=kinds_for(actor.role.id)).order_by("-id")
        if allowed is not None:
            outbox = outbox.filter(partner_id__in=allowed)
        if status:
            outbox = outbox.filter(status=status)
        results = [outbox_json(r) for r in outbox[:LIST_LIMIT]]
    if results:
        append(
            actor.audit,
            [
                Entry(
                    f"exchange.read.{box}",
                    "read",
                    RESOURCE,
                    ("person", "question", "answer"),
                    object_ref=f"exchange:{box}:{len(results)}",
                )
            ],
        )
    return {"box": box, "organisation": own_code(), "results": results}


def partners_json(actor: Actor) -> dict[str, Any]:
    """The partners the actor may act for, with their keys (public) and this instance's own."""
    allowed = partners_of(actor, "read")
    rows = Partner.objects.order_by("code")
    if allowed is not None:
        rows = rows.filter(code__in=allowed)
    own_key = None
    if key_path().exists():
        own_key = key_files.key_id(signing_key().public_key())
    return {
        "organisation": own_code(),
        "key_id": own_key,
        "kinds": [
            {
                "kind": k.id,
                "name_nl": k.name_nl,
                "name_en": k.name_en,
                "legal_basis": k.legal_basis,
                "purpose": k.purpose,
                "source": k.source,
            }
            for k in KINDS.values()
        ],
        "results": [
            {
                "code": p.code,
                "name": p.name,
                "country": p.country,
                "inbox_url": p.inbox_url,
                "keys": [
                    {
                        "key_id": k.key_id,
                        "valid_from": k.valid_from.isoformat(),
                        "valid_to": _ts(k.valid_to),
                    }
                    for k in p.keys.order_by("valid_from")
                ],
            }
            for p in rows
        ],
    }


def writable_partners(actor: Actor) -> list[dict[str, str]]:
    """The partners the actor may send to today (a liaison officer: those it is accredited
    with); empty for a role without the exchange's write right."""
    if not actor.role.can(RESOURCE, "write"):
        return []
    allowed = partners_of(actor, "write")
    rows = Partner.objects.order_by("code")
    if allowed is not None:
        rows = rows.filter(code__in=allowed)
    return [{"code": p.code, "name": p.name} for p in rows]


def shares_kind(actor: Actor, kind_id: str) -> bool:
    """The actor's role may send messages of this kind (the page then offers it)."""
    return actor.role.can(RESOURCE, "write") and kind_id in kinds_for(actor.role.id)


def request_choices(actor: Actor) -> dict[str, Any]:
    """What the request form offers the actor: the partners it may write to today and the
    kinds of request its role sends; empty when it may send none (the form is then not shown)."""
    own = kinds_for(actor.role.id)
    kinds = [k for k in KINDS.values() if k.id in own and not k.informs and not k.is_answer]
    return {
        "partners": writable_partners(actor) if kinds else [],
        "kinds": [
            {
                "id": k.id,
                "name_nl": k.name_nl,
                "name_en": k.name_en,
                "legal_basis": k.legal_basis,
                "purpose": k.purpose,
            }
            for k in kinds
        ],
    }
