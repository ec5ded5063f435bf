"""New entries checked against what the dossier already holds: a hand-over against who may send
it to whom in what state of the case, a placement against who may place there and where the
person already stays. An entry that contradicts the case is refused and nothing is stored.

The tables are data in policy.yaml (``placement_kinds``, ``handovers``); this module says what
each state of a case means, read from the dossier's own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from keten.chain.kinds import HANDOVER_TYPES, PLACEMENT_TYPES
from keten.server.dossiers.models import Decision, Person, Placement, ResidenceDocument
from keten.server.organisations.models import Organisation
from keten.server.services import withdrawals
from keten.server.services.actor import Actor
from keten.server.services.bounds import nl_day
from keten.server.services.errors import BadInputError, ContradictionError, ForbiddenError
from keten.server.services.policy import policy

# The applications whose decision gives or refuses a right to stay. An mvv is only leave to
# travel, a complaint or an objection decides on another decision.
ASYLUM_APPLICATIONS = ("asylum_first", "asylum_subsequent", "border_procedure", "nareis")
OTHER_RESIDENCE = ("regular_residence", "naturalisation")
NEGATIVE = ("refused", "refused_manifestly_unfounded", "inadmissible")
# Residence documents that are a right to stay while valid (seed 003's document kinds); the
# W-documents only say that an application is pending.
ASYLUM_PERMITS = ("vva_bepaald", "vva_onbepaald")
OTHER_PERMITS = ("vvr_bepaald", "vvr_onbepaald", "gemeenschapsonderdaan")

STATE_TEXT = {
    "refused": (
        "a negative decision on an application, and no right to stay granted",
        "een afwijzend besluit op een aanvraag, en geen verblijfsrecht verleend",
    ),
    "without_permit": (
        "no right to stay granted and no valid residence permit",
        "geen verblijfsrecht verleend en geen geldige verblijfsvergunning",
    ),
    "asylum_permit": (
        "an asylum residence permit granted (a permit holder)",
        "een verblijfsvergunning asiel verleend (vergunninghouder)",
    ),
    "unaccompanied_minor": (
        "registered as an unaccompanied minor",
        "geregistreerd als alleenstaande minderjarige vreemdeling (amv)",
    ),
}


@dataclass(frozen=True)
class CaseState:
    """What a person's dossier says on a day, as far as the hand-over table asks."""

    asylum_permit: bool
    any_permit: bool
    refused: bool
    unaccompanied_minor: bool

    def holds(self, state: str) -> bool:
        return {
            "refused": self.refused,
            "without_permit": not self.any_permit,
            "asylum_permit": self.asylum_permit,
            "unaccompanied_minor": self.unaccompanied_minor,
        }[state]


def case_state(p: Person, on: date) -> CaseState:
    """Decisions that were withdrawn count for nothing; documents count while valid."""
    decided = withdrawals.standing(
        "decision",
        Decision.objects.filter(
            procedure__person=p,
            procedure__procedure_type__in=(*ASYLUM_APPLICATIONS, *OTHER_RESIDENCE),
        ),
    ).values_list("procedure__procedure_type", "outcome")
    granted_asylum = granted_other = negative = False
    for procedure_type, outcome in decided:
        if outcome == "granted":
            if procedure_type in ASYLUM_APPLICATIONS:
                granted_asylum = True
            else:
                granted_other = True
        elif outcome in NEGATIVE:
            negative = True
    valid = set(
        ResidenceDocument.objects.filter(person=p, issued__lte=on)
        .exclude(valid_until__lt=on)
        .values_list("kind", flat=True)
    )
    asylum_permit = granted_asylum or bool(valid & set(ASYLUM_PERMITS))
    any_permit = asylum_permit or granted_other or bool(valid & set(OTHER_PERMITS))
    return CaseState(asylum_permit, any_permit, negative and not any_permit, p.unaccompanied_minor)


