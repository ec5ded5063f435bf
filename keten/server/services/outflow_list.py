"""The permit holders in outflow a role sees (``GET /api/v1/outflow``, ``/uitstroom``): COA
every one, a municipality those matched to it; filtered by phase, municipality and the 14-week
norm, paged, one audit record naming every person listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Handover, Procedure
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError
from keten.server.services.outflow_rows import MATCH, PHASES, TYPE, rows
from keten.server.services.policy import check
from keten.server.services.taakstelling import PREFIX, municipalities
from keten.server.services.withdrawals import standing


@dataclass(frozen=True)
class Filters:
    phase: str = ""
    municipality: str = ""  # short name ("utrecht")
    over_norm: bool = False


def filters(phase: str = "", municipality: str = "", over_norm: str = "") -> Filters:
    """The list's filters as typed in a query string, each refused naming it when unknown."""
    if phase and phase not in PHASES:
        raise BadInputError(
            "phase",
            f"{phase!r} is not one of: {', '.join(PHASES)}",
            f"{phase!r} is geen van: {', '.join(PHASES)}",
        )
    short = municipality.removeprefix(PREFIX)
    if short and short not in municipalities():
        raise BadInputError(
            "municipality",
            f"{municipality!r} is not a municipality of the chain",
            f"{municipality!r} is geen gemeente in de keten",
        )
    if over_norm not in ("", "true", "false", "1", "0", "on"):
        raise BadInputError("over_norm", "must be true or false", "moet true of false zijn")
    return Filters(phase, short, over_norm in ("true", "1", "on"))


def _matched_to(org: str) -> Exists:
    return Exists(
        standing(
            "handover",
            Handover.objects.filter(person_id=OuterRef("person_id"), kind=MATCH, to_org_id=org),
        )
    )


def _listed(actor: Actor, f: Filters, on: date) -> QuerySet[Procedure]:
    qs = scope.procedures(actor).filter(procedure_type=TYPE, person__isnull=False)
    if actor.organisation_kind == "municipality":  # its own matched permit holders only
        qs = qs.filter(_matched_to(actor.organisation))
    if f.municipality:
        qs = qs.filter(_matched_to(PREFIX + f.municipality))
    if f.phase:
        qs = qs.filter(stage=PHASES[f.phase][0])
    if f.over_norm:  # the 14-week norm (the main deadline, cached as ``due``) passed
        qs = qs.filter(
            Q(status__in=("open", "suspended"), due__lt=on)
            | Q(status="closed", closed_on__gt=F("due"))
        )
    return qs


LIST_FIELDS = (
    "identity.v_number",
    "identity.given_names",
    "identity.surname",
    "identity.birth_date",
    "identity.nationality",
    "procedure.events",
    "procedure.deadlines",
    "handover.to_org",
    "placement.location",
)


def outflow_list(
    actor: Actor, on: date, f: Filters, *, page: int = 1, page_size: int = 50
) -> dict[str, Any]:
    """Every permit holder in outflow the role sees (COA: all; a municipality: those matched
    to it), the running ones first by the 14-week norm's day; one audit record naming every
    person listed."""
    check(actor.role, "identity", "read")
    check(actor.role, "procedure", "read")
    if page < 1:
        raise BadInputError("page", "must be 1 or more", "moet 1 of meer zijn")
    if not 1 <= page_size <= 100:
        raise BadInputError("page_size", "must be between 1 and 100", "moet tussen 1 en 100 liggen")
    qs = _listed(actor, f, on).select_related("person")
    # Running ones (no closed_on) first, on PostgreSQL as on SQLite (which differ on NULLs).
    ordered = qs.order_by(F("closed_on").asc(nulls_first=True), "due", "id")
    with transaction.atomic():
        procs = list(ordered[(page - 1) * page_size : page * page_size + 1])
        has_next = len(procs) > page_size
        procs = procs[:page_size]
        found = rows(actor, procs, on)
        if procs:
            subjects = tuple((p.person.pk, p.person.v_number) for p in procs if p.person)
            append(
                actor.audit,
                [Entry("outflow.list", "read", "procedure", LIST_FIELDS, subjects)],
            )
    return {
        "on": on.isoformat(),
        "page": page,
        "page_size": page_size,
        "has_next": has_next,
        "results": found,
    }
