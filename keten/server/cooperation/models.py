"""A planned special flight or joint identification mission and the seats the partner takes
on it. Append-only (migration 0001 adds database triggers): seats taken are rows that add
up, so who took how many and when stays readable, and a full flight refuses the next row."""

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
