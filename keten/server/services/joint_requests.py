"""Joint requests to a country of origin with the Belgian partner. Seed 000 point 3: "De DT&V
en de DVZ zetten hun samenwerking voort in de domeinen identificatie en terugkeer via o.a.
geregelde samenkomsten, gezamenlijke identificatiemissies, ...". What is asked is one of
``KINDS``; the seed names identification, and readmission only as a subject of the JBZ-Raad
(point 4), so travel documents and readmission talks are this program's reading of
"identificatie en terugkeer" (docs/return-cooperation.md says so).

A request names the authority addressed and how many persons each side brings, never who:
each person stays in their own dossier. Its course is append-only status rows in a fixed order
(``STEPS``); a step out of order, or dated before the one it follows, is refused. Who may do
what is ``return_operation`` in policy.yaml."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from keten.server.audit.log import Entry, append
from keten.server.cooperation.models import JointRequest, JointRequestStatus
from keten.server.services.actor import Actor
from keten.server.services.bounds import nl_day, whole_number
from keten.server.services.coi import country_code
from keten.server.services.errors import BadInputError, ContradictionError, NotFoundError
from keten.server.services.inputs import choice, happened, text
from keten.server.services.policy import check
from keten.server.services.return_operations import RESOURCE, partner_code
from keten.server.services.writing import reason_of, recorded

DECLARATION_DAY = date(2015, 2, 24)  # seed 000: no joint request under it predates it
KINDS: dict[str, tuple[str, str]] = {
    "identification": ("identificatie", "identification"),
    "travel_documents": ("reisdocumenten (laissez-passers)", "travel documents (laissez-passers)"),
    "readmission_talks": ("overleg over readmissie", "readmission talks"),
}
KIND_IDS = tuple(sorted(KINDS))
PROPOSED, AGREED, SENT, ANSWERED = "proposed", "agreed", "sent", "answered"
STEPS: dict[str, tuple[str, str]] = {  # in their order
    PROPOSED: ("voorgesteld", "proposed"),
    AGREED: ("akkoord van de partner", "agreed by the partner"),
    SENT: ("verzonden", "sent"),
    ANSWERED: ("beantwoord", "answered"),
}
ORDER = tuple(STEPS)
NEXT = ORDER[1:]  # the steps recorded after the proposal
# A bound against typing errors, not a figure from a source: one request for more persons
# than a full charter carries twice over is a slip of the keyboard.
MAX_PERSONS = 1000
NOT_AHEAD = (
    ": record it once it has happened",
    ": leg het vast als het gebeurd is",
)


@dataclass(frozen=True)
class RequestInput:
    kind: str
    destination: str
    authority: str
    proposed_on: date
    partner: str
    persons_own: int
    persons_partner: int
    sources: str
    note: str


def persons(value: Any, field: str) -> int:
    return whole_number(value, field, low=0, high=MAX_PERSONS)


def request_input(data: dict[str, Any]) -> RequestInput:
    found = RequestInput(
        kind=choice(data, "kind", KINDS),
        destination=country_code(data.get("destination"), "destination"),
        authority=text(data, "authority", max_len=200),
        proposed_on=happened(data, "proposed_on", earliest=DECLARATION_DAY, why=NOT_AHEAD),
        partner=partner_code(data.get("partner")),
        persons_own=persons(data.get("persons_own"), "persons_own"),
        persons_partner=persons(data.get("persons_partner"), "persons_partner"),
        sources=text(data, "sources", max_len=2000),
        note=text(data, "note", required=False, max_len=2000),
    )
    if found.persons_own + found.persons_partner == 0:
        raise BadInputError(
            "persons_own",
            "a joint request concerns at least one person, brought by either side",
            "een gezamenlijk verzoek gaat over ten minste één persoon, van een van beide kanten",
        )
    return found


def _audit(actor: Actor, name: str, fields: tuple[str, ...], req: JointRequest) -> None:
    append(
        actor.audit,
        [Entry(name, "write", RESOURCE, fields, object_ref=f"joint_request:{req.pk}")],
    )


def store(
    actor: Actor,
    found: RequestInput,
    reason: str,
    *,
    received_from: str = "",
    ref: str = "",
) -> JointRequest:
    """The request with its first step, proposed on ``proposed_on``, in the caller's
    transaction."""
    req = JointRequest.objects.create(
        kind=found.kind,
        destination=found.destination,
        authority=found.authority,
        proposed_on=found.proposed_on,
        partner=found.partner,
        persons_own=found.persons_own,
        persons_partner=found.persons_partner,
        sources=found.sources,
        note=found.note,
        received_from=received_from,
        received_ref=ref,
        **recorded(actor, reason),
    )
    JointRequestStatus.objects.create(
        request=req, status=PROPOSED, day=found.proposed_on, **recorded(actor, reason)
    )
    _audit(
        actor,
        "joint_request.propose",
        ("kind", "destination", "authority", "persons_own", "persons_partner"),
        req,
    )
    return req


def propose(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Propose a joint request to the partner (shared with it as ``return_joint_request``)."""
    check(actor.role, RESOURCE, "write")
    found = request_input(data)
    reason = reason_of(data)
    with transaction.atomic():
        req = store(actor, found, reason)
    return request_json(req, steps_of([req.pk])[req.pk])


