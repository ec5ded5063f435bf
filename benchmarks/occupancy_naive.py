"""The occupancy phase of ``benchmarks/server.py``, and its naive peer.

``ensure_locations``: the benchmark database's reception register. When it holds no locations
(a database loaded before the sample had any), it registers ``LOCATIONS`` of their own,
spread over the provinces, and points every COA, amv, GGV and detention placement of the
matching kind at one of them (by id), so that the occupancy figures have the chain's scale:
every running placement at a registered location. Capacities are set from the placements
running on the day (about 10 % room on average, some locations over capacity).

``naive``: the figures computed the way a first implementation would, a query per location
and per figure through the ORM (a count for the residents, one for the permit holders
waiting, one over the norm, one for the amv, a crisis count, the capacity row, and the family
figure from the residents' links and birth dates read per location and decided in Python
with ``identity.eighteenth_birthday``). Run as a script in a process of its own (it sets up
Django for the database ``KETEN_DATABASE_URL`` names), it prints its figures per location
and its time as JSON; the phase compares them with what ``GET /api/v1/occupancy`` answers.
Not part of the product.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Location kind -> (placement kinds housed there, how many locations of it to register).
LOCATIONS: dict[str, tuple[tuple[str, ...], int]] = {
    "regular": (("coa_regular",), 40),
    "emergency": (("coa_emergency",), 12),
    "crisis": (("coa_crisis",), 4),
    "amv_small_scale": (("coa_minors",), 10),
    "ggv": (("ggv",), 1),
    "detention_centre": (("detention_centre",), 3),
}
PROVINCES = (
    "groningen",
    "friesland",
    "drenthe",
    "overijssel",
    "flevoland",
    "gelderland",
    "utrecht",
    "noord-holland",
    "zuid-holland",
    "zeeland",
    "noord-brabant",
    "limburg",
)
OPERATOR = {"amv_small_scale": "COA", "ggv": "DJI", "detention_centre": "DJI"}
BENCH = ("keten-bench", "keten", "generator", "benchmark reception register")


def ensure_locations(url: str, on: date) -> int:
    """The number of registered locations, after registering the benchmark's own when there
    were none (see the module's docstring)."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM dossiers_location").fetchone()
        assert row is not None
        if row[0]:
            return int(row[0])
        serial = 0
        for kind, (placement_kinds, n) in LOCATIONS.items():
            sites = []
            for i in range(n):
                serial += 1
                province = PROVINCES[serial % len(PROVINCES)]
                got = conn.execute(
                    "INSERT INTO dossiers_location (code, name, kind, operator_id, municipality,"
                    " province, opened, version, created_at) VALUES (%s, %s, %s, %s, %s, %s,"
                    " %s, 1, now()) RETURNING id",
                    (
                        f"bench-{kind}-{i + 1}",
                        f"Benchmarklocatie {kind} {i + 1}",
                        kind,
                        OPERATOR.get(kind, "COA"),
                        province,
                        province,
                        on - timedelta(days=3650),
                    ),
                ).fetchone()
                assert got is not None
                sites.append(int(got[0]))
            # Every placement of the kinds housed there, past and running, at one of them.
            conn.execute(
                "UPDATE dossiers_placement SET site_id = (%s::bigint[])[1 + id %% %s] "
                "WHERE kind = ANY(%s) AND site_id IS NULL",
                (sites, len(sites), list(placement_kinds)),
            )
        # Capacity from what runs on the day: 10 % room, every fifth location over by 5 %;
        # a reserve of 5 % at the regular ones; an expansion a month ahead at a few.
        running: dict[int, int] = dict(
            conn.execute(
                "SELECT l.id, count(p.id) FROM dossiers_location l LEFT JOIN dossiers_placement"
                " p ON p.site_id = l.id AND p.start <= %s AND (p.end IS NULL OR p.end > %s)"
                " GROUP BY l.id",
                (on, on),
            ).fetchall()
        )
        kinds: dict[int, str] = dict(
            conn.execute("SELECT id, kind FROM dossiers_location").fetchall()
        )
        rows = []
        for site, n in running.items():
            places = max(10, int(n * (0.95 if site % 5 == 0 else 1.1)))
            reserve = places // 20 if kinds[site] == "regular" else 0
            rows.append((site, "opening", on - timedelta(days=3650), places, reserve))
            if site % 7 == 0:
                rows.append((site, "expansion", on + timedelta(days=30), places + 50, reserve))
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO dossiers_capacitychange (location_id, change, valid_from, places,"
                " reserve, note, recorded_by, recorded_org, recorded_role, recorded_at, reason)"
                " VALUES (%s, %s, %s, %s, %s, '', %s, %s, %s, now(), %s)",
                [(*r, *BENCH) for r in rows],
            )
        conn.commit()
        conn.autocommit = True
        conn.execute(
            "VACUUM ANALYZE dossiers_placement, dossiers_location, dossiers_capacitychange"
        )
        return len(running)


def naive(on: date) -> dict[str, dict[str, int]]:
    """The figures per location code, a query per location and per figure."""
    from django.db.models import Q

    from keten.chain.identity import PartialDate, eighteenth_birthday
    from keten.server.dossiers.models import (
        CapacityChange,
        FamilyLink,
        Location,
        Person,
        Placement,
        Procedure,
        Withdrawal,
    )

    withdrawn = Withdrawal.objects.filter(resource="placement").values("record_id")
    outflow = Procedure.objects.filter(
        procedure_type="permit_holder_outflow", started_on__lte=on
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    over = outflow.filter(started_on__lt=on - timedelta(weeks=14))

    def minor(birth: str) -> bool:
        return eighteenth_birthday(PartialDate.parse(birth)) > on

    out: dict[str, dict[str, int]] = {}
    for loc in Location.objects.order_by("code"):
        staying = (
            Placement.objects.filter(site=loc, start__lte=on)
            .filter(Q(end__isnull=True) | Q(end__gt=on))
            .exclude(id__in=withdrawn)
        )
        capacity = (
            CapacityChange.objects.filter(location=loc, valid_from__lte=on)
            .order_by("-valid_from", "-id")
            .first()
        )
        places, reserve = (capacity.places, capacity.reserve) if capacity else (0, 0)
        occupancy = staying.count()
        residents = dict(
            Person.objects.filter(id__in=staying.values("person_id")).values_list(
                "id", "birth_date"
            )
        )
        with_parent = set(
            FamilyLink.objects.filter(relation="parent", other_id__in=residents).values_list(
                "other_id", flat=True
            )
        )
        children = FamilyLink.objects.filter(
            relation="parent", parent_or_partner_id__in=residents
        ).values_list("parent_or_partner_id", "other__birth_date")
        parents = {parent for parent, birth in children if minor(birth)}
        in_family = {p for p in with_parent if minor(residents[p])} | parents
        out[loc.code] = {
            "occupancy": occupancy,
            "places": places,
            "reserve": reserve,
            "free": places - reserve - occupancy,
            "permit_holders": staying.filter(person_id__in=outflow.values("person_id")).count(),
            "permit_holders_over_norm": staying.filter(
                person_id__in=over.values("person_id")
            ).count(),
            "amv": staying.filter(person__unaccompanied_minor=True).count(),
            "families": staying.filter(person_id__in=in_family).count(),
            # The 8th day of a crisis stay is past its 7 (the first day is day 1).
            "crisis_over_7": (
                staying.filter(start__lte=on - timedelta(days=7)).count()
                if loc.kind == "crisis"
                else 0
            ),
        }
    return out


def main() -> None:
    from keten.server.setup import django_setup

    django_setup()
    on = date.fromisoformat(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    naive(on)  # warm-up: the same caches the server's process has after its warm-up
    times = []
    figures: dict[str, Any] = {}
    for _ in range(rounds):
        started = time.perf_counter()
        figures = naive(on)
        times.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"times_ms": times, "figures": figures}))


if __name__ == "__main__":
    main()
