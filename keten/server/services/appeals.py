"""The court's procedures in the dossier: lodging an appeal, interim relief, higher appeal or
detention appeal naming what it contests, recording how it ended (judgment, withdrawn by the
applicant, the contested decision withdrawn by the IND), and the IND's new decision on the
original procedure after a well-founded appeal or a withdrawal.

The vocabulary is ``keten.chain.court``; the counting facts the reports read are in
``docs/reports.md`` ("Appeals in the dossier"). Every write is one transaction with the row's
who/when/why, a dossier event and an audit record, like ``services/commands.py``; a refusal
(``ContradictionError``, 422, in Dutch too) stores nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from keten.catalog.derive import Event
from keten.catalog.loader import get_procedure
from keten.chain import court
from keten.chain.kinds import DECISION_OUTCOMES
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import (
    Decision,
    DossierEvent,
    Measure,
    Person,
    Procedure,
    ProcedureEvent,
)
from keten.server.services import procedure_facts, scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import MAX_ID, nl_day
from keten.server.services.commands import decided_event, require_grounds, validate_events
from keten.server.services.derived import events_of, refresh
from keten.server.services.errors import (
    BadInputError,
    ContradictionError,
    ForbiddenError,
    NotFoundError,
)
from keten.server.services.inputs import NOT_PLANNED, choice, day, text
from keten.server.services.policy import check
from keten.server.services.reads import decision_json, procedure_row
from keten.server.services.withdrawals import standing
from keten.server.services.writing import (
    atomic,
    bump_person,
    bump_procedure,
    entry,
    reason_of,
    recorded,
)

MEASURE_PREFIX = "measure:"  # Procedure.subject of a detention appeal: "measure:<id>"


# -- input -------------------------------------------------------------------------------------


def _id(data: dict[str, Any], field: str) -> int:
    value = data.get(field)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())  # a form posts text
    # JSON's true is an int to Python: refused, not read as 1.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise BadInputError(field, "must be the id of a record", "moet het id van een record zijn")
    return value


def _happened(data: dict[str, Any]) -> date:
    """The day it happened: not after today (a refusal of the case, 422, as the brief of the
    court's procedures has it: nothing is recorded ahead of the court)."""
    found = day(data, "day")
    assert found is not None  # required
    today = date.today()
    if found > today:
        raise ContradictionError(
            "day",
            f"must not be after today ({today.isoformat()}){NOT_PLANNED[0]}",
            f"mag niet na vandaag ({nl_day(today)}) liggen{NOT_PLANNED[1]}",
        )
    return found


def _handles(actor: Actor, procedure_type: str, what: str) -> None:
    if procedure_type not in actor.role.procedures:
        handles = ", ".join(sorted(actor.role.procedures)) or "no procedure types"
        raise ForbiddenError(
            f"role {actor.role.id} may not {what} {procedure_type}",
            field="procedure_type",
            rule=f"policy: {actor.role.id} handles {handles}",
            detail_nl=f"de rol ‘{actor.role.name_nl}’ mag {procedure_type} niet vastleggen",
            rule_nl=f"beleid: {actor.role.id} behandelt {handles}",
        )


# -- what a court procedure contests and how it ended ------------------------------------------


def ending_of(proc: Procedure) -> tuple[str, date, str | None] | None:
    """(ending event kind, day, judgment outcome or None) of a court procedure, or None while
    it runs. Withdrawn (mistaken) rows do not count."""
    ev = (
        standing("event", ProcedureEvent.objects.filter(procedure=proc, kind__in=court.ENDINGS))
        .order_by("day", "id")
        .first()
    )
    if ev is None:
        return None
    outcome = None
    if ev.kind == court.JUDGMENT:
        dec = standing("decision", Decision.objects.filter(event=ev)).first()
        outcome = dec.outcome if dec is not None else None
    return ev.kind, ev.day, outcome


def original_of(proc: Procedure) -> Procedure | None:
    """The procedure whose decision a court procedure contests in the end: an appeal's
    contested procedure, a higher appeal's through the judgment it contests."""
    seen = 0
    target: Procedure | None = proc
    while target is not None and target.procedure_type in court.COURT_TYPES and seen < 4:
        if target.contests_id is None:
            return None
        target = Decision.objects.select_related("procedure").get(pk=target.contests_id).procedure
        seen += 1
    return target


def _contested(actor: Actor, person: Person, kind: str, decision_id: int, when: date) -> Decision:
    found = (
        standing("decision", Decision.objects.select_related("procedure"))
        .filter(pk=decision_id)
        .first()
    )
    owner = found.procedure.person_id if found is not None else None
    if found is None or owner is None or not scope.in_scope(actor, owner):
        raise NotFoundError(
            f"no decision {decision_id}",
            field="contests",
            rule="must exist in your scope",
            detail_nl=f"geen besluit {decision_id}",
            rule_nl="moet bestaan en binnen uw bevoegdheid vallen",
        )
    if owner != person.pk:
        raise ContradictionError(
            "contests",
            "is a decision on another person's procedure: an appeal contests a decision on the "
            "appellant's own case",
            "is een besluit in de zaak van een ander: een beroep bestrijdt een besluit in de "
            "eigen zaak",
        )
    if when < found.decided_on:
        raise ContradictionError(
            "day",
            f"must not be before the contested decision ({found.decided_on.isoformat()}): an "
            "appeal follows the decision",
            f"mag niet vóór het bestreden besluit ({nl_day(found.decided_on)}) liggen: een "
            "beroep volgt op het besluit",
        )
    is_judgment = found.procedure.procedure_type in court.COURT_TYPES
    if kind == court.HIGHER_APPEAL and found.procedure.procedure_type != court.APPEAL:
        raise ContradictionError(
            "contests",
            "a higher appeal contests a district court's judgment on an appeal",
            "een hoger beroep bestrijdt een uitspraak van de rechtbank op een beroep",
        )
    if kind != court.HIGHER_APPEAL and is_judgment:
        raise ContradictionError(
            "contests",
            f"is a court's judgment: {kind} contests a decision of the IND (a judgment is "
            "contested by a higher appeal)",
            f"is een uitspraak van de rechter: {kind} bestrijdt een besluit van de IND (tegen "
            "een uitspraak staat hoger beroep open)",
        )
    return found


def _detention(actor: Actor, person: Person, measure_id: int, when: date) -> Measure:
    found = Measure.objects.filter(pk=measure_id, kind="detention").first()
    if found is None or not scope.in_scope(actor, found.person_id):
        raise NotFoundError(
            f"no detention measure {measure_id}",
            field="measure",
            rule="must be a detention measure in your scope",
            detail_nl=f"geen maatregel van bewaring {measure_id}",
            rule_nl="moet een maatregel van bewaring binnen uw bevoegdheid zijn",
        )
    if found.person_id != person.pk:
        raise ContradictionError(
            "measure",
            "is another person's detention",
            "is de bewaring van een ander",
        )
    if when < found.start:
        raise ContradictionError(
            "day",
            f"must not be before the detention began ({found.start.isoformat()})",
            f"mag niet vóór het begin van de bewaring ({nl_day(found.start)}) liggen",
        )
    return found


def _running(kind: str, contests: Decision | None, subject: str | None) -> bool:
    """Whether a court procedure of ``kind`` against the same decision (or measure) runs."""
    rows = Procedure.objects.filter(procedure_type=kind)
    rows = rows.filter(contests=contests) if contests is not None else rows.filter(subject=subject)
    return any(ending_of(p) is None for p in rows)


# -- lodging -----------------------------------------------------------------------------------


def lodge(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """Lodge a court procedure for a person: ``procedure_type`` (appeal, interim_relief,
    higher_appeal, detention_appeal), ``contests`` (the decision's id; for a detention appeal
    ``measure``, the detention's id), ``day`` it was lodged, ``reason``; optional ``facts``."""
    check(actor.role, "procedure", "write")
    kind = choice(data, "procedure_type", court.COURT_TYPES)
    _handles(actor, kind, "lodge")
    pt = get_procedure(kind)
    facts = procedure_facts.check_facts(pt, data.get("facts") or {})
    target = _id(data, "measure" if kind == court.DETENTION_APPEAL else "contests")
    when = _happened(data)
    reason = reason_of(data)
    opening = Event(court.OPENING[kind], when)
    validate_events(kind, [opening], facts, new=[opening])

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        procedure_facts.check_against_case(pt, facts, p)
        # The person's version first: two officers lodging against the same decision at once
        # conflict here, so the check below sees the other's appeal (tests/server PG race).
        p = bump_person(actor, p, expected)
        contests: Decision | None = None
        subject: str | None = None
        if kind == court.DETENTION_APPEAL:
            subject = f"{MEASURE_PREFIX}{_detention(actor, p, target, when).pk}"
        else:
            contests = _contested(actor, p, kind, target, when)
        if _running(kind, contests, subject):
            raise ContradictionError(
                "contests" if contests is not None else "measure",
                f"an open {kind} against it exists: one runs until its judgment or withdrawal",
                f"er loopt al een {kind} hiertegen: dat loopt tot de uitspraak of intrekking",
            )
        proc = Procedure.objects.create(
            person=p, procedure_type=kind, facts=facts, contests=contests, subject=subject
        )
        ProcedureEvent.objects.create(
            procedure=proc, kind=opening.kind, day=when, data={}, **recorded(actor, reason)
        )
        DossierEvent.objects.create(
            person=p,
            kind="procedure_lodged",
            payload={
                "procedure": proc.pk,
                "type": kind,
                "contests": contests.pk if contests is not None else None,
                "subject": subject,
            },
            **recorded(actor, reason),
        )
        proc.person = p
        refresh(proc)
        append(
            actor.audit,
            [
                entry(
                    "appeal.lodge",
                    "procedure",
                    ("procedure_type", "events", "contests"),
                    p,
                    f"procedure:{proc.pk}",
                )
            ],
        )
        return {**procedure_row(proc, on), **link_json(proc)}

    result: dict[str, Any] = atomic(run)
    return result


# -- the court's outcome -----------------------------------------------------------------------


def record_outcome(
    actor: Actor, procedure_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """How a court procedure ended: ``ending`` judgment (with ``outcome`` well_founded,
    unfounded or inadmissible, a Decision on the procedure), withdrawn (by the applicant) or
    decision_withdrawn (the IND withdrew the contested decision); ``day``, ``reason``,
    optional ``grounds``."""
    check(actor.role, "procedure", "write")
    ending = choice(data, "ending", court.ENDINGS)
    outcome = None
    if ending == court.JUDGMENT:
        check(actor.role, "decision", "write")
        outcome = choice(data, "outcome", court.JUDGMENT_OUTCOMES)
    elif data.get("outcome") not in (None, ""):
        raise BadInputError(
            "outcome",
            "only a judgment has an outcome",
            "alleen een uitspraak heeft een uitkomst",
        )
    when = _happened(data)
    grounds = text(data, "grounds", required=False, max_len=4000)
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        proc = scope.procedure(actor, procedure_id)
        if proc.procedure_type not in court.COURT_TYPES:
            raise ContradictionError(
                "procedure",
                f"{proc.procedure_type} is not a court procedure",
                f"{proc.procedure_type} is geen procedure bij de rechter",
            )
        _handles(actor, proc.procedure_type, "record the outcome of")
        ended = ending_of(proc)
        if ended is not None:
            raise ContradictionError(
                "procedure",
                f"already ended ({ended[0]} on {ended[1].isoformat()})",
                f"al beëindigd ({ended[0]} op {nl_day(ended[1])})",
            )
        existing = events_of(proc)
        began = min((e.day for e in existing), default=when)
        if when < began:
            raise ContradictionError(
                "day",
                f"must not be before the procedure was lodged ({began.isoformat()})",
                f"mag niet vóór het instellen ({nl_day(began)}) liggen",
            )
        if ending == court.DECISION_WITHDRAWN and proc.contests_id is None and not proc.subject:
            raise ContradictionError(
                "ending",
                "this procedure names no decision or measure the IND could withdraw",
                "deze procedure noemt geen besluit of maatregel dat de IND kan intrekken",
            )
        new = Event(ending, when, {"outcome": outcome} if outcome else {})
        events = [*existing, new]
        validate_events(proc.procedure_type, events, proc.facts, new=[new])
        bump_procedure(proc, expected, on)
        decision = None
        if outcome is not None:
            decision = decided_event(
                actor, proc, ending, when, dict(new.data), outcome, grounds, [], reason
            )
        else:
            ProcedureEvent.objects.create(
                procedure=proc,
                kind=ending,
                day=when,
                data=dict(new.data),
                **recorded(actor, reason),
            )
        refresh(proc, sorted(events, key=lambda e: e.day))
        if proc.person is not None:
            ref = f"decision:{decision.pk}" if decision else f"procedure:{proc.pk}"
            append(
                actor.audit,
                [entry("appeal.outcome", "procedure", ("events", "outcome"), proc.person, ref)],
            )
        return {
            "decision": decision_json(decision, False) if decision is not None else None,
            "procedure": {**procedure_row(proc, on), **link_json(proc)},
        }

    result: dict[str, Any] = atomic(run)
    return result


# -- the decision again ------------------------------------------------------------------------


def decide_again(
    actor: Actor, procedure_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """The IND's new decision on the original procedure after the court procedure ``after``
    ended in a well-founded judgment or the IND's withdrawal of its decision: event
    ``decided_again`` {"after": id} and a Decision on it; ``outcome``, ``day``, ``grounds``
    (required as for any decision but a grant), ``reason``."""
    check(actor.role, "decision", "write")
    outcome = choice(data, "outcome", court.DECISION_AGAIN_OUTCOMES)
    after = _id(data, "after")
    when = _happened(data)
    grounds = text(data, "grounds", required=False, max_len=4000)
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        proc = scope.procedure(actor, procedure_id)
        _handles(actor, proc.procedure_type, "decide on")
        pt = get_procedure(proc.procedure_type)
        if pt.event_spec(court.DECIDED_AGAIN) is None:
            raise ContradictionError(
                "procedure",
                f"{proc.procedure_type} takes no decision again after a court procedure",
                f"op {proc.procedure_type} volgt geen nieuw besluit na een procedure bij de "
                "rechter",
            )
        appeal = Procedure.objects.filter(pk=after).first()
        original = original_of(appeal) if appeal is not None else None
        if appeal is None or original is None or original.pk != proc.pk:
            raise ContradictionError(
                "after",
                f"procedure {after} is no court procedure against a decision on this procedure",
                f"procedure {after} is geen procedure bij de rechter tegen een besluit in deze "
                "procedure",
            )
        ended = ending_of(appeal)
        if ended is None or not court.follows_up(ended[0], ended[2]):
            raise ContradictionError(
                "after",
                "ended in no well-founded judgment and no withdrawal of the decision: there is "
                "nothing to decide again",
                "eindigde niet in een gegrondverklaring of intrekking van het besluit: er is "
                "niets opnieuw te beslissen",
            )
        if when < ended[1]:
            raise ContradictionError(
                "day",
                f"must not be before the court procedure ended ({ended[1].isoformat()})",
                f"mag niet vóór het einde van de procedure bij de rechter ({nl_day(ended[1])}) "
                "liggen",
            )
        again = standing(
            "event",
            ProcedureEvent.objects.filter(procedure=proc, kind=court.DECIDED_AGAIN),
        )
        if any(e.data.get("after") == after for e in again):
            raise ContradictionError(
                "after",
                f"the IND already decided again after procedure {after}: each decision once",
                f"de IND besloot al opnieuw na procedure {after}: elk besluit één keer",
            )
        require_grounds(proc.procedure_type, outcome, grounds)
        new = Event(court.DECIDED_AGAIN, when, {"after": after})
        events = [*events_of(proc), new]
        validate_events(proc.procedure_type, events, proc.facts, new=[new])
        bump_procedure(proc, expected, on)
        decision = decided_event(
            actor, proc, court.DECIDED_AGAIN, when, {"after": after}, outcome, grounds, [], reason
        )
        refresh(proc, sorted(events, key=lambda e: e.day))
        if proc.person is not None:
            append(
                actor.audit,
                [
                    entry(
                        "decision.again",
                        "decision",
                        ("outcome", "grounds"),
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


# -- reads -------------------------------------------------------------------------------------


def link_json(proc: Procedure) -> dict[str, Any]:
    """What a court procedure contests and how it ended, for the API and the dossier page."""
    contested = None
    if proc.contests_id is not None:
        d = Decision.objects.select_related("procedure").get(pk=proc.contests_id)
        contested = {
            "decision": d.pk,
            "procedure": d.procedure_id,
            "procedure_type": d.procedure.procedure_type,
            "outcome": d.outcome,
            "outcome_name": DECISION_OUTCOMES[d.outcome].nl
            if d.outcome in DECISION_OUTCOMES
            else "",
            "outcome_name_en": (
                DECISION_OUTCOMES[d.outcome].en if d.outcome in DECISION_OUTCOMES else ""
            ),
            "decided_on": d.decided_on.isoformat(),
        }
    measure = None
    if proc.subject and proc.subject.startswith(MEASURE_PREFIX):
        measure = int(proc.subject.removeprefix(MEASURE_PREFIX))
    ended = ending_of(proc) if proc.procedure_type in court.COURT_TYPES else None
    ending = None
    if ended is not None:
        spec = get_procedure(proc.procedure_type).event_spec(ended[0])
        judged = DECISION_OUTCOMES.get(ended[2] or "")
        ending = {
            "kind": ended[0],
            "day": ended[1].isoformat(),
            "outcome": ended[2],
            "name": spec.name.nl if spec else ended[0],
            "name_en": spec.name.en if spec else ended[0],
            "outcome_name": judged.nl if judged else "",
            "outcome_name_en": judged.en if judged else "",
        }
    return {"contests": contested, "measure": measure, "ending": ending}


def court_side(proc: Procedure) -> dict[str, Any]:
    """A procedure's court side: for a court procedure what it contests and how it ended; for
    any procedure the court procedures against its decisions and its decisions again. No
    checks: for reads that checked the actor's access to the procedure (``of_procedure``, the
    dossier page)."""
    against = Procedure.objects.filter(contests__procedure=proc).order_by("id")
    again = standing(
        "event", ProcedureEvent.objects.filter(procedure=proc, kind=court.DECIDED_AGAIN)
    ).order_by("day", "id")
    return {
        "procedure": proc.pk,
        **(link_json(proc) if proc.procedure_type in court.COURT_TYPES else {}),
        "contested_by": [
            {"id": a.pk, "procedure_type": a.procedure_type, **link_json(a)} for a in against
        ],
        "decided_again": [{"day": e.day.isoformat(), "after": e.data.get("after")} for e in again],
    }


def of_procedure(actor: Actor, procedure_id: int) -> dict[str, Any]:
    """``court_side`` for the API: the procedure in the actor's scope, decisions readable,
    the read logged like every dossier read."""
    check(actor.role, "procedure", "read")
    check(actor.role, "decision", "read")
    with transaction.atomic():
        proc = scope.procedure(actor, procedure_id)
        out = court_side(proc)
        if proc.person is not None:
            append(
                actor.audit,
                [
                    Entry(
                        "appeal.read",
                        "read",
                        "procedure",
                        ("contests", "outcome"),
                        subjects=((proc.person.pk, proc.person.v_number),),
                        object_ref=f"procedure:{proc.pk}",
                    )
                ],
            )
    return out
