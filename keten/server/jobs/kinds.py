"""Which function does a job of each kind: one line per kind, ``"module:function"``.

The function is called as ``fn(job, progress)`` in a worker process and returns the job's
result (JSON); ``progress(percent, message)`` reports how far it is. An exception fails the job
with its message. The jobs app imports no capability: the path is resolved when a job runs.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from keten.server.jobs.models import Job

Progress = Callable[[int, str], None]
Handler = Callable[["Job", Progress], dict[str, Any]]

KINDS: dict[str, str] = {
    "forecast": "keten.server.services.forecast_runs:run_job",
    "webhook": "keten.server.services.webhooks:run_job",
    "exchange": "keten.server.services.exchange_delivery:run_job",
}


# What the worker runs when it has nothing queued (at most once per poll): a capability whose
# work is due at a time, not on a request, queues its jobs here (webhook retries after their
# backoff). Each returns how many jobs it queued.
TIMERS: dict[str, str] = {
    "webhook-retries": "keten.server.services.webhooks:retry_due",
    "exchange-retries": "keten.server.services.exchange_delivery:retry_due",
    "exchange-nonce-sweep": "keten.server.services.exchange_inbox:sweep_nonces",
    "exchange-retention": "keten.server.services.exchange_retention:erase_expired",
}


def timers() -> list[Callable[[], int]]:
    found: list[Callable[[], int]] = []
    for path in TIMERS.values():
        module, _, attr = path.partition(":")
        found.append(getattr(import_module(module), attr))
    return found


class UnknownKindError(LookupError):
    pass


def handler_of(kind: str) -> Handler:
    if kind not in KINDS:
        raise UnknownKindError(f"no handler for job kind {kind!r} (keten/server/jobs/kinds.py)")
    module, _, attr = KINDS[kind].partition(":")
    found: Handler = getattr(import_module(module), attr)
    return found
