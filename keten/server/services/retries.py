"""Taking a due retry off the table for one worker: the outbox of the exchange and the
webhook deliveries both keep a ``next_try_at`` that the idle worker's timer turns into a job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

Row = TypeVar("Row", bound=models.Model)


def queue_due(rows: QuerySet[Row], enqueue: Callable[[Row], Any], limit: int) -> int:
    """Queue a job (``enqueue``) for each of ``rows`` whose next try has come, soonest first,
    at most ``limit``. A row is taken by clearing its ``next_try_at`` only if it still holds
    the value read, so two workers never queue one retry twice. Returns how many were queued."""
    due = list(rows.filter(next_try_at__lte=timezone.now()).order_by("next_try_at")[:limit])
    queued = 0
    for row in due:
        with transaction.atomic():
            taken = rows.model._default_manager.filter(
                pk=row.pk, next_try_at=row.serializable_value("next_try_at")
            ).update(next_try_at=None)
            if taken:
                enqueue(row)
                queued += 1
    return queued
