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

5. Open loop (issue 13; ``benchmarks/open_loop.py``): the same two requests sent at a fixed
   rate whatever the server answers (``--open-loop-rate``, default 200 a second, evenly spaced:
   the same schedule in every round and run), one path at a time, then both at half the rate
   each (mixed); latency from each request's *scheduled* send time, so a stalled server shows
   in the latency instead of lowering the rate. Each phase reports p50/p95/p99/max, status and
   socket errors apart, the achieved rate, the generator's own schedule lag and CPU, and the
   CPU per request of the server and of PostgreSQL. The reference in the same run is the same
   phase at a low rate (``--open-loop-low-rate``, default 20 a second: about 5 % of the two
   cores, so hardly a request waits for another and the latency is the service time); the p95
   at the full rate over the p95 at the low rate is the part queueing adds. It is chosen over
   the closed-loop phases as reference because it differs from the measured phase in the rate
   alone: same generator, same requests, latency measured the same way, in the same rounds.
   ``--phases open-loop`` runs only these on a kept database.

6. Occupancy (issue 14; ``benchmarks/occupancy_naive.py``): the COA planner's figures, one
   client, ``GET /api/v1/occupancy`` (every location's figures of the day), the series, the
   allocation of 500 arrivals and the ``/opvang`` page, against a naive peer in the same run
   that counts with a query per location and per figure through the ORM; both must give the
   same figures. A database without locations gets the benchmark's own register first (its
   COA, amv, GGV and detention placements pointed at them). ``--phases occupancy`` runs only
   this on a kept database.

With 50 closed-loop clients latency is about 50 / throughput, so the closed-loop figures are
bound by the CPU per request on the two shared cores; the open-loop figures ask instead what a
given arrival rate waits, which is how a service is loaded.

Prints a Markdown block for docs/benchmarks.md. Bounded: a fixed number of requests per phase
(Python clients) or a fixed duration (wrk, open loop).
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from open_loop import LATE_MS, run_open_loop  # noqa: E402

OFFSET = 10_000_000  # id space per generator process
# Who wrote the generated rows and why, as keten.server.sample_load.SAMPLE records them (not
# imported: the generator processes run without Django).
SAMPLE_RECORDED = ("gegevensmigratie", "keten", "migratie")
SAMPLE_REASON = "overgenomen uit het dossier bij de aansluiting op Keten"
SITE_COUNT = "staying:"  # a part's count of persons staying at a location, by its code


def _site_ids() -> dict[str, int]:
    from keten.chain.sample_locations import SAMPLE_LOCATIONS

    return {loc.code: i for i, loc in enumerate(SAMPLE_LOCATIONS, start=1)}


