"""Benchmark: the chain dossier server on 1 million persons and 2 million procedures.

    scripts/postgres start          # prints the export line; eval it
    .venv/bin/python benchmarks/server.py [--persons 1000000 --procedures 2000000]

1. Generates the synthetic chain (``keten.chain.sample``) in two processes and derives every
   procedure's cache columns with the library (``keten.chain.summary``), then bulk-loads
   PostgreSQL with COPY into a fresh database ``keten_bench``.
2. Starts the real server (Granian, ``keten server run``) on loopback.
3. Measures p50/p95 under 50 concurrent closed-loop clients (keep-alive connections, no think
   time) of the work-queue page (``GET /api/v1/queue``, IND decision team, random page 1-20)
   and of a dossier read (``GET /api/v1/persons/{id}/dossier``, random person), every request
   audited; then DTenV's queue (every row checked against its grants), and both queues'
   pages 1-20 reached by their next links (by position) instead of by number.
4. Baseline in the same run: the same server and queries with the indexes that carry them
   dropped (the naive unindexed path: sequential scans and sorts under the same
   authorisation), so the result is a ratio. Indexes are restored afterwards.

The clients are wrk (Debian's package ``wrk``) when it is installed, else Python clients in
five processes. Both share the machine with the server; wrk uses a tenth of the CPU per
request that the Python clients do, and the report gives each kind's share.

The VM this was written on varies by up to 30 % in speed from minute to minute, so the
phases run in ``--repeat`` rounds, interleaved (queue, dossier, ..., then again), and the
report gives each figure's median over the rounds with its range.

``--durable`` measures with PostgreSQL's fsync and synchronous commit on (the test cluster of
``scripts/postgres`` runs without them): every audited read then waits for its audit record to
reach the disk, as it would in service. The settings are put back afterwards.

Prints a Markdown block for docs/benchmarks.md. Bounded: a fixed number of requests per phase
(Python clients) or a fixed duration (wrk).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import multiprocessing
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

OFFSET = 10_000_000  # id space per generator process
CLIENT_PROCESSES = 5


def _tsv(value: Any) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _row(*values: Any) -> str:
    return "\t".join(_tsv(v) for v in values) + "\n"


def _bsn(gid: int) -> str | None:
    digits = f"{10_000_000 + gid:08d}"[-8:]
    total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
    check = total % 11
    return digits + str(check) if check < 10 else None


def _running_grant(
    grants: set[tuple[int, str]],
    person: int,
    resource: str,
    kind: str,
    municipality: str | None,
    end: date | None,
    on: date,
) -> None:
    """policy.yaml's grant for a record still running on ``on``, as the server writes them
    (``keten.server.sample_load``)."""
    from keten.server.services.access import running_grant

    basis = running_grant(resource, kind, municipality, end, on)
    if basis is not None:
        grants.add((person, basis[0]))


def generate_part(args: tuple[int, int, int, str, str]) -> dict[str, int]:
    """One generator process: its share of persons, written as COPY files."""
    part, persons, procedures, on_iso, out_dir = args
    # access.running_grant sits in a service module that imports the audit log's models.
    from keten.server.setup import django_setup

    django_setup()
    from keten.catalog.loader import load_catalog
    from keten.chain.identity import PartialDate
    from keten.chain.priority import pact_priority
    from keten.chain.sample import generate_chain
    from keten.chain.summary import summarize
    from keten.server.services.policy import queue_of

    on = date.fromisoformat(on_iso)
    catalog = load_catalog()
    now = datetime.now(UTC).isoformat()
    rec = ("keten-sample", "keten", "generator", now, "synthetic sample data")
    files = {
        name: (Path(out_dir) / f"{name}.{part}.tsv").open("w", encoding="utf-8")
        for name in (
            "person",
            "familylink",
            "procedure",
            "procedureevent",
            "decision",
            "measure",
            "placement",
            "residencedocument",
            "handover",
            "accessgrant",
        )
    }
    base = part * OFFSET
    event_id = base
    counts = {"persons": 0, "procedures": 0, "events": 0}
    births: dict[int, PartialDate] = {}
    unaccompanied: dict[int, bool] = {}
    family: dict[int, set[int]] = {}
    for hh in generate_chain(persons, on, seed=part + 1, procedures=procedures):
        for p in hh.persons:
            gid = base + p.key
            births[p.key] = p.birth_date
            unaccompanied[p.key] = p.unaccompanied_minor
            files["person"].write(
                _row(
                    gid,
                    f"{2000000000 + gid:010d}"[-10:],
                    p.given_names,
                    p.surname,
                    p.sex,
                    str(p.birth_date),
                    p.nationality,
                    _bsn(gid) if p.bsn else None,
                    p.unaccompanied_minor,
                    p.abroad,
                    1,
                    now,
                )
            )
            counts["persons"] += 1
        for link in hh.links:
            family.setdefault(link.a, set()).add(link.b)
            family.setdefault(link.b, set()).add(link.a)
            files["familylink"].write(_row(base + link.a, base + link.b, link.relation, *rec))
        grants: set[tuple[int, str]] = set()
        for m in hh.measures:
            files["measure"].write(_row(base + m.person, m.kind, m.start, m.end, "", *rec))
            _running_grant(grants, m.person, "measure", m.kind, None, m.end, on)
        for pl in hh.placements:
            files["placement"].write(
                _row(
                    base + pl.person, pl.kind, pl.location, pl.start, pl.end, pl.municipality, *rec
                )
            )
            _running_grant(grants, pl.person, "placement", pl.kind, pl.municipality, pl.end, on)
        for d in hh.documents:
            files["residencedocument"].write(
                _row(base + d.person, d.kind, d.number, d.issued, d.valid_until, *rec)
            )
        for h in hh.handovers:
            files["handover"].write(
                _row(base + h.person, h.kind, h.from_org, h.to_org, h.day, h.note, *rec)
            )
            grants.add((h.person, h.to_org))
        for person, org in grants:
            files["accessgrant"].write(_row(base + person, org, "sample", on))
        for sp in hh.procedures:
            pid = base + sp.key
            pt = catalog[sp.procedure_type]
            s = summarize(pt, sp.events, sp.facts)
            queue, team = queue_of(sp.procedure_type)
            prio = 2
            if sp.person is not None and s.started_on is not None and sp.person in births:
                prio = int(
                    pact_priority(
                        births[sp.person],
                        unaccompanied[sp.person],
                        [births[k] for k in family.get(sp.person, ()) if k in births],
                        s.started_on,
                    )
                )
            files["procedure"].write(
                _row(
                    pid,
                    base + sp.person if sp.person is not None else None,
                    sp.procedure_type,
                    sp.facts,
                    sp.municipality,
                    sp.subject,
                    1,
                    now,
                    queue,
                    team,
                    prio,
                    s.deadline_id,
                    s.due,
                    s.status,
                    s.closed_on,
                    s.regime,
                    s.started_on,
                    s.dwangsom_first_day,
                    s.dwangsom_last_day,
                    s.stage,
                )
            )
            counts["procedures"] += 1
            for e in sp.events:
                event_id += 1
                files["procedureevent"].write(
                    _row(event_id, pid, e.kind, e.day, dict(e.data), *rec)
                )
                counts["events"] += 1
                if sp.decision is not None and e.kind == "decided" and e.day == sp.decision.day:
                    files["decision"].write(
                        _row(
                            pid,
                            event_id,
                            sp.decision.outcome,
                            sp.decision.grounds,
                            sp.decision.day,
                            [],
                            *rec,
                        )
                    )
    for f in files.values():
        f.close()
    return counts


REC = "recorded_by, recorded_org, recorded_role, recorded_at, reason"
COLUMNS = {
    "person": "id, v_number, given_names, surname, sex, birth_date, nationality, bsn, "
    "unaccompanied_minor, abroad, version, created_at",
    "familylink": f"parent_or_partner_id, other_id, relation, {REC}",
    "procedure": "id, person_id, procedure_type, facts, municipality, subject, version, "
    "created_at, queue, team, priority, deadline_id, due, status, closed_on, regime, "
    "started_on, dwangsom_first_day, dwangsom_last_day, stage",
    "procedureevent": f"id, procedure_id, kind, day, data, {REC}",
    "decision": f"procedure_id, event_id, outcome, grounds, decided_on, rule_trail, {REC}",
    "measure": f'person_id, kind, start, "end", legal_basis, {REC}',
    "placement": f'person_id, kind, location, start, "end", municipality, {REC}',
    "residencedocument": f"person_id, kind, number, issued, valid_until, {REC}",
    "handover": f"person_id, kind, from_org_id, to_org_id, day, note, {REC}",
    "accessgrant": "person_id, organisation_id, reason, since",
}


def load(url: str, out_dir: Path, parts: int) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for table, columns in COLUMNS.items():
            started = time.perf_counter()
            for part in range(parts):
                path = out_dir / f"{table}.{part}.tsv"
                with (
                    conn.cursor() as cur,
                    cur.copy(f"COPY dossiers_{table} ({columns}) FROM STDIN") as copy,
                    path.open("rb") as fh,
                ):
                    while chunk := fh.read(1 << 20):
                        copy.write(chunk)
            print(f"  COPY {table}: {time.perf_counter() - started:.0f} s", flush=True)
        for table in (
            "person",
            "familylink",
            "procedure",
            "procedureevent",
            "decision",
            "measure",
            "placement",
            "residencedocument",
            "handover",
            "accessgrant",
        ):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('dossiers_{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM dossiers_{table}))"
            )
        # The generator computed every cache column with this code (keten.chain.summary), so
        # the database records that, as a fresh sample does; else the next setup recomputes
        # all two million procedures to find nothing to change.
        from keten.server.setup import django_setup

        django_setup()
        from keten.server.services.cache_refresh import STATE_NAME, cache_fingerprint

        conn.execute(
            "INSERT INTO dossiers_cachestate (name, fingerprint, recorded_at) "
            "VALUES (%s, %s, now())",
            (STATE_NAME, cache_fingerprint()),
        )
        conn.execute("VACUUM ANALYZE")


class Client:
    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        self.conn.request("GET", path, headers=self.headers)
        resp = self.conn.getresponse()
        resp.read()
        return resp.status, time.perf_counter() - started

    def json(self, path: str) -> Any:
        self.conn.request("GET", path, headers=self.headers)
        resp = self.conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"GET {path}: {resp.status} {body[:200]!r}")
        return json.loads(body)


def next_links(port: int, token: str, pages: int) -> list[str]:
    """The paths of the queue's first ``pages`` pages as a client paging on gets them: the
    first, then each page's next link (by position)."""
    client = Client(port, token)
    paths = ["/api/v1/queue"]
    while len(paths) < pages:
        link = client.json(paths[-1])["next"]
        if not link:
            break
        paths.append(link)
    return paths


