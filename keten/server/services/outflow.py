"""A permit holder's outflow from reception to a municipality, end to end (seed 001, 4.5):
COA matches the permit holder to a municipality, the municipality records the rental contract
and the move. Each is one command, one transaction (``writing.atomic``):

- ``match`` (COA): the ``housing_match`` hand-over, which grants the municipality access
  (``records.add_record``, the hand-over table of policy.yaml checked there), and the ``matched``
  event on the person's open ``permit_holder_outflow`` procedure, lodged from the permit's day
  with ``permit_granted`` when COA had not yet; family members who move along get the hand-over.
- ``lease`` (the matched municipality): the ``lease_start`` event with the address and the day
  the contract was signed; it ends phase 2.
- ``move`` (the matched municipality, or COA on its behalf): the ``municipal_housing`` placement
  that ends the reception placement (``move: true`` of ``records.add_record``) and the
  ``moved_out`` event that ends the 14-week norm.

Every write is based on the person's version (If-Match); the procedure's version is raised too,
conditionally, so a concurrent event on it conflicts instead of interleaving. The norm's terms
are the catalogue's deadlines (``keten/catalog/procedures/permit_holder_outflow.yaml``) derived
from the events as every other procedure's are (``derived.state_of``); this module counts no
weeks of its own.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from keten.catalog.derive import Event
from keten.server.audit.log import append
from keten.server.dossiers.models import (
    Decision,
    DossierEvent,
    Handover,
    Person,
    Procedure,
    ProcedureEvent,
    ResidenceDocument,
)
from keten.server.services import records, scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import MAX_ID, nl_day
from keten.server.services.case_checks import ASYLUM_APPLICATIONS, ASYLUM_PERMITS
from keten.server.services.commands import check_event_kind, validate_events
from keten.server.services.derived import events_of, family_ids, refresh
from keten.server.services.errors import BadInputError, ContradictionError, ForbiddenError
from keten.server.services.inputs import day, happened, text, version
from keten.server.services.outflow_rows import MATCH, TYPE, rows
from keten.server.services.policy import check
from keten.server.services.taakstelling import PREFIX, municipalities
from keten.server.services.withdrawals import standing
from keten.server.services.writing import (
    atomic,
    bump_person,
    bump_procedure,
    entry,
    reason_of,
    recorded,
)

# Family members moving with the permit holder in one match: a household, not a list of
# everyone (the largest households in the sample chain have a dozen members).
MAX_FAMILY = 20
# A lease is signed before it starts: its start day may lie ahead, up to a year (a bound of
# this program, not of the norm: no seed names one).
LEASE_AHEAD = timedelta(days=366)
ADDRESS_MAX = 200


# -- what the dossier holds --------------------------------------------------------------------


def permit_day(p: Person) -> date | None:
    """The day the asylum permit was granted: the earliest standing grant on an asylum
    application, else the issue day of an asylum residence document (case_checks.case_state
    reads the same rows to say whether the person is a permit holder)."""
    decided = standing(
        "decision",
        Decision.objects.filter(
            procedure__person=p,
            procedure__procedure_type__in=ASYLUM_APPLICATIONS,
            outcome="granted",
        ),
    ).values_list("decided_on", flat=True)
    issued = ResidenceDocument.objects.filter(person=p, kind__in=ASYLUM_PERMITS).values_list(
        "issued", flat=True
    )
    days = [*decided] or [*issued]
    return min(days, default=None)


def standing_match(p: Person) -> Handover | None:
    rows = Handover.objects.filter(person=p, kind=MATCH).order_by("day", "id")
    return standing("handover", rows).first()


def open_procedure(p: Person) -> Procedure | None:
    """The person's outflow procedure that has not ended (one at a time)."""
    rows = Procedure.objects.filter(person=p, procedure_type=TYPE).exclude(status="closed")
    return rows.order_by("id").first()


def _event(proc: Procedure | None, kind: str) -> ProcedureEvent | None:
    if proc is None:
        return None
    rows = ProcedureEvent.objects.filter(procedure=proc, kind=kind).order_by("day", "id")
    return standing("event", rows).first()


