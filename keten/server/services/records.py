"""Dossier records: adding a measure, placement, document, hand-over or protected record, and
ending a measure or placement. Each is one transaction (``writing``): checks, the row, the
dossier event saying who, when and why, access granted or withdrawn, the audit record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from keten.chain.kinds import (
    DOCUMENT_TYPES,
    HANDOVER_TYPES,
    MEASURE_TYPES,
    PLACEMENT_TYPES,
)
from keten.server.audit.log import append
from keten.server.dossiers.models import (
    DossierEvent,
    Handover,
    Measure,
    Person,
    Placement,
    ProtectedRecord,
    ResidenceDocument,
    SupportOffer,
    Withdrawal,
)
from keten.server.services import access, locations, notifications, scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import EARLIEST_RECORD_DAY, nl_day
from keten.server.services.case_checks import (
    check_handover,
    check_placement_kind,
    placement_to_end,
)
from keten.server.services.errors import (
    BadInputError,
    ContradictionError,
    ForbiddenError,
    NotFoundError,
)
from keten.server.services.inputs import choice, day, happened, text
from keten.server.services.policy import check
from keten.server.services.reads import (
    endings,
    is_ended,
    record_json,
)
from keten.server.services.support_offers import offer_input
from keten.server.services.writing import (
    atomic,
    bump_person,
    entry,
    grant,
    reason_of,
    recorded,
    withdraw_unfounded,
)

# What a record is called in a Dutch sentence ("maatregel 12 is al beëindigd").
_WHAT_NL = {
    "measure": "maatregel",
    "placement": "plaatsing",
    "document": "verblijfsdocument",
    "handover": "overdracht",
    "support_offer": "ondersteuning",
}


def add_record(
    actor: Actor, person_id: int, resource: str, data: dict[str, Any], expected: int | None
) -> dict[str, Any]:
    check(actor.role, resource, "write")
    reason = reason_of(data)
    build = _BUILDERS.get(resource)
    if build is None:
        raise BadInputError(
            "resource",
            f"{resource!r} cannot be added to a dossier",
            f"{resource!r} kan niet aan een dossier worden toegevoegd",
        )
    built = build(actor, data)
    move = _flag(data, "move") if resource == "placement" else False

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        p = bump_person(actor, p, expected)
        today = date.today()
        moved_from = None
        values = built
        if resource == "handover":
            check_handover(actor, p, values["kind"], values["to_org_id"], today)
        if resource == "placement":
            values = locations.place(actor, p, values, today)  # the site checked and resolved
            moved_from = placement_to_end(p, values["start"], values["end"], move, today)
        row = _create(resource, p, values, actor, reason)
        DossierEvent.objects.create(
            person=p,
            kind=f"{resource}_added",
            payload={"id": row.pk, **{k: str(v) for k, v in values.items() if k != "text"}},
            **recorded(actor, reason),
        )
        withdrawn: list[str] = []
        if moved_from is not None:
            why = f"moved to placement {row.pk} ({row.kind}, {row.location})"
            org = _end(
                actor, p, "placement", moved_from, values["start"], why, today, moved_to=row.pk
            )
            withdrawn = [org] if org else []
        fields = tuple(values) + (("moved_from", "access_grant") if moved_from else ())
        append(
            actor.audit,
            [entry(f"{resource}.add", resource, fields, p, f"{resource}:{row.pk}")],
        )
        out = {**record_json(resource, row), "person_version": p.version}
        if resource == "placement":
            out["moved_from"] = moved_from.pk if moved_from is not None else None
            out["access_withdrawn"] = withdrawn
        return out

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
        raise BadInputError(
            "resource",
            f"{resource!r} cannot be ended (only measure, placement)",
            f"{resource!r} kan niet worden beëindigd (alleen een maatregel of plaatsing)",
        )
    check(actor.role, resource, "write")
    end = happened(data, "end", earliest=EARLIEST_RECORD_DAY, why=PLANNED_END)
    today = date.today()
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        row = model.objects.filter(pk=record_id, person=p).first()
        if row is None:
            raise NotFoundError(
                f"no {resource} {record_id} in this dossier",
                field=resource,
                rule="must be a record of this person",
                detail_nl=f"{_WHAT_NL.get(resource, resource)} {record_id} staat niet in dit "
                "dossier",
                rule_nl="moet een gegeven van deze persoon zijn",
            )
        if isinstance(row, Placement) and _outside_own_housing(actor, row.municipality):
            raise ForbiddenError(
                f"role {actor.role.id} may not end placement {row.pk}",
                field="placement",
                rule="a municipality ends only placements in its own housing",
                detail_nl=f"de rol {actor.role.name_nl} mag plaatsing {row.pk} niet beëindigen",
                rule_nl="een gemeente beëindigt alleen plaatsingen in haar eigen huisvesting",
            )
        p = bump_person(actor, p, expected)
        if Withdrawal.objects.filter(resource=resource, record_id=row.pk).exists():
            raise ContradictionError(
                resource,
                f"{resource} {row.pk} was withdrawn as mistaken: there is nothing to end",
                f"{resource} {row.pk} is als onjuist ingetrokken: er is niets te beëindigen",
            )
        if is_ended(row.end, today):
            raise BadInputError(
                resource,
                f"{resource} {row.pk} already ended on {row.end.isoformat()}: "
                "an ended record cannot be ended again",
                f"{_WHAT_NL.get(resource, resource)} {row.pk} is al beëindigd op "
                f"{nl_day(row.end)}: een beëindigd gegeven kan niet opnieuw worden beëindigd",
            )
        if end < row.start:
            raise BadInputError(
                "end",
                f"must not be before the start ({row.start.isoformat()})",
                f"mag niet vóór het begin ({nl_day(row.start)}) liggen",
            )
        withdrawn = _end(actor, p, resource, row, end, reason, today)
        # One operation: the ending and the withdrawal it caused are one audit record.
        fields = ("end", "access_grant") if withdrawn else ("end",)
        append(
            actor.audit,
            [entry(f"{resource}.end", resource, fields, p, f"{resource}:{row.pk}")],
        )
        out = record_json(resource, row)
        out.update(endings(p, (resource,)).get((resource, row.pk), {}))
        out["access_withdrawn"] = [withdrawn] if withdrawn else []
        return {**out, "person_version": p.version}

    result: dict[str, Any] = atomic(run)
    return result


def _end(
    actor: Actor,
    p: Person,
    resource: str,
    row: Measure | Placement,
    end: date,
    reason: str,
    today: date,
    moved_to: int | None = None,
) -> str | None:
    """End ``row`` on ``end`` with the dossier event saying who and why, and withdraw the
    access grant it gave when that was its organisation's last basis (the organisation's
    code, or None). The caller holds the transaction and has raised the person's version.
    ``moved_to``: the placement a move ended it for (so withdrawing that one reopens this)."""
    previous = row.end
    # Conditional, so that two enders can never both succeed (the version bump already
    # serialises them; this holds even without it).
    open_rows = type(row).objects.filter(access.running(today), pk=row.pk)
    if not open_rows.update(end=end):
        raise BadInputError(
            resource,
            f"{resource} {row.pk} was ended meanwhile",
            f"{_WHAT_NL.get(resource, resource)} {row.pk} is intussen beëindigd",
        )
    row.refresh_from_db()
    payload = {"id": row.pk, "kind": row.kind, "start": str(row.start), "end": str(end)}
    if previous is not None:
        payload["previous_end"] = str(previous)
    if moved_to is not None:
        payload["moved_to"] = moved_to
    DossierEvent.objects.create(
        person=p, kind=f"{resource}_ended", payload=payload, **recorded(actor, reason)
    )
    return withdraw_unfounded(actor, p, resource, row, reason, today)


def _flag(data: dict[str, Any], field: str) -> bool:
    value = data.get(field, False)
    if value in ("on", "true"):  # a form's checkbox
        return True
    if value in ("", None):
        return False
    if not isinstance(value, bool):
        raise BadInputError(field, "must be true or false", "moet true of false zijn")
    return value


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
    if resource == "support_offer":
        return SupportOffer.objects.create(person=p, **values, **rec)
    if resource == "handover":  # its receiver checked by case_checks.check_handover
        row = Handover.objects.create(person=p, **values, **rec)
        grant(p, values["to_org_id"], f"{access.HANDOVER_REASON}{values['kind']}", values["day"])
        notifications.handover_made(row)  # the outbox: told only once this transaction commits
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
        raise BadInputError(
            "end",
            f"must not be before the start ({start.isoformat()})",
            f"mag niet vóór het begin ({nl_day(start)}) liggen",
        )
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
    check_placement_kind(actor, kind)
    municipality = text(data, "municipality", required=kind == "municipal_housing", max_len=64)
    if _outside_own_housing(actor, municipality):
        raise BadInputError(
            "municipality",
            "a municipality places only in its own housing",
            "een gemeente plaatst alleen in haar eigen huisvesting",
        )
    # A registered location (``site``, its code) or a free-text one (a home, a foster family);
    # ``locations.place`` checks which the kind needs, inside the command's transaction.
    site = text(data, "site", required=False, max_len=64)
    location = text(data, "location", required=False)
    start, end = _period(data)
    return {
        "kind": kind,
        "location": location,
        "start": start,
        "end": end,
        "municipality": municipality or None,
        "site": site or None,
        "overcapacity": _flag(data, "overcapacity"),
    }


def _document(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    issued = happened(data, "issued", earliest=EARLIEST_RECORD_DAY, why=("", ""))
    valid_until = day(data, "valid_until", required=False, earliest=EARLIEST_RECORD_DAY)
    if valid_until is not None and valid_until < issued:
        raise BadInputError(
            "valid_until",
            f"must not be before issued ({issued.isoformat()})",
            f"mag niet vóór de afgifte ({nl_day(issued)}) liggen",
        )
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
    "support_offer": offer_input,
}
