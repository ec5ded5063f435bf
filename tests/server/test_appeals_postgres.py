"""PostgreSQL only: two officers lodge an appeal against the same refusal at the same moment.
Lodging first raises the person's version (``services/appeals.lodge``), so the second waits
for the first's row lock and then finds the version gone (409): one appeal is stored, never
two open against one decision."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.server.live import Reply, Server
from tests.server.test_appeals_api import LITIGATION, _day, _refusal
from tests.server.world import version

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL"),
]


def test_two_appeals_against_one_refusal_at_once_store_one(live: Server) -> None:
    from keten.server.dossiers.models import Procedure

    for _ in range(5):  # a race lost once proves nothing: five rounds
        person, _original, refusal = _refusal(live)
        based_on = version(live, person)

        def lodge(
            why: str, person: int = person, refusal: int = refusal, based_on: str = based_on
        ) -> Reply:
            return live.request(
                "POST",
                f"/api/v1/persons/{person}/appeals",
                LITIGATION,
                {"procedure_type": "appeal", "contests": refusal, "day": _day(100), "reason": why},
                headers={"If-Match": based_on},
            )

        with ThreadPoolExecutor(2) as pool:
            replies = list(pool.map(lodge, ["eerste", "tweede"]))
        assert sorted(r.status for r in replies) == [201, 409], [r.text for r in replies]
        assert Procedure.objects.filter(contests_id=refusal).count() == 1
