"""Helpers for the forecast tests: the ministry's policy account, tiny runs, and a worker run in
the test process (the same code ``keten server worker`` runs) until a given job has ended."""

from __future__ import annotations

import time
from typing import Any

from tests.server.live import Server

POLICY_USER = "jenv-beleid"  # the demo account of ministry_policy (keten/server/setup.py)


def policy_account(live: Server) -> str:
    """The ministry_policy demo account; every live server's world has its token."""
    assert POLICY_USER in live.tokens, "the demo accounts lack the ministry's policy account"
    return POLICY_USER


def start(live: Server, user: str, scenario: str = "baseline", **params: Any) -> dict[str, Any]:
    body = {"scenario": scenario, "years": 2, "runs": 20, "reason": "test run", **params}
    reply = live.request("POST", "/api/v1/forecast/runs", user, body)
    assert reply.status == 202, reply.text
    run: dict[str, Any] = reply.body
    return run


def work_until(job_id: int, timeout: float = 120) -> Any:
    """Take queued jobs in this process, oldest first, until ``job_id`` has ended."""
    from keten.server.jobs.models import Job
    from keten.server.jobs.queue import run_one

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.status in ("done", "failed"):
            return job
        if run_one("test-worker:0") is None:
            time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not end within {timeout} s")


def finished(live: Server, user: str, scenario: str = "baseline", **params: Any) -> dict[str, Any]:
    """A run started over HTTP, worked in the test process, read back over HTTP once done."""
    run = start(live, user, scenario, **params)
    work_until(run["id"])
    reply = live.get(run["url"], user)
    assert reply.status == 200 and reply.body["status"] == "done", reply.text
    detail: dict[str, Any] = reply.body
    return detail
