"""The job queue (keten.server.jobs) on the test database: two workers never take one job, a
failing job ends failed with its message, progress rises while a run works, and a job whose
worker was killed is taken up by the next worker and finished."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.server.forecast_support import work_until
from tests.server.live import REPO, Server


def _enqueue(**params: object) -> int:
    from keten.server.jobs.queue import enqueue

    job = enqueue(
        "forecast",
        {"scenario": "baseline", "years": 1, "runs": 1, "on": time.strftime("%Y-%m-%d"), **params},
        requested_by="coa",
        requested_org="COA",
        requested_role="coa_planner",
        reason="queue test",
    )
    return int(job.pk)


def test_two_workers_never_take_one_job(live: Server) -> None:
    from django.db import connection

    from keten.server.jobs.models import Job
    from keten.server.jobs.queue import claim

    ids = {_enqueue() for _ in range(24)}
    taken: dict[str, list[int]] = {"w1": [], "w2": []}
    go = threading.Barrier(2)

    def worker(name: str) -> None:
        go.wait()
        try:
            while (job := claim(f"{name}:1")) is not None:
                taken[name].append(job.pk)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(n,)) for n in taken]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    one, two = set(taken["w1"]), set(taken["w2"])
    assert not one & two  # no job taken twice
    assert ids <= one | two  # and none left behind
    assert len(taken["w1"]) == len(one) and len(taken["w2"]) == len(two)
    rows = Job.objects.filter(pk__in=ids)
    assert {j.worker for j in rows} <= {"w1:1", "w2:1"} and all(j.attempts == 1 for j in rows)
    # Claimed, not run: ended here so that no later test's worker takes them.
    rows.update(status="failed", message="claimed by the queue test")


def test_a_failing_job_ends_failed_with_its_message(live: Server) -> None:
    job = work_until(_enqueue(scenario="bestaat_niet"))
    assert job.status == "failed"
    assert "bestaat_niet" in job.message  # the scenario it could not find, named
    assert job.finished_at is not None and job.attempts == 1
    assert "Traceback" in job.result["traceback"]


def test_an_unknown_kind_is_refused_at_the_door(live: Server) -> None:
    from keten.server.jobs.kinds import UnknownKindError
    from keten.server.jobs.queue import enqueue

    try:
        enqueue("bestaat_niet", {}, requested_by="coa", requested_org="COA",
                requested_role="coa_planner", reason="x")  # fmt: skip
    except UnknownKindError as exc:
        assert "bestaat_niet" in str(exc)
    else:
        raise AssertionError("an unknown kind was queued")


def test_progress_rises_while_a_run_works(live: Server) -> None:
    from keten.server.jobs.models import Job

    pk = _enqueue(years=5, runs=500)
    seen: list[int] = []
    worker = threading.Thread(target=work_until, args=(pk,))
    worker.start()
    while worker.is_alive():
        seen.append(Job.objects.get(pk=pk).progress)
        time.sleep(0.05)
    worker.join()
    job = Job.objects.get(pk=pk)
    assert job.status == "done" and job.progress == 100
    assert seen == sorted(seen)  # never falls back
    assert len({p for p in seen if 0 < p < 100}) >= 2, seen  # seen rising, not only at the end


def _worker(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("keten")), "server", "worker", *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_job_survives_a_worker_restart(live: Server) -> None:
    from keten.server.jobs.models import Job

    work_until(_enqueue())  # the queue empty but for the job below (older ones ran)
    pk = _enqueue(years=5, runs=500)
    first = _worker(live.env, "--poll-seconds", "0.1")
    try:
        deadline = time.monotonic() + 120
        while Job.objects.get(pk=pk).progress < 10:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)  # no word to the queue: a crash
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    stranded = Job.objects.get(pk=pk)
    assert stranded.status == "running" and stranded.attempts == 1
    second = _worker(live.env, "--once")
    assert second.wait(180) == 0
    job = Job.objects.get(pk=pk)
    assert job.status == "done" and job.attempts == 2 and job.progress == 100
    assert job.result is not None and job.result["runs"] == 500


def test_a_stopped_worker_puts_its_job_back(live: Server) -> None:
    """SIGTERM (a deployment stopping the service) is not a crash: the worker queues its job
    again before it exits, and the next worker does it."""
    from keten.server.jobs.models import Job

    work_until(_enqueue())  # the queue empty but for the job below
    pk = _enqueue(years=5, runs=500)
    first = _worker(live.env, "--poll-seconds", "0.1")
    try:
        deadline = time.monotonic() + 120
        while Job.objects.get(pk=pk).progress < 10:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        first.terminate()
        assert first.wait(30) == 0
    finally:
        if first.poll() is None:
            first.kill()
    back = Job.objects.get(pk=pk)
    assert back.status == "queued" and back.worker == "" and "queued again" in back.message
    job = work_until(pk)
    assert job.status == "done" and job.attempts == 2
