"""Writing dossiers: register, correct, link family, lodge, record an event, decide (records
are added and ended in ``records``, mistakes withdrawn in ``corrections``).

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

from django.db import IntegrityError

from keten.catalog.derive import Event, InputError, check_event_data, derive
from keten.catalog.loader import CatalogError, get_procedure, load_catalog
from keten.catalog.model import main_deadline
from keten.chain import departure_kinds
from keten.chain.identity import IdentityError, PartialDate, check_nationality, check_v_number
from keten.chain.kinds import (
    DECISION_OUTCOMES,
    REASONS_CITATION,
    reasons_required,
)
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import (
    Decision,
    DossierEvent,
    FamilyLink,
    Person,
    Procedure,
    ProcedureEvent,
)
from keten.server.services import (
    coi_citations,
    court_guard,
    person_duplicates,
    person_search,
    procedure_facts,
    scope,
)
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_json, nl_day
from keten.server.services.departure_checks import check_case
from keten.server.services.derived import events_of, refresh, refresh_priorities
from keten.server.services.errors import (
    BadInputError,
    ContradictionError,
    ForbiddenError,
    IdentityConflictError,
    NotFoundError,
)
from keten.server.services.inputs import bsn, choice, happened, text
from keten.server.services.policy import check
from keten.server.services.reads import (
    IDENTITY_FIELDS,
    decision_json,
    person_json,
    procedure_row,
)
from keten.server.services.writing import (
    atomic,
    bump_person,
    bump_procedure,
    entry,
    grant,
    reason_of,
    recorded,
)

# -- identity ----------------------------------------------------------------------------------


def _procedure_nl(procedure_type: str) -> str:
    """A procedure type by its Dutch name in the catalogue, lower case as in a sentence."""
    found = load_catalog().get(procedure_type)
    name = found.name.nl if found is not None else procedure_type
    return name[:1].lower() + name[1:]


def _procedures_nl(types: frozenset[str]) -> str:
    return ", ".join(sorted(_procedure_nl(t) for t in types)) or "geen soorten procedure"


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
        raise BadInputError(exc.field, exc.rule, exc.rule_nl) from None
    if not partial or "sex" in data:
        if partial and not data.get("sex"):  # a correction names the new value
            raise BadInputError(
                "sex", "must be m, f or x (x: unknown)", "moet m, v/f of x zijn (x: onbekend)"
            )
        out["sex"] = data.get("sex") or "x"
        if out["sex"] not in ("m", "f", "x"):
            raise BadInputError("sex", "must be m, f or x", "moet m, v/f of x zijn")
    if "bsn" in data:
        out["bsn"] = bsn(str(data.get("bsn") or ""))
    for flag in ("unaccompanied_minor", "abroad"):
        if flag in data:
            if not isinstance(data[flag], bool):
                raise BadInputError(flag, "must be true or false", "moet ja of nee zijn")
            out[flag] = data[flag]
    return out


def _unique_identity(actor: Actor, values: dict[str, Any], run: Callable[[], Any]) -> Any:
    """``run`` in one transaction; when it fails on a V-number or BSN the register already
    holds, the same refusal whoever holds it (in the actor's scope or not: the answer must
    not tell), written to the audit log with the holder as its subject, so that probing for
    identifiers shows up where the privacy officer looks."""
    try:
        return atomic(run)
    except IntegrityError as exc:
        message = str(exc).lower()
        field = next((f for f in ("v_number", "bsn") if f in message and values.get(f)), None)
        if field is None:
            raise
    holder = Person.objects.filter(**{field: values[field]}).first()
    append(
        actor.audit,
        [
            Entry(
                "identity.conflict",
                "write",
                "identity",
                (field,),
                subjects=((holder.pk, holder.v_number),) if holder is not None else (),
                status_code="ERROR",
            )
        ],
    )
    raise IdentityConflictError(field)


def register_person(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    check(actor.role, "identity", "write")
    values = _identity(data)
    reason = reason_of(data)
    # A person who resembles one the actor may see is registered only when the actor says
    # it is someone else (services/person_duplicates.py): else a 409 naming the candidates.
    alike = person_duplicates.check_registration(
        actor, values, person_duplicates.confirmation(data)
    )

    def run() -> dict[str, Any]:
        p = Person.objects.create(**values)
        person_search.write_keys([p])
        payload = dict(values)
        if alike:
            payload["confirmed_not_duplicate_of"] = alike
        DossierEvent.objects.create(
            person=p, kind="registered", payload=payload, **recorded(actor, reason)
        )
        if actor.role.scope == "granted":
            grant(p, actor.organisation, "registered", date.today())
        append(actor.audit, [entry("person.register", "identity", IDENTITY_FIELDS, p)])
        return person_json(p, [])

    result: dict[str, Any] = _unique_identity(actor, values, run)
    return result


def correct_person(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None
) -> dict[str, Any]:
    check(actor.role, "identity", "write")
    values = _identity(data, partial=True)
    if not values:
        raise BadInputError(
            "body",
            "names no identity field to correct",
            "noemt geen identiteitsgegeven om te corrigeren",
        )
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        p = bump_person(actor, p, expected)
        changes = {f: [getattr(p, f), v] for f, v in values.items() if getattr(p, f) != v}
        Person.objects.filter(pk=p.pk).update(**values)
        p.refresh_from_db()
        if {"given_names", "surname"} & set(changes):
            person_search.write_keys([p])
        DossierEvent.objects.create(
            person=p, kind="identity_corrected", payload=changes, **recorded(actor, reason)
        )
        if {"birth_date", "unaccompanied_minor"} & set(changes):
            refresh_priorities({p.pk})
        append(actor.audit, [entry("person.correct", "identity", tuple(values), p)])
        return person_json(p)

    result: dict[str, Any] = _unique_identity(actor, values, run)
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
                f"no person {other_v}",
                field="other_v_number",
                rule="must exist in your scope",
                detail_nl=f"geen persoon met V-nummer {other_v}",
                rule_nl="moet een persoon zijn die u mag inzien",
            )
    # JSON's true is an int to Python (person 1): refused, not guessed.
    if isinstance(other_id, bool) or not isinstance(other_id, int):
        raise BadInputError(
            "other_person_id",
            "must be the id of a person (or other_v_number)",
            "moet het nummer van een persoon zijn (of geef het V-nummer)",
        )
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        other = scope.person(actor, other_id)
        if other.pk == p.pk:
            raise BadInputError(
                "other_person_id",
                "a person cannot be linked to themselves",
                "een persoon kan niet aan zichzelf gekoppeld worden",
            )
        p = bump_person(actor, p, expected)
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
                entry("family.link", "identity", ("family",), p),
                entry("family.link", "identity", ("family",), other),
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
            if procedure_type == "departure":  # how and where to: keten.chain.departure_kinds
                departure_kinds.check(event.kind, event.data, event.day)
        derive(pt, events, facts=facts, on=date.today())
    except InputError as exc:
        raise BadInputError(exc.field, exc.rule, getattr(exc, "rule_nl", None)) from None
    except (ValueError, KeyError) as exc:
        raise BadInputError("event", str(exc), f"ongeldige gebeurtenis ({exc})") from None


def lodge(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """Open a procedure of a catalogue type on a person's dossier with its first event."""
    check(actor.role, "procedure", "write")
    procedure_type = text(data, "procedure_type", max_len=64)
    try:
        pt = get_procedure(procedure_type)
    except CatalogError as exc:
        raise BadInputError(
            "procedure_type",
            str(exc).removeprefix("procedure: "),
            f"onbekende soort procedure {procedure_type!r}",
        ) from None
    if procedure_type not in actor.role.procedures:
        raise ForbiddenError(
            f"role {actor.role.id} may not lodge {procedure_type}",
            field="procedure_type",
            rule=f"policy: {actor.role.id} handles {', '.join(sorted(actor.role.procedures))}",
            detail_nl=f"de rol ‘{actor.role.name_nl}’ mag een {_procedure_nl(procedure_type)} "
            "niet indienen",
            rule_nl=f"deze rol behandelt: {_procedures_nl(actor.role.procedures)}",
        )
    court_guard.generic_lodge(procedure_type)
    # Each fact one the type declares, with a value it takes (services/procedure_facts.py).
    facts = procedure_facts.check_facts(pt, data.get("facts") or {})
    given = data.get("event")
    if isinstance(given, dict) and data.get("day") not in (None, "", given.get("day")):
        raise BadInputError(
            "day",
            "differs from event.day: give the day once, in the event",
            "verschilt van event.day: geef de dag één keer, in de gebeurtenis",
        )
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
        raise BadInputError(
            "event",
            "must be an object with kind and day",
            "moet een object met soort (kind) en dag (day) zijn",
        )
    kind, when, extra = _event_input(first)
    opening = Event(kind, when, extra)
    validate_events(procedure_type, [opening], facts, new=[opening])
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        procedure_facts.check_against_case(pt, facts, p)
        p = bump_person(actor, p, expected)
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
                entry(
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


def check_event_kind(actor: Actor, procedure_type: str, kind: str) -> None:
    """The role records events on the types it handles, and the kinds policy.yaml lists for
    it (``events``) on others: a municipality its lease and move, never the match."""
    if actor.role.records_event(procedure_type, kind):
        return
    listed = sorted(actor.role.events.get(procedure_type, ()))
    if listed:
        rule = f"policy: {actor.role.id} records only {', '.join(listed)} on {procedure_type}"
        rule_nl = (
            f"beleid: {actor.role.id} legt op {procedure_type} alleen {', '.join(listed)} vast"
        )
    else:
        handles = ", ".join(sorted(actor.role.procedures)) or "no procedure types"
        rule = f"policy: {actor.role.id} handles {handles}"
        rule_nl = f"beleid: {actor.role.id} behandelt {handles}"
    raise ForbiddenError(
        f"role {actor.role.id} may not record {kind} on {procedure_type}",
        field="kind" if listed else "procedure",
        rule=rule,
        detail_nl=f"de rol ‘{actor.role.name_nl}’ mag ‘{kind}’ niet vastleggen op {procedure_type}",
        rule_nl=rule_nl,
    )


def record_event(
    actor: Actor, procedure_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    check(actor.role, "procedure", "write")
    kind, when, extra = _event_input(data)
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        proc = scope.procedure(actor, procedure_id)
        check_event_kind(actor, proc.procedure_type, kind)
        court_guard.generic_event(proc.procedure_type, kind)
        event = Event(kind, when, extra)
        events = [*events_of(proc), event]
        validate_events(proc.procedure_type, events, proc.facts, new=[event])
        check_case(proc, event)
        bump_procedure(proc, expected, on)
        ProcedureEvent.objects.create(
            procedure=proc, kind=kind, day=when, data=extra, **recorded(actor, reason)
        )
        refresh(proc, sorted(events, key=lambda e: e.day))
        if proc.person is not None:
            append(
                actor.audit,
                [
                    entry(
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


def require_grounds(procedure_type: str, outcome: str, grounds: str) -> None:
    """A decision states its legal ground unless it grants what was asked (Awb 3:46, 3:48)."""
    if not grounds and reasons_required(procedure_type, outcome):
        raise BadInputError(
            "grounds",
            f"is required: a decision '{outcome}' on {procedure_type} states its legal ground "
            f"({REASONS_CITATION})",
            f"is verplicht: een besluit '{DECISION_OUTCOMES[outcome].nl}' vermeldt de "
            f"grondslag en motivering ({REASONS_CITATION})",
        )


def decided_event(
    actor: Actor,
    proc: Procedure,
    kind: str,
    when: date,
    data: dict[str, Any],
    outcome: str,
    grounds: str,
    trail: Any,
    reason: str,
) -> Decision:
    """The event that decides (a decision, a judgment, a decision again) and its Decision, in
    the caller's transaction, both with who, when and why."""
    ev = ProcedureEvent.objects.create(
        procedure=proc, kind=kind, day=when, data=data, **recorded(actor, reason)
    )
    return Decision.objects.create(
        procedure=proc,
        event=ev,
        outcome=outcome,
        grounds=grounds,
        decided_on=when,
        rule_trail=trail,
        **recorded(actor, reason),
    )


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
    reason = reason_of(data)
    # The COI documents it relied on, checked against the decision day in the transaction.
    cites = coi_citations.confirmations(data, coi_citations.parse(data.get("coi")))

    def run() -> dict[str, Any]:
        proc = scope.procedure(actor, procedure_id)
        if proc.procedure_type not in actor.role.procedures:
            raise ForbiddenError(
                f"role {actor.role.id} may not decide on {proc.procedure_type}",
                field="procedure",
                rule=f"policy: {actor.role.id} decides "
                f"{', '.join(sorted(actor.role.procedures)) or 'no procedure types'}",
                detail_nl=f"de rol ‘{actor.role.name_nl}’ mag niet beslissen op een "
                f"{_procedure_nl(proc.procedure_type)}",
                rule_nl=f"deze rol beslist op: {_procedures_nl(actor.role.procedures)}",
            )
        court_guard.generic_decide(proc.procedure_type)
        pt = get_procedure(proc.procedure_type)
        stops = main_deadline(pt).stop
        kind = "decided" if "decided" in stops else (stops[0] if stops else "decided")
        named = data.get("event_kind")
        if (named is not None and not isinstance(named, str)) or (named or kind) not in stops:
            raise BadInputError(
                "event_kind",
                f"must be one of {', '.join(stops)} for {pt.id}",
                f"moet een van {', '.join(stops)} zijn voor {pt.name.nl}",
            )
        kind = named or kind
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
        require_grounds(proc.procedure_type, outcome, grounds)
        decided = Event(kind, when, {"outcome": outcome})
        events = [*existing, decided]
        validate_events(proc.procedure_type, events, proc.facts, new=[decided])
        bump_procedure(proc, expected, on)
        decision = decided_event(
            actor, proc, kind, when, {"outcome": outcome}, outcome, grounds, trail, reason
        )
        coi_citations.cite(actor, decision, proc.person, cites)
        refresh(proc, sorted(events, key=lambda e: e.day))
        if proc.person is not None:
            append(
                actor.audit,
                [
                    entry(
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
