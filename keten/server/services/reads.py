"""Reading dossiers: every function checks the policy, the scope, and logs what it returned.

The API views and the UI pages call only these (and ``commands``) to touch personal data.
Each returns plain dicts (JSON-ready) holding exactly the fields the role may see; the audit
record names those fields.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any, Protocol, TypeGuard

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.timezone import localdate

from keten.catalog.loader import get_procedure as catalog_procedure
from keten.chain.identity import PartialDate, nationality_name
from keten.chain.kinds import (
    DECISION_OUTCOMES,
    DOCUMENT_TYPES,
    HANDOVER_TYPES,
    MEASURE_TYPES,
    PLACEMENT_TYPES,
)
from keten.chain.priority import PRIORITY_TEXT
from keten.chain.summary import dwangsom_amount
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import (
    Decision,
    DossierEvent,
    FamilyLink,
    Handover,
    Measure,
    Person,
    Placement,
    Procedure,
    ProcedureEvent,
    ProtectedRecord,
    ResidenceDocument,
    SupportOffer,
    Withdrawal,
)
from keten.server.services import scope, withdrawals
from keten.server.services.actor import Actor
from keten.server.services.compiled import PersonRows, fetch
from keten.server.services.derived import state_of
from keten.server.services.errors import BadInputError
from keten.server.services.placement_flags import overstay_flag
from keten.server.services.policy import check
from keten.server.services.support_offers import offer_json

IDENTITY_FIELDS = (
    "v_number",
    "given_names",
    "surname",
    "sex",
    "birth_date",
    "nationality",
    "bsn",
    "unaccompanied_minor",
    "family",
)
LIST_IDENTITY_FIELDS = ("v_number", "given_names", "surname", "birth_date", "nationality")
PROCEDURE_FIELDS = ("procedure_type", "status", "events", "deadlines", "dwangsom")

RECORD_RESOURCES = (
    "measure",
    "placement",
    "document",
    "handover",
    "asylum_motive",
    "finding_1f",
    "support_offer",
)


def _entry(name: str, action: str, resource: str, fields: tuple[str, ...], p: Person) -> Entry:
    return Entry(name, action, resource, fields, subjects=((p.pk, p.v_number),))


# -- representations -------------------------------------------------------------------------


def person_json(p: Person, family: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    birth = PartialDate.parse(p.birth_date)
    out: dict[str, Any] = {
        "id": p.pk,
        "v_number": p.v_number,
        "given_names": p.given_names,
        "surname": p.surname,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "birth_date_complete": birth.complete,
        "birth_date_display": birth.display("nl"),
        "nationality": p.nationality,
        "nationality_name": nationality_name(p.nationality, "nl"),
        "bsn": p.bsn,
        "unaccompanied_minor": p.unaccompanied_minor,
        "abroad": p.abroad,
        "version": p.version,
    }
    # Set once merged: read the person through the survivor (person_duplicates.py).
    out["merged_into"] = p.merged_into_id
    if family is not None:
        out["family"] = family
    return out


def person_row(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "v_number": p.v_number,
        "given_names": p.given_names,
        "surname": p.surname,
        "birth_date": p.birth_date,
        "nationality": p.nationality,
    }


_FAMILY = PersonRows(
    lambda pid: (
        FamilyLink.objects.filter(Q(parent_or_partner_id=pid) | Q(other_id=pid))
        .select_related("parent_or_partner", "other")
        .order_by("id")
    )
)


def _family(actor: Actor, p: Person, links: list[FamilyLink] | None = None) -> list[dict[str, Any]]:
    """Family members in the actor's scope only: a link must not reveal someone hidden.
    ``links``: the person's family links when the caller read them already."""
    out = []
    for link in _FAMILY(p.pk) if links is None else links:
        if link.parent_or_partner_id == p.pk:
            rel = "child" if link.relation == "parent" else "partner"
            out.append((rel, link.other))
        else:
            rel = "parent" if link.relation == "parent" else "partner"
            out.append((rel, link.parent_or_partner))
    return [
        {"relation": rel, **person_row(other)}
        for rel, other in out
        if scope.in_scope(actor, other.pk)
    ]


def days_left(due: date | None, on: date) -> int | None:
    return None if due is None else (due - on).days


# By the stored number: a queue page asks for fifty, and making the enum member cost more.
_PRIORITY_TEXT = {int(p): text for p, text in PRIORITY_TEXT.items()}


