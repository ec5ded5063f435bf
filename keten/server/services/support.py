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

from keten.chain.countries import country
from keten.chain.identity import PartialDate
from keten.server import decision_support
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Measure, ProcedureEvent
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError
from keten.server.services.policy import check
from keten.server.services.withdrawals import standing

# The event that lodges an application in the catalogue (asylum, mvv, regular residence, ...):
# its day is the rules' ``application_date``.
LODGED = "lodged"


@dataclass(frozen=True)
class KnownFact:
    """A fact's value as the dossier holds it, and where it comes from (shown next to it)."""

    value: Any
    source_nl: str
    source_en: str

    def to_json(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        return {"value": value, "source": self.source_nl, "source_en": self.source_en}


def case_facts(actor: Actor, procedure_id: int) -> dict[str, KnownFact]:
    """The facts of the procedure's person that the dossier holds, by the rules' fact names:
    ``birth_date`` (when fully known), ``nationality`` (as ISO alpha-2, for a country),
    ``unaccompanied_minor``, ``application_date`` (the day this procedure's application was
    lodged) and ``detention_start`` (of a detention still running, when the role may read
    measures)."""
    check(actor.role, "identity", "read")
    check(actor.role, "procedure", "read")
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
            ]
            birth = PartialDate.parse(p.birth_date)
            if birth.complete:
                known["birth_date"] = KnownFact(
                    birth.earliest(), "geboortedatum in het dossier", "birth date in the dossier"
                )
            named = country(p.nationality)
            if named is not None and named.alpha_2 is not None:
                known["nationality"] = KnownFact(
                    named.alpha_2,
                    f"nationaliteit in het dossier: {named.name_nl} ({p.nationality})",
                    f"nationality in the dossier: {named.name_en} ({p.nationality})",
                )
            known["unaccompanied_minor"] = KnownFact(
                p.unaccompanied_minor,
                "amv-kenmerk in het dossier",
                "unaccompanied-minor mark in the dossier",
            )
        fields.append("procedure.events")
        lodged = (
            standing("event", ProcedureEvent.objects.filter(procedure=proc, kind=LODGED))
            .order_by("day", "id")
            .values_list("day", flat=True)
            .first()
        )
        if lodged is not None:
            known["application_date"] = KnownFact(
                lodged,
                f"aanvraag ingediend in procedure #{proc.pk}",
                f"application lodged in procedure #{proc.pk}",
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
