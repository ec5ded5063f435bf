"""The day's occupancy figures of every location in one set-based SQL statement.

The same counting rule as ``occupancy_count.staying`` (a running, not withdrawn placement at a
registered location, started on or before the day), with each per-resident question answered
once for the whole chain and joined in: the open outflow procedures (one row per person), the
minors and the families with minor children. Asked per resident instead (``person_id IN
(subquery)`` in a filtered COUNT), PostgreSQL ran the statement for more than ten minutes on the
1M-person benchmark database, whose hashed subplans no longer fitted in memory; joined, it is one
pass over each table (docs/benchmarks.md, occupancy). ``tests/server/test_occupancy_*`` compare
it with ``occupancy_count.occupied`` on every day of a varied fixture.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db import connection, transaction

from keten.catalog.loader import get_procedure
from keten.chain.locations import location_rules
from keten.time.periods import Period, Unit

T = TypeVar("T")


def _weeks(length: Period) -> timedelta:
    if length.unit is not Unit.WEEKS:
        raise ValueError(f"the outflow norm is counted here in whole weeks, not {length}")
    return timedelta(weeks=length.amount)


# Seed 001 4.5: "een normtijd van 14 weken", the outflow procedure's main deadline in the
# catalogue (permit_holder_outflow.yaml, counted from the permit without calendar shifts).
OUTFLOW_NORM = _weeks(get_procedure("permit_holder_outflow").deadline("outflow").length)

# Seed 001 4.1: "max. 7 dagen opvang", from data/reception/location_kinds.yaml.
CRISIS_MAX_DAYS: int = location_rules()["crisis"].max_stay_days or 0

FIGURES = ("occupancy", "amv", "permit_holders", "permit_holders_over_norm", "families")
FIGURES_ALL = (*FIGURES, "crisis_over_7")

# A birth date with an unknown month or day (00) is read as the latest it can be, so that a
# person is a minor until they can no longer be one (``keten.chain.identity``).
_SQL = """
WITH res AS (
    SELECT p.site_id, p.person_id, p.start
    FROM dossiers_placement p
    WHERE p.site_id IS NOT NULL AND p.start <= %(on)s
      AND (p."end" IS NULL OR p."end" > %(on)s) {sites}
      AND NOT EXISTS (
          SELECT 1 FROM dossiers_withdrawal w
          WHERE w.resource = 'placement' AND w.record_id = p.id
      )
),
waiting AS (
    SELECT person_id, MIN(started_on) AS since
    FROM dossiers_procedure
    WHERE procedure_type = 'permit_holder_outflow' AND started_on <= %(on)s
      AND (closed_on IS NULL OR closed_on > %(on)s) AND person_id IS NOT NULL
    GROUP BY person_id
),
minor AS (
    SELECT id FROM dossiers_person
    WHERE REPLACE(birth_date, '-00', '-99') > %(cutoff)s
),
parent_of_minor AS (
    SELECT fl.other_id AS child, fl.parent_or_partner_id AS parent
    FROM dossiers_familylink fl JOIN minor m ON m.id = fl.other_id
    WHERE fl.relation = 'parent'
),
family AS (
    SELECT child AS person_id FROM parent_of_minor
    UNION
    SELECT parent FROM parent_of_minor
)
SELECT res.site_id,
       COUNT(*),
       SUM(CASE WHEN pe.unaccompanied_minor THEN 1 ELSE 0 END),
       COUNT(w.person_id),
       SUM(CASE WHEN w.since < %(norm)s THEN 1 ELSE 0 END),
       COUNT(f.person_id),
       SUM(CASE WHEN l.kind = 'crisis' AND res.start <= %(crisis)s THEN 1 ELSE 0 END)
FROM res
JOIN dossiers_person pe ON pe.id = res.person_id
JOIN dossiers_location l ON l.id = res.site_id
LEFT JOIN waiting w ON w.person_id = res.person_id
LEFT JOIN family f ON f.person_id = res.person_id
GROUP BY res.site_id
"""


def eighteen_years_before(on: date) -> date:
    try:
        return on.replace(year=on.year - 18)
    except ValueError:  # 29 February
        return on.replace(year=on.year - 18, day=28)


def counted(on: date, site_ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """Per location (all, or ``site_ids``), the counted figures of ``on``."""
    params: dict[str, date | str] = {
        "on": on,
        "cutoff": eighteen_years_before(on).isoformat(),
        "norm": on - OUTFLOW_NORM,
        # The day a crisis stay must have begun by to be past its maximum on ``on``: counted
        # as ``keten.chain.locations.overstay`` counts it (the first day is day 1), so that the
        # figure and the placement's flag name the same stays.
        "crisis": on - timedelta(days=CRISIS_MAX_DAYS),
    }
    sites = ""
    if site_ids is not None:
        ids = [int(i) for i in site_ids]
        if not ids:
            return {}
        sites = "AND p.site_id IN (" + ", ".join(str(i) for i in ids) + ")"
    out: dict[int, dict[str, int]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Planning estimates put the statement over jit_above_cost: compiling it cost more
            # than running it on small databases.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(_SQL.format(sites=sites), params)
        for site_id, *values in cursor.fetchall():
            out[int(site_id)] = {
                name: int(v or 0) for name, v in zip(FIGURES_ALL, values, strict=True)
            }
    return out


# The figures of a day change only when the chain records something: a placement, its end or
# withdrawal, a correction of a person, a family link, an outflow event, a refreshed cache of
# the procedures. Every such write adds a row to one of these append-only tables (or, for the
# cache refresh, rewrites its fingerprint), so their largest ids are a cheap mark of "nothing
# changed since": the figures are computed once per change and per day, and every read after a
# write sees it. PostgreSQL only: its sequences never hand out an id twice, where SQLite may
# after a rolled-back transaction (in-process tests) and is small enough to count every time.
_MARKS = """
SELECT (SELECT MAX(id) FROM dossiers_dossierevent),
       (SELECT MAX(id) FROM dossiers_procedureevent),
       (SELECT MAX(id) FROM dossiers_withdrawal),
       (SELECT MAX(id) FROM dossiers_placement),
       (SELECT MAX(id) FROM dossiers_familylink),
       (SELECT MAX(recorded_at) FROM dossiers_cachestate)
"""

_cache: dict[tuple[object, ...], tuple[tuple[object, ...], Any]] = {}
_lock = threading.Lock()


def _marks() -> tuple[object, ...]:
    with connection.cursor() as cursor:
        cursor.execute(_MARKS)
        row = cursor.fetchone()
    return tuple(row) if row else ()


def remembered(name: str, args: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, computed again only after the chain changed (PostgreSQL; see above)."""
    if connection.vendor != "postgresql":
        return compute()
    key = (str(connection.settings_dict.get("NAME")), name, *args)
    marks = _marks()
    with _lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] == marks:
        value: T = hit[1]
        return value
    value = compute()
    with _lock:
        if len(_cache) > 256:  # a few days and spans of a few databases
            _cache.clear()
        _cache[key] = (marks, value)
    return value


def counted_cached(on: date) -> dict[int, dict[str, int]]:
    """``counted(on)`` for every location, computed again only after the chain changed."""
    return remembered("counted", (on,), lambda: counted(on))
