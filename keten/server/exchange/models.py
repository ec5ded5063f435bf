"""The exchange's tables: the partners this instance knows and their public keys, the liaison
officers' accreditations, the outbox (each message until its signed receipt arrives, with every
attempt), the inbox (each message received once) and the nonces seen (against replay)."""

from __future__ import annotations

from django.db import models

from keten.server.dossiers.models import Recorded


class Partner(Recorded):
    """An organisation abroad (or another Keten instance) this instance exchanges with, e.g.
    ``BE-DVZ-BO`` (DVZ Bureau Opsporingen, seed 000 point 5)."""

    code = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2)  # ISO 3166-1 alpha-2
    inbox_url = models.CharField(max_length=500)


class PartnerKey(Recorded):
    """A partner's Ed25519 public key and when it signs: a message is verified with a key valid
    at the message's ``created_at``. Keys are never removed, so old messages still verify after
    a rotation (``valid_to`` set on the old key)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="keys")
    key_id = models.CharField(max_length=16)
    public_pem = models.TextField()
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["partner", "key_id"], name="partner_key_once"),
        )


class Accreditation(Recorded):
    """A liaison officer's accreditation with one partner, from one day to another (both
    included): outside it the officer sees and does nothing in the exchange with that partner
    (seed 000 point 1: "De Belgische verbindingsambtenaar van de DVZ wordt geaccrediteerd")."""

    username = models.CharField(max_length=150)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField()


PENDING, DELIVERED = "pending", "delivered"
# What the receiving side did with a request (an answer's ``outcome``).
OPEN, ANSWERED, PARTLY_ANSWERED, REFUSED = "open", "answered", "partly_answered", "refused"
OUTCOMES = (ANSWERED, PARTLY_ANSWERED, REFUSED)


class OutboxMessage(Recorded):
    """A signed message to a partner. It stays ``pending`` (and is tried again after a growing
    wait, without limit) until the partner's signed receipt arrives: never lost."""

    message_id = models.UUIDField(unique=True)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=64)
    envelope = models.JSONField()  # as signed, with its signature
    status = models.CharField(
        max_length=10, choices=[(s, s) for s in (PENDING, DELIVERED)], default=PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    receipt = models.JSONField(null=True, blank=True)  # the partner's signed receipt
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The sender's audit trace of the send, carried in the envelope, so the partner's records
    # of this message name it (Logboek dataverwerkingen: one trace across organisations).
    trace_id = models.CharField(max_length=32)
    # For a request: what the partner answered (the answer arrives in the inbox).
    outcome = models.CharField(max_length=16, blank=True)
    # For an answer: the inbox request it answers.
    in_reply_to = models.UUIDField(null=True, blank=True)


class OutboxAttempt(models.Model):
    """Each try of an outbox message: when, the HTTP status (or none), the error, the next try."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.PROTECT, related_name="tries")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)


class InboxMessage(models.Model):
    """A message received from a partner, verified and kept once (a redelivery is answered with
    the stored receipt). A request waits here for the liaison officer's answer."""

    message_id = models.UUIDField(unique=True)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=64)
    envelope = models.JSONField()  # as received, with its signature: the sender's proof
    receipt = models.JSONField()  # as signed and returned, the same on every redelivery
    received_at = models.DateTimeField(auto_now_add=True)
    trace_id = models.CharField(max_length=32)  # our audit trace of the receipt
    status = models.CharField(max_length=16, default=OPEN)  # a request: open or its outcome
    answered_by = models.CharField(max_length=150, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_id = models.UUIDField(null=True, blank=True)  # our outbox answer's message id
    in_reply_to = models.UUIDField(null=True, blank=True)  # an answer: our request it answers


class SeenNonce(models.Model):
    """A delivery's nonce, kept for twice the time window: the same nonce again is a replay."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=64)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = (models.UniqueConstraint(fields=["partner", "nonce"], name="nonce_once"),)
