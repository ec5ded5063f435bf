"""Access grants and their basis: the one rule for whether an organisation still has a basis to
see a person on a day, withdrawing a grant that has none, and the daily sweep that withdraws the
grants whose measure or placement reached its planned end day.

The rule is a database condition on ``AccessGrant`` rows, so that ending a record (one person,
``commands.end_record``) and the sweep (every person, ``expire_grants``) ask the same question,
the sweep for the whole table in one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat

from keten.server.audit.log import Context, Entry, append
from keten.server.dossiers.models import (
    AccessGrant,
    DossierEvent,
    Handover,
    Measure,
    Person,
    Placement,
)
from keten.server.services.policy import grant_of, policy
from keten.server.services.reads import is_ended
from keten.server.services.withdrawals import standing

# The records that grant access while they run (policy.yaml ``grants`` names kinds of these).
RECORDS: dict[str, type[Measure] | type[Placement]] = {"measure": Measure, "placement": Placement}

NO_BASIS = (
    "no running measure or placement that grants it access, no hand-over to it, "
    "not registered by it"
)

# Who the sweep acts as: no person and no role of the policy, so a name of its own that the
# audit log and the dossier events show as the system.
SYSTEM_USER = "keten-expiry"
SYSTEM_ORG = "keten"
SYSTEM_ROLE = "system"
EXPIRY_PURPOSE = "urn:keten:verwerking:toegang:verval"
EXPIRY_REASON = "planned end passed"


def running(on: date) -> Q:
    """A measure or placement runs on ``on`` until its end day (``reads.is_ended``, in SQL)."""
    return Q(end__isnull=True) | Q(end__gt=on)


def running_grant(
    resource: str, kind: str, municipality: str | None, end: date | None, on: date
) -> tuple[str, str] | None:
    """(organisation code, grant reason) of the grant a measure or placement of ``kind`` gives
    while it runs on ``on`` (policy.yaml ``grants``); None when it gives none or has ended:
    used where grants are written, by the service and by the sample loaders."""
    if is_ended(end, on):
        return None
    return grant_of(resource, kind, municipality)


def record_reasons() -> frozenset[str]:
    """The grant reasons a measure or placement writes (hand-overs and registrations write
    others, and are bases for as long as the grant exists)."""
    return frozenset(g.reason for g in policy().grants.values())


HANDOVER_REASON = "handover:"  # + the kind: the reason a hand-over writes on its grant


def founded(on: date) -> Q:
    """The grant's organisation has a basis for the person on ``on``: its registration of the
    person (a grant written neither by a record nor by a hand-over), a hand-over to it, or a
    measure or placement of a granting kind (policy.yaml ``grants``) still running. What was
    withdrawn as mistaken is no basis."""
    handed_over = standing(
        "handover",
        Handover.objects.filter(person=OuterRef("person_id"), to_org=OuterRef("organisation_id")),
    )
    permanent = ~Q(reason__in=record_reasons()) & ~Q(reason__startswith=HANDOVER_REASON)
    terms = [permanent, Q(Exists(handed_over)), *_running_records(on)]
    return reduce(or_, terms)


def _running_records(on: date) -> list[Q]:
    kinds: dict[tuple[str, str], list[str]] = defaultdict(list)
    for g in policy().grants.values():
        kinds[(g.resource, g.organisation)].append(g.kind)
    out = []
    for (resource, org), granting in kinds.items():
        records = standing(
            resource,
            RECORDS[resource].objects.filter(
                running(on), person=OuterRef("person_id"), kind__in=granting
            ),
        )
        if "{municipality}" not in org:
            out.append(Q(organisation_id=org) & Q(Exists(records)))
            continue
        # "gemeente-{municipality}" (the only template policy.py accepts): the organisation is
        # spelled out of the placement's column.
        prefix = org.removesuffix("{municipality}")
        spelled = Concat(Value(prefix), "municipality", output_field=CharField())
        out.append(Q(Exists(records.annotate(org=spelled).filter(org=OuterRef("organisation_id")))))
    return out


def unfounded(on: date) -> QuerySet[AccessGrant]:
    """The grants whose organisation has no basis on ``on``."""
    return AccessGrant.objects.filter(~founded(on))


@dataclass(frozen=True)
class Ended:
    """A measure or placement whose end day took a basis away."""

    resource: str
    id: int
    kind: str
    end: date | None


def withdraw(held: AccessGrant, ended: Sequence[Ended], why: str, recorded: dict[str, str]) -> None:
    """Delete ``held`` and record the dossier event ``access_withdrawn`` naming the record(s)
    whose end took the basis away and ``why``. The caller holds the transaction
    and has bumped the person's version."""
    first = ended[0] if ended else None
    held.delete()
    DossierEvent.objects.create(
        person_id=held.person_id,
        kind="access_withdrawn",
        payload={
            "organisation": held.organisation_id,
            "resource": first.resource if first else _resource_of(held.reason),
            "id": first.id if first else None,
            "kind": first.kind if first else None,
            "records": [
                {"resource": e.resource, "id": e.id, "kind": e.kind, "end": _iso(e.end)}
                for e in ended
            ],
            "grant_reason": held.reason,
            "granted_since": str(held.since),
            "why": why,
        },
        **recorded,
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _resource_of(reason: str) -> str:
    # Only for a grant no ended record accounts for (written outside the service): the
    # timeline shows the withdrawal to the readers of the resource the grant came from.
    return next((g.resource for g in policy().grants.values() if g.reason == reason), "measure")


# -- the sweep ---------------------------------------------------------------------------------


def expire_grants(on: date) -> int:
    """Withdraw every grant whose organisation has no basis left on ``on``, because the planned
    end day of the measure or placement that gave it has come; returns how many. Run daily:
    a second run on the same day finds nothing. Each person is one transaction, with the
    person's version bumped, the dossier events and one audit record per withdrawn grant."""
    ctx = Context(SYSTEM_USER, SYSTEM_ORG, SYSTEM_ROLE, EXPIRY_PURPOSE)
    persons = unfounded(on).order_by().values_list("person_id", flat=True).distinct()
    return sum(_expire_person(ctx, person_id, on) for person_id in list(persons))


def _expire_person(ctx: Context, person_id: int, on: date) -> int:
    with transaction.atomic():
        p = Person.objects.select_for_update().get(pk=person_id)
        # Asked again under the person's lock: a record or hand-over written since the search
        # may have given the organisation a new basis (writers bump the version, so they wait).
        held = list(unfounded(on).filter(person=p).order_by("organisation_id"))
        if not held:
            return 0
        Person.objects.filter(pk=p.pk).update(version=F("version") + 1)
        recorded = {
            "recorded_by": SYSTEM_USER,
            "recorded_org": SYSTEM_ORG,
            "recorded_role": SYSTEM_ROLE,
            "reason": EXPIRY_REASON,
        }
        entries = []
        for grant in held:
            ended = ended_records(p, grant.organisation_id, on)
            withdraw(grant, ended, _why(grant.organisation_id, ended), recorded)
            resource = ended[0].resource if ended else _resource_of(grant.reason)
            entries.append(
                Entry(
                    "access_grant.expire",
                    "write",
                    resource,
                    ("access_grant",),
                    subjects=((p.pk, p.v_number),),
                    object_ref=f"access_grant:{grant.organisation_id}",
                )
            )
        append(ctx, entries)
        return len(held)


def ended_records(p: Person, org: str, on: date) -> list[Ended]:
    """The person's measures and placements that granted ``org`` access and ended last by
    ``on``: the ones whose end took the last basis away (older ones ended while another ran)."""
    out = []
    for resource, model in RECORDS.items():
        for row in model.objects.filter(person=p, end__isnull=False, end__lte=on):
            basis = grant_of(resource, row.kind, getattr(row, "municipality", None))
            if basis is not None and basis[0] == org:
                out.append(Ended(resource, row.pk, row.kind, row.end))
    last = max((e.end for e in out if e.end is not None), default=None)
    return sorted((e for e in out if e.end == last), key=lambda e: (e.resource, e.id))


def _why(org: str, ended: Sequence[Ended]) -> str:
    if not ended:
        return f"{org} has no basis: {NO_BASIS}"
    plans = " and ".join(f"{e.resource} {e.id} ({e.kind}) on {_iso(e.end)}" for e in ended)
    return f"the planned end of {plans} passed and {org} has no other basis: {NO_BASIS}"