def _client_process(args: tuple[int, str, list[str], int, float]) -> dict[str, Any]:
    """One load-generator process: ``threads`` closed-loop clients sharing ``paths``."""
    port, token, paths, threads, start_at = args
    lock = threading.Lock()
    queue = list(paths)
    times: list[float] = []
    errors: list[int] = []

    def worker() -> None:
        client = Client(port, token)
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            status, took = client.get(path)
            with lock:
                times.append(took)
                if status != 200:
                    errors.append(status)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    time.sleep(max(0.0, start_at - time.time()))
    started = time.time()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return {"times": times, "errors": errors, "started": started, "ended": time.time()}


def cpu_seconds(roots: dict[str, int]) -> dict[str, float]:
    """CPU time used so far by the process trees under ``roots`` (by kind: the server's
    Granian process and its workers, PostgreSQL's postmaster and its backends) and by this
    script's finished children (the load generator), from /proc (Linux).

    Only these trees count: other servers and clusters on a shared machine do not, and a
    process that ended counts through its parent (the children's times in its ``stat``)."""
    tick = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    used: dict[int, float] = {}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parent[pid] = int(fields[1])
        used[pid] = sum(int(f) for f in fields[11:15]) / tick  # utime stime cutime cstime
    kind_of = {pid: kind for kind, pid in roots.items()}
    out = dict.fromkeys(roots, 0.0)
    for pid, seconds in used.items():
        ancestor, hops = pid, 0
        while ancestor not in kind_of and ancestor in parent and hops < 64:
            ancestor, hops = parent[ancestor], hops + 1
        if ancestor in kind_of:
            out[kind_of[ancestor]] += seconds
    mine = os.times()
    out["load generator"] = mine.children_user + mine.children_system
    return out


