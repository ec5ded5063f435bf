"""The body of a ``coi_report`` message to the Belgian partner and back (seed 000: "Het CGVS
en IND werken verder samen rond het uitwisselen van informatie met betrekking tot de landen
van oorsprong"). Pure payloads: the exchange (keten/server/exchange) signs, sends, logs and
retries them; this module only says what is in one and what a received one becomes.

What leaves is the report's metadata and summary, never personal data: not who registered
it, not why, not which decisions cite it. Only a document marked shareable and registered
here is sent; one received from the partner is never passed on. A received document is
stored as received from that partner, not shareable, once per partner reference."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from keten.server.coi.models import CoiDocument, CoiDocumentEvent
from keten.server.services import coi, share_body
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError, ContradictionError
from keten.server.services.policy import check

KIND = "coi_report"
VERSION = 1
# Exactly these leave; a reader refuses anything else, so nothing personal rides along.
DOCUMENT_KEYS = (
    "source_id",
    "country",
    "title",
    "publisher",
    "kind",
    "published_on",
    "valid_until",
    "superseded_on",
    "reference",
    "summary",
    "language",
)


def build(doc: CoiDocument, events: list[CoiDocumentEvent]) -> dict[str, Any]:
    """The message body for one document (refused when it may not be shared)."""
    if doc.received_from:
        raise ContradictionError(
            "document",
            f"document {doc.pk} was received from {doc.received_from}: it is not passed on",
            f"document {doc.pk} is ontvangen van {doc.received_from}: het wordt niet doorgegeven",
        )
    if not doc.shareable:
        raise ContradictionError(
            "document",
            f"document {doc.pk} is not marked shareable with the partner",
            f"document {doc.pk} is niet gemarkeerd als deelbaar met de partner",
        )
    end = coi.ended(events)
    return {
        "kind": KIND,
        "version": VERSION,
        "document": {
            "source_id": str(doc.pk),
            "country": doc.country,
            "title": doc.title,
            "publisher": doc.publisher,
            "kind": doc.kind,
            "published_on": doc.published_on.isoformat(),
            "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
            "superseded_on": end.day.isoformat() if end else None,
            "reference": doc.reference,
            "summary": doc.summary,
            "language": doc.language,
        },
    }


def build_for(actor: Actor, doc_id: int) -> dict[str, Any]:
    """The body for a document by id, for a role that may read COI."""
    check(actor.role, coi.RESOURCE, "read")
    doc = coi.get(doc_id)
    return build(doc, coi.events_of([doc.pk]).get(doc.pk, []))


def read(body: Any) -> tuple[coi.DocumentInput, str]:
    """A received body, checked as a registration is, and the sender's id of the document.
    Refuses another kind or version and any key this format does not carry."""
    found = share_body.checked(body, KIND, VERSION, ("document",), field="document")
    doc = found.get("document")
    if not isinstance(doc, dict):
        raise BadInputError("document", "must be an object", "moet een object zijn")
    share_body.extra(doc, DOCUMENT_KEYS, "document", KIND, prefix="document.")
    source = share_body.source_id(doc, "document", "het document")
    # A received document is never passed on, so it arrives not shareable.
    return coi.document_input({**doc, "shareable": False}), source


def receive(actor: Actor, body: Any, partner: str, reason: str) -> dict[str, Any]:
    """Store a received report as received from ``partner``; the same report delivered
    again returns the one stored first."""
    check(actor.role, coi.RESOURCE, "write")
    found, source = read(body)
    if not coi.PARTNER.fullmatch(partner):
        raise BadInputError(
            "partner",
            "must be the partner organisation's code",
            "moet de code van de partnerorganisatie zijn",
        )
    with transaction.atomic():
        doc = CoiDocument.objects.filter(received_from=partner, received_ref=source).first()
        if doc is None:
            doc = coi.store(actor, found, reason, received_from=partner, received_ref=source)
    return coi.document_json(doc, coi.events_of([doc.pk]).get(doc.pk, []), found.published_on)