@functools.cache
def _deadline_name(procedure_type: str, deadline_id: str) -> str:
    """Cached: a queue page asks it for every row."""
    try:
        return str(catalog_procedure(procedure_type).deadline(deadline_id).name.nl)
    except KeyError:
        return deadline_id


@functools.cache
def _stage_name(procedure_type: str, stage: str) -> tuple[str | None, str | None]:
    """Cached like the deadline's name: the catalogue's lookup scans the type's events, and
    twice per row it was a third of a queue page's row building."""
    if not stage:
        return None, None
    name = catalog_procedure(procedure_type).event_name(stage)
    return name.nl, name.en


class ProcedureFields(Protocol):
    """What ``procedure_row`` reads: a ``Procedure``, or a work-queue row under the same
    names (``keten.server.services.queues``)."""

    @property
    def pk(self) -> int: ...
    @property
    def person_id(self) -> int | None: ...
    @property
    def procedure_type(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def deadline_id(self) -> str: ...
    @property
    def due(self) -> date | None: ...
    @property
    def priority(self) -> int: ...
    @property
    def dwangsom_first_day(self) -> date | None: ...
    @property
    def dwangsom_last_day(self) -> date | None: ...
    @property
    def queue(self) -> str: ...
    @property
    def team(self) -> str: ...
    @property
    def regime(self) -> str | None: ...
    @property
    def version(self) -> int: ...
    @property
    def stage(self) -> str: ...


def procedure_row(proc: ProcedureFields, on: date) -> dict[str, Any]:
    """The cached view of a procedure (what queues and lists show)."""
    pt = catalog_procedure(proc.procedure_type)
    open_ = proc.status in ("open", "suspended", "not_started")
    stage_nl, stage_en = _stage_name(proc.procedure_type, proc.stage)
    left = days_left(proc.due, on) if open_ else None
    priority_nl, priority_en = _PRIORITY_TEXT[proc.priority]
    return {
        "id": proc.pk,
        "person_id": proc.person_id,
        "procedure_type": proc.procedure_type,
        "name": pt.name.nl,
        "name_en": pt.name.en,
        "status": proc.status,
        "overdue": bool(open_ and left is not None and left < 0),
        "deadline": proc.deadline_id,
        "deadline_name": _deadline_name(proc.procedure_type, proc.deadline_id),
        "due": proc.due.isoformat() if proc.due else None,
        "days_left": left,
        "priority": proc.priority,
        "priority_text": priority_nl,
        "priority_text_en": priority_en,
        "dwangsom_eur": dwangsom_amount(proc.dwangsom_first_day, proc.dwangsom_last_day, on),
        "dwangsom_running": bool(
            proc.dwangsom_first_day
            and proc.dwangsom_last_day
            and proc.dwangsom_first_day <= on <= proc.dwangsom_last_day
        ),
        "queue": proc.queue,
        "team": proc.team,
        "regime": proc.regime,
        "version": proc.version,
        "stage": proc.stage,
        "stage_name": stage_nl,
        "stage_name_en": stage_en,
    }


Withdrawn = dict[tuple[str, int], dict[str, Any]]  # (resource, id) -> who withdrew it, why


def _event_json(
    e: ProcedureEvent, names: dict[str, str], names_en: dict[str, str], withdrawn: Withdrawn
) -> dict[str, Any]:
    return {
        "withdrawn": withdrawn.get(("event", e.pk)),
        "id": e.pk,
        "kind": e.kind,
        "name": names.get(e.kind, e.kind),
        "name_en": names_en.get(e.kind, e.kind),
        "day": e.day.isoformat(),
        "data": e.data,
        "recorded_by": e.recorded_by,
        "recorded_org": e.recorded_org,
        "recorded_at": e.recorded_at.isoformat(),
        "reason": e.reason,
    }


def decision_json(
    d: Decision, with_trail: bool, withdrawn: Withdrawn | None = None
) -> dict[str, Any]:
    outcome = DECISION_OUTCOMES.get(d.outcome)
    out: dict[str, Any] = {
        "withdrawn": (withdrawn or {}).get(("decision", d.pk)),
        "id": d.pk,
        "procedure_id": d.procedure_id,
        "outcome": d.outcome,
        "outcome_text": outcome.nl if outcome else d.outcome,
        "outcome_text_en": outcome.en if outcome else d.outcome,
        "grounds": d.grounds,
        "decided_on": d.decided_on.isoformat(),
        "recorded_by": d.recorded_by,
        "recorded_org": d.recorded_org,
        "reason": d.reason,
    }
    if with_trail:
        out["rule_trail"] = d.rule_trail
    return out


def procedure_detail(
    actor: Actor,
    proc: Procedure,
    on: date,
    events: list[ProcedureEvent] | None = None,
    decided: list[Decision] | None = None,
    withdrawn: Withdrawn | None = None,
) -> dict[str, Any]:
    """``events``/``decided``: the procedure's rows when the caller read them already (the
    dossier reads all of a person's in one query each), in order of day and of id;
    ``withdrawn``: the person's withdrawals (read here when not given). Withdrawn entries are
    shown, marked; the state and deadlines are derived from the others."""
    if withdrawn is None:
        withdrawn = withdrawals.of_person(proc.person_id) if proc.person_id else {}
    pt = catalog_procedure(proc.procedure_type)
    names = {e.kind: e.name.nl for e in pt.events}
    names_en = {e.kind: e.name.en for e in pt.events}
    if events is not None:
        rows = events
    else:
        rows = list(ProcedureEvent.objects.filter(procedure=proc).order_by("day", "id"))
    from keten.catalog.derive import Event  # local: keeps the module's import list short

    standing_rows = [e for e in rows if ("event", e.pk) not in withdrawn]
    state = state_of(proc, on, [Event(e.kind, e.day, e.data or {}) for e in standing_rows])
    out = procedure_row(proc, on)
    out.update(
        {
            "facts": proc.facts,
            "municipality": proc.municipality,
            "subject": proc.subject,
            "events": [_event_json(e, names, names_en, withdrawn) for e in rows],
            "accepted_events": [
                {"kind": e.kind, "name": e.name.nl, "name_en": e.name.en} for e in pt.events
            ],
            "state": state.to_json(),
        }
    )
    if actor.role.can("decision", "read"):
        with_trail = actor.role.can("rule_trail", "read")
        found = (
            decided
            if decided is not None
            else list(Decision.objects.filter(procedure=proc).order_by("id"))
        )
        out["decisions"] = [decision_json(d, with_trail, withdrawn) for d in found]
        # Which event records which decision: such an event goes with its decision.
        recorded_by = {d.event_id: d.pk for d in found}
        for e in out["events"]:
            e["decision_id"] = recorded_by.get(e["id"])
    return out


# The vocabulary that names each kind of record, per resource.
KIND_NAMES = {
    "measure": MEASURE_TYPES,
    "placement": PLACEMENT_TYPES,
    "document": DOCUMENT_TYPES,
    "handover": HANDOVER_TYPES,
}


def _opt_day(value: Any) -> str | None:
    return value.isoformat() if value else None


def is_ended(end: date | None, today: date) -> TypeGuard[date]:
    """A measure or placement has ended once its end day has come; an end day still ahead
    (recorded when it was added) is a plan, and the record may be ended earlier. (True
    means ``end`` is a day: the type checker narrows it.)"""
    return end is not None and end <= today


ENDED_EVENTS = {"measure_ended": "measure", "placement_ended": "placement"}
# A stay ended by a move runs again when the move is withdrawn (services/corrections.py).
REOPENED_EVENTS = {"placement_reopened": "placement"}


def endings(
    p: Person, resources: tuple[str, ...], events: list[DossierEvent] | None = None
) -> dict[tuple[str, int], dict[str, Any]]:
    """Who ended each measure or placement of a person, when and why, from the dossier events
    (one query, or ``events`` when the caller read them already): (resource, record id) ->
    the ``ended_*`` fields of its representation."""
    changes = {**ENDED_EVENTS, **REOPENED_EVENTS}
    kinds = [k for k, res in changes.items() if res in resources]
    out: dict[tuple[str, int], dict[str, Any]] = {}
    if not kinds:
        return out
    if events is None:
        events = list(DossierEvent.objects.filter(person=p, kind__in=kinds).order_by("id"))
    for ev in (e for e in events if e.kind in kinds):
        key = (changes[ev.kind], int(ev.payload["id"]))
        if ev.kind in REOPENED_EVENTS:
            out.pop(key, None)
            continue
        out[key] = {
            "ended_by": ev.recorded_by,
            "ended_org": ev.recorded_org,
            "ended_at": ev.recorded_at.isoformat(),
            "end_reason": ev.reason,
        }
    return out


def _with_endings(
    resource: str, rows: list[dict[str, Any]], ended: dict[tuple[str, int], dict[str, Any]]
) -> list[dict[str, Any]]:
    if resource not in ("measure", "placement"):
        return rows
    return [{**r, **ended.get((resource, r["id"]), {})} for r in rows]


def record_json(resource: str, r: Any, withdrawn: Withdrawn | None = None) -> dict[str, Any]:
    gone = (withdrawn or {}).get((resource, r.pk))
    base: dict[str, Any] = {
        "id": r.pk,
        "withdrawn": gone,
        "recorded_by": r.recorded_by,
        "recorded_org": r.recorded_org,
        "recorded_at": r.recorded_at.isoformat(),
        "reason": r.reason,
    }
    if resource == "support_offer":
        return offer_json(r, base)
    if resource not in KIND_NAMES:
        return {**base, "category": r.category, "text": r.text}
    kind = KIND_NAMES[resource].get(r.kind)
    base |= {
        "kind": r.kind,
        "kind_text": kind.nl if kind else r.kind,
        "kind_text_en": kind.en if kind else r.kind,
    }
    if resource == "measure":
        return {
            **base,
            "start": r.start.isoformat(),
            "end": _opt_day(r.end),
            "open": gone is None and not is_ended(r.end, date.today()),
            "legal_basis": r.legal_basis,
        }
    if resource == "placement":
        site = r.site if r.site_id is not None else None
        return {
            **base,
            "location": r.location,
            "municipality": r.municipality,
            "start": r.start.isoformat(),
            "end": _opt_day(r.end),
            "open": gone is None and not is_ended(r.end, date.today()),
            "site": site.code if site is not None else None,
            "overcapacity": r.overcapacity,
            # Computed on every read, never stored: a stay past its location kind's maximum.
            "overstay": None
            if gone is not None
            else overstay_flag(r.kind, site.kind if site else None, r.start, r.end, date.today()),
        }
    if resource == "document":
        return {
            **base,
            "number": r.number,
            "issued": r.issued.isoformat(),
            "valid_until": _opt_day(r.valid_until),
        }
    return {
        **base,
        "from_org": r.from_org_id,
        "to_org": r.to_org_id,
        "day": r.day.isoformat(),
        "note": r.note,
    }


def records_qs(resource: str, person_id: int) -> QuerySet[Any]:
    if resource == "measure":
        return Measure.objects.filter(person_id=person_id).order_by("start", "id")
    if resource == "placement":
        return (
            Placement.objects.filter(person_id=person_id)
            .select_related("site")
            .order_by("start", "id")
        )
    if resource == "document":
        return ResidenceDocument.objects.filter(person_id=person_id).order_by("issued", "id")
    if resource == "handover":
        return Handover.objects.filter(person_id=person_id).order_by("day", "id")
    if resource == "support_offer":
        return SupportOffer.objects.filter(person_id=person_id).order_by("offered_on", "id")
    if resource in ("asylum_motive", "finding_1f"):
        return ProtectedRecord.objects.filter(person_id=person_id, category=resource).order_by("id")
    raise BadInputError(
        "resource",
        f"{resource!r} is not a dossier record resource",
        f"{resource!r} is geen soort gegeven in een dossier",
    )


# -- reads -------------------------------------------------------------------------------------


def get_person(actor: Actor, person_id: int) -> dict[str, Any]:
    check(actor.role, "identity", "read")
    with transaction.atomic():
        p = scope.person(actor, person_id)
        out = person_json(p, _family(actor, p))
        append(actor.audit, [_entry("person.read", "read", "identity", IDENTITY_FIELDS, p)])
    return out


def person_procedures(actor: Actor, person_id: int, on: date) -> list[dict[str, Any]]:
    check(actor.role, "procedure", "read")
    with transaction.atomic():
        p = scope.person(actor, person_id)
        procs = list(Procedure.objects.filter(person=p).order_by("started_on", "id"))
        append(
            actor.audit,
            [_entry("procedure.list", "read", "procedure", ("procedure_type", "status"), p)],
        )
    return [procedure_row(x, on) for x in procs]


def get_procedure(actor: Actor, procedure_id: int, on: date) -> dict[str, Any]:
    check(actor.role, "procedure", "read")
    with transaction.atomic():
        proc = scope.procedure(actor, procedure_id)
        out = procedure_detail(actor, proc, on)
        if proc.person_id is not None:
            p = proc.person
            assert p is not None
            fields = PROCEDURE_FIELDS + (("decisions",) if "decisions" in out else ())
            if "decisions" in out and actor.role.can("rule_trail", "read"):
                fields += ("rule_trail",)
            append(
                actor.audit,
                [
                    Entry(
                        "procedure.read",
                        "read",
                        "procedure",
                        fields,
                        subjects=((p.pk, p.v_number),),
                        object_ref=f"procedure:{proc.pk}",
                    )
                ],
            )
    return out


def decisions(actor: Actor, procedure_id: int) -> list[dict[str, Any]]:
    check(actor.role, "decision", "read")
    with_trail = actor.role.can("rule_trail", "read")
    with transaction.atomic():
        proc = scope.procedure(actor, procedure_id)
        gone = withdrawals.of_person(proc.person_id) if proc.person_id else {}
        rows = [
            decision_json(d, with_trail, gone)
            for d in Decision.objects.filter(procedure=proc).order_by("id")
        ]
        if proc.person is not None:
            fields = ("outcome", "grounds") + (("rule_trail",) if with_trail else ())
            append(actor.audit, [_entry("decision.list", "read", "decision", fields, proc.person)])
    return rows


def decision_trail(actor: Actor, decision_id: int) -> dict[str, Any]:
    check(actor.role, "rule_trail", "read")
    with transaction.atomic():
        d, proc = scope.decision(actor, decision_id)  # NotFoundError outside the scope
        if proc.person is not None:
            append(
                actor.audit,
                [_entry("decision.trail", "read", "rule_trail", ("rule_trail",), proc.person)],
            )
    return {"decision_id": d.pk, "rule_trail": d.rule_trail}


def records(actor: Actor, person_id: int, resource: str) -> list[dict[str, Any]]:
    if resource not in RECORD_RESOURCES:
        raise BadInputError(
            "resource",
            f"{resource!r} is not a dossier record resource",
            f"{resource!r} is geen soort gegeven in een dossier",
        )
    check(actor.role, resource, "read")
    with transaction.atomic():
        p = scope.person(actor, person_id)
        gone = withdrawals.of_person(p.pk)
        rows = [record_json(resource, r, gone) for r in records_qs(resource, p.pk)]
        rows = _with_endings(resource, rows, endings(p, (resource,)))
        append(actor.audit, [_entry(f"{resource}.list", "read", resource, ("*",), p)])
    return rows


# The dossier's reads, one query each, compiled once (keten.server.services.compiled).
_PROCEDURES = PersonRows(
    lambda pid: Procedure.objects.filter(person_id=pid).order_by("started_on", "id")
)
_EVENTS = PersonRows(
    lambda pid: ProcedureEvent.objects.filter(procedure__person_id=pid).order_by(
        "procedure_id", "day", "id"
    )
)
_DECISIONS = PersonRows(
    lambda pid: Decision.objects.filter(procedure__person_id=pid).order_by("procedure_id", "id")
)
_DOSSIER_EVENTS = PersonRows(
    lambda pid: DossierEvent.objects.filter(
        person_id=pid, kind__in=(*TIMELINE_EVENTS, *ENDED_EVENTS, *REOPENED_EVENTS)
    ).order_by("id")
)
_RECORDS = {
    resource: PersonRows(functools.partial(records_qs, resource)) for resource in RECORD_RESOURCES
}
_WITHDRAWALS = PersonRows(lambda pid: Withdrawal.objects.filter(person_id=pid).order_by("id"))


def _by_procedure(rows: list[Any]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for row in rows:
        out.setdefault(row.procedure_id, []).append(row)
    return out


def dossier(actor: Actor, person_id: int, on: date) -> dict[str, Any]:
    """Everything the role may see of one person, for the dossier page; one audit record
    naming every field read, qualified by its policy resource (``procedure.deadlines``).

    Every query the role's view needs goes to the database at once (``compiled.fetch``), the
    person's own row among them; nothing read is used before the scope check has passed."""
    check(actor.role, "identity", "read")
    role = actor.role
    queries: dict[str, PersonRows[Any]] = {
        "person": scope.PERSON,
        "family": _FAMILY,
        "happened": _DOSSIER_EVENTS,
        "withdrawals": _WITHDRAWALS,
    }
    if role.can("procedure", "read"):
        queries.update(procedures=_PROCEDURES, events=_EVENTS)
        if role.can("decision", "read"):
            queries["decisions"] = _DECISIONS
    # Each category of record only if the role may read it (protected ones included): what
    # the role may not see is not read either.
    shown = [r for r in RECORD_RESOURCES if role.can(r, "read")]
    queries.update({r: _RECORDS[r] for r in shown})
    # No transaction: the reads go out together, and the audit append is atomic on its own
    # and happens before the dossier is returned (keten.server.audit.log).
    rows = dict(zip(queries, fetch(*((q, person_id) for q in queries.values())), strict=True))
    p = scope.visible(actor, person_id, next(iter(rows["person"]), None))
    withdrawn = withdrawals.by_record(rows["withdrawals"])
    read = [f"identity.{f}" for f in IDENTITY_FIELDS]
    out: dict[str, Any] = {"person": person_json(p, _family(actor, p, rows["family"]))}
    if "procedures" in rows:
        events = _by_procedure(rows["events"])
        decided = _by_procedure(rows.get("decisions", []))
        out["procedures"] = [
            procedure_detail(
                actor,
                x,
                on,
                events.get(x.pk, []),
                decided.get(x.pk, []) if "decisions" in rows else None,
                withdrawn,
            )
            for x in rows["procedures"]
        ]
        # Who works each case (the work queue's assignment); imported here: the assignments
        # module writes through ``writing``, which reads through this one.
        from keten.server.services.assignments import current_assignees

        assignees = current_assignees(x["id"] for x in out["procedures"])
        for x in out["procedures"]:
            x["assignee"] = assignees.get(x["id"])
        fields: tuple[str, ...] = PROCEDURE_FIELDS
        if "decisions" in rows:
            fields += ("decisions",)
            if role.can("rule_trail", "read"):
                fields += ("rule_trail",)
        read += [f"procedure.{f}" for f in fields]
    periods = tuple(r for r in ("measure", "placement") if r in rows)
    ended = endings(p, periods, rows["happened"])
    for resource in shown:
        records = [record_json(resource, r, withdrawn) for r in rows[resource]]
        out[resource] = _with_endings(resource, records, ended)
        read.append(f"{resource}.*")
    out["timeline"] = _timeline(out, rows["happened"], rows["withdrawals"])
    append(actor.audit, [_entry("dossier.read", "read", "dossier", tuple(read), p)])
    return out


TIMELINE_EVENTS: tuple[str, ...] = (
    "registered",
    "identity_corrected",
    "access_withdrawn",
    "facts_corrected",  # a procedure's facts (services/procedure_facts.py)
)


# Which part of a dossier read shows a withdrawn entry: its withdrawal is in the timeline for
# the readers of that part only.
_SHOWN_IN = {
    "event": "procedures",
    "decision": "procedures",
    "measure": "measure",
    "placement": "placement",
    "handover": "handover",
    "support_offer": "support_offer",
}


def _timeline(
    out: dict[str, Any], happened: list[DossierEvent], gone: list[Withdrawal]
) -> list[dict[str, Any]]:
    """One dated list of everything that happened, newest first."""
    items: list[dict[str, Any]] = []
    for w in gone:
        if _SHOWN_IN[w.resource] in out:
            items.append(
                {
                    "day": localdate(w.recorded_at).isoformat(),
                    "what": f"{withdrawals.NAMES_NL[w.resource]} {w.record_id}",
                    "who": w.recorded_org,
                    "withdrawn": True,
                    "reason": w.reason,
                }
            )
    for proc in out.get("procedures", []):
        for e in proc["events"]:
            items.append(
                {"day": e["day"], "what": f"{proc['name']}: {e['name']}", "who": e["recorded_org"]}
            )
    for resource, day_key in (
        ("measure", "start"),
        ("placement", "start"),
        ("document", "issued"),
        ("handover", "day"),
        ("support_offer", "offered_on"),
    ):
        for r in out.get(resource, []):
            items.append(
                {"day": r[day_key], "what": r.get("kind_text", resource), "who": r["recorded_org"]}
            )
            if "ended_org" in r:  # ended through the service, with who and why
                items.append(
                    {
                        "day": r["end"],
                        "what": r["kind_text"],
                        "who": r["ended_org"],
                        "ended": True,
                        "reason": r["end_reason"],
                    }
                )
    for ev in (e for e in happened if e.kind in TIMELINE_EVENTS):
        item: dict[str, Any] = {
            "day": localdate(ev.recorded_at).isoformat(),
            "what": ev.kind,
            "who": ev.recorded_org,
        }
        if ev.kind == "access_withdrawn":  # names the ended record: for its readers only
            if ev.payload["resource"] not in out:
                continue
            item |= {"organisation": ev.payload["organisation"], "reason": ev.reason}
        if ev.kind == "facts_corrected":  # the procedure's facts: for its readers only
            if "procedures" not in out:
                continue
            item |= {"reason": ev.reason, "facts": sorted(ev.payload.get("after", {}))}
        items.append(item)
    return sorted(items, key=lambda i: i["day"], reverse=True)
