"""Enqueue, claim, run and recover jobs.

Claiming is safe with any number of workers: on PostgreSQL the oldest queued row is locked with
``SELECT ... FOR UPDATE SKIP LOCKED`` (a second worker skips it and takes the next); on SQLite,
which has no row locks, a conditional ``UPDATE ... WHERE status = 'queued'`` decides: of two
workers reaching for one job, one updates a row, the other none and tries the next.

A job is never lost: an exception in its function fails it with the error's text; a worker
stopped by a signal puts its job back in the queue; a worker that died without a word (killed,
the machine down) is found by ``recover`` (its process is gone, or it has not reported for
``STALE_SECONDS``), and its job is queued again, up to ``MAX_ATTEMPTS`` times, then failed.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from keten.server.jobs.kinds import handler_of
from keten.server.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job

MAX_ATTEMPTS = 3  # a job that kills its worker three times is failed, not tried for ever
STALE_SECONDS = 300.0  # a running job whose worker has not reported for this long is taken up
REPORT_EVERY = 0.5  # seconds between progress writes (each is a row update)
MAX_MESSAGE = 2000


class LostJobError(RuntimeError):
    """The job was taken from this worker (recovered by another): stop working on it."""


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue(
    kind: str,
    params: dict[str, Any],
    *,
    requested_by: str,
    requested_org: str,
    requested_role: str,
    reason: str,
) -> Job:
    handler_of(kind)  # an unknown kind is refused here, not found out by a worker
    return Job.objects.create(
        kind=kind,
        params=params,
        requested_by=requested_by,
        requested_org=requested_org,
        requested_role=requested_role,
        reason=reason,
    )


def _start(pk: int, worker: str) -> int:
    now = timezone.now()
    return Job.objects.filter(pk=pk, status=QUEUED).update(
        status=RUNNING,
        worker=worker,
        started_at=now,
        heartbeat_at=now,
        progress=0,
        message="",
        attempts=F("attempts") + 1,
    )


def claim(worker: str) -> Job | None:
    """The oldest queued job, now running in ``worker``'s name; None when nothing is queued."""
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(status=QUEUED)
                .order_by("id")
                .first()
            )
            if job is None:
                return None
            _start(job.pk, worker)
    else:
        while True:
            candidates = list(
                Job.objects.filter(status=QUEUED).order_by("id").values_list("pk", flat=True)[:8]
            )
            if not candidates:
                return None
            taken = next((pk for pk in candidates if _start(pk, worker) == 1), None)
            if taken is not None:
                job = Job.objects.get(pk=taken)
                break
    job.refresh_from_db()
    return job


class Reporter:
    """The job's ``progress(percent, message)``: rising only, written at most every
    ``REPORT_EVERY`` seconds (and always at 100), each write a heartbeat."""

    def __init__(self, job: Job, worker: str) -> None:
        self.job, self.worker = job, worker
        self.percent, self.written_at = 0, 0.0

    def __call__(self, percent: int, message: str) -> None:
        percent = max(self.percent, min(100, int(percent)))
        now = time.monotonic()
        finishing = percent == 100 and self.percent < 100
        if now - self.written_at < REPORT_EVERY and not finishing:
            return
        self.percent, self.written_at = percent, now
        mine = Job.objects.filter(pk=self.job.pk, status=RUNNING, worker=self.worker)
        if not mine.update(
            progress=percent, message=message[:MAX_MESSAGE], heartbeat_at=timezone.now()
        ):
            raise LostJobError(f"job {self.job.pk} is no longer this worker's")


def run_one(worker: str | None = None) -> Job | None:
    """Claim one job and do it; the job as it ended, or None when nothing was queued."""
    worker = worker or worker_id()
    job = claim(worker)
    if job is None:
        return None
    mine = Job.objects.filter(pk=job.pk, status=RUNNING, worker=worker)
    try:
        result = handler_of(job.kind)(job, Reporter(job, worker))
    except LostJobError:
        return Job.objects.get(pk=job.pk)
    except Exception as exc:  # the job's failure, not the worker's: recorded, then on
        text = f"{type(exc).__name__}: {exc}"
        mine.update(
            status=FAILED,
            message=text[:MAX_MESSAGE],
            finished_at=timezone.now(),
            result={"error": text, "traceback": traceback.format_exc()[-4000:]},
        )
    except BaseException:
        # Stopped (Ctrl-C, SIGTERM): the job goes back to the queue for the next worker.
        mine.update(status=QUEUED, worker="", message="worker stopped; queued again")
        raise
    else:
        mine.update(
            status=DONE, progress=100, result=result, finished_at=timezone.now(), message=""
        )
    return Job.objects.get(pk=job.pk)


def _alive_here(worker: str) -> bool | None:
    """Whether ``worker``'s process still runs; None when it ran on another machine."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(stale_seconds: float = STALE_SECONDS) -> list[int]:
    """Running jobs whose worker is gone, queued again (or failed after ``MAX_ATTEMPTS``);
    their ids."""
    cutoff = timezone.now() - timedelta(seconds=stale_seconds)
    taken: list[int] = []
    for job in Job.objects.filter(status=RUNNING):
        alive = _alive_here(job.worker)
        stale = job.heartbeat_at is None or job.heartbeat_at < cutoff
        if alive is True or (alive is None and not stale):
            continue
        held = Job.objects.filter(pk=job.pk, status=RUNNING, worker=job.worker)
        why = f"worker {job.worker} stopped during attempt {job.attempts}"
        if job.attempts >= MAX_ATTEMPTS:
            done = held.update(
                status=FAILED,
                message=f"{why}; given up after {job.attempts} attempts",
                finished_at=timezone.now(),
            )
        else:
            done = held.update(status=QUEUED, worker="", message=f"{why}; queued again")
        if done:
            taken.append(job.pk)
    return taken
