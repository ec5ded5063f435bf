"""PostgreSQL only: the occupancy figures' one GROUP BY counts exactly what the counting rule
(``occupancy_count.occupied``) counts, on a varied fixture and on many days. (Its plan on a
large database is in docs/benchmarks.md: a test table of a few dozen rows says nothing of it.)"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from tests.server.live import Server
from tests.server.occupancy_fixture import DAY, build

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL"),
]


def test_the_aggregate_equals_the_counting_rule_on_postgresql(live: Server) -> None:
    from django.db import connection

    from keten.server.services.occupancy_count import occupied
    from keten.server.services.occupancy_sql import counted

    assert connection.vendor == "postgresql"
    provinces = [build() for _ in range(3)]
    ids = [site for p in provinces for site in p.ids.values()]
    for offset in range(-45, 8, 3):
        day = DAY + timedelta(days=offset)
        figures = counted(day, ids)
        assert {site: row["occupancy"] for site, row in figures.items()} == occupied(day, ids)
    on_day = counted(DAY, ids)
    for p in provinces:
        for letter, site in p.ids.items():
            row = on_day[site]
            expected = p.expected[letter]
            assert {k: row[k] for k in row} == {k: expected[k] for k in row}, letter


def test_the_figures_are_counted_again_after_every_write(live: Server) -> None:
    """``counted_cached`` serves the day's figures from memory only while the chain's
    append-only tables hold the same rows: a new placement, and the ending of one (which the
    service records as a dossier event), are seen by the very next read."""
    from django.db import connection

    from keten.server.dossiers.models import DossierEvent, Placement
    from keten.server.services.occupancy_sql import counted, counted_cached

    assert connection.vendor == "postgresql"
    first = build()
    before = counted_cached(DAY)
    assert counted_cached(DAY) == before == counted(DAY)
    second = build()  # more placements at new locations
    after = counted_cached(DAY)
    assert after == counted(DAY) and set(second.ids.values()) <= set(after)
    site = next(iter(first.ids.values()))
    running = Placement.objects.filter(site_id=site, end__isnull=True, start__lte=DAY).first()
    assert running is not None
    Placement.objects.filter(pk=running.pk).update(end=DAY)
    DossierEvent.objects.create(
        person_id=running.person_id,
        kind="placement_ended",
        payload={"id": running.pk},
        recorded_by="test",
        recorded_org="COA",
        recorded_role="coa_planner",
    )
    ended = counted_cached(DAY)
    assert (
        ended[site]["occupancy"] == after[site]["occupancy"] - 1 == counted(DAY)[site]["occupancy"]
    )
