"""The COI documents a decision relied on (``keten.server.coi.models.CoiCitation``), written
by the decide command in the decision's own transaction and shown with the decision.

A decision may cite only what existed on its day: a report published after the decision day
is refused. A report on another country than the person's nationality (a stateless person's
country of former habitual residence, a report on a transit country) and one no longer in
force on the day are refused unless the officer confirms it, and the confirmation is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from keten.server.audit.log import Entry, append
from keten.server.coi.kinds import STATUSES
from keten.server.coi.models import CoiCitation, CoiDocument
from keten.server.dossiers.models import Decision, Person
from keten.server.services import coi, scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import nl_day, whole_number
from keten.server.services.errors import BadInputError, ContradictionError, NotFoundError
from keten.server.services.policy import check
from keten.server.services.writing import entry, recorded

MAX_CITED = 20
FIELD = "coi"


@dataclass(frozen=True)
class Cite:
    document: int
    other_country: bool = False
    not_in_force: bool = False


def _id(value: Any) -> int:
    """A COI document's id as a citation names it (text or JSON number)."""
    return whole_number(value, FIELD)


def _flag(item: dict[str, Any], key: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise BadInputError(
            FIELD, f"{key} must be true or false", f"{key} moet waar of onwaar zijn"
        )
    return value


def parse(raw: Any) -> list[Cite]:
    """``coi`` as sent with a decision: a list of document ids, or of objects
    ``{"document": id, "confirm_other_country": bool, "confirm_not_in_force": bool}``; a
    form sends the ids as text separated by commas."""
    if raw in (None, "", []):
        return []
    if isinstance(raw, str):
        raw = [part for part in raw.replace(" ", "").split(",") if part]
    if not isinstance(raw, list):
        raise BadInputError(
            FIELD,
            "must be a list of COI document ids or citations",
            "moet een lijst van landendocumenten of verwijzingen zijn",
        )
    if len(raw) > MAX_CITED:
        raise BadInputError(
            FIELD, f"at most {MAX_CITED} documents", f"ten hoogste {MAX_CITED} documenten"
        )
    out: list[Cite] = []
    for item in raw:
        if isinstance(item, dict):
            unknown = set(item) - {"document", "confirm_other_country", "confirm_not_in_force"}
            if unknown:
                names = ", ".join(sorted(str(k)[:30] for k in unknown))
                raise BadInputError(
                    FIELD, f"unknown field(s): {names}", f"onbekende velden: {names}"
                )
            cite = Cite(
                _id(item.get("document")),
                _flag(item, "confirm_other_country"),
                _flag(item, "confirm_not_in_force"),
            )
        else:
            cite = Cite(_id(item))
        if any(c.document == cite.document for c in out):
            raise BadInputError(
                FIELD,
                f"document {cite.document} is cited twice",
                f"document {cite.document} staat er twee keer in",
            )
        out.append(cite)
    return out


def confirmations(data: dict[str, Any], cites: list[Cite]) -> list[Cite]:
    """A form's confirmations (``coi_confirm_other_country``, ``coi_confirm_not_in_force``)
    apply to every document it cites."""
    other = data.get("coi_confirm_other_country") in (True, "on", "true", "1")
    lapsed = data.get("coi_confirm_not_in_force") in (True, "on", "true", "1")
    return [Cite(c.document, c.other_country or other, c.not_in_force or lapsed) for c in cites]


def cite(actor: Actor, decision: Decision, person: Person | None, cites: list[Cite]) -> None:
    """Store the citations of a decision just recorded, in its transaction; refuse (and so
    undo the decision) when one may not be cited on the decision day."""
    if not cites:
        return
    check(actor.role, coi.RESOURCE, "read")
    if person is None:
        raise ContradictionError(
            FIELD,
            "only a decision on a person's procedure cites country-of-origin information",
            "alleen een besluit in de procedure van een persoon verwijst naar landeninformatie",
        )
    on = decision.decided_on
    docs = {d.pk: d for d in CoiDocument.objects.filter(pk__in=[c.document for c in cites])}
    events = coi.events_of(list(docs))
    for c in cites:
        doc = docs.get(c.document)
        if doc is None:
            raise NotFoundError(
                f"no COI document {c.document}",
                field=FIELD,
                rule="must exist",
                detail_nl=f"geen landendocument {c.document}",
                rule_nl="moet bestaan",
            )
        _check(doc, coi.status(doc, events.get(doc.pk, []), on), c, person, on)
        CoiCitation.objects.create(
            decision=decision,
            document=doc,
            day=on,
            other_country_confirmed=c.other_country and doc.country != person.nationality,
            not_in_force_confirmed=c.not_in_force,
            **recorded(actor, decision.reason),
        )
    append(
        actor.audit,
        [entry("decision.coi", "decision", ("coi_citations",), person, f"decision:{decision.pk}")],
    )


def _check(doc: CoiDocument, state: str, c: Cite, person: Person, on: date) -> None:
    if state == "not_yet_published":
        raise ContradictionError(
            FIELD,
            f"document {doc.pk} was published on {doc.published_on.isoformat()}, after the "
            f"decision day {on.isoformat()}: a decision cannot rely on it",
            f"document {doc.pk} is gepubliceerd op {nl_day(doc.published_on)}, na de "
            f"besluitdatum {nl_day(on)}: een besluit kan er niet op steunen",
        )
    if doc.country != person.nationality and not c.other_country:
        raise ContradictionError(
            FIELD,
            f"document {doc.pk} is about {doc.country}, the person's nationality is "
            f"{person.nationality}: confirm (confirm_other_country) to cite it anyway",
            f"document {doc.pk} gaat over {doc.country}, de nationaliteit van de persoon is "
            f"{person.nationality}: bevestig (confirm_other_country) om het toch te noemen",
        )
    if state != "in_force" and not c.not_in_force:
        nl, en = STATUSES[state]
        raise ContradictionError(
            FIELD,
            f"document {doc.pk} is {en} on the decision day {on.isoformat()}: confirm "
            "(confirm_not_in_force) to cite it anyway",
            f"document {doc.pk} is {nl} op de besluitdatum {nl_day(on)}: bevestig "
            "(confirm_not_in_force) om het toch te noemen",
        )


def citation_json(c: CoiCitation) -> dict[str, Any]:
    doc = c.document
    return {
        "document": doc.pk,
        "country": doc.country,
        "title": doc.title,
        "publisher": doc.publisher,
        "published_on": doc.published_on.isoformat(),
        "reference": doc.reference,
        "language": doc.language,
        "day": c.day.isoformat(),
        "other_country_confirmed": c.other_country_confirmed,
        "not_in_force_confirmed": c.not_in_force_confirmed,
        "recorded_by": c.recorded_by,
        "recorded_at": c.recorded_at.isoformat(),
    }


def _readable(actor: Actor) -> bool:
    return actor.role.can("decision", "read") and actor.role.can(coi.RESOURCE, "read")


def of_person(actor: Actor, person_id: int) -> dict[int, list[dict[str, Any]]]:
    """Decision id -> the documents it cites, for the dossier page (empty for a role that
    reads no decisions or no COI; the caller has read the dossier, scope and all)."""
    if not _readable(actor):
        return {}
    scope.person(actor, person_id)
    out: dict[int, list[dict[str, Any]]] = {}
    rows = CoiCitation.objects.filter(decision__procedure__person_id=person_id)
    for c in rows.select_related("document").order_by("id"):
        out.setdefault(c.decision_id, []).append(citation_json(c))
    return out


def of_decision(actor: Actor, decision_id: int) -> dict[str, Any]:
    """The documents one decision cites (a decision outside the reader's scope is one that
    does not exist). Which reports a decision relied on says nothing about the person beyond
    the decision itself, which the reader may read; the read is logged all the same, as a
    read of the person's decision."""
    check(actor.role, "decision", "read")
    check(actor.role, coi.RESOURCE, "read")
    d, proc = scope.decision(actor, decision_id)
    rows = CoiCitation.objects.filter(decision=d).select_related("document").order_by("id")
    out = [citation_json(c) for c in rows]
    if proc.person is not None:
        p = proc.person
        append(
            actor.audit,
            [
                Entry(
                    "decision.coi.read",
                    "read",
                    "decision",
                    ("coi_citations",),
                    subjects=((p.pk, p.v_number),),
                    object_ref=f"decision:{d.pk}",
                )
            ],
        )
    return {"decision_id": d.pk, "decided_on": d.decided_on.isoformat(), "results": out}


def offered(actor: Actor, person_id: int, on: date) -> list[dict[str, Any]]:
    """The reports in force on ``on`` about the person's nationality, for the decision form to
    offer as ticks (a report on another country is still cited by its number, and confirmed).
    Empty for a role that cites none; the list names no one, so it is not a read of the person
    beyond the dossier the caller has read."""
    if not (_readable(actor) and actor.role.can("decision", "write")):
        return []
    person = scope.person(actor, person_id)
    if not person.nationality:
        return []
    try:
        found = coi.documents(actor, person.nationality, on)
    except BadInputError:  # stateless or unknown nationality: no country's reports apply
        return []
    return list(found["in_force"])
