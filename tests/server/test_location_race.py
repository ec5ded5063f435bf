"""PostgreSQL only: two placements into a location's last place at the same moment. The
capacity check counts the location's residents inside the placing command; the location is
locked until that command commits, so the second command counts the first resident and is
refused (422, field ``site``) instead of both taking the one place."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.server.live import Reply, Server
from tests.server.sites import site
from tests.server.test_locations import _place
from tests.server.world import register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL"),
]


def test_two_arrivals_for_the_last_place_get_one_place(live: Server) -> None:
    for _ in range(5):  # a race lost once proves nothing: five rounds
        code = site(live, "coa", "regular", places=1)
        people = [int(register(live, surname=f"Race{i}")["id"]) for i in range(2)]

        def arrive(person: int, at: str = code) -> Reply:
            return _place(live, person, kind="coa_regular", site=at)

        with ThreadPoolExecutor(2) as pool:
            replies = list(pool.map(arrive, people))
        statuses = sorted(r.status for r in replies)
        assert statuses == [201, 422], [r.text for r in replies]
        refused = next(r for r in replies if r.status == 422)
        assert refused.body["field"] == "site"
        shown = live.get(f"/api/v1/locations/{code}", "coa").body
        assert shown["occupied"] == 1, shown
