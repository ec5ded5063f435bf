"""The country-of-origin reports shipped in ``data/coi/documents.yaml``, loaded into the
database by ``keten server setup`` once each (a second setup finds them by reference and
title), with their supersessions. Written as the register's own account, not an officer's."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import yaml
from django.db import transaction

from keten._data import data_path
from keten.server.coi.models import CoiDocument, CoiDocumentEvent
from keten.server.services.coi import document_input

SHIPPED = {
    "recorded_by": "keten-landeninformatie",
    "recorded_org": "keten",
    "recorded_role": "register",
    "reason": "meegeleverd voorbeeld (data/coi/documents.yaml)",
}


@cache
def entries() -> list[dict[str, Any]]:
    with data_path("coi", "documents.yaml").open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    found: list[dict[str, Any]] = raw["documents"]
    return found


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def ensure() -> int:
    """Load the shipped documents not yet in the database; returns how many were added."""
    added = 0
    with transaction.atomic():
        by_key: dict[str, CoiDocument] = {}
        for e in entries():
            doc = CoiDocument.objects.filter(
                reference=e["reference"], title=e["title"], received_from=""
            ).first()
            if doc is None:
                checked = document_input(
                    {
                        **e,
                        "published_on": _day(e["published_on"]),
                        "valid_until": _day(e["valid_until"]) if e.get("valid_until") else None,
                    }
                )
                note = "; ".join(x for x in (e.get("source", ""), e.get("note", "")) if x)
                doc = CoiDocument.objects.create(
                    country=checked.country,
                    title=checked.title,
                    publisher=checked.publisher,
                    kind=checked.kind,
                    published_on=checked.published_on,
                    valid_until=checked.valid_until,
                    reference=checked.reference,
                    summary=checked.summary,
                    language=checked.language,
                    shareable=checked.shareable,
                    verified=bool(e.get("verified", False)),
                    source_note=note,
                    **SHIPPED,
                )
                added += 1
            by_key[e["key"]] = doc
        for e in entries():
            ended = e.get("superseded")
            doc = by_key[e["key"]]
            if ended and not CoiDocumentEvent.objects.filter(document=doc).exists():
                CoiDocumentEvent.objects.create(
                    document=doc,
                    kind="superseded",
                    day=date.fromisoformat(_day(ended["day"])),
                    superseded_by=by_key[ended["by"]],
                    **SHIPPED,
                )
    return added
