"""What a recorded departure must agree with in the dossier (a departure contradicting the case
is refused, 422, and nothing stored). Called by ``commands.record_event`` for every event on a
``departure`` procedure, so the API's generic event route and the "Vertrek vastleggen" form are
held to the same checks; the data itself is checked by ``keten.chain.departure_kinds``."""

from __future__ import annotations

from keten.catalog.derive import Event
from keten.chain.departure_kinds import kind_of
from keten.server.dossiers.models import Handover, Procedure, ProcedureEvent
from keten.server.services.errors import ContradictionError
from keten.server.services.withdrawals import standing

# The Dublin procedure's events after which DTenV may carry out a transfer (its claim accepted
# or the IND's transfer decision; keten/catalog/procedures/dublin_outgoing.yaml).
DUBLIN_READY = ("accepted", "transfer_decision")


def check_case(proc: Procedure, event: Event) -> None:
    if proc.procedure_type != "departure" or proc.person_id is None:
        return
    kind = kind_of(event.kind, event.data)
    if kind == "independent_iom":
        # Vc A3/5.1 (seed 004): "een aanvraag voor vrijwillig vertrek indienen bij de IOM";
        # in the chain, the person reaches IOM by a REAN referral (policy.yaml handovers).
        referred = standing(
            "handover",
            Handover.objects.filter(
                person_id=proc.person_id, kind="rean_referral", to_org_id="IOM"
            ),
        ).exists()
        if not referred:
            raise ContradictionError(
                "data.support",
                "a departure with IOM support needs the person's REAN referral to IOM in the "
                "dossier (Vc A3/5.1)",
                "een vertrek met ondersteuning van de IOM vraagt een REAN-verwijzing naar de IOM "
                "in het dossier (Vc A3/5.1)",
            )
    if kind == "dublin_transfer":
        # Seed 001, 1.3: "Na het nemen van het Dublinbesluit door de IND komt de
        # Dublinclaimant in de caseload van DT&V".
        ready = standing(
            "event",
            ProcedureEvent.objects.filter(
                procedure__person_id=proc.person_id,
                procedure__procedure_type="dublin_outgoing",
                kind__in=DUBLIN_READY,
            ),
        ).exists()
        if not ready:
            raise ContradictionError(
                "kind",
                "a Dublin transfer follows the IND's Dublin procedure: the dossier holds no "
                "accepted claim or transfer decision (dublin_outgoing)",
                "een Dublinoverdracht volgt op de Dublinprocedure van de IND: het dossier bevat "
                "geen claimakkoord of overdrachtsbesluit (dublin_outgoing)",
            )