def postmaster_pid(url: str) -> int:
    """The process id of the PostgreSQL server behind ``url``: the checkpointer's parent."""
    import psycopg

    with psycopg.connect(url) as conn:
        pid = _value(conn, "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def run_load(
    port: int, token: str, paths: list[str], clients: int, roots: dict[str, int]
) -> dict[str, float]:
    """``clients`` closed-loop clients (keep-alive connections, no think time) spread over up
    to five processes, so that one interpreter's lock does not serialise the load generator
    and add its own queueing to the measured times; every request must answer 200."""
    procs = min(clients, CLIENT_PROCESSES)
    share = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    chunks = [paths[i::procs] for i in range(procs)]
    start_at = time.time() + 1.0
    cpu_before = cpu_seconds(roots)
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        parts = pool.map(
            _client_process,
            [(port, token, chunks[i], share[i], start_at) for i in range(procs)],
        )
    used = {k: v - cpu_before[k] for k, v in cpu_seconds(roots).items()}
    errors = [e for p in parts for e in p["errors"]]
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed, e.g. status {errors[0]}")
    times = sorted(t for p in parts for t in p["times"])
    wall = max(p["ended"] for p in parts) - min(p["started"] for p in parts)
    return {
        "n": len(times),
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95) - 1] * 1000,
        "rps": len(times) / wall,
        # CPU milliseconds per request, by process kind: where the two cores went
        **{f"cpu_ms_{k.replace(' ', '_')}": v / len(times) * 1000 for k, v in used.items()},
    }


