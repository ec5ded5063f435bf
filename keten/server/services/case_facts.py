"""What the dossier already knows that the rules of the Vreemdelingencirculaire ask for.

Decision support offers these as the starting values of a rule's facts, so that a case worker
checks a birth date instead of retyping it. Reading them is a read of personal data like any
other: the policy is checked, the procedure must be in the role's scope, and one audit record
names exactly the fields read.

Only facts whose meaning in the dossier is the meaning in the rules are offered. Nationality is
not: the dossier holds ICAO alpha-3 codes and the rules ask for ISO alpha-2, and the repository
has no table between the two yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from keten.chain.identity import PartialDate
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Measure, ProcedureEvent
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.policy import check

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
    ``birth_date`` (when fully known), ``unaccompanied_minor``, ``application_date`` (the day
    this procedure's application was lodged) and ``detention_start`` (of a detention still
    running, when the role may read measures)."""
    check(actor.role, "identity", "read")
    check(actor.role, "procedure", "read")
    with transaction.atomic():
        proc = scope.procedure(actor, procedure_id)
        p = proc.person
        known: dict[str, KnownFact] = {}
        fields: list[str] = []
        if p is not None:
            fields += ["identity.birth_date", "identity.unaccompanied_minor"]
            birth = PartialDate.parse(p.birth_date)
            if birth.complete:
                known["birth_date"] = KnownFact(
                    birth.earliest(), "geboortedatum in het dossier", "birth date in the dossier"
                )
            known["unaccompanied_minor"] = KnownFact(
                p.unaccompanied_minor,
                "amv-kenmerk in het dossier",
                "unaccompanied-minor mark in the dossier",
            )
        fields.append("procedure.events")
        lodged = (
            ProcedureEvent.objects.filter(procedure=proc, kind=LODGED)
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
                Measure.objects.filter(person=p, kind="detention", end__isnull=True)
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
