"""Writing dossiers: register, correct, link family, lodge, record an event, decide, add a
measure/placement/document/hand-over/protected record, end a measure or placement.

Every command is one transaction: the policy and scope checks, the optimistic-concurrency check
(``expected_version`` must equal the stored version, else ``ConflictError`` with the current one),
the append-only rows, the dossier event saying who/when/why, the cache refresh and the audit
record commit together or not at all. Bad input raises ``BadInputError`` naming field and rule
before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from keten.catalog.derive import Event, InputError, check_event_data, derive
from keten.catalog.loader import CatalogError, get_procedure
from keten.catalog.model import main_deadline
from keten.chain.identity import IdentityError, PartialDate, check_nationality, check_v_number
from keten.chain.kinds import (
    DECISION_OUTCOMES,
    DOCUMENT_TYPES,
    HANDOVER_TYPES,
    MEASURE_TYPES,
    PLACEMENT_TYPES,
    REASONS_CITATION,
    reasons_required,
)
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import (
    AccessGrant,
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
)
from keten.server.organisations.models import Organisation
from keten.server.services import access, scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import EARLIEST_RECORD_DAY, check_json, nl_day
from keten.server.services.derived import events_of, refresh, refresh_priorities
from keten.server.services.errors import (
    BadInputError,
    ConflictError,
    ContradictionError,
    ForbiddenError,
    NotFoundError,
)
from keten.server.services.inputs import bsn, choice, day, happened, text, version
from keten.server.services.policy import check, grant_of
from keten.server.services.reads import (
    IDENTITY_FIELDS,
    decision_json,
    endings,
    is_ended,
    person_json,
    procedure_row,
    record_json,
)

# -- writing ----------------------------------------------------------------------------------


def _bump_person(actor: Actor, p: Person, expected: int | None) -> Person:
    expected = version(expected)
    updated = Person.objects.filter(pk=p.pk, version=expected).update(version=F("version") + 1)
    if not updated:
        current = Person.objects.get(pk=p.pk)
        raise ConflictError(
            f"person {p.pk} is at version {current.version}, not {expected}",
            current_version=current.version,
            current=person_json(current),
        )
    p.refresh_from_db()
    return p


def _bump_procedure(proc: Procedure, expected: int | None, on: date) -> None:
    expected = version(expected)
    updated = Procedure.objects.filter(pk=proc.pk, version=expected).update(
        version=F("version") + 1
    )
    if not updated:
        current = Procedure.objects.get(pk=proc.pk)
        raise ConflictError(
            f"procedure {proc.pk} is at version {current.version}, not {expected}",
            current_version=current.version,
            current=procedure_row(current, on),
        )
    proc.version = expected + 1


def recorded(actor: Actor, reason: str) -> dict[str, str]:
    return {
        "recorded_by": actor.username,
        "recorded_org": actor.organisation,
        "recorded_role": actor.role.id,
        "reason": reason,
    }


def _reason(data: dict[str, Any]) -> str:
    return text(data, "reason", max_len=2000)


def _entry(name: str, resource: str, fields: tuple[str, ...], p: Person, ref: str = "") -> Entry:
    return Entry(name, "write", resource, fields, subjects=((p.pk, p.v_number),), object_ref=ref)


def grant(person: Person, org_code: str, reason: str, since: date) -> None:
    if not Organisation.objects.filter(code=org_code).exists():
        return
    AccessGrant.objects.get_or_create(
        person=person, organisation_id=org_code, defaults={"reason": reason, "since": since}
    )


def _withdraw_unfounded(
    actor: Actor, p: Person, resource: str, ended: Measure | Placement, reason: str, today: date
) -> str | None:
    """Withdraw the access grant that the just-ended record gave, when its organisation has no
    basis left (``access.founded``). Returns the organisation's code, or None when nothing
    was withdrawn. Runs inside the ending's transaction, after the person's version was
    bumped, so a concurrent addition or hand-over cannot slip in between the check and the
    withdrawal (it conflicts on the version instead)."""
    basis = grant_of(resource, ended.kind, getattr(ended, "municipality", None))
    if basis is None:
        return None
    org = basis[0]
    # The ended record's end day has come (not after today), so it is no basis itself.
    held = access.unfounded(today).filter(person=p, organisation_id=org).first()
    if held is None:
        return None
    why = f"{resource} {ended.pk} ({ended.kind}) ended and {org} has no other basis: "
    access.withdraw(
        held,
        [access.Ended(resource, ended.pk, ended.kind, ended.end)],
        why + access.NO_BASIS,
        recorded(actor, reason),
    )
    return org


def atomic(fn: Callable[[], Any]) -> Any:
    try:
        with transaction.atomic():
            return fn()
    except IntegrityError as exc:
        message = str(exc).lower()
        if "v_number" in message:
            raise BadInputError("v_number", "is already registered to another person") from None
        if "bsn" in message:
            raise BadInputError("bsn", "is already registered to another person") from None
        raise


# -- identity ----------------------------------------------------------------------------------


def _identity(data: dict[str, Any], partial: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        if not partial or "v_number" in data:
            out["v_number"] = check_v_number(text(data, "v_number", max_len=10))
        for f in ("given_names", "surname"):
            if not partial or f in data:
                out[f] = text(data, f)
        if not partial or "birth_date" in data:
            out["birth_date"] = str(PartialDate.parse(text(data, "birth_date", max_len=10)))
        if not partial or "nationality" in data:
            out["nationality"] = check_nationality(text(data, "nationality", max_len=3))
    except IdentityError as exc:
        raise BadInputError(exc.field, exc.rule) from None
    if not partial or "sex" in data:
        if partial and not data.get("sex"):  # a correction names the new value
            raise BadInputError("sex", "must be m, f or x (x: unknown)")
        out["sex"] = data.get("sex") or "x"
        if out["sex"] not in ("m", "f", "x"):
            raise BadInputError("sex", "must be m, f or x")
    if "bsn" in data:
        out["bsn"] = bsn(str(data.get("bsn") or ""))
    for flag in ("unaccompanied_minor", "abroad"):
        if flag in data:
            if not isinstance(data[flag], bool):
                raise BadInputError(flag, "must be true or false")
            out[flag] = data[flag]
    return out


def register_person(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    check(actor.role, "identity", "write")
    values = _identity(data)
    reason = _reason(data)

    def run() -> dict[str, Any]:
        p = Person.objects.create(**values)
        DossierEvent.objects.create(
            person=p, kind="registered", payload=values, **recorded(actor, reason)
        )
        if actor.role.scope == "granted":
            grant(p, actor.organisation, "registered", date.today())
        append(actor.audit, [_entry("person.register", "identity", IDENTITY_FIELDS, p)])
        return person_json(p, [])

    result: dict[str, Any] = atomic(run)
    return result


def correct_person(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None
) -> dict[str, Any]:
    check(actor.role, "identity", "write")
    values = _identity(data, partial=True)
    if not values:
        raise BadInputError("body", "names no identity field to correct")
    reason = _reason(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        p = _bump_person(actor, p, expected)
        changes = {f: [getattr(p, f), v] for f, v in values.items() if getattr(p, f) != v}
        Person.objects.filter(pk=p.pk).update(**values)
        p.refresh_from_db()
        DossierEvent.objects.create(
            person=p, kind="identity_corrected", payload=changes, **recorded(actor, reason)
        )
        if {"birth_date", "unaccompanied_minor"} & set(changes):
            refresh_priorities({p.pk})
        append(actor.audit, [_entry("person.correct", "identity", tuple(values), p)])
        return person_json(p)

    result: dict[str, Any] = atomic(run)
    return result


def link_family(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None
) -> dict[str, Any]:
    check(actor.role, "identity", "write")
    relation = choice(data, "relation", ("partner", "parent", "child"))
    other_id = data.get("other_person_id")
    other_v = data.get("other_v_number")
    if other_id is None and isinstance(other_v, str) and other_v:
        other_v = text(data, "other_v_number")  # a NUL byte reached PostgreSQL: a 500
        found = scope.persons(actor).filter(v_number=other_v).values_list("pk", flat=True)
        other_id = found.first()
        if other_id is None:
            raise NotFoundError(
                f"no person {other_v}", field="other_v_number", rule="must exist in your scope"
            )
    # JSON's true is an int to Python (person 1): refused, not guessed.
    if isinstance(other_id, bool) or not isinstance(other_id, int):
        raise BadInputError("other_person_id", "must be the id of a person (or other_v_number)")
    reason = _reason(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        other = scope.person(actor, other_id)
        if other.pk == p.pk:
            raise BadInputError("other_person_id", "a person cannot be linked to themselves")
        p = _bump_person(actor, p, expected)
        a, b = (other, p) if relation == "child" else (p, other)
        rel = "parent" if relation in ("parent", "child") else "partner"
        FamilyLink.objects.create(
            parent_or_partner=a, other=b, relation=rel, **recorded(actor, reason)
        )
        DossierEvent.objects.create(
            person=p,
            kind="family_linked",
            payload={"relation": relation, "other": other.v_number},
            **recorded(actor, reason),
        )
        refresh_priorities({p.pk, other.pk})
        append(
            actor.audit,
            [
                _entry("family.link", "identity", ("family",), p),
                _entry("family.link", "identity", ("family",), other),
            ],
        )
        return person_json(p)

    result: dict[str, Any] = atomic(run)
    return result


# -- procedures --------------------------------------------------------------------------------


def _event_input(data: dict[str, Any]) -> tuple[str, date, dict[str, Any]]:
    kind = text(data, "kind", max_len=64)
    when = happened(data, "day")
    extra = data.get("data") or {}
    if not isinstance(extra, dict):
        raise BadInputError("data", "must be an object", "moet een object zijn")
    return kind, when, check_json(extra, "data")


def validate_events(
    procedure_type: str, events: list[Event], facts: dict[str, Any], new: list[Event]
) -> None:
    """The history with ``new`` (the events being recorded, part of ``events``) must derive,
    and each new event carry the values its kind declares."""
    pt = get_procedure(procedure_type)
    try:
        for event in new:
            check_event_data(pt, event)
        derive(pt, events, facts=facts, on=date.today())
    except InputError as exc:
        raise BadInputError(exc.field, exc.rule) from None
    except (ValueError, KeyError) as exc:
        raise BadInputError("event", str(exc)) from None


def lodge(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """Open a procedure of a catalogue type on a person's dossier with its first event."""
    check(actor.role, "procedure", "write")
    procedure_type = text(data, "procedure_type", max_len=64)
    try:
        pt = get_procedure(procedure_type)
    except CatalogError as exc:
        raise BadInputError("procedure_type", str(exc).removeprefix("procedure: ")) from None
    if procedure_type not in actor.role.procedures:
        raise ForbiddenError(
            f"role {actor.role.id} may not lodge {procedure_type}",
            field="procedure_type",
            rule=f"policy: {actor.role.id} handles {', '.join(sorted(actor.role.procedures))}",
        )
    facts = data.get("facts") or {}
    if not isinstance(facts, dict):
        raise BadInputError("facts", "must be an object", "moet een object zijn")
    check_json(facts, "facts")
    given = data.get("event")
    if isinstance(given, dict) and data.get("day") not in (None, "", given.get("day")):
        raise BadInputError("day", "differs from event.day: give the day once, in the event")
    # An event sent empty is an event without kind or day (refused), not "the default one".
    first = (
        given
        if given is not None
        else {
            "kind": (pt.regime_events[0] if pt.regime_events else None)
            or main_deadline(pt).start.event
            or pt.events[0].kind,
            "day": data.get("day"),
        }
    )
    if not isinstance(first, dict):
        raise BadInputError("event", "must be an object with kind and day")
    kind, when, extra = _event_input(first)
    opening = Event(kind, when, extra)
    validate_events(procedure_type, [opening], facts, new=[opening])
    reason = _reason(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        p = _bump_person(actor, p, expected)
        proc = Procedure.objects.create(person=p, procedure_type=procedure_type, facts=facts)
        ProcedureEvent.objects.create(
            procedure=proc, kind=kind, day=when, data=extra, **recorded(actor, reason)
        )
        DossierEvent.objects.create(
            person=p,
            kind="procedure_lodged",
            payload={"procedure": proc.pk, "type": procedure_type},
            **recorded(actor, reason),
        )
        proc.person = p
        refresh(proc)
        append(
            actor.audit,
            [
                _entry(
                    "procedure.lodge",
                    "procedure",
                    ("procedure_type", "events"),
                    p,
                    f"procedure:{proc.pk}",
                )
            ],
        )
        return procedure_row(proc, on)

    result: dict[str, Any] = atomic(run)
    return result


def record_event(
    actor: Actor, procedure_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    check(actor.role, "procedure", "write")
    kind, when, extra = _event_input(data)
    reason = _reason(data)

    def run() -> dict[str, Any]:
        proc = scope.procedure(actor, procedure_id)
        if proc.procedure_type not in actor.role.procedures:
            raise ForbiddenError(
                f"role {actor.role.id} may not record events on {proc.procedure_type}",
                field="procedure",
                rule=f"policy: {actor.role.id} handles "
                f"{', '.join(sorted(actor.role.procedures)) or 'no procedure types'}",
            )
        event = Event(kind, when, extra)
        events = [*events_of(proc), event]
        validate_events(proc.procedure_type, events, proc.facts, new=[event])
        _bump_procedure(proc, expected, on)
        ProcedureEvent.objects.create(
            procedure=proc, kind=kind, day=when, data=extra, **recorded(actor, reason)
        )
        refresh(proc, sorted(events, key=lambda e: e.day))
        if proc.person is not None:
            append(
                actor.audit,
                [
                    _entry(
                        "procedure.event",
                        "procedure",
                        ("events",),
                        proc.person,
                        f"procedure:{proc.pk}",
                    )
                ],
            )
        return procedure_row(proc, on)

    result: dict[str, Any] = atomic(run)
    return result


def decide(
    actor: Actor, procedure_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """Record a decision: the procedure's stop event and the decision with its rule trail."""
    check(actor.role, "decision", "write")
    outcome = choice(data, "outcome", DECISION_OUTCOMES)
    when = happened(data, "day")
    grounds = text(data, "grounds", required=False, max_len=4000)
    trail = data.get("rule_trail") or []
    if not isinstance(trail, list | dict):
        raise BadInputError(
            "rule_trail",
            "must be the trail (list) or outcome (object) of a rule",
            "moet het spoor (lijst) of de uitkomst (object) van een regel zijn",
        )
    check_json(trail, "rule_trail")
    reason = _reason(data)

    def run() -> dict[str, Any]:
        proc = scope.procedure(actor, procedure_id)
        if proc.procedure_type not in actor.role.procedures:
            raise ForbiddenError(
                f"role {actor.role.id} may not decide on {proc.procedure_type}",
                field="procedure",
                rule=f"policy: {actor.role.id} decides "
                f"{', '.join(sorted(actor.role.procedures)) or 'no procedure types'}",
            )
        pt = get_procedure(proc.procedure_type)
        stops = main_deadline(pt).stop
        kind = "decided" if "decided" in stops else (stops[0] if stops else "decided")
        named = data.get("event_kind")
        if named is not None and not isinstance(named, str):
            raise BadInputError("event_kind", f"must be one of {', '.join(stops)} for {pt.id}")
        kind = named or kind
        if kind not in stops:
            raise BadInputError("event_kind", f"must be one of {', '.join(stops)} for {pt.id}")
        existing = events_of(proc)
        if any(e.kind in stops for e in existing):
            raise ContradictionError(
                "procedure",
                "already decided or ended: record an objection/appeal",
                "al besloten of beëindigd: leg een bezwaar of beroep vast",
            )
        began = min((e.day for e in existing), default=None)
        if began is not None and when < began:
            raise ContradictionError(
                "day",
                f"must not be before the procedure began ({began.isoformat()}): a decision "
                "follows the application",
                f"mag niet vóór het begin van de procedure ({nl_day(began)}) liggen: een besluit "
                "volgt op de aanvraag",
            )
        if not grounds and reasons_required(proc.procedure_type, outcome):
            raise BadInputError(
                "grounds",
                f"is required: a decision '{outcome}' on {pt.id} states its legal ground "
                f"({REASONS_CITATION})",
                f"is verplicht: een besluit '{DECISION_OUTCOMES[outcome].nl}' vermeldt de "
                f"grondslag en motivering ({REASONS_CITATION})",
            )
        decided = Event(kind, when, {"outcome": outcome})
        events = [*existing, decided]
        validate_events(proc.procedure_type, events, proc.facts, new=[decided])
        _bump_procedure(proc, expected, on)
        ev = ProcedureEvent.objects.create(
            procedure=proc,
            kind=kind,
            day=when,
            data={"outcome": outcome},
            **recorded(actor, reason),
        )
        decision = Decision.objects.create(
            procedure=proc,
            event=ev,
            outcome=outcome,
            grounds=grounds,
            decided_on=when,
            rule_trail=trail,
            **recorded(actor, reason),
        )
        refresh(proc, sorted(events, key=lambda e: e.day))
        if proc.person is not None:
            append(
                actor.audit,
                [
                    _entry(
                        "decision.record",
                        "decision",
                        ("outcome", "grounds", "rule_trail"),
                        proc.person,
                        f"decision:{decision.pk}",
                    )
                ],
            )
        return {
            "decision": decision_json(decision, actor.role.can("rule_trail", "read")),
            "procedure": procedure_row(proc, on),
        }

    result: dict[str, Any] = atomic(run)
    return result


# -- dossier records ---------------------------------------------------------------------------


def add_record(
    actor: Actor, person_id: int, resource: str, data: dict[str, Any], expected: int | None
) -> dict[str, Any]:
    check(actor.role, resource, "write")
    reason = _reason(data)
    build = _BUILDERS.get(resource)
    if build is None:
        raise BadInputError("resource", f"{resource!r} cannot be added to a dossier")
    values = build(actor, data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        p = _bump_person(actor, p, expected)
        row = _create(resource, p, values, actor, reason)
        DossierEvent.objects.create(
            person=p,
            kind=f"{resource}_added",
            payload={"id": row.pk, **{k: str(v) for k, v in values.items() if k != "text"}},
            **recorded(actor, reason),
        )
        append(
            actor.audit,
            [_entry(f"{resource}.add", resource, tuple(values), p, f"{resource}:{row.pk}")],
        )
        return {**record_json(resource, row), "person_version": p.version}

    result: dict[str, Any] = atomic(run)
    return result


# Records that run for a period and can be ended: a detention that is lifted, a reception
# placement left for municipal housing. The row keeps its start; the end day is set once, and the
# dossier event ``<resource>_ended`` says who ended it, when and why.
ENDABLE: dict[str, type[Measure] | type[Placement]] = access.RECORDS


def end_record(
    actor: Actor,
    person_id: int,
    resource: str,
    record_id: int,
    data: dict[str, Any],
    expected: int | None,
) -> dict[str, Any]:
    """End an open measure or placement on the day ``data["end"]`` (not after today, not before
    its start) for ``data["reason"]``. A record whose end day has passed is ended already; one
    whose recorded end still lies ahead may be ended earlier."""
    model = ENDABLE.get(resource)
    if model is None:
        raise BadInputError("resource", f"{resource!r} cannot be ended (only measure, placement)")
    check(actor.role, resource, "write")
    end = happened(data, "end", earliest=EARLIEST_RECORD_DAY, why=PLANNED_END)
    today = date.today()
    reason = _reason(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        row = model.objects.filter(pk=record_id, person=p).first()
        if row is None:
            raise NotFoundError(
                f"no {resource} {record_id} in this dossier",
                field=resource,
                rule="must be a record of this person",
            )
        if isinstance(row, Placement) and _outside_own_housing(actor, row.municipality):
            raise ForbiddenError(
                f"role {actor.role.id} may not end placement {row.pk}",
                field="placement",
                rule="a municipality ends only placements in its own housing",
            )
        p = _bump_person(actor, p, expected)
        if is_ended(row.end, today):
            raise BadInputError(
                resource,
                f"{resource} {row.pk} already ended on {row.end.isoformat()}: "
                "an ended record cannot be ended again",
            )
        if end < row.start:
            raise BadInputError("end", f"must not be before the start ({row.start.isoformat()})")
        previous = row.end
        # Conditional, so that two enders can never both succeed (the version bump above
        # already serialises them; this holds even without it).
        open_rows = model.objects.filter(access.running(today), pk=row.pk)
        if not open_rows.update(end=end):
            raise BadInputError(resource, f"{resource} {row.pk} was ended meanwhile")
        row.refresh_from_db()
        payload = {"id": row.pk, "kind": row.kind, "start": str(row.start), "end": str(end)}
        if previous is not None:
            payload["previous_end"] = str(previous)
        DossierEvent.objects.create(
            person=p, kind=f"{resource}_ended", payload=payload, **recorded(actor, reason)
        )
        withdrawn = _withdraw_unfounded(actor, p, resource, row, reason, today)
        # One operation: the ending and the withdrawal it caused are one audit record.
        fields = ("end", "access_grant") if withdrawn else ("end",)
        append(
            actor.audit,
            [_entry(f"{resource}.end", resource, fields, p, f"{resource}:{row.pk}")],
        )
        out = record_json(resource, row)
        out.update(endings(p, (resource,)).get((resource, row.pk), {}))
        out["access_withdrawn"] = [withdrawn] if withdrawn else []
        return {**out, "person_version": p.version}

    result: dict[str, Any] = atomic(run)
    return result


def _create(resource: str, p: Person, values: dict[str, Any], actor: Actor, reason: str) -> Any:
    rec = recorded(actor, reason)
    if resource in ENDABLE:
        row: Any = ENDABLE[resource].objects.create(person=p, **values, **rec)
        # A record entered after it ended gives no access: there is nothing left to do.
        basis = access.running_grant(
            resource, values["kind"], values.get("municipality"), values["end"], date.today()
        )
        if basis is not None:
            grant(p, basis[0], basis[1], values["start"])
        return row
    if resource == "document":
        return ResidenceDocument.objects.create(person=p, **values, **rec)
    if resource == "handover":
        if not Organisation.objects.filter(code=values["to_org_id"]).exists():
            raise BadInputError("to_org", f"unknown organisation {values['to_org_id']!r}")
        row = Handover.objects.create(person=p, **values, **rec)
        grant(p, values["to_org_id"], f"handover:{values['kind']}", values["day"])
        return row
    return ProtectedRecord.objects.create(person=p, category=resource, **values, **rec)


# Why a start or an end after today is refused: a record runs from the day it began, and an
# end ahead is the planned end given when the record is added.
PLANNED_START = (
    ": a measure or placement is recorded from the day it begins",
    ": een maatregel of plaatsing wordt vastgelegd vanaf de dag waarop zij begint",
)
PLANNED_END = (
    ": a planned end is given when the record is added (end), and this ends it now",
    ": een geplande einddatum geeft u op bij het vastleggen; dit beëindigt de registratie nu",
)


def _period(data: dict[str, Any]) -> tuple[date | None, date | None]:
    start = happened(data, "start", earliest=EARLIEST_RECORD_DAY, why=PLANNED_START)
    end = day(data, "end", required=False, earliest=EARLIEST_RECORD_DAY)
    if start is not None and end is not None and end < start:
        raise BadInputError("end", f"must not be before the start ({start.isoformat()})")
    return start, end


def _measure(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    kind = choice(data, "kind", MEASURE_TYPES)
    start, end = _period(data)
    return {
        "kind": kind,
        "start": start,
        "end": end,
        "legal_basis": text(data, "legal_basis", required=False),
    }


def _outside_own_housing(actor: Actor, municipality: str | None) -> bool:
    """A municipality acts on placements in its own housing only (other roles: any)."""
    return actor.organisation_kind == "municipality" and municipality != (
        actor.organisation.removeprefix("gemeente-")
    )


def _placement(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    kind = choice(data, "kind", PLACEMENT_TYPES)
    municipality = text(data, "municipality", required=kind == "municipal_housing", max_len=64)
    if _outside_own_housing(actor, municipality):
        raise BadInputError("municipality", "a municipality places only in its own housing")
    location = text(data, "location")
    start, end = _period(data)
    return {
        "kind": kind,
        "location": location,
        "start": start,
        "end": end,
        "municipality": municipality or None,
    }


def _document(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    issued = happened(data, "issued", earliest=EARLIEST_RECORD_DAY, why=("", ""))
    valid_until = day(data, "valid_until", required=False, earliest=EARLIEST_RECORD_DAY)
    if valid_until is not None and valid_until < issued:
        raise BadInputError("valid_until", f"must not be before issued ({issued.isoformat()})")
    return {
        "kind": choice(data, "kind", DOCUMENT_TYPES),
        "number": text(data, "number", max_len=32),
        "issued": issued,
        "valid_until": valid_until,
    }


def _handover(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": choice(data, "kind", HANDOVER_TYPES),
        "from_org_id": actor.organisation,
        "to_org_id": text(data, "to_org", max_len=64),
        "day": happened(data, "day"),
        "note": text(data, "note", required=False, max_len=4000),
    }


def _protected(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    return {"text": text(data, "text", max_len=20000)}


_BUILDERS: dict[str, Callable[[Actor, dict[str, Any]], dict[str, Any]]] = {
    "measure": _measure,
    "placement": _placement,
    "document": _document,
    "handover": _handover,
    "asylum_motive": _protected,
    "finding_1f": _protected,
}
