"""Mistakes corrected, never erased: a procedure event, a decision, a measure, a placement or a
hand-over recorded by mistake is withdrawn by a correcting record (``Withdrawal``) that names
what it withdraws and why. The row itself stays as it was recorded. From then on the
procedure's state and deadlines are derived without it (its cache columns recomputed in the
same transaction), occupancy and the taakstelling no longer count it, and an access grant it
opened closes when its organisation has no other basis, recorded as ``access_withdrawn``.

Who may withdraw: a role that may write the resource and, for a procedure's entries, handles
that procedure type; a placement or hand-over the organisation that recorded it or that the
policy lets record that kind (a municipality only in its own housing).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import F, Model
from django.utils.timezone import localdate

from keten.catalog.derive import Event
from keten.server.audit.log import append
from keten.server.dossiers.models import (
    Decision,
    DossierEvent,
    Handover,
    Measure,
    Person,
    Placement,
    Procedure,
    ProcedureEvent,
    SupportOffer,
    Withdrawal,
)
from keten.server.services import access, scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.case_checks import open_placement
from keten.server.services.commands import validate_events
from keten.server.services.derived import refresh
from keten.server.services.errors import ContradictionError, ForbiddenError, NotFoundError
from keten.server.services.inputs import choice, text
from keten.server.services.policy import check, policy
from keten.server.services.reads import is_ended
from keten.server.services.withdrawals import NAMES_NL, as_json, standing
from keten.server.services.writing import (
    atomic,
    bump_person,
    bump_procedure,
    entry,
    grant,
    recorded,
    withdraw_unfounded,
)

# What can be withdrawn, and the policy resource whose write it takes.
WITHDRAWABLE: dict[str, tuple[type[Model], str]] = {
    "event": (ProcedureEvent, "procedure"),
    "decision": (Decision, "decision"),
    "measure": (Measure, "measure"),
    "placement": (Placement, "placement"),
    "handover": (Handover, "handover"),
    "support_offer": (SupportOffer, "support_offer"),
}


def withdraw(
    actor: Actor, person_id: int, data: dict[str, Any], expected: int | None
) -> dict[str, Any]:
    """Withdraw ``data["resource"]`` ``data["id"]`` of the person's dossier for
    ``data["reason"]`` (required: why it was a mistake). ``expected``: the version the
    withdrawal is based on, the procedure's for an event or a decision, else the person's."""
    resource = choice(data, "resource", tuple(WITHDRAWABLE))
    policy_resource = WITHDRAWABLE[resource][1]
    check(actor.role, policy_resource, "write")
    record_id = whole_number(data.get("id"), "id")
    reason = text(data, "reason", max_len=2000)

    def run() -> dict[str, Any]:
        p = scope.person(actor, person_id)
        row = _record(resource, p, record_id)
        earlier = Withdrawal.objects.filter(resource=resource, record_id=record_id).first()
        if earlier is not None:
            raise ContradictionError(
                "id",
                f"{resource} {record_id} was withdrawn already, on "
                f"{localdate(earlier.recorded_at).isoformat()} by {earlier.recorded_org}",
                f"{NAMES_NL[resource]} {record_id} is al ingetrokken, op "
                f"{localdate(earlier.recorded_at).isoformat()} door {earlier.recorded_org}",
            )
        _may_withdraw(actor, resource, row)
        today = date.today()
        access_withdrawn: list[str] = []
        procedure: Procedure | None = None
        also: list[Withdrawal] = []
        if isinstance(row, ProcedureEvent | Decision):
            # Based on the procedure as read, like every other write to it; the dossier's
            # version goes up too, since the dossier changed.
            procedure = Procedure.objects.select_for_update().get(pk=row.procedure_id)
            bump_procedure(procedure, expected, today)
            Person.objects.filter(pk=p.pk).update(version=F("version") + 1)
            p.refresh_from_db()
            also = _rederive(actor, p, procedure, row, reason)
        else:
            p = bump_person(actor, p, expected)
        written = [_withdrawal(actor, p, resource, record_id, reason), *also]
        reopened = None
        if isinstance(row, Measure | Placement | Handover):
            running = isinstance(row, Handover) or not is_ended(row.end, today)
            if running:
                org = withdraw_unfounded(actor, p, resource, row, reason, today, how="withdrawn")
                access_withdrawn = [org] if org else []
        if isinstance(row, Placement):
            reopened = _undo_move(actor, p, row, reason, today)
        fields: tuple[str, ...] = (resource,)
        if access_withdrawn:
            fields += ("access_grant",)
        append(
            actor.audit,
            [entry(f"{resource}.withdraw", policy_resource, fields, p, f"{resource}:{record_id}")],
        )
        out: dict[str, Any] = {
            "resource": resource,
            "id": record_id,
            **as_json(written[0]),
            "also_withdrawn": [{"resource": w.resource, "id": w.record_id} for w in written[1:]],
            "access_withdrawn": access_withdrawn,
            "reopened": reopened,
            "person_version": p.version,
        }
        if procedure is not None:
            out["procedure"] = {"id": procedure.pk, "version": procedure.version}
        return out

    result: dict[str, Any] = atomic(run)
    return result


def _undo_move(
    actor: Actor, p: Person, moved_to: Placement, reason: str, today: date
) -> int | None:
    """A placement recorded as a move ended the stay before it; withdrawn, that stay runs
    again as it did (its end as before the move), with the dossier event saying who and why,
    and the access it gives comes back. Returns the reopened placement's id. Not when the
    earlier stay was changed since (ended otherwise, or withdrawn itself), nor when the person
    stays somewhere else now."""
    ended = DossierEvent.objects.filter(
        person=p, kind="placement_ended", payload__moved_to=moved_to.pk
    ).first()
    if ended is None:
        return None
    earlier = standing("placement", Placement.objects.filter(pk=ended.payload["id"])).first()
    if earlier is None or earlier.end != moved_to.start:
        return None
    if open_placement(p, today) is not None:  # moved on since: one place at a time still holds
        return None
    previous = ended.payload.get("previous_end")
    Placement.objects.filter(pk=earlier.pk).update(end=previous)
    earlier.refresh_from_db()
    DossierEvent.objects.create(
        person=p,
        kind="placement_reopened",
        payload={"id": earlier.pk, "kind": earlier.kind, "end": previous, "moved_to": moved_to.pk},
        **recorded(actor, reason),
    )
    basis = access.running_grant(
        "placement", earlier.kind, earlier.municipality, earlier.end, today
    )
    if basis is not None:
        grant(p, basis[0], basis[1], earlier.start)
    return earlier.pk


def _record(resource: str, p: Person, record_id: int) -> Model:
    model: Any = WITHDRAWABLE[resource][0]
    if resource in ("event", "decision"):
        found: Model | None = model.objects.filter(pk=record_id, procedure__person=p).first()
    else:
        found = model.objects.filter(pk=record_id, person=p).first()
    if found is None:
        raise NotFoundError(
            f"no {resource} {record_id} in this dossier",
            field="id",
            rule="must be a record of this person",
            detail_nl=f"geen {NAMES_NL[resource]} {record_id} in dit dossier",
            rule_nl="moet een registratie van deze persoon zijn",
        )
    return found


def may_withdraw(
    actor: Actor,
    resource: str,
    *,
    kind: str = "",
    recorded_org: str = "",
    municipality: str | None = None,
    from_org: str = "",
    procedure_type: str = "",
) -> bool:
    """Whether the actor may withdraw an entry with these properties: write on its policy
    resource, and for a procedure's entry its procedure type; a placement recorded by the
    organisation or of a kind it places (a municipality in its own housing only); a hand-over
    the organisation sent or recorded. The pages offer the button exactly where this holds."""
    role = actor.role
    if not role.can(WITHDRAWABLE[resource][1], "write"):
        return False
    if resource in ("event", "decision"):
        return procedure_type in role.procedures
    if resource == "placement":
        own = actor.organisation_kind != "municipality" or municipality == (
            actor.organisation.removeprefix("gemeente-")
        )
        may_place = kind in policy().placements_of(actor.organisation_kind)
        return own and (recorded_org == actor.organisation or may_place)
    if resource == "handover":
        return actor.organisation in (from_org, recorded_org)
    return True


def _may_withdraw(actor: Actor, resource: str, row: Model) -> None:
    if isinstance(row, ProcedureEvent | Decision):
        allowed = may_withdraw(actor, resource, procedure_type=row.procedure.procedure_type)
    elif isinstance(row, Placement):
        allowed = may_withdraw(
            actor,
            resource,
            kind=row.kind,
            recorded_org=row.recorded_org,
            municipality=row.municipality,
        )
    elif isinstance(row, Handover):
        allowed = may_withdraw(
            actor, resource, recorded_org=row.recorded_org, from_org=row.from_org_id
        )
    else:
        allowed = may_withdraw(actor, resource)
    if not allowed:
        raise ForbiddenError(
            f"{actor.organisation} may not withdraw {resource} {row.pk}",
            field="id",
            rule="withdrawn by the organisation that recorded it, or one that may record it",
            detail_nl=f"{actor.organisation} mag {NAMES_NL[resource]} {row.pk} niet intrekken",
            rule_nl="in te trekken door de organisatie die het vastlegde, of die het mag "
            "vastleggen",
        )


def _withdrawal(actor: Actor, p: Person, resource: str, record_id: int, reason: str) -> Withdrawal:
    return Withdrawal.objects.create(
        person=p, resource=resource, record_id=record_id, **recorded(actor, reason)
    )


def _rederive(
    actor: Actor, p: Person, proc: Procedure, row: ProcedureEvent | Decision, reason: str
) -> list[Withdrawal]:
    """The procedure without the withdrawn entry: a decision takes its stop event with it;
    the rest must still be a history the catalogue accepts, and the cache follows. Returns
    the stop event's withdrawal, for a decision."""
    also: list[Withdrawal] = []
    gone = {row.pk} if isinstance(row, ProcedureEvent) else {row.event_id}
    if isinstance(row, ProcedureEvent):
        decision = standing("decision", Decision.objects.filter(event_id=row.pk)).first()
        if decision is not None:
            raise ContradictionError(
                "id",
                f"event {row.pk} records decision {decision.pk}: withdraw the decision",
                f"gebeurtenis {row.pk} legt besluit {decision.pk} vast: trek het besluit in",
            )
    else:
        also.append(_withdrawal(actor, p, "event", row.event_id, reason))
    rows = list(
        standing("event", ProcedureEvent.objects.filter(procedure=proc)).order_by("day", "id")
    )
    if rows and rows[0].pk in gone:
        raise ContradictionError(
            "id",
            "the event that opened the procedure cannot be withdrawn on its own",
            "de gebeurtenis waarmee de procedure begon, kan niet afzonderlijk worden ingetrokken",
        )
    remaining = [Event(e.kind, e.day, e.data or {}) for e in rows if e.pk not in gone]
    validate_events(proc.procedure_type, remaining, proc.facts, new=[])
    refresh(proc, remaining)
    return also
