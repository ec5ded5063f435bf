"""Benchmark: the reports over a PostgreSQL database, against the same counts written as a plain
Django ORM loop (the naive way), side by side in one run, with the ratio.

    eval "$(scripts/postgres start)"
    .venv/bin/python benchmarks/reports.py --persons 20000      # builds keten_reports_bench
    .venv/bin/python benchmarks/reports.py --keep               # reuses keten_bench (1M persons,
                                                                # loaded by benchmarks/server.py)

The database is the synthetic chain of ``benchmarks/server.py`` (``keten.chain.sample``, cache
columns derived by the library, bulk-loaded with COPY): ``--keep`` reuses ``keten_bench`` as
that benchmark left it; without it a fresh ``keten_reports_bench`` is built with ``--persons``
persons and twice as many procedures, small enough for anyone to run.

Phases (``PHASES``; ``--phases annual,...``), each a function ``(args) -> dict`` that prints and
returns its measurements:

- ``annual``: the IND annual report (``services/annual_report.compute``: the frames read from
  the database by ``services/report_source`` and every figure computed by
  ``keten.reports.annual``) for ``--year`` against the year before, ``--repeat`` times (median),
  and the naive peer once: each figure counted for each year by iterating the ORM's model
  objects, related rows read per object and withdrawals checked per row, as a first
  implementation would. Both must give the same unrounded figures; the run fails if not. On a
  large database the naive loop takes hours: it stops after ``--naive-max-seconds`` and its
  time and the ratio are printed as lower bounds ("> ...").

The monthly management information's phase is added the same way: a function in ``PHASES``.
Prints a Markdown block for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))


# The naive peer: every figure counted on its own, by looping over model objects.


class NaiveStoppedError(Exception):
    """The naive peer ran past ``--naive-max-seconds``: its time is then a lower bound."""


NAIVE_DEADLINE = [float("inf")]  # perf_counter() past which the naive peer stops


def _standing(resource: str, record_id: int) -> bool:
    from keten.server.dossiers.models import Withdrawal

    if time.perf_counter() > NAIVE_DEADLINE[0]:
        raise NaiveStoppedError

    return not Withdrawal.objects.filter(resource=resource, record_id=record_id).exists()


def naive_figure(rule: str, args: dict[str, Any], start: date, end: date) -> Any:
    """One figure for one period, the naive way (the same definitions as
    ``keten.reports.counting``, written as ORM loops)."""
    from keten.reports.counting import COURT, GRANTED, NOTICE_OF_DEFAULT, Share, Top, _owed
    from keten.server.dossiers.models import Decision, Procedure, ResidenceDocument

    def inside(day: date | None) -> bool:
        if time.perf_counter() > NAIVE_DEADLINE[0]:
            raise NaiveStoppedError
        return day is not None and start <= day <= end

    types = list(args.get("types", ()))
    court = [t for t in types if t in COURT.types]
    other = [t for t in types if t not in COURT.types]
    intake_kind = dict(COURT.intake_event)

    def events(p: Procedure, kinds: Sequence[str]) -> list[Any]:
        return [e for e in p.events.filter(kind__in=kinds) if _standing("event", e.pk)]

    def decisions(p: Procedure) -> list[Decision]:
        return [d for d in p.decisions.all() if _standing("decision", d.pk)]

    def court_end(p: Procedure) -> date | None:
        days = [d.decided_on for d in decisions(p) if d.outcome in COURT.judgment_outcomes]
        days += [e.day for e in events(p, [COURT.appeal_withdrawn, COURT.ind_withdrew_decision])]
        return min(days) if days else None

    def contesting(p: Procedure) -> list[Procedure]:
        return [a for d in decisions(p) for a in Procedure.objects.filter(contests_id=d.pk)]

    if rule == "not_registered":
        return None
    if rule == "documents":
        kinds = args.get("kinds")
        return sum(
            1
            for r in ResidenceDocument.objects.all()
            if inside(r.issued) and (kinds is None or r.kind in kinds)
        )
    if rule in ("intake", "handled"):
        n = 0
        for p in Procedure.objects.filter(procedure_type__in=other):
            n += inside(p.started_on if rule == "intake" else p.closed_on)
        for p in Procedure.objects.filter(procedure_type__in=court):
            if rule == "intake":
                days = [e.day for e in events(p, [intake_kind[p.procedure_type]])]
                n += inside(min(days) if days else None)
            else:
                n += inside(court_end(p))
        return n
    if rule in ("redecided", "ind_withdrew", "handled_incl_court"):
        if rule == "handled_incl_court":
            return sum(
                naive_figure(r, args, start, end) for r in ("handled", "redecided", "ind_withdrew")
            )
        n = 0
        for p in Procedure.objects.filter(procedure_type__in=types):
            appeals = contesting(p)
            if rule == "ind_withdrew":
                n += sum(
                    1
                    for a in appeals
                    if any(inside(e.day) for e in events(a, [COURT.ind_withdrew_decision]))
                )
                continue
            found = [
                d.decided_on
                for a in appeals
                for d in decisions(a)
                if d.outcome == COURT.well_founded
            ]
            if not found:
                continue
            contested = {a.contests_id for a in appeals}
            n += sum(
                1
                for d in decisions(p)
                if d.decided_on >= min(found) and d.pk not in contested and inside(d.decided_on)
            )
        return n
    if rule == "within_term":
        closed = [
            p
            for p in Procedure.objects.filter(procedure_type__in=types)
            if inside(p.closed_on) and p.due is not None
        ]
        on_time = [p for p in closed if p.closed_on and p.due and p.closed_on <= p.due]
        return Share(len(on_time), len(closed))
    if rule == "upheld":
        stands = total = 0
        for p in Procedure.objects.filter(procedure_type__in=types):
            for a in contesting(p):
                if a.procedure_type not in COURT.upheld_types:
                    continue
                for d in decisions(a):
                    if d.outcome in COURT.judgment_outcomes and inside(d.decided_on):
                        total += 1
                        stands += d.outcome != COURT.well_founded
        return Share(stands, total)
    if rule in ("notices_lodged", "notices_handled"):
        n = 0
        for p in Procedure.objects.filter(procedure_type__in=types):
            for e in events(p, [NOTICE_OF_DEFAULT]):
                if rule == "notices_lodged":
                    n += inside(e.day)
                elif p.closed_on is not None and inside(p.closed_on) and e.day <= p.closed_on:
                    n += 1
        return n
    if rule in ("dwangsom_runs", "dwangsom_forfeited"):
        total = 0
        for p in Procedure.objects.filter(procedure_type__in=types):
            first, last = p.dwangsom_first_day, p.dwangsom_last_day
            if first is None or last is None or first > end or last < start:
                continue
            if rule == "dwangsom_runs":
                total += 1
            else:
                total += _owed(first, last, end) - _owed(first, last, start - timedelta(days=1))
        return total
    if rule in ("top_granted", "top_intake"):
        counts: dict[str, int] = {}
        for p in Procedure.objects.filter(procedure_type__in=types).select_related("person"):
            if rule == "top_intake":
                hit = inside(p.started_on)
            else:
                hit = any(d.outcome == GRANTED and inside(d.decided_on) for d in decisions(p))
            nat = p.person.nationality if p.person else ""
            if hit and nat:
                counts[nat] = counts.get(nat, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: args.get("n", 3)]
        return Top(tuple(ranked))
    raise KeyError(rule)


def naive_annual(year: int) -> dict[str, tuple[Any, Any]]:
    from keten.reports.annual import ANNUAL, year_period

    return {
        f.id: (
            naive_figure(f.rule, f.args, *year_period(year - 1)),
            naive_figure(f.rule, f.args, *year_period(year)),
        )
        for f in ANNUAL.figures()
    }


def annual_phase(args: argparse.Namespace) -> dict[str, Any]:
    from keten.server.services import annual_report

    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        fast = annual_report.compute(args.year)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    frames = annual_report.frames(args.year)
    frames_s = time.perf_counter() - started
    started = time.perf_counter()
    NAIVE_DEADLINE[0] = started + args.naive_max_seconds
    try:
        naive: dict[str, tuple[Any, Any]] | None = naive_annual(args.year)
    except NaiveStoppedError:
        naive = None  # on 1M persons the loop takes hours: the ratio is then a lower bound
    naive_s = time.perf_counter() - started
    fast_s = statistics.median(times)
    result = {
        "phase": "annual",
        "year": args.year,
        "fast_s": fast_s,
        "fast_range": (min(times), max(times)),
        "frames_s": frames_s,
        "rows": {n: getattr(frames, n).height for n in ("procedures", "events", "decisions")},
        "naive_s": naive_s,
        "naive_done": naive is not None,
        "ratio": naive_s / fast_s,
        "figures": len(fast.rows),
    }
    if naive is None:
        return result
    differ = {
        fid: (naive[fid], (row.previous, row.current))
        for fid, row in fast.rows.items()
        if naive[fid] != (row.previous, row.current)
    }
    if differ:
        raise SystemExit(f"the naive and the fast annual report differ: {differ}")
    return result


def naive_monthly(first: date, last: date) -> dict[str, int]:
    """One month's totals for the types whose end is ``closed_on`` (the court's types end with
    an event and are left out of this comparison), the naive way: every procedure loaded as
    a model object and tested in Python."""
    from keten.reports.monthly import COURT_TYPES
    from keten.server.dossiers.models import Procedure

    totals = {"intake": 0, "decided": 0, "open": 0, "over_term": 0}
    for i, p in enumerate(Procedure.objects.exclude(procedure_type__in=COURT_TYPES).iterator()):
        if i % 1000 == 0 and time.perf_counter() > NAIVE_DEADLINE[0]:
            raise NaiveStoppedError
        if p.started_on is None or p.started_on > last:
            continue
        if p.closed_on is not None and p.closed_on < first:
            continue
        totals["intake"] += p.started_on >= first
        is_open = p.closed_on is None or p.closed_on > last
        totals["decided"] += not is_open
        totals["open"] += is_open
        totals["over_term"] += is_open and p.due is not None and p.due < last
    return totals


def monthly_phase(args: argparse.Namespace) -> dict[str, Any]:
    """One month of management information for the whole chain (the ministry's view): the
    set-based count as the page computes it on its first read after a change, and the page's
    read while nothing changed (the answer kept, ``services/occupancy_sql.remembered``)."""
    from keten.reports.monthly import COURT_TYPES, Selection, parse_month
    from keten.server.services import monthly_mi

    month = parse_month(args.month)
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        fast = monthly_mi.counted([month], Selection())
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    NAIVE_DEADLINE[0] = started + args.naive_max_seconds
    try:
        naive: dict[str, int] | None = naive_monthly(month.first, month.last)
    except NaiveStoppedError:
        naive = None
    naive_s = time.perf_counter() - started
    fast_s = statistics.median(times)
    if naive is not None:
        mine = {
            k: sum(c.counts[k] for c in fast if c.procedure_type not in COURT_TYPES) for k in naive
        }
        if mine != naive:
            raise SystemExit(f"the naive and the fast monthly counts differ: {naive} {mine}")
    return {
        "phase": f"monthly {args.month}",
        "fast_s": fast_s,
        "fast_range": (min(times), max(times)),
        "naive_s": naive_s,
        "naive_done": naive is not None,
        "ratio": naive_s / fast_s,
        "notes": f"{len(fast)} groups",
    }


# Phase name -> function(args) -> measurements (with "fast_s", "naive_s", "ratio").
PHASES: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "annual": annual_phase,
    "monthly": monthly_phase,
}


def build(url: str, base_url: str, persons: int) -> None:
    """A fresh database at ``url`` holding the synthetic chain (as benchmarks/server.py loads)."""
    import psycopg
    from server import generate_part, load, write_locations

    name = urllib.parse.urlparse(url).path.lstrip("/")
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    keten = str(Path(sys.executable).with_name("keten"))
    env = {**os.environ, "KETEN_DATABASE_URL": url}
    subprocess.run([keten, "server", "setup", "--persons", "0"], env=env, check=True)
    out_dir = REPO / "var" / "bench-reports"
    out_dir.mkdir(parents=True, exist_ok=True)
    on = date.today()
    parts = 2
    os.environ["KETEN_DATABASE_URL"] = url
    with multiprocessing.get_context("fork").Pool(parts) as pool:
        counts = pool.map(
            generate_part,
            [(i, persons // parts, persons, on.isoformat(), str(out_dir)) for i in range(parts)],
        )
    total = {k: sum(c[k] for c in counts) for k in counts[0]}
    write_locations(out_dir, total, on)
    load(url, out_dir, parts)
    for f in out_dir.glob("*.tsv"):
        f.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000, help="when building")
    parser.add_argument("--keep", action="store_true", help="reuse keten_bench as it is")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse keten_reports_bench as a previous run built it"
    )
    parser.add_argument("--year", type=int, default=date.today().year - 1)
    parser.add_argument(
        "--month", default=f"{date.today().year - 1}-11", help="YYYY-MM of the monthly phase"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of the fast path (median)")
    parser.add_argument(
        "--naive-max-seconds",
        type=float,
        default=900,
        help="stop the naive peer after this long (its time is then a lower bound)",
    )
    parser.add_argument("--phases", default=",".join(PHASES), help=f"of {sorted(PHASES)}")
    args = parser.parse_args()
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = sorted(set(phases) - set(PHASES))
    if unknown:
        parser.error(f"--phases: unknown {unknown}; known {sorted(PHASES)}")
    base_url = os.environ.get("KETEN_DATABASE_URL")
    if not base_url:
        sys.exit('KETEN_DATABASE_URL is not set: eval "$(scripts/postgres start)" first')
    parsed = urllib.parse.urlparse(base_url)
    name = "keten_bench" if args.keep else "keten_reports_bench"
    url = parsed._replace(path=f"/{name}").geturl()
    if not (args.keep or args.reuse):
        started = time.perf_counter()
        build(url, base_url, args.persons)
        print(f"built {name} with {args.persons} persons in {time.perf_counter() - started:.0f} s")
    os.environ["KETEN_DATABASE_URL"] = url
    from keten.server.setup import django_setup

    django_setup()
    from keten.server.dossiers.models import Person, Procedure

    n_persons, n_procs = Person.objects.count(), Procedure.objects.count()
    results = [PHASES[p](args) for p in phases]
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    print(f"\n### Reports ({date.today()}, {commit}, {platform.machine()}, {os.cpu_count()} cores)")
    print(f"Database {name}: {n_persons} persons, {n_procs} procedures (PostgreSQL).\n")
    print("| phase | Keten (median) | naive ORM loop | ratio | notes |")
    print("|---|---|---|---|---|")
    for r in results:
        lo, hi = r["fast_range"]
        more = "" if r.get("naive_done", True) else "> "  # stopped: a lower bound
        notes = r.get("notes") or (
            f"year {r.get('year', '')}; frames {r.get('frames_s', 0):.2f} s, rows {r.get('rows')}"
        )
        print(
            f"| {r['phase']} | {r['fast_s']:.2f} s ({lo:.2f}-{hi:.2f}) "
            f"| {more}{r['naive_s']:.1f} s | {more}{r['ratio']:.0f}x | {notes} |"
        )


if __name__ == "__main__":
    main()