def check_handover_parties(actor: Actor, kind: str, to_org: str) -> None:
    """The hand-over table (policy.yaml ``handovers``): the actor's organisation may send this
    kind and the receiver is of a kind that takes it."""
    rule = policy().handovers[kind]
    name = HANDOVER_TYPES[kind]
    if actor.organisation_kind not in rule.senders:
        raise ForbiddenError(
            f"{actor.organisation} may not send a hand-over of kind {kind}",
            field="kind",
            rule=f"policy: {kind} is sent by {', '.join(sorted(rule.senders))}",
            detail_nl=f"{actor.organisation} mag geen overdracht ‘{name.nl}’ versturen",
            rule_nl=f"beleid: ‘{name.nl}’ wordt verstuurd door {', '.join(sorted(rule.senders))}",
        )
    receiver = Organisation.objects.filter(code=to_org).values_list("kind", flat=True).first()
    if receiver is None:
        raise BadInputError(
            "to_org", f"unknown organisation {to_org!r}", f"onbekende organisatie {to_org!r}"
        )
    if receiver not in rule.receivers:
        raise BadInputError(
            "to_org",
            f"a hand-over of kind {kind} goes to {', '.join(sorted(rule.receivers))}, "
            f"not to {to_org}",
            f"een overdracht ‘{name.nl}’ gaat naar {', '.join(sorted(rule.receivers))}, "
            f"niet naar {to_org}",
        )


def check_handover(actor: Actor, p: Person, kind: str, to_org: str, on: date) -> None:
    """``check_handover_parties``, and the person's case is in the state the kind requires."""
    check_handover_parties(actor, kind, to_org)
    rule = policy().handovers[kind]
    name = HANDOVER_TYPES[kind]
    state = case_state(p, on)
    for required in rule.requires:
        if not state.holds(required):
            en, nl = STATE_TEXT[required]
            raise ContradictionError(
                "kind",
                f"a hand-over of kind {kind} requires {en}; this dossier does not show it",
                f"een overdracht ‘{name.nl}’ vereist: {nl}; dit dossier toont dat niet",
            )


def check_placement_kind(actor: Actor, kind: str) -> None:
    allowed = policy().placements_of(actor.organisation_kind)
    if kind not in allowed:
        listed = ", ".join(sorted(allowed)) or "none"
        raise ForbiddenError(
            f"{actor.organisation} may not record a placement of kind {kind}",
            field="kind",
            rule=f"policy: {actor.organisation_kind} places in {listed}",
            detail_nl=f"{actor.organisation} mag geen plaatsing ‘{PLACEMENT_TYPES[kind].nl}’ "
            "vastleggen",
            rule_nl=f"beleid: {actor.organisation_kind} plaatst in {listed}",
        )


def open_placement(p: Person, today: date) -> Placement | None:
    """The placement where the person stays now, if any (one at a time)."""
    from keten.server.services.access import running

    rows = Placement.objects.filter(running(today), person=p).order_by("start", "id")
    return withdrawals.standing("placement", rows).first()


def placement_to_end(
    p: Person, start: date, end: date | None, move: bool, today: date
) -> Placement | None:
    """A person stays in one place at a time: a new placement that runs (no end, or one
    ahead) while another runs is refused, unless it is a move, which ends the other on the
    new one's start day in the same command. Returns the placement the move ends."""
    if end is not None and end <= today:
        return None  # a past stay entered afterwards: it runs no more
    current = open_placement(p, today)
    if current is None:
        return None
    kind = PLACEMENT_TYPES.get(current.kind)
    where = f"{current.kind} ({current.location}) since {current.start.isoformat()}"
    where_nl = (
        f"{kind.nl if kind else current.kind} ({current.location}) sinds {nl_day(current.start)}"
    )
    if not move:
        raise ContradictionError(
            "move",
            f"placement {current.pk} is open: {where}; a person stays in one place at a "
            "time: send move: true to end it on this placement's start",
            f"plaatsing {current.pk} loopt nog: {where_nl}; iemand verblijft op één plek "
            "tegelijk: kies ‘verhuizing’ om die te beëindigen op de begindatum van deze",
        )
    if start < current.start:
        raise ContradictionError(
            "start",
            f"a move starts on or after the placement it ends began ({current.start.isoformat()})",
            f"een verhuizing begint op of na het begin van de plaatsing die zij beëindigt "
            f"({nl_day(current.start)})",
        )
    return current
