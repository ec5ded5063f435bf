"""Decision support on one procedure: what the dossier already knows of a rule's facts, and
running the rule on the facts the case worker confirmed.

The facts the dossier knows are offered as the starting values of a rule's facts, so that a
case worker checks a birth date instead of retyping it. Reading them is a read of personal data
like any other: the policy is checked, the procedure must be in the role's scope, and one audit
record names exactly the fields read. Running a rule processes facts about the procedure's
person, so it is checked (only a role that decides may run rules for a decision), scoped and
logged the same way, naming the facts it ran on.

Only facts whose meaning in the dossier is the meaning in the rules are offered. Nationality is
translated: the dossier holds the ICAO alpha-3 code and the rules ask for ISO alpha-2
(``keten.chain.countries``); a stateless person or an unknown nationality has no alpha-2 code,
so nothing is offered and the case worker decides what the rule should be told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from keten.catalog.derive import Event, InputError, derive
from keten.catalog.loader import get_procedure as catalog_procedure
from keten.chain.countries import country
from keten.chain.identity import PartialDate
from keten.server import decision_support, decision_support_scope
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Measure, Person, Procedure, ProcedureEvent
from keten.server.services import border_capacity, scope
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError
from keten.server.services.family import is_minor_on, minor_in_family
from keten.server.services.policy import check
from keten.server.services.withdrawals import standing

# The event that lodges an application in the catalogue (asylum, mvv, regular residence, ...):
# its day is the rules' ``application_date``.
LODGED = "lodged"
# Asylum applications, whose first lodging is the rules' first (asylum) application date.
ASYLUM_TYPES = ("asylum_first", "asylum_subsequent", "border_procedure")
# A procedure type's events whose day is a rule's fact (catalogue event kind per fact name).
EVENT_FACTS: dict[str, dict[str, str]] = {
    # REAN counts its five years back from the day of the application to the IOM (Vc A3/5.1).
    "voluntary_return": {"iom_application_date": "applied"},
    "dublin_outgoing": {"acceptance_date": "accepted"},
    "border_procedure": {"border_procedure_start": "made_at_border"},
}
# The screening's findings (Reg. 2024/1356) that the Pact's border-procedure routing reads: the
# value an event of the person's screening carries, by the rules' fact name. The latest check
# of a kind is the finding (a re-check replaces it).
SCREENING_FACTS: dict[str, tuple[str, str]] = {
    "public_order_danger": ("security_checked", "danger"),
    "needs_guarantees_not_available": ("vulnerability_checked", "needs_guarantees"),
    "vulnerable": ("vulnerability_checked", "vulnerable"),
    "identity_established": ("identity_checked", "established"),
}
# A procedure type's derived deadlines whose date is a rule's fact (catalogue deadline id per
# fact name): the Vc C1/2.11 hearing rule asks for the last day of the rest period.
DEADLINE_FACTS: dict[str, dict[str, str]] = {
    "asylum_first": {"rest_period_ends_on": "rest_period"},
}


@dataclass(frozen=True)
class KnownFact:
    """A fact's value as the dossier holds it, and where it comes from (shown next to it)."""

    value: Any
    source_nl: str
    source_en: str

    def to_json(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        return {"value": value, "source": self.source_nl, "source_en": self.source_en}


def case_facts(actor: Actor, procedure_id: int, on: date | None = None) -> dict[str, KnownFact]:
    """The facts of the procedure's person that the dossier holds, by the rules' fact names:
    ``birth_date`` (when fully known) and ``age`` on ``on`` (the decision day; default today),
    ``nationality`` (as ISO alpha-2, for a country), ``unaccompanied_minor`` (and
    ``unaccompanied``, its name in the Dublin rule), ``minor_or_family_of_minor`` (a minor,
    or a parent of a minor the actor may see), ``application_date`` (the day this procedure's
    application was lodged), ``first_application_date`` and ``asylum_application_date`` (the
    person's first asylum application), ``acceptance_date`` and ``border_procedure_start``
    (this procedure's events), the findings of the person's screening (``SCREENING_FACTS``),
    ``border_procedures_running`` (counted in the dossiers on ``on``, ``border_capacity``),
    the procedure's own facts, and ``detention_start`` (of a
    detention still running, when the role may read measures). Nothing the role may not read
    is offered: identity and procedures are checked, measures only when readable."""
    check(actor.role, "identity", "read")
    check(actor.role, "procedure", "read")
    on = on or date.today()
    with transaction.atomic():
        proc = scope.procedure(actor, procedure_id)
        p = proc.person
        known: dict[str, KnownFact] = {}
        fields: list[str] = []
        if p is not None:
            fields += [
                "identity.birth_date",
                "identity.nationality",
                "identity.unaccompanied_minor",
                "identity.family",
            ]
            known.update(_person_facts(actor, p, on))
        fields.append("procedure.events")
        known.update(_event_facts(proc, on))
        if p is not None:
            screened = _screening_facts(actor, p, proc, on)
            if screened:
                fields.append("procedure.screening")
                known.update(screened)
        running = border_capacity.running(on)
        known["border_procedures_running"] = KnownFact(
            running,
            f"open grensprocedures in Keten op {on.isoformat()}",
            f"open border procedures in Keten on {on.isoformat()}",
        )
        if p is not None:
            departed = _last_supported_departure(actor, p, proc, on)
            if departed is not None:
                fields.append("departures")
                known["last_supported_departure"] = departed
        if proc.facts:
            fields.append("procedure.facts")
            for name, value in sorted(proc.facts.items()):
                known.setdefault(
                    name,
                    KnownFact(
                        value,
                        f"gegeven van procedure #{proc.pk}",
                        f"fact of procedure #{proc.pk}",
                    ),
                )
        if p is not None and actor.role.can("measure", "read"):
            fields.append("measure.detention")
            detention = (
                standing(
                    "measure", Measure.objects.filter(person=p, kind="detention", end__isnull=True)
                )
                .order_by("-start", "-id")
                .first()
            )
            if detention is not None:
                known["detention_start"] = KnownFact(
                    detention.start,
                    f"bewaring sinds {detention.start.isoformat()} in het dossier",
                    f"detention since {detention.start.isoformat()} in the dossier",
                )
        if p is not None:
            append(
                actor.audit,
                [
                    Entry(
                        "decision_support.facts",
                        "read",
                        "identity",
                        tuple(fields),
                        subjects=((p.pk, p.v_number),),
                        object_ref=f"procedure:{proc.pk}",
                    )
                ],
            )
    return known


def _person_facts(actor: Actor, p: Person, on: date) -> dict[str, KnownFact]:
    known: dict[str, KnownFact] = {}
    birth = PartialDate.parse(p.birth_date)
    if birth.complete:
        born = birth.earliest()
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        known["birth_date"] = KnownFact(
            born,
            f"geboortedatum in het dossier ({age} jaar op {on.isoformat()})",
            f"birth date in the dossier (aged {age} on {on.isoformat()})",
        )
        known["age"] = KnownFact(
            age,
            f"leeftijd op {on.isoformat()}, uit de geboortedatum in het dossier",
            f"age on {on.isoformat()}, from the birth date in the dossier",
        )
    named = country(p.nationality)
    if named is not None and named.alpha_2 is not None:
        known["nationality"] = KnownFact(
            named.alpha_2,
            f"nationaliteit in het dossier: {named.name_nl} ({p.nationality})",
            f"nationality in the dossier: {named.name_en} ({p.nationality})",
        )
    for name in ("unaccompanied_minor", "unaccompanied"):
        known[name] = KnownFact(
            p.unaccompanied_minor,
            "amv-kenmerk in het dossier",
            "unaccompanied-minor mark in the dossier",
        )
    # A family member the actor may not see does not count, so the answer reveals no one.
    minor = minor_in_family(p, on, lambda pk: scope.in_scope(actor, pk))
    if is_minor_on(p.birth_date, on):
        nl, en, value = "minderjarig volgens het dossier", "a minor by the dossier", True
    elif minor is not None:
        nl = f"ouder van een minderjarig kind ({minor.v_number}) in het dossier"
        en, value = f"parent of a minor child ({minor.v_number}) in the dossier", True
    else:
        nl = "meerderjarig en geen minderjarig kind in het dossier"
        en, value = "an adult with no minor child in the dossier", False
    known["minor_or_family_of_minor"] = KnownFact(value, nl, en)
    return known


def _screening_facts(
    actor: Actor, person: Person, proc: Procedure, on: date
) -> dict[str, KnownFact]:
    """The findings of the person's latest screening the actor may read (another procedure
    than this one), by the rules' fact names, each with the check it comes from."""
    screening = (
        scope.procedures(actor)
        .filter(person=person, procedure_type="screening", started_on__lte=on)
        .exclude(pk=proc.pk)
        .order_by("-started_on", "-id")
        .first()
    )
    if screening is None:
        return {}
    known: dict[str, KnownFact] = {}
    for name, (kind, key) in SCREENING_FACTS.items():
        rows = ProcedureEvent.objects.filter(procedure=screening, kind=kind, day__lte=on)
        found = standing("event", rows).order_by("-day", "-id").first()
        if found is None or not isinstance(found.data.get(key), bool):
            continue
        known[name] = KnownFact(
            found.data[key],
            f"screening #{screening.pk}: '{kind}' op {found.day.isoformat()}",
            f"screening #{screening.pk}: '{kind}' on {found.day.isoformat()}",
        )
    return known


# Departures with the support of DTenV or the IOM, as Vc A3/5.1 counts them for REAN ("de EU
# heeft verlaten, zelfstandig of gedwongen, met ondersteuning van de DTenV, Frontex, of de
# IOM"): a removal, an independent departure with IOM support, an IOM departure. A Dublin
# transfer stays inside the EU and a departure without support or to an unknown destination is
# not supported, so neither counts.
SUPPORTED_DEPARTURES = (
    ("departure", "removed", None),
    ("departure", "departed_independently", "iom_rean"),
    ("voluntary_return", "departed", None),
)


def _last_supported_departure(
    actor: Actor, person: Person, proc: Procedure, on: date
) -> KnownFact | None:
    """The latest supported departure of the person before ``on`` in the procedures the actor
    may read (another procedure than this one), with where it comes from."""
    best: ProcedureEvent | None = None
    readable = scope.procedures(actor).filter(person=person).exclude(pk=proc.pk)
    for procedure_type, kind, support in SUPPORTED_DEPARTURES:
        rows = ProcedureEvent.objects.filter(
            procedure__in=readable,
            procedure__procedure_type=procedure_type,
            kind=kind,
            day__lte=on,
        )
        if support is not None:
            rows = rows.filter(data__support=support)
        found = standing("event", rows).order_by("-day", "-id").first()
        if found is not None and (best is None or found.day > best.day):
            best = found
    if best is None:
        return None
    return KnownFact(
        best.day,
        f"laatste ondersteunde vertrek in het dossier: '{best.kind}' in procedure "
        f"#{best.procedure_id}",
        f"latest supported departure in the dossier: '{best.kind}' in procedure "
        f"#{best.procedure_id}",
    )


def _first_lodged(rows: QuerySet[ProcedureEvent]) -> date | None:
    found: date | None = (
        standing("event", rows).order_by("day", "id").values_list("day", flat=True).first()
    )
    return found


def _event_facts(proc: Procedure, on: date) -> dict[str, KnownFact]:
    known: dict[str, KnownFact] = {}
    lodged = _first_lodged(ProcedureEvent.objects.filter(procedure=proc, kind=LODGED))
    if lodged is not None:
        known["application_date"] = KnownFact(
            lodged,
            f"aanvraag ingediend in procedure #{proc.pk}",
            f"application lodged in procedure #{proc.pk}",
        )
    if proc.person_id is not None:
        first = _first_lodged(
            ProcedureEvent.objects.filter(
                procedure__person_id=proc.person_id,
                procedure__procedure_type__in=ASYLUM_TYPES,
                kind=LODGED,
            )
        )
        if first is not None:
            for name in ("first_application_date", "asylum_application_date"):
                known[name] = KnownFact(
                    first,
                    "eerste asielaanvraag in het dossier",
                    "first asylum application in the dossier",
                )
    known.update(_deadline_facts(proc, on))
    for name, kind in EVENT_FACTS.get(proc.procedure_type, {}).items():
        day = _first_lodged(ProcedureEvent.objects.filter(procedure=proc, kind=kind))
        if day is not None:
            known[name] = KnownFact(
                day,
                f"gebeurtenis '{kind}' in procedure #{proc.pk}",
                f"event '{kind}' in procedure #{proc.pk}",
            )
    return known


def run_rule(
    actor: Actor, procedure_id: int, rule_id: str, facts: dict[str, Any], on: date
) -> dict[str, Any]:
    """The outcome of a rule of ``keten.rules`` on ``facts`` for this procedure, with its trail,
    the facts it ran on and the rule's title (``decision_support.run``)."""
    check(actor.role, "decision", "write")
    if not isinstance(facts, dict):
        raise BadInputError(
            "facts",
            "must be an object of fact name to value",
            "moet een object van feitnaam naar waarde zijn",
        )
    proc = scope.procedure(actor, procedure_id)
    outcome = decision_support.run(rule_id, facts, on)
    p = proc.person
    append(
        actor.audit,
        [
            Entry(
                "decision_support.run",
                "read",
                "decision",
                tuple(f"facts.{name}" for name in sorted(facts)),
                subjects=((p.pk, p.v_number),) if p is not None else (),
                object_ref=f"procedure:{proc.pk}:{rule_id}",
            )
        ],
    )
    return outcome


def support_offer(actor: Actor, procedure_id: int, on: date) -> dict[str, Any]:
    """Decision support for one procedure: the rules that serve its type and regime, each with
    the facts the dossier fills in for it (marked with where they come from), the other rules
    (folded away on the page), and every fact the dossier knows (``case_facts``; checked and
    logged there)."""
    known = case_facts(actor, procedure_id, on)
    proc = scope.procedure(actor, procedure_id)
    split = decision_support_scope.offered(
        decision_support.rules(), proc.procedure_type, proc.regime
    )
    return {
        "procedure_id": proc.pk,
        "procedure_type": proc.procedure_type,
        "regime": proc.regime,
        "on": on.isoformat(),
        "available": decision_support.availability().available,
        "facts": {name: fact.to_json() for name, fact in known.items()},
        "rules": [
            {
                **_rule_head(rule),
                "why": rule["why"],
                "uncertain": rule["uncertain"],
                "prefilled": {
                    name: fact.to_json()
                    for name, fact in decision_support.applicable(rule, known).items()
                },
            }
            for rule in split.applicable
        ],
        "other_rules": [_rule_head(rule) for rule in split.other],
    }


def _rule_head(rule: dict[str, Any]) -> dict[str, Any]:
    return {k: rule[k] for k in ("id", "citation", "title", "title_en")}


def _deadline_facts(proc: Procedure, on: date) -> dict[str, KnownFact]:
    """The dates of the procedure's derived deadlines that rules ask for, derived from its
    standing events as the dossier shows them (``keten.catalog.derive``)."""
    wanted = DEADLINE_FACTS.get(proc.procedure_type)
    if not wanted:
        return {}
    rows = standing("event", ProcedureEvent.objects.filter(procedure=proc)).order_by("day", "id")
    events = [Event(e.kind, e.day, e.data) for e in rows]
    try:
        state = derive(catalog_procedure(proc.procedure_type), events, facts=proc.facts, on=on)
    except InputError:  # a history the catalogue no longer derives: offer nothing from it
        return {}
    dates = {d.id: d for d in state.deadlines if d.date is not None}
    known: dict[str, KnownFact] = {}
    for name, deadline_id in wanted.items():
        found = dates.get(deadline_id)
        if found is not None and found.date is not None:
            known[name] = KnownFact(
                found.date,
                f"termijn '{found.name.nl}' in procedure #{proc.pk} ({found.citation})",
                f"deadline '{found.name.en}' in procedure #{proc.pk} ({found.citation})",
            )
    return known
