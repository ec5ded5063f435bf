"""Audit records, following the fields of the Dutch standard "Logboek dataverwerkingen" (LDV)
where they fit, hash-chained so that altering or removing a row is detectable.

LDV field -> column: ``trace_id`` (16 bytes, hex; from the W3C ``traceparent`` header when the
caller sends one), ``span_id`` (the operation, 8 bytes hex), ``parent_span_id``, ``name`` (the
operation), ``status_code`` (OK / ERROR), ``start_time``/``end_time``, ``resource`` (software
component and version), and the attributes ``dpl.core.processing_activity_id`` (``purpose``, a
URN of the processing activity in the register), ``dpl.core.data_subject_id`` (``subject_id``,
the V-number) and ``dpl.core.data_subject_id_type`` (``subject_id_type``). Keten adds who acted
(user, organisation, role), the action (read/write), the policy resource and the fields.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class AuditRecord(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    trace_id = models.CharField(max_length=32)
    span_id = models.CharField(max_length=16)
    parent_span_id = models.CharField(max_length=16, blank=True)
    name = models.CharField(max_length=100)
    status_code = models.CharField(max_length=8, default="OK")
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    resource = models.CharField(max_length=64)
    purpose = models.CharField(max_length=200)
    subject_id = models.CharField(max_length=32, blank=True)
    subject_id_type = models.CharField(max_length=32, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)  # not a FK: the log outlives rows
    actor_user = models.CharField(max_length=150)
    actor_org = models.CharField(max_length=64)
    actor_role = models.CharField(max_length=64)
    action = models.CharField(max_length=8)  # read | write
    policy_resource = models.CharField(max_length=32)
    fields = models.JSONField(default=list)
    object_ref = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        indexes = (
            models.Index(fields=["person_id", "seq"], name="audit_person"),
            models.Index(fields=["actor_user", "seq"], name="audit_actor"),
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs.get("force_insert"):
            raise RuntimeError("audit records are inserted through keten.server.audit.log only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("audit records are append-only")


class AuditHead(models.Model):
    """The last sequence number and hash; locked while appending so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
