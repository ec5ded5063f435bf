"""Country-of-origin information (``keten.server.coi``): register a report, end it by a later
one, list what is in force for a country on a day, read one. Public reports and no personal
data, so reads write no audit record (like the country register); every write is audited
and carries who, when and why. Who may do what is ``coi_document`` in policy.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from keten.chain.countries import country as country_of
from keten.server.audit.log import Entry, append
from keten.server.coi.kinds import DOCUMENT_KINDS, LANGUAGES, STATUSES
from keten.server.coi.models import CoiDocument, CoiDocumentEvent
from keten.server.services.actor import Actor
from keten.server.services.bounds import nl_day
from keten.server.services.errors import BadInputError, ContradictionError, NotFoundError
from keten.server.services.inputs import choice, day, text
from keten.server.services.policy import check
from keten.server.services.writing import reason_of, recorded

RESOURCE = "coi_document"
CODE = re.compile(r"^[A-Z]{3}$")
# A partner organisation as the exchange names it (e.g. "BE-DVZ-BO", "be-cgvs").
PARTNER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,63}$")
EARLIEST_PUBLICATION = date(1990, 1, 1)  # older than any report a decision relies on today
MAX_SUMMARY = 4000
DOCUMENT_FIELDS = (
    "country",
    "title",
    "publisher",
    "kind",
    "published_on",
    "valid_until",
    "reference",
    "summary",
    "language",
    "shareable",
)


@dataclass(frozen=True)
class DocumentInput:
    """A document's own fields, checked: what a registration and a partner's message carry."""

    country: str
    title: str
    publisher: str
    kind: str
    published_on: date
    valid_until: date | None
    reference: str
    summary: str
    language: str
    shareable: bool


def country_code(value: Any, field: str = "country") -> str:
    if not isinstance(value, str) or not CODE.match(value.strip().upper()):
        shown = repr(value)[:20]
        raise BadInputError(
            field,
            f"{shown} is not an ISO 3166-1 alpha-3 code (three letters, e.g. SYR)",
            f"{shown} is geen ISO 3166-1 alpha-3-code (drie letters, bijv. SYR)",
        )
    code = value.strip().upper()
    found = country_of(code)
    if found is None or found.alpha_2 is None:  # XXA, XXX: no country
        raise BadInputError(
            field,
            f"no country with code {code}: a report is about a country",
            f"geen land met code {code}: een landenrapport gaat over een land",
        )
    return code


def _flag(data: dict[str, Any], field: str) -> bool:
    value = data.get(field, False)
    if value in (True, "true", "on", "1"):
        return True
    if value in (False, None, "", "false", "0"):
        return False
    raise BadInputError(field, "must be true or false", "moet waar of onwaar zijn")


def document_input(data: dict[str, Any]) -> DocumentInput:
    """Check a document's fields, Dutch and English on every refusal, before anything is
    written."""
    published = day(data, "published_on", earliest=EARLIEST_PUBLICATION)
    assert published is not None  # required
    until = day(data, "valid_until", required=False, earliest=EARLIEST_PUBLICATION)
    if until is not None and until < published:
        raise BadInputError(
            "valid_until",
            f"must not be before the publication day ({published.isoformat()})",
            f"mag niet vóór de publicatiedatum ({nl_day(published)}) liggen",
        )
    return DocumentInput(
        country=country_code(data.get("country")),
        title=text(data, "title", max_len=300),
        publisher=text(data, "publisher", max_len=200),
        kind=choice(data, "kind", DOCUMENT_KINDS),
        published_on=published,
        valid_until=until,
        reference=text(data, "reference", max_len=500),
        summary=text(data, "summary", max_len=MAX_SUMMARY),
        language=choice(data, "language", LANGUAGES),
        shareable=_flag(data, "shareable"),
    )


def _audit(actor: Actor, name: str, fields: tuple[str, ...], doc: CoiDocument) -> None:
    # No person's data, but a change to what decisions rely on: who changed what is logged.
    append(actor.audit, [Entry(name, "write", RESOURCE, fields, object_ref=f"coi:{doc.pk}")])


def store(
    actor: Actor,
    found: DocumentInput,
    reason: str,
    *,
    received_from: str = "",
    received_ref: str = "",
    verified: bool = True,
    source_note: str = "",
) -> CoiDocument:
    """Write a checked document and its audit record, in the caller's transaction."""
    doc = CoiDocument.objects.create(
        country=found.country,
        title=found.title,
        publisher=found.publisher,
        kind=found.kind,
        published_on=found.published_on,
        valid_until=found.valid_until,
        reference=found.reference,
        summary=found.summary,
        language=found.language,
        shareable=found.shareable,
        received_from=received_from,
        received_ref=received_ref,
        verified=verified,
        source_note=source_note,
        **recorded(actor, reason),
    )
    _audit(actor, "coi.register", DOCUMENT_FIELDS, doc)
    return doc


