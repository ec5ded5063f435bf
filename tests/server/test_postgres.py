"""PostgreSQL only: the work queue is served by its partial index, not a scan and sort."""

from __future__ import annotations

import os

import pytest

from tests.server.live import Server

pytestmark = pytest.mark.postgres


@pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL")
def test_queue_query_uses_the_partial_index(live: Server) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SET enable_seqscan = off")  # a tiny test table would tempt a seq scan
        cur.execute(
            "EXPLAIN SELECT id FROM dossiers_procedure WHERE queue = 'ind' AND team = "
            "'beslissen' AND status IN ('open', 'suspended', 'not_started') "
            "ORDER BY priority, due NULLS LAST, id LIMIT 50"
        )
        plan = "\n".join(row[0] for row in cur.fetchall())
        cur.execute("RESET enable_seqscan")
    assert "queue_team_order" in plan and "Sort" not in plan, plan
