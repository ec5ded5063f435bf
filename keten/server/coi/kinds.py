"""The words of COI: kinds of document, their languages and a document's status on a day,
Dutch first."""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    nl: str
    en: str


DOCUMENT_KINDS: dict[str, Term] = {
    "ambtsbericht": Term(
        "Ambtsbericht (ministerie van Buitenlandse Zaken)",
        "Country report of the Dutch Ministry of Foreign Affairs (ambtsbericht)",
    ),
    "euaa_country_guidance": Term("EUAA Country Guidance", "EUAA Country Guidance"),
    "euaa_coi_report": Term("EUAA COI-rapport", "EUAA COI report"),
    "cgvs_coi_focus": Term("CGVS COI Focus (Cedoca)", "CGRS COI Focus (Cedoca)"),
    "other": Term("Ander landenrapport", "Other country report"),
}

LANGUAGES: dict[str, Term] = {
    "nl": Term("Nederlands", "Dutch"),
    "en": Term("Engels", "English"),
    "fr": Term("Frans", "French"),
    "de": Term("Duits", "German"),
}

STATUSES: dict[str, Term] = {
    "not_yet_published": Term("nog niet gepubliceerd", "not yet published"),
    "in_force": Term("geldend", "in force"),
    "expired": Term("verlopen", "expired"),
    "superseded": Term("vervangen", "superseded"),
}

# The choice sets as the OpenAPI document names them (settings ENUM_NAME_OVERRIDES).
DOCUMENT_KIND_IDS = tuple(sorted(DOCUMENT_KINDS))
LANGUAGE_IDS = tuple(sorted(LANGUAGES))
STATUS_IDS = tuple(sorted(STATUSES))