def _municipality(data: dict[str, Any]) -> str:
    """The municipality's organisation code from ``municipality`` ("utrecht" or
    "gemeente-utrecht"); one the policy does not know is refused, naming the field."""
    raw = text(data, "municipality", max_len=64)
    short = raw.removeprefix(PREFIX)
    if short not in municipalities():
        raise BadInputError(
            "municipality",
            f"{raw!r} is not a municipality of the chain (policy.yaml organisations)",
            f"{raw!r} is geen gemeente in de keten (policy.yaml organisations)",
        )
    return PREFIX + short


def _family(data: dict[str, Any]) -> list[int]:
    raw = data.get("family") or []
    if isinstance(raw, str):  # a form's field: ids separated by commas or spaces
        raw = [int(x) if x.isdigit() else 0 for x in raw.replace(",", " ").split()]
    if not isinstance(raw, list) or not all(
        isinstance(x, int) and not isinstance(x, bool) and 0 < x <= MAX_ID for x in raw
    ):
        raise BadInputError(
            "family",
            "must be a list of person ids",
            "moet een lijst van persoonsnummers zijn",
        )
    if len(raw) > MAX_FAMILY:
        raise BadInputError(
            "family",
            f"at most {MAX_FAMILY} family members move with one match",
            f"hoogstens {MAX_FAMILY} gezinsleden verhuizen met één koppeling mee",
        )
    return sorted(set(raw))


def _lodged(actor: Actor, p: Person, granted: date, reason: str) -> Procedure:
    """A new outflow procedure opened with ``permit_granted`` on the permit's day (what
    ``commands.lodge`` writes, inside the match's transaction)."""
    proc = Procedure.objects.create(person=p, procedure_type=TYPE, facts={})
    ProcedureEvent.objects.create(
        procedure=proc, kind="permit_granted", day=granted, data={}, **recorded(actor, reason)
    )
    DossierEvent.objects.create(
        person=p,
        kind="procedure_lodged",
        payload={"procedure": proc.pk, "type": TYPE},
        **recorded(actor, reason),
    )
    proc.person = p
    refresh(proc)
    return proc


def _add_event(
    actor: Actor,
    proc: Procedure,
    kind: str,
    when: date,
    extra: dict[str, Any],
    reason: str,
    on: date,
) -> None:
    """Record ``kind`` on the procedure as ``commands.record_event`` does: the history must
    derive, the procedure's version is raised (conditionally: a concurrent event conflicts)."""
    check_event_kind(actor, TYPE, kind)
    event = Event(kind, when, extra)
    events = [*events_of(proc), event]
    validate_events(TYPE, events, proc.facts, new=[event])
    bump_procedure(proc, proc.version, on)
    ProcedureEvent.objects.create(
        procedure=proc, kind=kind, day=when, data=extra, **recorded(actor, reason)
    )
    refresh(proc, sorted(events, key=lambda e: e.day))


def _based_on(actor: Actor, p: Person, expected: int | None) -> None:
    """The version check first, before the case's: a retried command based on the version it
    changed answers 409 with the current state, as every write does, not a contradiction."""
    if p.version != version(expected):
        bump_person(actor, p, expected)  # raises the ConflictError with the current version


def _not_permit_holder(p: Person) -> ContradictionError:
    return ContradictionError(
        "person",
        f"{p.v_number} holds no asylum residence permit: only a permit holder is matched to a "
        "municipality (seed 001, 4.5)",
        f"{p.v_number} heeft geen verblijfsvergunning asiel: alleen een vergunninghouder wordt "
        "aan een gemeente gekoppeld (seed 001, 4.5)",
    )


def _matched_already(p: Person, found: Handover) -> ContradictionError:
    return ContradictionError(
        "person",
        f"{p.v_number} is matched to {found.to_org_id} since {found.day.isoformat()}: one match "
        "at a time (withdraw a mistaken one first)",
        f"{p.v_number} is sinds {nl_day(found.day)} gekoppeld aan {found.to_org_id}: één "
        "koppeling tegelijk (trek een onjuiste eerst in)",
    )


# -- the commands ------------------------------------------------------------------------------