def get(req_id: int, *, lock: bool = False) -> JointRequest:
    rows = JointRequest.objects.filter(pk=req_id)
    req = (rows.select_for_update() if lock else rows).first()
    if req is None:
        raise NotFoundError(
            f"no joint request {req_id}",
            field="request",
            rule="must exist",
            detail_nl=f"geen gezamenlijk verzoek {req_id}",
            rule_nl="moet bestaan",
        )
    return req


def add_step(
    actor: Actor, req: JointRequest, status: str, on: date, note: str, reason: str
) -> JointRequestStatus:
    """The next step of ``req`` (locked), in the caller's transaction: exactly the one after
    the last, on or after its day."""
    req = get(req.pk, lock=True)
    last = JointRequestStatus.objects.filter(request=req).order_by("-id").first()
    done = ORDER.index(last.status) if last else -1
    wanted = ORDER.index(status)
    if wanted != done + 1:
        before = ORDER[wanted - 1] if wanted else PROPOSED
        now_en = last.status if last else "none"
        now_nl = STEPS[last.status][0] if last else "geen"
        if wanted <= done:
            en, nl = f"is recorded already ({now_en} now)", f"is al vastgelegd (nu: {now_nl})"
        else:
            en = f"{status} comes after {before}; the request is {now_en}"
            nl = f"{STEPS[status][0]} komt na {STEPS[before][0]}; het verzoek is {now_nl}"
        raise ContradictionError("status", en, nl)
    if last is not None and on < last.day:
        raise ContradictionError(
            "day",
            f"is before the step it follows ({last.status}, {last.day.isoformat()})",
            f"ligt vóór de stap die eraan voorafgaat ({STEPS[last.status][0]}, {nl_day(last.day)})",
        )
    try:
        with transaction.atomic():
            step = JointRequestStatus.objects.create(
                request=req, status=status, day=on, note=note, **recorded(actor, reason)
            )
    except IntegrityError:  # two writers raced past the check above: the lock failed
        raise ContradictionError("status", "is recorded already", "is al vastgelegd") from None
    _audit(actor, f"joint_request.{status}", ("status", "day"), req)
    return step


def record_step(actor: Actor, req_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Record that the partner agreed, that the request was sent, or that it was answered."""
    check(actor.role, RESOURCE, "write")
    status = choice(data, "status", NEXT)
    on = happened(data, "day", earliest=DECLARATION_DAY, why=NOT_AHEAD)
    note = text(data, "note", required=False, max_len=2000)
    reason = reason_of(data)
    with transaction.atomic():
        req = get(req_id)
        if status == AGREED and req.received_from:
            raise ContradictionError(
                "status",
                "this side agreed by taking the partner's proposal over",
                "deze kant ging akkoord door het voorstel van de partner over te nemen",
            )
        add_step(actor, req, status, on, note, reason)
    return request_json(req, steps_of([req.pk])[req.pk])


def steps_of(ids: list[int]) -> dict[int, list[JointRequestStatus]]:
    out: dict[int, list[JointRequestStatus]] = defaultdict(list)
    for s in JointRequestStatus.objects.filter(request_id__in=ids).order_by("id"):
        out[s.request_id].append(s)
    return {i: out[i] for i in ids}


def request_json(req: JointRequest, steps: list[JointRequestStatus]) -> dict[str, Any]:
    nl, en = KINDS[req.kind]
    status = steps[-1].status if steps else PROPOSED
    return {
        "id": req.pk,
        "kind": req.kind,
        "kind_text": nl,
        "kind_text_en": en,
        "destination": req.destination,
        "authority": req.authority,
        "proposed_on": req.proposed_on.isoformat(),
        "partner": req.partner,
        "persons_own": req.persons_own,
        "persons_partner": req.persons_partner,
        "sources": req.sources,
        "note": req.note,
        "received_from": req.received_from or None,
        "received_ref": req.received_ref or None,
        "status": status,
        "status_text": STEPS[status][0],
        "status_text_en": STEPS[status][1],
        "steps": [
            {
                "status": s.status,
                "status_text": STEPS[s.status][0],
                "status_text_en": STEPS[s.status][1],
                "day": s.day.isoformat(),
                "note": s.note,
                "recorded_by": s.recorded_by,
                "recorded_org": s.recorded_org,
            }
            for s in steps
        ],
        "recorded_by": req.recorded_by,
        "recorded_org": req.recorded_org,
        "reason": req.reason,
    }


def listing(actor: Actor) -> list[dict[str, Any]]:
    """Every joint request, own and the partner's, newest proposal first (counts only)."""
    check(actor.role, RESOURCE, "read")
    reqs = list(JointRequest.objects.order_by("-proposed_on", "-id"))
    steps = steps_of([r.pk for r in reqs])
    return [request_json(r, steps[r.pk]) for r in reqs]