def register(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Register a report as published: its country, title, publisher, kind, day, reference,
    summary, language and whether it may be shared with the Belgian partner."""
    check(actor.role, RESOURCE, "write")
    found = document_input(data)
    reason = reason_of(data)
    with transaction.atomic():
        doc = store(actor, found, reason)
    return document_json(doc, [], date.today())


def _missing(doc_id: int, field: str = "document") -> NotFoundError:
    return NotFoundError(
        f"no COI document {doc_id}",
        field=field,
        rule="must exist",
        detail_nl=f"geen landendocument {doc_id}",
        rule_nl="moet bestaan",
    )


def get(doc_id: int, field: str = "document", *, lock: bool = False) -> CoiDocument:
    rows = CoiDocument.objects.filter(pk=doc_id)
    doc = (rows.select_for_update() if lock else rows).first()
    if doc is None:
        raise _missing(doc_id, field)
    return doc


def ended(events: list[CoiDocumentEvent]) -> CoiDocumentEvent | None:
    """The earliest supersession, which ends the document's force from its day on."""
    ends = [e for e in events if e.kind == "superseded"]
    return min(ends, key=lambda e: (e.day, e.pk)) if ends else None


def status(doc: CoiDocument, events: list[CoiDocumentEvent], on: date) -> str:
    if on < doc.published_on:
        return "not_yet_published"
    end = ended(events)
    if end is not None and on >= end.day:
        return "superseded"
    if doc.valid_until is not None and on > doc.valid_until:
        return "expired"
    return "in_force"


def events_of(ids: list[int]) -> dict[int, list[CoiDocumentEvent]]:
    out: dict[int, list[CoiDocumentEvent]] = {}
    for e in CoiDocumentEvent.objects.filter(document_id__in=ids).order_by("day", "id"):
        out.setdefault(e.document_id, []).append(e)
    return out


def event_json(e: CoiDocumentEvent) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "kind_text": "vervangen" if e.kind == "superseded" else e.kind,
        "kind_text_en": "superseded" if e.kind == "superseded" else e.kind,
        "day": e.day.isoformat(),
        "superseded_by": e.superseded_by_id,
        "recorded_by": e.recorded_by,
        "recorded_org": e.recorded_org,
        "recorded_at": e.recorded_at.isoformat(),
        "reason": e.reason,
    }


def document_json(doc: CoiDocument, events: list[CoiDocumentEvent], on: date) -> dict[str, Any]:
    kind = DOCUMENT_KINDS.get(doc.kind)
    lang = LANGUAGES.get(doc.language)
    found = country_of(doc.country)
    state = status(doc, events, on)
    end = ended(events)
    return {
        "id": doc.pk,
        "country": doc.country,
        "country_name_nl": found.name("nl") if found else doc.country,
        "country_name_en": found.name("en") if found else doc.country,
        "title": doc.title,
        "publisher": doc.publisher,
        "kind": doc.kind,
        "kind_text": kind.nl if kind else doc.kind,
        "kind_text_en": kind.en if kind else doc.kind,
        "published_on": doc.published_on.isoformat(),
        "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
        "superseded_on": end.day.isoformat() if end else None,
        "superseded_by": end.superseded_by_id if end else None,
        "on": on.isoformat(),
        "status": state,
        "status_text": STATUSES[state].nl,
        "status_text_en": STATUSES[state].en,
        "reference": doc.reference,
        "summary": doc.summary,
        "language": doc.language,
        "language_text": lang.nl if lang else doc.language,
        "language_text_en": lang.en if lang else doc.language,
        "shareable": doc.shareable,
        "received_from": doc.received_from or None,
        "received_ref": doc.received_ref or None,
        "verified": doc.verified,
        "source_note": doc.source_note,
        "recorded_by": doc.recorded_by,
        "recorded_org": doc.recorded_org,
        "recorded_at": doc.recorded_at.isoformat(),
        "reason": doc.reason,
        "events": [event_json(e) for e in events],
    }


