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

    from keten.server.services.occupancy import counted
    from keten.server.services.occupancy_count import occupied

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
