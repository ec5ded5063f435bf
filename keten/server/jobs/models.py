"""A job: one piece of long work, its progress and its result, with who asked for it and why."""

from __future__ import annotations

from django.db import models

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)


class Job(models.Model):
    kind = models.CharField(max_length=64)
    params = models.JSONField(default=dict)  # bounded by the kind's service before enqueueing
    status = models.CharField(
        max_length=8, choices=[(s, s) for s in STATUSES], default=QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)  # 0..100
    message = models.CharField(max_length=2000, blank=True, default="")
    result = models.JSONField(null=True, blank=True)
    # Who asked and why: the same columns every recorded row carries (services/writing.py).
    requested_by = models.CharField(max_length=150)
    requested_org = models.CharField(max_length=64)
    requested_role = models.CharField(max_length=64)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker holding a running job ("host:pid") and when it last reported: a job whose
    # worker is gone is taken up again (queue.recover), never left running for ever.
    worker = models.CharField(max_length=128, blank=True, default="")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = (models.Index(fields=["kind", "-created_at"], name="job_kind_created"),)

    def __str__(self) -> str:
        return f"job {self.pk} {self.kind} {self.status}"
