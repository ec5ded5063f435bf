"""The worker loop behind ``keten server worker``: recover what a dead worker left, then take
and do jobs, one at a time, until stopped (or, with ``once``, until none is queued)."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from types import FrameType

from django.db import close_old_connections

from keten.server.jobs.kinds import timers
from keten.server.jobs.models import Job
from keten.server.jobs.queue import recover, run_one, worker_id

log = logging.getLogger(__name__)
RECOVER_EVERY = 60.0  # seconds between looks for jobs of dead workers


def _stop_on_term() -> None:
    """SIGTERM stops the worker like Ctrl-C: the running job is queued again (queue.run_one)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def run_timers() -> int:
    """Queue what has come due (``kinds.TIMERS``); how many jobs were queued. A timer that
    fails is logged and the others still run: the worker must not stop for it."""
    queued = 0
    for timer in timers():
        try:
            queued += timer()
        except Exception:
            log.exception("timer %s failed", getattr(timer, "__qualname__", timer))
    return queued


def work(
    *,
    once: bool = False,
    poll_seconds: float = 1.0,
    said: Callable[[Job], None] | None = None,
    parent: int | None = None,
) -> int:
    """Do jobs; the number done (or failed). ``said`` hears of every job that ended.
    ``parent``: stop once this process is no longer the worker's parent (the demo's server
    ended without taking its worker along)."""
    _stop_on_term()
    me = worker_id()
    recover()
    last_recover = time.monotonic()
    ended = 0
    while parent is None or os.getppid() == parent:
        close_old_connections()
        job = run_one(me)
        if job is not None:
            ended += 1
            if said is not None:
                said(job)
            continue
        if run_timers():
            continue  # a timer queued work: take it up at once
        if once:
            return ended
        time.sleep(poll_seconds)
        if time.monotonic() - last_recover > RECOVER_EVERY:
            recover()
            last_recover = time.monotonic()
    return ended