WRK_SCRIPT = REPO / "benchmarks" / "wrk_paths.lua"


def run_wrk(
    port: int, token: str, paths: list[str], clients: int, seconds: float, roots: dict[str, int]
) -> dict[str, float]:
    """``clients`` closed-loop connections from wrk for ``seconds``, over ``paths`` in turn;
    every request must answer 200."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("\n".join(paths) + "\n")
        listing.flush()
        cpu_before = cpu_seconds(roots)
        done = subprocess.run(
            [
                "wrk",
                "-c", str(clients),
                "-t", str(min(clients, 2)),
                "-d", f"{max(1, round(seconds))}s",  # whole seconds only
                "--timeout", "60s",
                "-s", str(WRK_SCRIPT),
                f"http://127.0.0.1:{port}",
                "--", listing.name, token,
            ],
            check=True,
            capture_output=True,
            text=True,
        )  # fmt: skip
    used = {k: v - cpu_before[k] for k, v in cpu_seconds(roots).items()}
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    failed = sum(summary[k] for k in summary if k.endswith(("_errors", "timeouts")))
    if failed:
        raise RuntimeError(f"{failed} of {summary['requests']} requests failed: {summary}")
    n = summary["requests"]
    return {
        "n": n,
        "p50_ms": summary["p50_us"] / 1000,
        "p95_ms": summary["p95_us"] / 1000,
        "p99_ms": summary["p99_us"] / 1000,
        "rps": n / (summary["duration_us"] / 1e6),
        **{f"cpu_ms_{k.replace(' ', '_')}": v / n * 1000 for k, v in used.items()},
    }


def summarize_rounds(runs: list[dict[str, float]]) -> dict[str, Any]:
    """Each figure's median over the rounds, its range, and the rounds themselves."""
    out: dict[str, Any] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    out["range"] = {k: [min(r[k] for r in runs), max(r[k] for r in runs)] for k in runs[0]}
    out["rounds"] = runs
    return out


