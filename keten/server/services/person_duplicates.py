"""The same person registered twice: warned before it happens, reviewed and merged after.

At registration (``check_registration``): a new person whose surname and first given name
match a person the actor may see (the search's matching: any order, variants, skeletons) with
an agreeing birth date is a possible duplicate. The registration is refused (409, the
candidates listed: only persons in the actor's scope, so the warning reveals nobody else)
unless it says ``confirm_not_duplicate: true``; the registered event then names the persons
the registrar judged to be someone else. A second V-number or BSN is refused as before
(``IdentityConflictError``).

The review queue (``review_queue``, policy resource ``duplicate_review``): pairs of persons
in the reader's scope, not merged, with the same name skeleton (keten.chain.names: the name's
parts in any order, vowels aside) and the same birth date, that nobody has decided on yet.

A decision (``decide``): ``distinct`` (two people: the pair leaves the queue) or ``merge``
(``person_id`` is the same person as ``other_person_id``, the survivor). Merging writes a
``DuplicateDecision``, a ``merged_into`` event on the duplicate and a ``merged_from`` event on
the survivor (who, when, why) and sets the duplicate's ``merged_into``. It moves nothing:
procedures, decisions, measures, placements, documents, family links, grants and the audit
trail stay on the duplicate's dossier, which shows the link to the survivor; search and the
duplicate check no longer list it. Refused: a person into themselves, a person already merged
(or into one), a pair the actor may not both see, a stale version.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import DossierEvent, DuplicateDecision, Person
from keten.server.services import person_search, scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.errors import BadInputError, ContradictionError, ServiceError
from keten.server.services.inputs import choice, version
from keten.server.services.policy import check
from keten.server.services.reads import LIST_IDENTITY_FIELDS, person_row
from keten.server.services.writing import atomic, bump_person, entry, reason_of, recorded

MAX_CANDIDATES = 10
QUEUE_PAGE = 25
MAX_QUEUE_PAGE = 400


class PossibleDuplicateError(ServiceError):
    """A registration that resembles persons the actor may see: nothing was stored."""

    status = 409
    code = "possible-duplicate"
    title = "Possible duplicate"
    title_nl = "Mogelijk dubbele registratie"

    def __init__(self, candidates: list[dict[str, Any]]) -> None:
        super().__init__(
            f"{len(candidates)} person(s) in your scope resemble this person "
            "(name and birth date); nothing was stored",
            field="confirm_not_duplicate",
            rule="open the candidates; register only when it is someone else, with "
            "confirm_not_duplicate: true and a reason",
            detail_nl=f"{len(candidates)} persoon/personen binnen uw bevoegdheid lijken op "
            "deze persoon (naam en geboortedatum); er is niets vastgelegd",
            rule_nl="bekijk de kandidaten; registreer alleen als het iemand anders is, met "
            "confirm_not_duplicate: true en een reden",
        )
        self.candidates = candidates
        self.problem_extra = {"candidates": candidates}


def confirmation(data: dict[str, Any]) -> bool:
    value = data.get("confirm_not_duplicate", False)
    if not isinstance(value, bool):
        raise BadInputError(
            "confirm_not_duplicate", "must be true or false", "moet true of false zijn"
        )
    return value


def check_registration(actor: Actor, values: dict[str, Any], confirmed: bool) -> list[int]:
    """The ids of the persons the new one resembles (confirmed as someone else), or
    ``PossibleDuplicateError`` when there are any and the registrar has not confirmed. The
    candidates shown are a read of their identity: logged on its own (a refused
    registration's transaction is rolled back, the disclosure is not)."""
    found = person_search.similar_persons(
        actor,
        values["given_names"],
        values["surname"],
        values["birth_date"],
        limit=MAX_CANDIDATES,
    )
    if not found:
        return []
    if not confirmed:  # called before the registration's transaction: this record stays
        append(
            actor.audit,
            [
                Entry(
                    "person.duplicate_check",
                    "read",
                    "identity",
                    LIST_IDENTITY_FIELDS,
                    tuple((p.pk, p.v_number) for p in found),
                )
            ],
        )
        raise PossibleDuplicateError([person_row(p) for p in found])
    return [p.pk for p in found]


# -- the review queue -----------------------------------------------------------------------


def _pairs_sql(actor: Actor) -> tuple[str, list[Any]]:
    where = [
        "a.merged_into_id IS NULL",
        "b.merged_into_id IS NULL",
        "a.search_skeleton <> ''",
        "NOT EXISTS (SELECT 1 FROM dossiers_duplicatedecision d WHERE "
        "d.person_id IN (a.id, b.id) AND d.other_id IN (a.id, b.id))",
    ]
    params: list[Any] = []
    if actor.role.scope == "granted":  # both in scope: a pair must not reveal either
        for alias in ("a", "b"):
            where.append(
                f"{alias}.id IN (SELECT person_id FROM dossiers_accessgrant "
                "WHERE organisation_id = %s)"
            )
            params.append(actor.organisation)
    elif actor.role.scope != "all":
        where.append("1 = 0")
    sql = (
        "SELECT a.id, b.id FROM dossiers_person a JOIN dossiers_person b "
        "ON b.search_skeleton = a.search_skeleton AND b.birth_date = a.birth_date "
        "AND b.id > a.id WHERE " + " AND ".join(where) + " ORDER BY b.id DESC, a.id DESC"
    )
    return sql, params


def review_queue(actor: Actor, page: int = 1) -> dict[str, Any]:
    """One page of candidate pairs, the most recently registered first."""
    check(actor.role, "duplicate_review", "read")
    check(actor.role, "identity", "read")
    page = whole_number(page, "page", high=MAX_QUEUE_PAGE)
    sql, params = _pairs_sql(actor)
    sql += " LIMIT %s OFFSET %s"
    params += [QUEUE_PAGE + 1, (page - 1) * QUEUE_PAGE]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        pairs = [(int(a), int(b)) for a, b in cur.fetchall()]
    has_next = len(pairs) > QUEUE_PAGE
    pairs = pairs[:QUEUE_PAGE]
    persons = Person.objects.in_bulk({i for pair in pairs for i in pair})
    if persons:
        append(
            actor.audit,
            [
                Entry(
                    "person.duplicate_review",
                    "read",
                    "identity",
                    LIST_IDENTITY_FIELDS,
                    tuple((p.pk, p.v_number) for p in persons.values()),
                )
            ],
        )
    return {
        "page": page,
        "page_size": QUEUE_PAGE,
        "has_next": has_next,
        "results": [
            {
                "person": {**person_row(persons[a]), "version": persons[a].version},
                "other": {**person_row(persons[b]), "version": persons[b].version},
                "why": "same name (spelling aside) and birth date",
                "why_nl": "zelfde naam (spelling buiten beschouwing) en geboortedatum",
            }
            for a, b in pairs
        ],
    }


# -- decisions ------------------------------------------------------------------------------

DECISIONS = ("merge", "distinct")


def decide(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None
) -> dict[str, Any]:
    """``merge`` person ``person_id`` (at version ``expected``) into ``other_person_id`` (at
    ``other_version``), or record the pair as ``distinct``."""
    check(actor.role, "duplicate_review", "write")
    check(actor.role, "identity", "write")
    decision = choice(data, "decision", DECISIONS)
    other_id = whole_number(data.get("other_person_id"), "other_person_id")
    versions = {
        "person_version": version(expected),
        "other_version": whole_number(data.get("other_version"), "other_version", high=2**31 - 1),
    }
    reason = reason_of(data)
    if person_id == other_id:
        raise BadInputError(
            "other_person_id",
            "a person cannot be merged with or told apart from themselves",
            "een persoon kan niet met zichzelf worden samengevoegd of van zichzelf worden "
            "onderscheiden",
        )

    def run() -> dict[str, Any]:
        # Locked in id order, so that two reviewers deciding on one pair cannot deadlock.
        first, second = sorted((person_id, other_id))
        locked = {pid: scope.person(actor, pid, lock=True) for pid in (first, second)}
        p, other = locked[person_id], locked[other_id]
        for who, field in ((p, "person_id"), (other, "other_person_id")):
            if who.merged_into_id is not None:
                raise ContradictionError(
                    field,
                    f"person {who.v_number} is already merged into another person",
                    f"persoon {who.v_number} is al samengevoegd met een andere persoon",
                )
        if DuplicateDecision.objects.filter(
            person_id__in=(p.pk, other.pk), other_id__in=(p.pk, other.pk)
        ).exists():
            raise ContradictionError(
                "other_person_id",
                "this pair has been decided on already",
                "over dit paar is al beslist",
            )
        p = bump_person(actor, p, versions["person_version"])
        other = bump_person(actor, other, versions["other_version"])
        rec = recorded(actor, reason)
        if decision == "distinct":
            DuplicateDecision.objects.create(person=p, other=other, decision="distinct", **rec)
            append(
                actor.audit,
                [
                    entry("person.distinct", "duplicate_review", ("decision",), p),
                    entry("person.distinct", "duplicate_review", ("decision",), other),
                ],
            )
            return _decided("distinct", p, other)
        DuplicateDecision.objects.create(person=p, other=other, decision="merged", **rec)
        Person.objects.filter(pk=p.pk).update(merged_into=other)
        p.merged_into = other
        DossierEvent.objects.create(
            person=p,
            kind="merged_into",
            payload={"survivor_id": other.pk, "survivor_v_number": other.v_number},
            **rec,
        )
        DossierEvent.objects.create(
            person=other,
            kind="merged_from",
            payload={"duplicate_id": p.pk, "duplicate_v_number": p.v_number},
            **rec,
        )
        append(
            actor.audit,
            [
                entry("person.merge", "identity", ("merged_into",), p),
                entry("person.merge", "identity", ("merged_from",), other),
            ],
        )
        return _decided("merge", p, other)

    result: dict[str, Any] = atomic(run)
    return result


def _decided(decision: str, p: Person, other: Person) -> dict[str, Any]:
    """The answer: the decision, both persons, and the decided person's new version (ETag)."""
    return {
        "decision": decision,
        "version": p.version,
        "person": person_row(p),
        "other": person_row(other),
    }
