"""Benchmark: finding a person by a misspelt name over the 1M-person database (issue 16).

    eval "$(KETEN_PG_PORT=54329 scripts/postgres start)"   # the cluster holding keten_bench
    .venv/bin/python benchmarks/search.py [--queries 200]

Measured: ``services/person_search.search`` as the API and the page call it (an IND case
worker, scope all, first page of 25, the audit record written), for a full name whose first
given name is misspelt: one vowel changed ("Omar Rahimi" → "Omer Rahimi"-like), drawn from
persons of ``keten_bench`` with a fixed seed. Baseline in the same run, query by query and in
alternating order: a plain ``ILIKE '%<query>%'`` over given names and surname, the scan a
search box without an index does (it finds nobody for a misspelt name, so it reads the whole
table: that is the point). Both on the same warmed database, one client. Prints p50/p95 of
both, their ratio, and how many persons each found, as a Markdown block for
docs/benchmarks.md.

The database must be at dossiers 0010 (``keten server setup --persons 0`` brings a kept
``keten_bench`` there; the migration backfills the search keys).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import urllib.parse
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VOWELS = "aeiou"


def _misspell(name: str, rng: random.Random) -> str:
    """One vowel after the first letter replaced by another: the slip a listener makes."""
    spots = [i for i, ch in enumerate(name) if i > 0 and ch.lower() in VOWELS]
    if not spots:
        return name
    i = rng.choice(spots)
    other = rng.choice([v for v in VOWELS if v != name[i].lower()])
    return name[:i] + other + name[i + 1 :]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    base_url = os.environ.get("KETEN_DATABASE_URL")
    if not base_url:
        sys.exit('KETEN_DATABASE_URL is not set: eval "$(scripts/postgres start)" first')
    url = urllib.parse.urlparse(base_url)._replace(path="/keten_bench").geturl()
    os.environ["KETEN_DATABASE_URL"] = url
    sys.path.insert(0, str(REPO))
    from keten.server.setup import django_setup

    django_setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from keten.server.services import person_search
    from keten.server.services.actor import actor_for

    actor = actor_for(User.objects.get(username="ind"))
    rng = random.Random(args.seed)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM dossiers_person")
        (n_persons,) = cur.fetchone()
        cur.execute(
            "SELECT given_names, surname FROM dossiers_person TABLESAMPLE SYSTEM (1) "
            "REPEATABLE (%s) LIMIT %s",
            [args.seed, args.queries * 4],
        )
        sample = cur.fetchall()
    queries = []
    for given, surname in sample:
        first = given.split()[0]
        wrong = _misspell(first, rng)
        if wrong != first:
            queries.append(f"{wrong} {surname}")
        if len(queries) == args.queries:
            break

    def ours(q: str) -> tuple[float, int]:
        started = time.perf_counter()
        rows = person_search.search(actor, q=q, page_size=25)["results"]
        return (time.perf_counter() - started) * 1000, len(rows)

    def scan(q: str) -> tuple[float, int]:
        started = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id, v_number, given_names, surname, birth_date, nationality "
                "FROM dossiers_person WHERE (given_names || ' ' || surname) ILIKE %s "
                "ORDER BY surname, id LIMIT 26",
                [f"%{q}%"],
            )
            rows = cur.fetchall()
        return (time.perf_counter() - started) * 1000, len(rows)

    for q in queries[:10]:  # warm both paths' pages and plans
        ours(q)
        scan(q)
    ours_ms: list[float] = []
    scan_ms: list[float] = []
    ours_found = scan_found = 0
    for i, q in enumerate(queries):
        pair = (ours, scan) if i % 2 == 0 else (scan, ours)
        for fn in pair:
            ms, found = fn(q)
            if fn is ours:
                ours_ms.append(ms)
                ours_found += found > 0
            else:
                scan_ms.append(ms)
                scan_found += found > 0
    p50, p95 = _pct(ours_ms, 50), _pct(ours_ms, 95)
    b50, b95 = _pct(scan_ms, 50), _pct(scan_ms, 95)
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        (pg_version,) = cur.fetchone()
    print(f"### Search by a misspelt name ({date.today().isoformat()})\n")
    print(
        f"{n_persons:,} persons; {len(queries)} queries (first given name with one vowel "
        f"changed, then the surname, e.g. `{queries[0]}`), seed {args.seed}; one client; "
        f"{platform.node()}, {os.cpu_count()} CPUs (shared), Python "
        f"{platform.python_version()}, PostgreSQL {pg_version}.\n"
    )
    print("| path | p50 ms | p95 ms | mean ms | queries finding someone |")
    print("|---|---|---|---|---|")
    print(
        f"| `person_search.search` (keys + trigram, audited) | {p50:.1f} | {p95:.1f} | "
        f"{statistics.mean(ours_ms):.1f} | {ours_found} of {len(queries)} |"
    )
    print(
        f"| plain `ILIKE '%…%'` scan | {b50:.1f} | {b95:.1f} | "
        f"{statistics.mean(scan_ms):.1f} | {scan_found} of {len(queries)} |"
    )
    print(f"\nRatio (scan / search): p50 {b50 / p50:.1f}x, p95 {b95 / p95:.1f}x.")
    print(f"Target (issue 16): p95 under 100 ms: {'met' if p95 < 100 else 'NOT met'}; ")
    print(f"at least 20x the scan: {'met' if b95 / p95 >= 20 else 'NOT met'}.")


if __name__ == "__main__":
    main()
