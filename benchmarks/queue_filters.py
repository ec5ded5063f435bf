"""Benchmark: a page of the filtered work queue (issue 16), against the same query without the
queue's indexes, in one run.

    scripts/postgres start          # prints the export line; eval it
    KETEN_DATABASE_URL=.../keten_bench .venv/bin/python benchmarks/queue_filters.py

On a database that ``keten server setup --persons N`` or ``benchmarks/server.py`` filled, for
the IND decision team's queue: first ``--assigned`` of its open cases are assigned to the demo
account ``ind-collega`` (straight into the assignment cache, as ``services/assignments.py``
would, and removed afterwards), then each filter's first page (fifty rows and one more, the SQL
``services/queues.py`` prepares) is run ``--runs`` times as the service runs it, and again with
index scans turned off (the naive path: a scan of the procedures and a sort), in alternation.
Prints p50 and p95 of both and their ratio, and the plan's top nodes, as a Markdown block for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from typing import Any


def _setup() -> None:
    from keten.server.setup import django_setup

    django_setup()


FILTERS: dict[str, dict[str, str]] = {
    "none": {},
    "procedure_type=asylum_first": {"procedure_type": "asylum_first"},
    "overdue=1": {"overdue": "1"},
    "asylum_first, overdue": {"procedure_type": "asylum_first", "overdue": "1"},
    "days_left=7": {"days_left": "7"},
    "priority=pact": {"priority": "pact"},
    "stage=lodged": {"stage": "lodged"},
    "dwangsom=running": {"dwangsom": "running"},
    "unassigned=1": {"unassigned": "1"},
    "mine=1": {"mine": "1"},
}

NAIVE = ("indexscan", "indexonlyscan", "bitmapscan")


def _time(sql: str, params: list[Any], naive: bool) -> float:
    """One run in milliseconds: as the service runs it (prepared, one generic plan), or the
    naive way (planned afresh with index scans turned off: a scan and a sort)."""
    from django.db import connection

    from keten.server.services.sql import fetch_all

    if not naive:
        start = time.perf_counter()
        fetch_all(sql, params)
        return (time.perf_counter() - start) * 1000
    with connection.cursor() as cur:
        for method in NAIVE:
            cur.execute(f"SET enable_{method} = off")
        start = time.perf_counter()
        cur.execute(sql, params)
        cur.fetchall()
        took = (time.perf_counter() - start) * 1000
        for method in NAIVE:
            cur.execute(f"RESET enable_{method}")
    return took


def _plan(sql: str, params: list[Any]) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        lines = [row[0].strip() for row in cur.fetchall()]
    scans = [line.split("  (")[0] for line in lines if "Scan" in line or "Sort" in line]
    return "; ".join(dict.fromkeys(s.lstrip("-> ") for s in scans))


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--assigned", type=int, default=200)
    args = parser.parse_args()
    _setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from keten.server.dossiers.models import Procedure
    from keten.server.services.actor import actor_for
    from keten.server.services.queue_filters import conditions, parse
    from keten.server.services.queues import OPEN, _page_sql, _selection
    from keten.server.services.sql import fetch_all
    from keten.server.workqueue.models import CurrentAssignment

    assert connection.vendor == "postgresql", "set KETEN_DATABASE_URL"
    ind = actor_for(User.objects.select_related("membership__organisation").get(username="ind"))
    queue = Procedure.objects.filter(queue="ind", team="beslissen", status__in=OPEN)
    picked = list(queue.order_by("?").values_list("pk", flat=True)[: args.assigned])
    existing = set(CurrentAssignment.objects.values_list("procedure_id", flat=True))
    made = [pid for pid in picked if pid not in existing]
    now = timezone.now()
    CurrentAssignment.objects.bulk_create(
        CurrentAssignment(procedure_id=pid, assignee="ind-collega", assigned_at=now) for pid in made
    )
    try:
        with connection.cursor() as cur:
            cur.execute("ANALYZE dossiers_procedure, workqueue_currentassignment")
        print(
            f"IND decision team's queue: {queue.count():,} open cases, "
            f"{len(made)} assigned to ind-collega; {args.runs} runs each, alternating.\n"
        )
        print(
            "| filter | rows | p50 ms | p95 ms | naive p50 ms | naive p95 ms | ratio (p50) | plan |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for name, raw in FILTERS.items():
            f = parse(raw)
            sql, params = _page_sql(
                _selection(ind, None), conditions(f, date.today(), "ind-collega"), 51, 0
            )
            fast: list[float] = []
            slow: list[float] = []
            for _ in range(args.runs):
                fast.append(_time(sql, params, naive=False))
                slow.append(_time(sql, params, naive=True))
            rows = len(fetch_all(sql, params))
            p50, p95 = statistics.median(fast), _p(fast, 0.95)
            n50, n95 = statistics.median(slow), _p(slow, 0.95)
            print(
                f"| {name} | {rows} | {p50:.1f} | {p95:.1f} | {n50:.1f} | {n95:.1f} | "
                f"{n50 / p50:.1f} | {_plan(sql, params)} |"
            )
    finally:
        CurrentAssignment.objects.filter(procedure_id__in=made).delete()


if __name__ == "__main__":
    main()
