"""The rows behind notifications: what a person is told in the inbox and the digest, and what a
partner organisation is sent by webhook (with every attempt)."""

from __future__ import annotations

from django.db import models

from keten.server.dossiers.models import Handover, Person, Procedure, Recorded
from keten.server.organisations.models import Organisation

# What a notification is about (services/notifications.py renders each in Dutch and English).
DEADLINE_DUE, OVERDUE, DWANGSOM, HANDOVER, TEAM_DUE = (
    "deadline_due",
    "overdue",
    "dwangsom",
    "handover",
    "team_due",
)
KINDS = (DEADLINE_DUE, OVERDUE, DWANGSOM, HANDOVER, TEAM_DUE)


class Notification(models.Model):
    """One thing told to one person. The text is not stored: ``kind`` and ``params`` are
    rendered in the reader's language when read, so a Dutch reader and an English reader of
    one row read the same fact. ``key`` makes telling idempotent (one row per recipient and
    fact: a deadline of a procedure on its due day, a hand-over, a team summary per day)."""

    recipient = models.CharField(max_length=150)  # a username
    kind = models.CharField(max_length=16, choices=[(k, k) for k in KINDS])
    key = models.CharField(max_length=200)
    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handover = models.ForeignKey(
        Handover, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)  # counts, days, kinds: never a name
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        )
        indexes = (models.Index(fields=["recipient", "-id"], name="notification_inbox"),)


class HandoverOutbox(models.Model):
    """Written in the hand-over's own transaction (services/records.py): a hand-over rolled back
    leaves no row here, so nobody is told of it. ``dispatched_at`` is set once the inbox rows
    and webhook deliveries for it exist."""

    handover = models.OneToOneField(Handover, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)


class Preference(models.Model):
    """How many days ahead a person wants to hear of deadlines and dwangsom (1..60, default 7)."""

    username = models.CharField(max_length=150, primary_key=True)
    days_ahead = models.PositiveSmallIntegerField(default=7)
    updated_at = models.DateTimeField(auto_now=True)


class DigestSent(models.Model):
    """One daily digest sent to one person for one day: the command sends a day's digest once."""

    recipient = models.CharField(max_length=150)
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    email = models.CharField(max_length=254)
    summary = models.JSONField(default=dict, blank=True)  # counts only

    class Meta:
        constraints = (models.UniqueConstraint(fields=["recipient", "day"], name="digest_once"),)


class Subscription(Recorded):
    """A partner organisation's webhook for a channel (``handover``), in the manner of Open
    Notificaties' abonnementen. The secret signs every delivery (HMAC-SHA256); ``recorded_role``
    is the role that subscribed, and the payload carries what that role may read."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    url = models.CharField(max_length=500)
    secret = models.CharField(max_length=128)
    channels = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=150, blank=True)
    end_reason = models.TextField(blank=True)


PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class Delivery(models.Model):
    """One payload for one subscription; sent by a job (``jobs`` kind ``webhook``)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="+")
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=[(s, s) for s in (PENDING, DELIVERED, FAILED)], default=PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["subscription", "handover"], name="delivery_once"),
        )


class DeliveryAttempt(models.Model):
    """Each try of a delivery: when, the HTTP status (or none), the error, and the next try."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="tries")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