SITE_IDS = _site_ids()  # the sample's locations numbered as COPY writes them
CLIENT_PROCESSES = 5
CORES = os.cpu_count() or 1  # that server, database and load generator share


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
    from keten.chain.names import name_keys
    from keten.chain.priority import pact_priority
    from keten.chain.sample import generate_chain
    from keten.chain.sample_locations import SAMPLE_LOCATIONS, staying_on
    from keten.chain.summary import summarize
    from keten.server.services.policy import queue_of

    on = date.fromisoformat(on_iso)
    catalog = load_catalog()
    now = datetime.now(UTC).isoformat()
    rec = (*SAMPLE_RECORDED, now, SAMPLE_REASON)  # as keten.server.sample_load records them
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
            "supportoffer",
            "accessgrant",
            "contests",
        )
    }
    base = part * OFFSET
    event_id = base
    measure_id = base
    counts = {"persons": 0, "procedures": 0, "events": 0}
    # Persons staying at each location on ``on``, summed over the parts to size capacities.
    counts.update({f"{SITE_COUNT}{loc.code}": 0 for loc in SAMPLE_LOCATIONS})
    births: dict[int, PartialDate] = {}
    unaccompanied: dict[int, bool] = {}
    family: dict[int, set[int]] = {}
    for hh in generate_chain(persons, on, seed=part + 1, procedures=procedures):
        for p in hh.persons:
            gid = base + p.key
            births[p.key] = p.birth_date
            unaccompanied[p.key] = p.unaccompanied_minor
            keys = name_keys(p.given_names, p.surname)  # as services/person_search writes them
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
                    keys.search_name,
                    keys.search_skeleton,
                )
            )
            counts["persons"] += 1
        for link in hh.links:
            family.setdefault(link.a, set()).add(link.b)
            family.setdefault(link.b, set()).add(link.a)
            files["familylink"].write(_row(base + link.a, base + link.b, link.relation, *rec))
        grants: set[tuple[int, str]] = set()
        measure_ids = []  # a detention appeal names its measure by id (services/appeals.py)
        for m in hh.measures:
            measure_id += 1
            measure_ids.append(measure_id)
            files["measure"].write(
                _row(measure_id, base + m.person, m.kind, m.start, m.end, "", *rec)
            )
            _running_grant(grants, m.person, "measure", m.kind, None, m.end, on)
        for pl in hh.placements:
            site_id = SITE_IDS[pl.site] if pl.site is not None else None
            files["placement"].write(
                _row(
                    base + pl.person,
                    pl.kind,
                    pl.location,
                    pl.start,
                    pl.end,
                    pl.municipality,
                    site_id,
                    False,
                    *rec,
                )
            )
            if pl.site is not None and staying_on(pl.start, pl.end, on):
                counts[f"{SITE_COUNT}{pl.site}"] += 1
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
        for o in hh.support_offers:
            files["supportoffer"].write(
                _row(base + o.person, o.kind, o.programme, o.amount_eur, o.offered_on, "", *rec)
            )
        for person, org in grants:
            files["accessgrant"].write(_row(base + person, org, "sample", on))
        # The court's links (keten.chain.sample_court), as sample_load sets them: a Decision's
        # id is its event's id, so a court procedure's ``contests`` is the event id of the
        # contested procedure's first decision (written before it in the household).
        first_decision: dict[int, int] = {}
        for sp in hh.procedures:
            pid = base + sp.key
            court = sp.link
            subject = sp.subject
            if court is not None and court.measure is not None:
                subject = f"measure:{measure_ids[court.measure]}"
            if court is not None and court.contests is not None:
                # Set after every table is in (``load``): the decision rows come later.
                files["contests"].write(_row(pid, first_decision[court.contests]))
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
                    subject,
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
            decisions = [sp.decision] if sp.decision is not None else []
            decisions += sp.again
            for e in sp.events:
                event_id += 1
                data = dict(e.data)
                if e.kind == "decided_again":
                    data["after"] = base + int(data["after"])
                files["procedureevent"].write(_row(event_id, pid, e.kind, e.day, data, *rec))
                counts["events"] += 1
                made = next(
                    (
                        d
                        for d in decisions
                        if d.kind == e.kind
                        and d.day == e.day
                        and (d.after is None or base + d.after == data.get("after"))
                    ),
                    None,
                )
                if made is not None:
                    decisions.remove(made)
                    first_decision.setdefault(sp.key, event_id)
                    files["decision"].write(
                        _row(
                            event_id,
                            pid,
                            event_id,
                            made.outcome,
                            made.grounds,
                            made.day,
                            [],
                            *rec,
                        )
                    )
    for f in files.values():
        f.close()
    return counts


def write_locations(out_dir: Path, counts: dict[str, int], on: date) -> None:
    """The sample's location register and its capacity rows, sized to who stays where on
    ``on`` over all parts (``keten.chain.sample_locations``), as COPY files of their own."""
    from keten.chain.sample_locations import SAMPLE_LOCATIONS, capacities, opened

    now = datetime.now(UTC).isoformat()
    rec = (*SAMPLE_RECORDED, now, SAMPLE_REASON)  # as keten.server.sample_load records them
    with (out_dir / "location.all.tsv").open("w", encoding="utf-8") as fh:
        for loc in SAMPLE_LOCATIONS:
            fh.write(
                _row(
                    SITE_IDS[loc.code],
                    loc.code,
                    loc.name,
                    loc.kind,
                    loc.operator,
                    loc.municipality,
                    loc.province,
                    opened(loc, on),
                    None,
                    1,
                    now,
                )
            )
    occupied = {
        key.removeprefix(SITE_COUNT): n for key, n in counts.items() if key.startswith(SITE_COUNT)
    }
    with (out_dir / "capacitychange.all.tsv").open("w", encoding="utf-8") as fh:
        for row in capacities(occupied, on):
            fh.write(
                _row(
                    SITE_IDS[row.code],
                    row.change,
                    row.valid_from,
                    row.places,
                    row.reserve,
                    row.note,
                    *rec,
                )
            )