def documents(actor: Actor, country: str | None, on: date) -> dict[str, Any]:
    """The documents in force on ``on`` (for one country, or every country), newest first,
    and, for one country, every document it has with its status on the day."""
    check(actor.role, RESOURCE, "read")
    code = country_code(country) if country else None
    rows = CoiDocument.objects.all()
    if code is not None:
        rows = rows.filter(country=code)
    docs = list(rows.order_by("-published_on", "-id"))
    events = events_of([d.pk for d in docs])
    shown = [document_json(d, events.get(d.pk, []), on) for d in docs]
    found = country_of(code) if code else None
    return {
        "on": on.isoformat(),
        "country": code,
        "country_name_nl": found.name("nl") if found else None,
        "country_name_en": found.name("en") if found else None,
        "in_force": [d for d in shown if d["status"] == "in_force"],
        "all": shown if code is not None else [],
    }


def document(actor: Actor, doc_id: int, on: date) -> dict[str, Any]:
    check(actor.role, RESOURCE, "read")
    doc = get(doc_id)
    return document_json(doc, events_of([doc.pk]).get(doc.pk, []), on)


def supersede(actor: Actor, doc_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """End a document's force from ``day`` on because ``by`` (a later report on the same
    country) replaces it. The document itself is not changed: the event says so."""
    check(actor.role, RESOURCE, "write")
    when = day(data, "day", earliest=EARLIEST_PUBLICATION)
    assert when is not None  # required
    by = data.get("by")
    if isinstance(by, str) and by.isascii() and by.isdecimal() and len(by) < 20:
        by = int(by)
    if not isinstance(by, int) or isinstance(by, bool) or not 0 < by < 2**63:
        raise BadInputError(
            "by",
            "must be the id of the document that replaces it",
            "moet het id van het vervangende document zijn",
        )
    reason = reason_of(data)
    with transaction.atomic():
        doc = get(doc_id, lock=True)  # two supersessions of one document wait for each other
        successor = get(by, "by")
        if successor.pk == doc.pk:
            raise ContradictionError(
                "by", "a document cannot replace itself", "een document kan zichzelf niet vervangen"
            )
        if successor.country != doc.country:
            raise ContradictionError(
                "by",
                f"replaces a report on {doc.country} only by one on the same country, not "
                f"{successor.country}",
                f"een rapport over {doc.country} wordt alleen vervangen door een rapport over "
                f"hetzelfde land, niet {successor.country}",
            )
        if when < doc.published_on or when < successor.published_on:
            latest = max(doc.published_on, successor.published_on)
            raise ContradictionError(
                "day",
                f"must not be before both documents were published ({latest.isoformat()})",
                f"mag niet vóór de publicatie van beide documenten ({nl_day(latest)}) liggen",
            )
        events = events_of([doc.pk]).get(doc.pk, [])
        end = ended(events)
        if end is not None:
            raise ContradictionError(
                "document",
                f"already superseded from {end.day.isoformat()} by document {end.superseded_by_id}",
                f"al vervangen vanaf {nl_day(end.day)} door document {end.superseded_by_id}",
            )
        event = CoiDocumentEvent.objects.create(
            document=doc,
            kind="superseded",
            day=when,
            superseded_by=successor,
            **recorded(actor, reason),
        )
        _audit(actor, "coi.supersede", ("superseded_on", "superseded_by"), doc)
    return document_json(doc, [*events, event], when)