def match(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """COA matches a permit holder (and family members moving along) to a municipality."""
    check(actor.role, "handover", "write")
    check(actor.role, "procedure", "write")
    check_event_kind(actor, TYPE, "matched")
    to_org = _municipality(data)
    when = happened(data, "day")
    family = _family(data)
    note = text(data, "note", required=False, max_len=4000)
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id, lock=True)
        _based_on(actor, p, expected)
        granted = permit_day(p)
        if granted is None:
            raise _not_permit_holder(p)
        if when < granted:
            raise ContradictionError(
                "day",
                f"must not be before the permit was granted ({granted.isoformat()}): phase 1 "
                "runs from the permit to the match",
                f"mag niet vóór de vergunningverlening ({nl_day(granted)}) liggen: fase 1 "
                "loopt van de vergunning tot de koppeling",
            )
        found = standing_match(p)
        if found is not None:
            raise _matched_already(p, found)
        proc = open_procedure(p)
        if _event(proc, "matched") is not None:
            raise ContradictionError(
                "person",
                f"the outflow procedure of {p.v_number} records a match already",
                f"de uitstroomprocedure van {p.v_number} heeft al een koppeling",
            )
        members = _members(actor, p, family)
        handover = {"kind": MATCH, "to_org": to_org, "day": when.isoformat(), "note": note}
        added = records.add_record(
            actor, p.pk, "handover", {**handover, "reason": reason}, expected
        )
        for member in members:
            records.add_record(
                actor, member.pk, "handover", {**handover, "reason": reason}, member.version
            )
        if proc is None:
            proc = _lodged(actor, p, granted, reason)
        municipality = to_org.removeprefix(PREFIX)
        _add_event(actor, proc, "matched", when, {"municipality": municipality}, reason, on)
        append(
            actor.audit,
            [entry("outflow.match", "procedure", ("events",), p, f"procedure:{proc.pk}")],
        )
        return _written(actor, p, proc, added["person_version"], on)

    result: dict[str, Any] = atomic(run)
    return result


def _members(actor: Actor, p: Person, family: list[int]) -> list[Person]:
    """The family members named to move along: each in the person's dossier family, in the
    actor's scope, a permit holder and not matched yet (the hand-over table checks the permit
    again)."""
    related = family_ids(p.pk)
    out = []
    for pid in family:
        if pid not in related:
            raise ContradictionError(
                "family",
                f"person {pid} is not linked to {p.v_number} as family: only the dossier's "
                "family moves along",
                f"persoon {pid} is niet als gezinslid aan {p.v_number} gekoppeld: alleen het "
                "gezin in het dossier verhuist mee",
            )
        member = scope.person(actor, pid, lock=True)
        if permit_day(member) is None:
            raise _not_permit_holder(member)
        found = standing_match(member)
        if found is not None:
            raise _matched_already(member, found)
        out.append(member)
    return out


def _matched_here(actor: Actor, p: Person, what: str, what_nl: str) -> tuple[Handover, Procedure]:
    """The standing match of ``p`` and its open outflow procedure; refused when there is none,
    or when a municipality acts for a person matched to another."""
    found = standing_match(p)
    proc = open_procedure(p)
    if found is None or proc is None or _event(proc, "matched") is None:
        raise ContradictionError(
            "person",
            f"{p.v_number} is not matched to a municipality: {what} follows the match",
            f"{p.v_number} is niet aan een gemeente gekoppeld: {what_nl} volgt op de koppeling",
        )
    if actor.organisation_kind == "municipality" and found.to_org_id != actor.organisation:
        raise ContradictionError(
            "person",
            f"{p.v_number} is matched to {found.to_org_id}, not to {actor.organisation}",
            f"{p.v_number} is gekoppeld aan {found.to_org_id}, niet aan {actor.organisation}",
        )
    return found, proc