REC = "recorded_by, recorded_org, recorded_role, recorded_at, reason"
# Tables with one file for the whole run (``write_locations``) rather than one per part; the
# locations come before the placements that point at them.
SINGLE = ("location", "capacitychange")
COLUMNS = {
    "location": "id, code, name, kind, operator_id, municipality, province, opened, closes, "
    "version, created_at",
    "capacitychange": f"location_id, change, valid_from, places, reserve, note, {REC}",
    "person": "id, v_number, given_names, surname, sex, birth_date, nationality, bsn, "
    "unaccompanied_minor, abroad, version, created_at, search_name, search_skeleton",
    "familylink": f"parent_or_partner_id, other_id, relation, {REC}",
    "procedure": "id, person_id, procedure_type, facts, municipality, subject, version, "
    "created_at, queue, team, priority, deadline_id, due, status, closed_on, regime, "
    "started_on, dwangsom_first_day, dwangsom_last_day, stage",
    "procedureevent": f"id, procedure_id, kind, day, data, {REC}",
    "decision": f"id, procedure_id, event_id, outcome, grounds, decided_on, rule_trail, {REC}",
    "measure": f'id, person_id, kind, start, "end", legal_basis, {REC}',
    "placement": f'person_id, kind, location, start, "end", municipality, site_id, '
    f"overcapacity, {REC}",
    "residencedocument": f"person_id, kind, number, issued, valid_until, {REC}",
    "handover": f"person_id, kind, from_org_id, to_org_id, day, note, {REC}",
    "supportoffer": f"person_id, kind, programme, amount_eur, offered_on, note, {REC}",
    "accessgrant": "person_id, organisation_id, reason, since",
}


def _search_names(conn: Any) -> None:
    """The register's distinct names and their keys (SearchName, SearchNameKey), as
    services/person_search.write_keys writes them: once per distinct name, from the persons
    just loaded (the two generator processes draw the same names)."""
    from keten.chain.names import name_keys

    started = time.perf_counter()
    keys: dict[str, tuple[str, ...]] = {}
    for given, surname in conn.execute(
        "SELECT DISTINCT given_names, surname FROM dossiers_person"
    ).fetchall():
        k = name_keys(given, surname)
        keys[k.search_name] = k.keys
    with conn.cursor() as cur:
        with cur.copy("COPY dossiers_searchname (id, name) FROM STDIN") as copy:
            for i, name in enumerate(keys, 1):
                copy.write_row((i, name))
        with cur.copy("COPY dossiers_searchnamekey (name_id, key) FROM STDIN") as copy:
            for i, name in enumerate(keys, 1):
                for key in keys[name]:
                    copy.write_row((i, key))
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('dossiers_searchname', 'id'), "
        "(SELECT COALESCE(MAX(id), 1) FROM dossiers_searchname))"
    )
    print(f"  search names: {len(keys)} in {time.perf_counter() - started:.0f} s", flush=True)


