"""Return cooperation with the partner (seed 000 point 3): a planned special flight or joint
identification mission, the seats the partner takes on it and the escorts each side provides;
joint requests to a country of origin and their steps. Append-only (migrations 0001 and 0002
add database triggers): figures are rows that add up, so who gave what and when stays
readable, and a full flight refuses the next row."""

from __future__ import annotations

from django.db import models

from keten.server.dossiers.models import AppendOnly, Recorded


class JointOperation(AppendOnly, Recorded):
    KINDS = (
        ("special_flight", "special flight"),
        ("identification_mission", "identification mission"),
    )

    kind = models.CharField(max_length=32, choices=KINDS)
    destination = models.CharField(max_length=3)  # ISO 3166-1 alpha-3
    day = models.DateField()  # the flight's day, or the mission's first day
    # Who runs it: "" for this organisation's own, else the partner whose programme listed
    # it (its organisation code) with its id there.
    received_from = models.CharField(max_length=64, blank=True, default="")
    received_ref = models.CharField(max_length=64, blank=True, default="")
    seats_offered = models.PositiveIntegerField()  # seats offered to the partner
    note = models.TextField(blank=True, default="")

    class Meta:
        indexes = (models.Index(fields=["day", "destination"], name="joint_op_day"),)
        constraints = (
            models.UniqueConstraint(
                fields=["received_from", "received_ref"],
                condition=~models.Q(received_from=""),
                name="joint_op_received_once",
            ),
        )


class SeatClaim(AppendOnly, Recorded):
    """Seats the partner takes on an operation (``partner``: its organisation code), or this
    organisation takes on a partner's (``partner`` empty)."""

    operation = models.ForeignKey(JointOperation, on_delete=models.PROTECT, related_name="claims")
    partner = models.CharField(max_length=64, blank=True, default="")
    seats = models.PositiveIntegerField()
    # The partner's reference of the request, so a message delivered twice is taken once.
    request_ref = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["operation", "partner", "request_ref"],
                condition=~models.Q(request_ref=""),
                name="seat_claim_once",
            ),
        )


class EscortCapacity(AppendOnly, Recorded):
    """Escorts one side provides on an operation (``side``: "" this organisation, else the
    partner's code), with the service they come from. Rows add up per side and service."""

    operation = models.ForeignKey(JointOperation, on_delete=models.PROTECT, related_name="escorts")
    side = models.CharField(max_length=64, blank=True, default="")
    service = models.CharField(max_length=32)  # services/return_escorts.py SERVICES
    escorts = models.PositiveIntegerField()
    # The message that brought a partner's escorts, so a message taken again adds nothing.
    request_ref = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["operation", "side", "request_ref"],
                condition=~models.Q(request_ref=""),
                name="escort_once",
            ),
        )


class JointRequest(AppendOnly, Recorded):
    """A request to a country of origin made together with the partner (seed 000 point 3:
    "identificatie en terugkeer"): to whom, what is asked, and how many persons each side
    brings. Counts only: each person stays in their own dossier. Its course is the status rows
    below, never an update of this one."""

    kind = models.CharField(max_length=32)  # services/joint_requests.py KINDS
    destination = models.CharField(max_length=3)  # ISO 3166-1 alpha-3
    authority = models.CharField(max_length=200)  # e.g. the embassy addressed
    proposed_on = models.DateField()
    partner = models.CharField(max_length=64)  # the partner organisation it is joint with
    persons_own = models.PositiveIntegerField()
    persons_partner = models.PositiveIntegerField()
    sources = models.TextField()
    note = models.TextField(blank=True, default="")
    # "" for this organisation's own proposal, else the proposer's code and its id there.
    received_from = models.CharField(max_length=64, blank=True, default="")
    received_ref = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["received_from", "received_ref"],
                condition=~models.Q(received_from=""),
                name="joint_request_received_once",
            ),
        )


class JointRequestStatus(AppendOnly, Recorded):
    """One step of a joint request: proposed, agreed by the partner, sent, answered; each
    once, in that order."""

    request = models.ForeignKey(JointRequest, on_delete=models.PROTECT, related_name="steps")
    status = models.CharField(max_length=16)
    day = models.DateField()
    note = models.TextField(blank=True, default="")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["request", "status"], name="joint_request_step_once"),
        )