def _spread(r: dict[str, Any], key: str) -> str:
    """``152`` for one round, ``152 (138-170)`` for several: the median and the range."""
    low, high = r["range"][key]
    if len(r["rounds"]) == 1:
        return f"{r[key]:.0f}"
    return f"{r[key]:.0f} ({low:.0f}-{high:.0f})"


DURABLE = {"fsync": "on", "synchronous_commit": "on"}


def _value(conn: psycopg.Connection[Any], sql: str) -> Any:
    """The one value a one-row statement returns (``SHOW``, ``count(*)``)."""
    row = conn.execute(sql).fetchone()
    assert row is not None, sql
    return row[0]


def set_durability(url: str, settings: dict[str, str] | None) -> dict[str, str]:
    """Put ``settings`` in force cluster-wide (None: reset them); returns what was in force."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        before = {name: str(_value(conn, f"SHOW {name}")) for name in DURABLE}
        for name in DURABLE:
            if settings is None:
                conn.execute(f"ALTER SYSTEM RESET {name}")
            else:
                conn.execute(f"ALTER SYSTEM SET {name} = '{settings[name]}'")
        conn.execute("SELECT pg_reload_conf()")
    return before


def dashboard_times(port: int, tokens: dict[str, str], n: int = 5) -> dict[str, float]:
    """Median ms of ``GET /api/v1/dashboard`` (aggregates over every procedure in scope), one
    client, after one warm-up request, per role."""
    out = {}
    for who, token in tokens.items():
        client = Client(port, token)
        client.get("/api/v1/dashboard")
        out[who] = statistics.median(client.get("/api/v1/dashboard")[1] for _ in range(n)) * 1000
    return out


# A granted role's procedures counted per type and status, as a join through the person and
# its grants (what the ORM wrote for ``scope.procedures`` before) and as a semi-join (now).
SCOPE_FORMS = {
    "join": (
        "SELECT p.procedure_type, p.status, count(*) FROM dossiers_procedure p "
        "LEFT JOIN dossiers_person r ON r.id = p.person_id "
        "LEFT JOIN dossiers_accessgrant g ON g.person_id = r.id "
        "WHERE g.organisation_id = %(org)s OR (p.person_id IS NULL AND p.municipality = %(org)s) "
        "GROUP BY 1, 2"
    ),
    "semi-join": (
        "SELECT procedure_type, status, count(*) FROM dossiers_procedure "
        "WHERE person_id IN (SELECT person_id FROM dossiers_accessgrant "
        "WHERE organisation_id = %(org)s) "
        "OR (person_id IS NULL AND municipality = %(org)s) GROUP BY 1, 2"
    ),
}


def scope_form_times(url: str, organisation: str, n: int = 3) -> dict[str, float]:
    """Median ms of each form of :data:`SCOPE_FORMS`, alternating, after one warm-up each;
    both must count the same."""
    import psycopg

    times: dict[str, list[float]] = {form: [] for form in SCOPE_FORMS}
    answers = {}
    with psycopg.connect(url) as conn:
        for form, sql in SCOPE_FORMS.items():
            answers[form] = sorted(conn.execute(sql, {"org": organisation}).fetchall())
        if answers["join"] != answers["semi-join"]:
            raise RuntimeError("the two forms of the granted scope count differently")
        for _ in range(n):
            for form, sql in SCOPE_FORMS.items():
                started = time.perf_counter()
                conn.execute(sql, {"org": organisation}).fetchall()
                times[form].append((time.perf_counter() - started) * 1000)
    return {form: statistics.median(t) for form, t in times.items()}


BASELINE_DROP = {
    "queue": ["queue_team_order", "queue_order"],
    "dossier": [
        "dossiers_procedure_person_id_%",
        "dossiers_pr_procedu_ae62fc_idx",
        "dossiers_procedureevent_procedure_id_%",
    ],
}


def drop_indexes(url: str, names: list[str]) -> list[str]:
    """Drop the named indexes (LIKE patterns allowed); return their definitions to restore."""
    import psycopg

    restored = []
    with psycopg.connect(url, autocommit=True) as conn:
        for name in names:
            rows = conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", (name,)
            ).fetchall()
            for index, definition in rows:
                conn.execute(f'DROP INDEX "{index}"')
                restored.append(definition)
    return restored


def restore_indexes(url: str, definitions: list[str]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for definition in definitions:
            conn.execute(definition)
        conn.execute("ANALYZE dossiers_procedure")
        conn.execute("ANALYZE dossiers_procedureevent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--procedures", type=int, default=2_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="per measured phase")
    parser.add_argument("--baseline-requests", type=int, default=100)
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the unindexed baseline (iterating)"
    )
    parser.add_argument("--keep", action="store_true", help="reuse a loaded keten_bench")
    parser.add_argument(
        "--clients-from",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator (default: wrk when installed)",
    )
    parser.add_argument("--seconds", type=float, default=20, help="per measured phase (wrk)")
    parser.add_argument("--server-workers", type=int, default=2, help="Granian processes")
    parser.add_argument("--server-threads", type=int, default=2, help="threads per process")
    parser.add_argument(
        "--server-connections",
        type=int,
        default=None,
        help="most connections per process (default: clients / processes; 0: Granian's)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of the measured phases, interleaved"
    )
    parser.add_argument(
        "--durable",
        action="store_true",
        help="measure with fsync and synchronous commit on (restored afterwards)",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat: must be at least 1")
    base_url = os.environ.get("KETEN_DATABASE_URL")
    if not base_url:
        sys.exit('KETEN_DATABASE_URL is not set: eval "$(scripts/postgres start)" first')
    import psycopg

    parsed = urllib.parse.urlparse(base_url)
    url = parsed._replace(path="/keten_bench").geturl()
    env = {**os.environ, "KETEN_DATABASE_URL": url}
    keten = str(Path(sys.executable).with_name("keten"))
    out_dir = REPO / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    on = date.today()
    if not args.keep:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS keten_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE keten_bench")
        subprocess.run([keten, "server", "setup", "--persons", "0"], env=env, check=True)
        started = time.perf_counter()
        parts = 2
        with multiprocessing.get_context("fork").Pool(parts) as pool:
            counts = pool.map(
                generate_part,
                [
                    (
                        i,
                        args.persons // parts,
                        args.procedures // parts,
                        on.isoformat(),
                        str(out_dir),
                    )
                    for i in range(parts)
                ],
            )
        total = {k: sum(c[k] for c in counts) for k in counts[0]}
        gen_s = time.perf_counter() - started
        print(f"generated and derived {total} in {gen_s:.0f} s", flush=True)
        started = time.perf_counter()
        load(url, out_dir, parts)
        load_s = time.perf_counter() - started
        print(f"loaded with COPY in {load_s:.0f} s", flush=True)
        for f in out_dir.glob("*.tsv"):
            f.unlink()
    else:  # bring a kept database to the current schema (idempotent: adds no persons)
        subprocess.run([keten, "server", "setup", "--persons", "0"], env=env, check=True)
    with psycopg.connect(url) as conn:
        n_persons = _value(conn, "SELECT count(*) FROM dossiers_person")
        n_procs = _value(conn, "SELECT count(*) FROM dossiers_procedure")
        n_open = _value(
            conn,
            "SELECT count(*) FROM dossiers_procedure WHERE queue='ind' AND "
            "team='beslissen' AND status IN ('open','suspended',"
            "'not_started')",
        )
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM dossiers_person ORDER BY random() LIMIT 5000"
            ).fetchall()
        ]
    token, dtenv_token = subprocess.run(
        [
            sys.executable,
            "-c",
            "from keten.server.setup import django_setup; django_setup();"
            "from rest_framework.authtoken.models import Token;"
            "print(Token.objects.get(user__username='ind').key);"
            "print(Token.objects.get(user__username='dtenv').key)",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    port = 18765
    # Each process holds an equal share of the clients' connections (keten server run
    # --connections-per-worker): left to the kernel, 50 split 30/20 over two processes.
    connections = args.server_connections
    if connections is None:
        connections = -(-args.clients // args.server_workers)
    if args.durable:
        set_durability(base_url, DURABLE)
    server = subprocess.Popen(
        [
            *(keten, "server", "run", "--port", str(port)),
            *("--workers", str(args.server_workers), "--threads", str(args.server_threads)),
            *("--connections-per-worker", str(connections)),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                Client(port, token).get("/api/v1/me")
                break
            except OSError:
                time.sleep(0.5)
        # Whose CPU counts: this server's process tree and this cluster's (keten server run
        # execs Granian, so the child's pid is Granian's main process).
        roots = {"server": server.pid, "postgres": postmaster_pid(url)}
        rng = random.Random(0)

        def queue_paths(n: int) -> list[str]:
            return [f"/api/v1/queue?page={rng.randint(1, 20)}" for _ in range(n)]

        linked = {who: next_links(port, who, 20) for who in (token, dtenv_token)}

        def next_paths(who: str, n: int) -> list[str]:
            return [rng.choice(linked[who]) for _ in range(n)]

        def dossier_paths(n: int) -> list[str]:
            return [f"/api/v1/persons/{rng.choice(ids)}/dossier" for _ in range(n)]

        def measure(
            who: str, paths: list[str], clients: int, share: float = 1.0
        ) -> dict[str, float]:
            if args.clients_from == "wrk":
                return run_wrk(port, who, paths, clients, args.seconds * share, roots)
            return run_load(port, who, paths, clients, roots)

        measure(token, queue_paths(200) + dossier_paths(200), args.clients, 0.25)  # warm-up
        phases: dict[str, Callable[[], dict[str, float]]] = {
            "queue": lambda: measure(token, queue_paths(args.requests), args.clients),
            "dossier": lambda: measure(token, dossier_paths(args.requests), args.clients),
            # One client: the service time of a request with no queueing in front of it.
            "queue_1": lambda: measure(token, queue_paths(300), 1, 0.5),
            "dossier_1": lambda: measure(token, dossier_paths(300), 1, 0.5),
            # A role scoped to the persons handed over to it: DTenV's queue, every row checked
            # against its grants (fine-grained authorisation on a list view).
            "queue_granted": lambda: measure(dtenv_token, queue_paths(args.requests), args.clients),
            "queue_granted_1": lambda: measure(dtenv_token, queue_paths(300), 1, 0.5),
            # The same pages 1-20 reached by the next links (paging by position): a page
            # starts where the previous one ended instead of counting rows off from the top.
            "queue_next": lambda: measure(token, next_paths(token, args.requests), args.clients),
            "queue_granted_next": lambda: measure(
                dtenv_token, next_paths(dtenv_token, args.requests), args.clients
            ),
        }
        rounds: dict[str, list[dict[str, float]]] = {name: [] for name in phases}
        for _ in range(args.repeat):
            for name, phase in phases.items():
                rounds[name].append(phase())
        results = {name: summarize_rounds(runs) for name, runs in rounds.items()}
        dashboards = dashboard_times(port, {"IND": token, "DTenV": dtenv_token})
        scope_forms = scope_form_times(url, "DTenV")
        baseline = {}
        for name, make in (("queue", queue_paths), ("dossier", dossier_paths)):
            if args.no_baseline:
                continue
            definitions = drop_indexes(url, BASELINE_DROP[name])
            try:
                # Unindexed, a phase of the usual length would take hours: a fixed count.
                baseline[name] = run_load(
                    port, token, make(args.baseline_requests), args.clients, roots
                )
            finally:
                restore_indexes(url, definitions)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if args.durable:
            set_durability(base_url, None)
    report = {
        "date": on.isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL (scripts/postgres)",
        "clients_from": args.clients_from,
        "server": {
            "workers": args.server_workers,
            "threads": args.server_threads,
            "connections_per_worker": connections,
        },
        "rounds": args.repeat,
        "durable": args.durable,
        "persons": n_persons,
        "procedures": n_procs,
        "open_in_queue": n_open,
        "results": results,
        "dashboard_ms": dashboards,
        "granted_scope_count_ms": scope_forms,
        "baseline": baseline,
    }
    print(json.dumps(report, indent=2))
    (REPO / "var" / "bench-server.json").write_text(json.dumps(report, indent=2))
    out = io.StringIO()
    for name, target in (("queue", 150), ("dossier", 100)):
        r, one = results[name], results[f"{name}_1"]
        b = baseline.get(name)
        base = (
            f"{b['p50_ms']:.0f} | {b['p95_ms']:.0f} | {b['p95_ms'] / r['p95_ms']:.0f}x"
            if b
            else "– | – | –"
        )
        out.write(
            f"| {name} | {_spread(r, 'p50_ms')} | {_spread(r, 'p95_ms')} | {target} | "
            f"{_spread(r, 'rps')} | {one['p50_ms']:.0f} / {one['p95_ms']:.0f} | {base} |\n"
        )
    r, one = results["queue_granted"], results["queue_granted_1"]
    out.write(
        f"| queue (DTenV, granted scope) | {_spread(r, 'p50_ms')} | {_spread(r, 'p95_ms')} | "
        f"150 | {_spread(r, 'rps')} | {one['p50_ms']:.0f} / {one['p95_ms']:.0f} | – | – | – |\n"
    )
    for name, label in (
        ("queue_next", "queue, pages by next link"),
        ("queue_granted_next", "queue (DTenV), pages by next link"),
    ):
        r = results[name]
        out.write(
            f"| {label} | {_spread(r, 'p50_ms')} | {_spread(r, 'p95_ms')} | 150 | "
            f"{_spread(r, 'rps')} | – | – | – | – |\n"
        )
    out.write(
        f"\n{args.repeat} round(s), median (range); "
        f"{'fsync and synchronous commit on' if args.durable else 'the test cluster (fsync off)'}"
        "\nCPU per request under 50 clients (ms, median): server / PostgreSQL / load generator\n"
    )
    for name in ("queue", "dossier", "queue_granted", "queue_next", "queue_granted_next"):
        r = results[name]
        out.write(
            f"| {name} | {r['cpu_ms_server']:.1f} | {r['cpu_ms_postgres']:.1f} | "
            f"{r['cpu_ms_load_generator']:.1f} |\n"
        )
    out.write(
        "\nChain dashboard, one client, median ms: "
        + ", ".join(f"{who} {ms:.0f}" for who, ms in dashboards.items())
        + f"\nDTenV's procedures per type and status: as a join {scope_forms['join']:.0f} ms, "
        f"as a semi-join {scope_forms['semi-join']:.0f} ms "
        f"({scope_forms['join'] / scope_forms['semi-join']:.1f}x)\n"
    )
    print(out.getvalue())


if __name__ == "__main__":
    main()