def load(url: str, out_dir: Path, parts: int) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for table, columns in COLUMNS.items():
            started = time.perf_counter()
            paths = [out_dir / f"{table}.{part}.tsv" for part in range(parts)]
            if table in SINGLE:
                paths = [out_dir / f"{table}.all.tsv"]
            for path in paths:
                with (
                    conn.cursor() as cur,
                    cur.copy(f"COPY dossiers_{table} ({columns}) FROM STDIN") as copy,
                    path.open("rb") as fh,
                ):
                    while chunk := fh.read(1 << 20):
                        copy.write(chunk)
            print(f"  COPY {table}: {time.perf_counter() - started:.0f} s", flush=True)
        _search_names(conn)
        # What each court procedure contests (Procedure.contests -> Decision), once the
        # decisions are in: a foreign key checked as each COPY commits.
        conn.execute("CREATE TEMP TABLE contests (procedure_id bigint, decision_id bigint)")
        for part in range(parts):
            with (
                conn.cursor() as cur,
                cur.copy("COPY contests (procedure_id, decision_id) FROM STDIN") as copy,
                (out_dir / f"contests.{part}.tsv").open("rb") as fh,
            ):
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
        conn.execute(
            "UPDATE dossiers_procedure p SET contests_id = c.decision_id FROM contests c "
            "WHERE p.id = c.procedure_id"
        )
        for table in (
            "location",
            "capacitychange",
            "person",
            "familylink",
            "procedure",
            "procedureevent",
            "decision",
            "measure",
            "placement",
            "residencedocument",
            "handover",
            "supportoffer",
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


def machine_jiffies() -> tuple[int, int]:
    """(busy, all) clock ticks of every core since boot, from /proc/stat: what the whole
    machine did, other people's work included."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields) - fields[3] - fields[4], sum(fields)  # idle and iowait are not busy


def cpu_pressure_us() -> int | None:
    """Microseconds so far in which some task waited for a CPU (Linux PSI, /proc/pressure/cpu):
    how crowded the cores were, whoever crowded them."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return int(line.rsplit("total=", 1)[1])


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


def open_loop_phase(
    port: int,
    token: str,
    requests: list[tuple[str, str]],
    rate: float,
    args: argparse.Namespace,
    limit: int,
    failures: dict[str, int],
    slowest: list[list[dict[str, Any]]],
    roots: dict[str, int],
) -> dict[str, float]:
    """One open-loop phase (``benchmarks/open_loop.py``): its figures over all requests, the
    same per path when it mixes paths (``queue_p95_ms`` ...), and the CPU milliseconds per
    answered request of the server, PostgreSQL and the generator. Socket errors are added to
    ``failures`` by kind, the phase's slowest requests to ``slowest``."""
    cpu_before = cpu_seconds(roots)
    busy_before, all_before = machine_jiffies()
    pressure_before, wall_before = cpu_pressure_us(), time.monotonic()
    result = run_open_loop(
        port,
        token,
        requests,
        rate,
        args.open_loop_seconds,
        arrivals=args.open_loop_arrivals,
        processes=args.open_loop_processes,
        limit=limit,
    )
    used = {k: v - cpu_before[k] for k, v in cpu_seconds(roots).items()}
    busy_after, all_after = machine_jiffies()
    pressure_after, wall_after = cpu_pressure_us(), time.monotonic()
    overall = result.overall
    answered = max(1.0, overall["ok"] + overall["status_errors"])
    out = dict(overall)
    out["cpu_ms_server"] = used["server"] / answered * 1000
    out["cpu_ms_postgres"] = used["postgres"] / answered * 1000
    out["cpu_ms_server_postgres"] = out["cpu_ms_server"] + out["cpu_ms_postgres"]
    # Utilisation of the cores the three share: arrival rate x CPU per request / cores.
    per_request = out["cpu_ms_server_postgres"] + overall["cpu_ms_generator"]
    out["rho"] = rate * per_request / 1000 / CORES
    # The cores' busy share over the phase, and the part of it that was not this benchmark's
    # (other work on a shared machine): what the queueing here also waited for.
    if all_after > all_before:
        ticks = all_after - all_before
        ours = sum(used.values()) * os.sysconf("SC_CLK_TCK") / ticks
        out["machine_busy"] = (busy_after - busy_before) / ticks
        out["others_busy"] = max(0.0, out["machine_busy"] - ours)
    if pressure_before is not None and pressure_after is not None:
        out["cpu_pressure"] = (pressure_after - pressure_before) / 1e6 / (wall_after - wall_before)
    if len(result.per_label) > 1:
        for label, figures in result.per_label.items():
            out.update({f"{label}_{k}": v for k, v in figures.items()})
    for kind, count in result.failures.items():
        failures[kind] = failures.get(kind, 0) + count
    slowest.append(result.slowest)
    return out


def summarize_rounds(runs: list[dict[str, float]]) -> dict[str, Any]:
    """Each figure's median over the rounds, its range, and the rounds themselves."""
    out: dict[str, Any] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    out["range"] = {k: [min(r[k] for r in runs), max(r[k] for r in runs)] for k in runs[0]}
    out["rounds"] = runs
    return out


def _spread1(r: dict[str, Any], key: str) -> str:
    """As :func:`_spread`, one decimal."""
    low, high = r["range"][key]
    if len(r["rounds"]) == 1:
        return f"{r[key]:.1f}"
    return f"{r[key]:.1f} ({low:.1f}-{high:.1f})"


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


OCCUPANCY_TARGET_MS = 200  # issue 14: the occupancy page over the 1M-person database
OCCUPANCY_TARGET_RATIO = 20  # issue 14: at least 20 times the naive count per location


def occupancy_phase(
    port: int, token: str, env: dict[str, str], on: date, n: int = 5
) -> dict[str, Any]:
    """Median ms, one client, of the occupancy figures as COA (``GET /api/v1/occupancy``, the
    series, the allocation and the ``/opvang`` page, after warm-ups: the page's forecast is
    computed once a day per server process), and of the naive peer
    (``benchmarks/occupancy_naive.py``: a query per location and per figure through the ORM)
    in a process of its own; both must give the same figures for every location."""
    from tests.server.live import Browser

    client = Client(port, token)
    # The day named: the server's today is Amsterdam's (settings.TIME_ZONE), this one's UTC.
    day = on.isoformat()
    paths = {
        "api": f"/api/v1/occupancy?on={day}",
        "series": f"/api/v1/occupancy/series?to={day}",
        "allocation": f"/api/v1/occupancy/allocation?arrivals=500&on={day}",
    }
    out: dict[str, Any] = {}
    for name, path in paths.items():
        # The first answer counts the day (occupancy_sql.counted); the next ones, with no
        # write in between, are served from the figures counted once per change.
        out[f"{name}_first_ms"] = client.get(path)[1] * 1000
        out[f"{name}_ms"] = statistics.median(client.get(path)[1] for _ in range(n)) * 1000
    served = {row["key"]: row for row in client.json(paths["api"])["results"]}
    browser = Browser(f"http://127.0.0.1:{port}")
    browser.login("coa")
    for _ in range(4):  # each server process computes the day's forecast once
        status, _ = browser.open(f"/opvang?on={day}")
        if status != 200:
            raise RuntimeError(f"GET /opvang: {status}")
    page = []
    for _ in range(n):
        started = time.perf_counter()
        browser.open(f"/opvang?on={day}")
        page.append((time.perf_counter() - started) * 1000)
    out["page_ms"] = statistics.median(page)
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "occupancy_naive.py"), on.isoformat(), "3"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    naive = json.loads(done.stdout.strip().splitlines()[-1])
    for code, figures in naive["figures"].items():
        shown = {k: served[code][k] for k in figures}
        if shown != figures:
            raise RuntimeError(f"occupancy of {code}: the API says {shown}, the naive {figures}")
    out["naive_ms"] = statistics.median(naive["times_ms"])
    out["locations"] = len(naive["figures"])
    out["residents"] = sum(f["occupancy"] for f in naive["figures"].values())
    out["ratio"] = out["naive_ms"] / out["api_ms"]
    return out


