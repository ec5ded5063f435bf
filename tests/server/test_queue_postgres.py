"""PostgreSQL only: a filtered work queue still walks the queue's partial index in its order
(``queue_team_order``), reading the filters from the index's own columns, with no sort of the
queue; "mine" is driven from the assignment cache's index. Checked with EXPLAIN on the SQL the
service prepares (``services/queues.py`` ``_page_sql``)."""

from __future__ import annotations

import os
from datetime import date

import pytest

from tests.server.live import Server
from tests.server.test_postgres import _prepared_plan

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL"),
]

FILTERS = {
    "type": {"procedure_type": "asylum_first"},
    "overdue": {"overdue": "1"},
    "type_overdue": {"procedure_type": "asylum_first", "overdue": "1"},
    "days_left": {"days_left": "7"},
    "priority": {"priority": "pact"},
    "stage": {"stage": "lodged"},
    "dwangsom": {"dwangsom": "running"},
    "unassigned": {"unassigned": "1"},
    "mine": {"mine": "1"},
}


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_a_filtered_page_walks_the_queue_index_without_sorting_the_queue(
    live: Server, name: str
) -> None:
    from django.contrib.auth.models import User

    from keten.server.services.actor import actor_for
    from keten.server.services.queue_filters import conditions, parse
    from keten.server.services.queues import _page_sql, _selection

    ind = actor_for(User.objects.select_related("membership__organisation").get(username="ind"))
    f = parse(FILTERS[name])
    sql, params = _page_sql(_selection(ind, None), conditions(f, date.today(), "ind"), 51, 0)
    plan = _prepared_plan(sql, params, "dossiers_procedure", "workqueue_currentassignment")
    assert "queue_team_order" in plan, plan
    if name != "mine":  # a person's own few cases may be fetched by assignee, then sorted
        assert "Sort" not in plan, plan