def lease(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """The matched municipality records the rental contract: the address, the day it was
    signed and the day the lease starts (``lease_start``, which ends phase 2)."""
    check(actor.role, "procedure", "write")
    check_event_kind(actor, TYPE, "lease_start")
    if actor.organisation_kind != "municipality":
        raise ForbiddenError(
            f"{actor.organisation} may not record a rental contract",
            field="person",
            rule="the municipality the permit holder is matched to records the rental contract",
            detail_nl=f"{actor.organisation} mag geen huurcontract vastleggen",
            rule_nl="de gemeente waaraan de vergunninghouder gekoppeld is legt het huurcontract "
            "vast",
        )
    address = text(data, "address", max_len=ADDRESS_MAX)
    signed = happened(data, "signed_on")
    today = date.today()
    start = day(data, "lease_start", latest=today + LEASE_AHEAD)
    assert start is not None  # required
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id, lock=True)
        _based_on(actor, p, expected)
        found, proc = _matched_here(actor, p, "the rental contract", "het huurcontract")
        if _event(proc, "lease_start") is not None:
            raise ContradictionError(
                "person",
                f"the rental contract of {p.v_number} is recorded already",
                f"het huurcontract van {p.v_number} is al vastgelegd",
            )
        if start < found.day:
            raise ContradictionError(
                "lease_start",
                f"must not be before the match ({found.day.isoformat()}): phase 2 runs from the "
                "match to the lease's start",
                f"mag niet vóór de koppeling ({nl_day(found.day)}) liggen: fase 2 loopt van de "
                "koppeling tot de ingangsdatum van het huurcontract",
            )
        p = bump_person(actor, p, expected)
        extra = {"address": address, "signed_on": signed.isoformat()}
        _add_event(actor, proc, "lease_start", start, extra, reason, on)
        append(
            actor.audit,
            [entry("outflow.lease", "procedure", ("events",), p, f"procedure:{proc.pk}")],
        )
        return _written(actor, p, proc, p.version, on)

    result: dict[str, Any] = atomic(run)
    return result


def move(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """The move into the municipality's housing: the placement (ending the reception
    placement) and ``moved_out`` on the procedure (ending the 14-week norm), for the person
    and the family members who were matched along and move with them."""
    check(actor.role, "placement", "write")
    check(actor.role, "procedure", "write")
    check_event_kind(actor, TYPE, "moved_out")
    when = happened(data, "day")
    location = text(data, "location", required=False, max_len=ADDRESS_MAX)
    family = _family(data)
    reason = reason_of(data)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id, lock=True)
        _based_on(actor, p, expected)
        found, proc = _matched_here(actor, p, "the move", "de verhuizing")
        leased = _event(proc, "lease_start")
        if leased is None:
            raise ContradictionError(
                "day",
                f"no rental contract of {p.v_number} is recorded: the move follows the lease",
                f"er is geen huurcontract van {p.v_number} vastgelegd: de verhuizing volgt op "
                "het huurcontract",
            )
        if when < leased.day:
            raise ContradictionError(
                "day",
                f"must not be before the lease starts ({leased.day.isoformat()})",
                f"mag niet vóór de ingangsdatum van het huurcontract ({nl_day(leased.day)}) liggen",
            )
        members = []
        for pid in family:
            member = scope.person(actor, pid, lock=True)
            theirs = standing_match(member)
            if pid not in family_ids(p.pk) or theirs is None or theirs.to_org_id != found.to_org_id:
                raise ContradictionError(
                    "family",
                    f"person {pid} was not matched along to {found.to_org_id}",
                    f"persoon {pid} is niet meegekoppeld aan {found.to_org_id}",
                )
            members.append(member)
        housing = {
            "kind": "municipal_housing",
            "location": location or str(leased.data.get("address") or found.to_org_id),
            "municipality": found.to_org_id.removeprefix(PREFIX),
            "start": when.isoformat(),
            "move": True,
            "reason": reason,
        }
        placed = records.add_record(actor, p.pk, "placement", housing, expected)
        for member in members:
            records.add_record(actor, member.pk, "placement", housing, member.version)
        _add_event(actor, proc, "moved_out", when, {}, reason, on)
        append(
            actor.audit,
            [entry("outflow.move", "procedure", ("events",), p, f"procedure:{proc.pk}")],
        )
        out = _written(actor, p, proc, placed["person_version"], on)
        out["placement"] = placed
        return out

    result: dict[str, Any] = atomic(run)
    return result


def _written(
    actor: Actor, p: Person, proc: Procedure, person_version: int, on: date
) -> dict[str, Any]:
    """What a command answers: the person's outflow as the list shows it, with the person's
    new version (the ETag of the next write)."""
    proc.refresh_from_db()
    row = rows(actor, [proc], on)[0]
    return {**row, "person_version": person_version}


def matchable(actor: Actor, person_id: int) -> bool:
    """Whether the dossier page offers the actor the match for this person: a role that
    matches, a permit holder, no match standing. Says yes or no only; the page's dossier read
    is the audited one, and the command checks all of it again."""
    role = actor.role
    if not (role.can("handover", "write") and role.records_event(TYPE, "matched")):
        return False
    p = scope.person(actor, person_id)
    return permit_day(p) is not None and standing_match(p) is None