def write_occupancy(out: io.StringIO, r: dict[str, Any]) -> None:
    """The occupancy phase's lines for docs/benchmarks.md."""
    out.write(
        f"\nOccupancy as COA, one client, median ms ({r['locations']} locations, "
        f"{r['residents']} residents): GET /api/v1/occupancy {r['api_ms']:.0f} "
        f"(target < {OCCUPANCY_TARGET_MS}; the first answer after a write, which counts the "
        f"day, {r['api_first_ms']:.0f}), /opvang page {r['page_ms']:.0f}, "
        f"series (90 days) {r['series_ms']:.0f}, allocation of 500 {r['allocation_ms']:.0f}; "
        f"naive (a query per location and figure, ORM) {r['naive_ms']:.0f}: "
        f"{r['ratio']:.0f}x (target >= {OCCUPANCY_TARGET_RATIO}x); same figures\n"
    )


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


def write_closed_loop(
    out: io.StringIO,
    args: argparse.Namespace,
    results: dict[str, dict[str, Any]],
    baseline: dict[str, dict[str, float]],
    dashboards: dict[str, float],
    scope_forms: dict[str, float],
) -> None:
    """The closed-loop phases' rows for docs/benchmarks.md."""
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


OPEN_P95_TARGET_MS = 50  # issue 13: open-loop p95 at 200 requests a second, both paths
DOSSIER_CPU_TARGET_MS = 4  # issue 13: server + PostgreSQL per dossier read


