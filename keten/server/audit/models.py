"""Audit records, following the fields of the Dutch standard "Logboek dataverwerkingen" (LDV)
where they fit, hash-chained so that altering or removing a row is detectable.

LDV field -> column: ``trace_id`` (16 bytes, hex; from the W3C ``traceparent`` header when the
caller sends one), ``span_id`` (the operation, 8 bytes hex), ``parent_span_id``, ``name`` (the
operation), ``status_code`` (OK / ERROR), ``start_time``/``end_time``, ``resource`` (software
component and version), and the attributes ``dpl.core.processing_activity_id`` (``purpose``, a
URN of the processing activity in the register) and ``dpl.core.data_subject_id`` /
``dpl.core.data_subject_id_type`` (``subjects``: every person the operation touched, as
[person id, V-number] pairs; a work-queue page is one operation on fifty persons). Keten adds
who acted (user, organisation, role), the action (read/write), the policy resource and the
fields. On PostgreSQL a GIN index on ``subjects`` answers "who processed this person's data"
(migration 0003); a table of one row per subject cost twenty times as much to write.

The log is a set of *lanes*: independent hash chains, each with its head row in
``AuditHead``. A request appends to whichever lane no other transaction holds, so concurrent
requests do not queue behind one lock; each lane on its own is linear and tamper-evident.
Lane 0 holds the records written before lanes existed, hashed in their original form.
"""

from __future__ import annotations

from typing import Any

from django.db import models

GENESIS = "0" * 64


class AuditRecord(models.Model):
    seq = models.BigAutoField(primary_key=True)  # global order of writing, for paging
    lane = models.PositiveSmallIntegerField()
    lane_seq = models.BigIntegerField()
    trace_id = models.CharField(max_length=32)
    span_id = models.CharField(max_length=16)
    parent_span_id = models.CharField(max_length=16, blank=True)
    name = models.CharField(max_length=100)
    status_code = models.CharField(max_length=8, default="OK")
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    resource = models.CharField(max_length=64)
    purpose = models.CharField(max_length=200)
    actor_user = models.CharField(max_length=150)
    actor_org = models.CharField(max_length=64)
    actor_role = models.CharField(max_length=64)
    action = models.CharField(max_length=8)  # read | write
    policy_resource = models.CharField(max_length=32)
    fields = models.JSONField(default=list)
    object_ref = models.CharField(max_length=64, blank=True)
    subjects = models.JSONField(default=list)  # [[person id, V-number], ...]
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["lane", "lane_seq"], name="audit_lane_seq"),)
        indexes = (models.Index(fields=["actor_user", "seq"], name="audit_actor"),)

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit records are inserted through keten.server.audit.log only")

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("audit records are append-only")


class AuditHead(models.Model):
    """The last sequence number and hash of one lane; locked while appending to it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)  # the lane
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)