def _share(r: dict[str, Any], key: str) -> str:
    """A share (``others_busy``, ``cpu_pressure``) in per cent: median (range)."""
    if key not in r:
        return "–"
    low, high = r["range"][key]
    return f"{r[key]:.0%}" + (f" ({low:.0%}-{high:.0%})" if len(r["rounds"]) > 1 else "")


def write_open_loop(
    out: io.StringIO,
    args: argparse.Namespace,
    results: dict[str, dict[str, Any]],
    limit: int,
    failures: dict[str, int],
) -> None:
    """The open-loop phases' rows for docs/benchmarks.md: latency and errors, then CPU."""
    rounds = args.repeat
    rows: list[tuple[str, str, float, str]] = []  # (label, phase, rate, key prefix)
    for path in ("queue", "dossier"):
        if f"open_{path}_low" in results:
            rows.append((path, f"open_{path}_low", args.open_loop_low_rate, ""))
        rows.append((path, f"open_{path}", args.open_loop_rate, ""))
    if "open_mixed" in results:
        rows += [
            (f"{path}, mixed", "open_mixed", args.open_loop_rate / 2, f"{path}_")
            for path in ("queue", "dossier")
        ]
    out.write(
        f"\nOpen loop: {args.open_loop_arrivals} arrivals, {args.open_loop_seconds:g} s a phase, "
        f"{rounds} round(s), median (range); {args.open_loop_processes} generator process(es), "
        f"at most {limit} connections; latency from the scheduled send time (ms); the "
        f"generator fell behind in a round whose schedule lag p99 exceeded {LATE_MS:g} ms\n\n"
        "| path | target req/s | achieved req/s | requests | non-2xx | socket errors | p50 | p95 | "
        "p99 | max (worst round) | p95 target | p95 / p95 at the low rate | schedule lag p99 |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    for label, phase, rate, key in rows:
        r = results[phase]
        low = results.get(f"open_{label.split(',')[0]}_low")
        ratio = (
            f"{r[key + 'p95_ms'] / low['p95_ms']:.1f}x"
            if low is not None and low is not r and low["p95_ms"]
            else "–"
        )
        behind = sum(run["behind"] for run in r["rounds"])
        lag = f"{r[key + 'lag_p99_ms']:.1f}" + (
            f" (behind in {behind:.0f} of {rounds})" if behind else ""
        )
        errors = [
            sum(run[key + k] for run in r["rounds"]) for k in ("status_errors", "socket_errors")
        ]
        out.write(
            f"| {label} | {rate:g} | {_spread(r, key + 'rps')} | "
            f"{sum(run[key + 'n'] for run in r['rounds']):.0f} | "
            f"{errors[0]:.0f} | {errors[1]:.0f} | "
            f"{_spread(r, key + 'p50_ms')} | {_spread(r, key + 'p95_ms')} | "
            f"{_spread(r, key + 'p99_ms')} | {r['range'][key + 'max_ms'][1]:.0f} | "
            f"{OPEN_P95_TARGET_MS if rate == args.open_loop_rate else '–'} | {ratio} | {lag} |\n"
        )
    if failures:
        out.write("\nSocket errors by kind: " + json.dumps(failures) + "\n")
    out.write(
        "\nCPU per answered request in the open-loop phases (ms, median over the rounds); "
        f"ρ = rate x CPU per request (server + PostgreSQL + generator) / {CORES} cores; "
        "other work: the cores' busy share that was not this benchmark's; CPU pressure: the "
        "share of the time some task waited for a core (/proc/pressure/cpu)\n\n"
        "| path | req/s | server | PostgreSQL | server + PostgreSQL | target | generator | ρ | "
        "other work | CPU pressure |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    for label, phase, rate, key in rows:
        if key:
            continue
        r = results[phase]
        target = DOSSIER_CPU_TARGET_MS if label == "dossier" else "–"
        out.write(
            f"| {label} | {rate:g} | {r['cpu_ms_server']:.1f} | {r['cpu_ms_postgres']:.1f} | "
            f"{_spread1(r, 'cpu_ms_server_postgres')} | {target} | "
            f"{r['cpu_ms_generator']:.2f} | {r['rho']:.2f} | "
            f"{_share(r, 'others_busy')} | {_share(r, 'cpu_pressure')} |\n"
        )
    if "open_mixed" in results:
        r = results["open_mixed"]
        out.write(
            f"| both, mixed | {args.open_loop_rate:g} | {r['cpu_ms_server']:.1f} | "
            f"{r['cpu_ms_postgres']:.1f} | {_spread1(r, 'cpu_ms_server_postgres')} | – | "
            f"{r['cpu_ms_generator']:.2f} | {r['rho']:.2f} | "
            f"{_share(r, 'others_busy')} | {_share(r, 'cpu_pressure')} |\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--procedures", type=int, default=2_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--port", type=int, default=18765, help="the server's port (another run may hold one)"
    )
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
    parser.add_argument(
        "--phases",
        choices=("all", "closed-loop", "open-loop", "occupancy"),
        default="all",
        help="which phases to measure (open-loop or occupancy alone: minutes on a kept database)",
    )
    parser.add_argument(
        "--open-loop-rate", type=float, default=200, help="requests a second (open loop)"
    )
    parser.add_argument(
        "--open-loop-low-rate",
        type=float,
        default=20,
        help="the reference rate: the service time without queueing (0: none)",
    )
    parser.add_argument(
        "--open-loop-seconds", type=float, default=30, help="per open-loop phase per round"
    )
    parser.add_argument(
        "--open-loop-arrivals",
        choices=("constant", "poisson"),
        default="constant",
        help="evenly spaced (default) or Poisson arrivals from a fixed seed",
    )
    parser.add_argument(
        "--open-loop-processes", type=int, default=1, help="load-generator processes"
    )
    parser.add_argument(
        "--open-loop-connections",
        type=int,
        default=64,
        help="most connections in all (at most one server process's connection bound)",
    )
    parser.add_argument(
        "--no-mixed", action="store_true", help="skip the open-loop phase of both paths at once"
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
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
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
        write_locations(out_dir, total, on)
        staying = sum(n for k, n in total.items() if k.startswith(SITE_COUNT))
        total = {k: n for k, n in total.items() if not k.startswith(SITE_COUNT)}
        gen_s = time.perf_counter() - started
        print(f"generated and derived {total} in {gen_s:.0f} s", flush=True)
        print(f"  {staying} persons staying at registered locations", flush=True)
        started = time.perf_counter()
        load(url, out_dir, parts)
        load_s = time.perf_counter() - started
        print(f"loaded with COPY in {load_s:.0f} s", flush=True)
        for f in out_dir.glob("*.tsv"):
            f.unlink()
    else:  # bring a kept database to the current schema (idempotent: adds no persons)
        subprocess.run([keten, "server", "setup", "--persons", "0"], env=env, check=True)
    if args.phases in ("all", "occupancy"):
        from occupancy_naive import ensure_locations

        print(f"{ensure_locations(url, on)} locations registered", flush=True)
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
    token, dtenv_token, coa_token = subprocess.run(
        [
            sys.executable,
            "-c",
            "from keten.server.setup import django_setup; django_setup();"
            "from rest_framework.authtoken.models import Token;"
            "print(Token.objects.get(user__username='ind').key);"
            "print(Token.objects.get(user__username='dtenv').key);"
            "print(Token.objects.get(user__username='coa').key)",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    port = args.port
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

        if args.phases != "occupancy":  # warm-up
            measure(token, queue_paths(200) + dossier_paths(200), args.clients, 0.25)
        closed_loop: dict[str, Callable[[], dict[str, float]]] = {
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

        def labelled(label: str, make: Callable[[int], list[str]], n: int) -> list[tuple[str, str]]:
            return [(label, path) for path in make(n)]

        def mixed(n: int) -> list[tuple[str, str]]:
            """Queue and dossier in turn, half the rate each."""
            queue, dossier = (
                labelled("queue", queue_paths, n),
                labelled("dossier", dossier_paths, n),
            )
            return [(dossier if i % 2 else queue)[i // 2] for i in range(n)]

        def open_phase(
            name: str, make: Callable[[int], list[tuple[str, str]]], rate: float
        ) -> None:
            def run() -> dict[str, float]:
                n = int(rate * args.open_loop_seconds)
                return open_loop_phase(
                    port,
                    token,
                    make(n),
                    rate,
                    args,
                    pool_limit,
                    socket_failures,
                    slowest.setdefault(name, []),
                    roots,
                )

            open_loop[name] = run

        # Granian's processes listen on sockets of their own (SO_REUSEPORT): the kernel hands
        # each new connection to one by a hash of its addresses, and a process holding its
        # bound (--connections-per-worker) leaves it in its backlog until one of its own
        # closes, however idle the other process is. A pool larger than one process's bound
        # can so stall a request for the rest of the phase (seen: 8.9 s, at 2 x 25), so it
        # stays within that bound; a request beyond it waits for a connection, counted in its
        # latency.
        pool_limit = args.open_loop_connections
        if connections:
            pool_limit = min(pool_limit, connections)
        socket_failures: dict[str, int] = {}
        slowest: dict[str, list[list[dict[str, Any]]]] = {}  # per phase, per round
        open_loop: dict[str, Callable[[], dict[str, float]]] = {}
        rates = [("", args.open_loop_rate)]
        if args.open_loop_low_rate > 0:
            rates.insert(0, ("_low", args.open_loop_low_rate))
        for suffix, rate in rates:
            open_phase(f"open_queue{suffix}", lambda n: labelled("queue", queue_paths, n), rate)
            open_phase(
                f"open_dossier{suffix}", lambda n: labelled("dossier", dossier_paths, n), rate
            )
        if not args.no_mixed:
            open_phase("open_mixed", mixed, args.open_loop_rate)
        phases: dict[str, Callable[[], dict[str, float]]] = {}
        if args.phases in ("all", "closed-loop"):
            phases.update(closed_loop)
        if args.phases in ("all", "open-loop"):
            phases.update(open_loop)
        rounds: dict[str, list[dict[str, float]]] = {name: [] for name in phases}
        for i in range(args.repeat):
            for name, phase in phases.items():
                rounds[name].append(phase())
                print(f"round {i + 1}, {name}: {json.dumps(rounds[name][-1])}", flush=True)
                if name in slowest:
                    print(f"  slowest: {json.dumps(slowest[name][-1][:2])}", flush=True)
        results = {name: summarize_rounds(runs) for name, runs in rounds.items()}
        dashboards: dict[str, float] = {}
        scope_forms: dict[str, float] = {}
        if args.phases in ("all", "closed-loop"):
            dashboards = dashboard_times(port, {"IND": token, "DTenV": dtenv_token})
            scope_forms = scope_form_times(url, "DTenV")
        occupancy: dict[str, Any] = {}
        if args.phases in ("all", "occupancy"):
            occupancy = occupancy_phase(port, coa_token, env, on)
            print(f"occupancy: {json.dumps(occupancy)}", flush=True)
        baseline = {}
        for name, make in (("queue", queue_paths), ("dossier", dossier_paths)):
            if args.no_baseline or args.phases not in ("all", "closed-loop"):
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
        "occupancy": occupancy,
        "baseline": baseline,
        "open_loop": {
            "arrivals": args.open_loop_arrivals,
            "seconds": args.open_loop_seconds,
            "processes": args.open_loop_processes,
            "connections": pool_limit,
            "socket_errors": socket_failures,
            "slowest": slowest,
        },
        "commit": commit,
    }
    print(json.dumps(report, indent=2))
    (REPO / "var" / "bench-server.json").write_text(json.dumps(report, indent=2))
    out = io.StringIO()
    if args.phases in ("all", "closed-loop"):
        write_closed_loop(out, args, results, baseline, dashboards, scope_forms)
    if args.phases in ("all", "open-loop"):
        write_open_loop(out, args, results, pool_limit, socket_failures)
    if occupancy:
        write_occupancy(out, occupancy)
    print(out.getvalue())


if __name__ == "__main__":
    main()
