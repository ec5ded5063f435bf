"""PostgreSQL only: the work queue is served by its partial index, not a scan and sort."""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from tests.server.live import Server

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.postgres


def _as_in_service(cur: CursorWrapper, *tables: str) -> None:
    """Give the planner what autovacuum gives a table in service: statistics and a visibility
    map. Without them the two queue indexes tie on cost on a fresh test table and the planner's
    pick between them is arbitrary (seen in CI)."""
    cur.execute("VACUUM ANALYZE " + ", ".join(tables))


def _prepared_plan(sql: str, params: list[Any], *tables: str) -> str:
    """The plan of ``sql`` prepared as the service prepares it (one generic plan), with the
    tables as in service and scans that would only suit a tiny test table turned off."""
    from django.db import connection

    from keten.server.services.sql import native

    with connection.cursor() as cur:
        _as_in_service(cur, *tables)
        cur.execute("SET enable_seqscan = off")
        cur.execute("SET enable_bitmapscan = off")
        cur.execute("PREPARE page AS " + native(sql))
        cur.execute("EXPLAIN EXECUTE page (" + ", ".join(["%s"] * len(params)) + ")", params)
        plan = "\n".join(row[0] for row in cur.fetchall())
        cur.execute("DEALLOCATE page")
        cur.execute("RESET enable_seqscan")
        cur.execute("RESET enable_bitmapscan")
    return plan


@pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL")
def test_queue_query_uses_the_partial_index(live: Server) -> None:
    """The columns a page row shows, in the queue's order, straight from the partial index.
    (Selecting only ``id`` would let the narrower ``queue_order`` win on a tiny table: the
    question is what the page itself reads.)"""
    from django.db import connection

    from keten.server.services.queues import ROW_COLUMNS

    with connection.cursor() as cur:
        _as_in_service(cur, "dossiers_procedure")
        # A table of a few dozen rows would tempt a seq scan, or a bitmap scan and a sort of
        # its handful of rows (CI's planner chose that once the index grew by the stage): the
        # question is whether an index serves the page's order, so only those are left cheap.
        for method in ("seqscan", "bitmapscan", "sort"):
            cur.execute(f"SET enable_{method} = off")
        cur.execute(
            f"EXPLAIN SELECT {', '.join(ROW_COLUMNS)} FROM dossiers_procedure WHERE queue = "
            "'ind' AND team = 'beslissen' AND status IN ('open', 'suspended', 'not_started') "
            "ORDER BY priority, due NULLS LAST, id LIMIT 50"
        )
        plan = "\n".join(row[0] for row in cur.fetchall())
        for method in ("seqscan", "bitmapscan", "sort"):
            cur.execute(f"RESET enable_{method}")
    assert "queue_team_order" in plan and "Sort" not in plan, plan


@pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL")
def test_queue_page_reads_its_rows_from_the_index_alone(live: Server, world: object) -> None:
    """The page's rows come from an index-only scan of queue_team_order, which carries every
    column a row shows; only the persons are read from a table."""
    from django.contrib.auth.models import User

    from keten.server.services.actor import actor_for
    from keten.server.services.queues import _page_sql, _selection

    ind = actor_for(User.objects.select_related("membership__organisation").get(username="ind"))
    sql, params = _page_sql(_selection(ind, None), ([], []), 51, 50)
    plan = _prepared_plan(sql, params, "dossiers_procedure", "dossiers_person")
    assert "Index Only Scan using queue_team_order" in plan, plan
    assert "dossiers_procedure_pkey" not in plan, plan


@pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL")
def test_dossier_rows_read_as_one_statement_equal_the_orms(live: Server, world: object) -> None:
    """The dossier's queries go to PostgreSQL as one statement returning JSON; the instances
    made from it must be the ones the ORM makes, field by field, related rows included."""
    from django.db import models, transaction

    from keten.server.dossiers.models import Person, ProtectedRecord, SupportOffer
    from keten.server.services import reads, scope
    from keten.server.services.compiled import PersonRows, fetch

    queries: dict[str, PersonRows[Any]] = {
        "person": scope.PERSON,
        "family": reads._FAMILY,
        "happened": reads._DOSSIER_EVENTS,
        "procedures": reads._PROCEDURES,
        "events": reads._EVENTS,
        "decisions": reads._DECISIONS,
        **reads._RECORDS,
    }

    def values(obj: models.Model) -> dict[str, object]:
        out: dict[str, object] = {
            f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
        }
        # Loaded, not to be inserted, and from this database: as the ORM marks its instances
        out["_state"] = (obj._state.adding, obj._state.db, type(obj))
        for name, related in obj._state.fields_cache.items():
            # A nullable relation read with select_related (a placement's site) caches None.
            out[name] = values(related) if related is not None else None
        return out

    seen = dict.fromkeys(queries, 0)
    # Rolled back: the protected records and the support offer are this test's own (the sample
    # has support offers only for some departures with IOM, which a small one may lack).
    with transaction.atomic():
        first = Person.objects.order_by("pk")[0]
        SupportOffer.objects.create(
            person=first,
            kind="flight_ticket",
            programme="rean",
            amount_eur=350,
            offered_on=date(2026, 1, 5),
            note="ticket — ğ, 中文",
            recorded_by="test",
            recorded_org="IOM",
            reason="equivalence of the two ways of reading",
        )
        for category in ("asylum_motive", "finding_1f"):
            ProtectedRecord.objects.create(
                person=first,
                category=category,
                text='Vervolging wegens "geloof" — ğ, 中文,\n\\ en een tab\t.',
                recorded_by="test",
                recorded_org="IND",
                reason="equivalence of the two ways of reading",
            )
        for pid in Person.objects.values_list("pk", flat=True):
            combined = fetch(*((q, pid) for q in queries.values()))
            for (name, query), rows in zip(queries.items(), combined, strict=True):
                expected = [values(o) for o in query._build(pid)]
                assert [values(o) for o in rows] == expected, (name, pid)
                seen[name] += len(rows)
        transaction.set_rollback(True)
    # Every query returned rows somewhere, so none was compared only as an empty list.
    assert all(seen.values()), seen


@pytest.mark.skipif(not os.environ.get("KETEN_DATABASE_URL"), reason="needs KETEN_DATABASE_URL")
def test_a_page_after_a_position_starts_in_the_index_where_the_position_is(
    live: Server, world: object
) -> None:
    """Paging by position seeks the queue's index to the position (an index condition on
    (priority, due, id)), where a page number walks and grant-checks every row before it."""
    from datetime import date

    from django.contrib.auth.models import User

    from keten.server.services.actor import actor_for
    from keten.server.services.queues import Position, _page_sql, _selection

    dtenv = actor_for(User.objects.select_related("membership__organisation").get(username="dtenv"))
    for position in (Position(2, date(2030, 1, 1), 10), Position(1, None, 10)):
        sql, params = _page_sql(_selection(dtenv, None), ([], []), 51, 0, after=position)
        tables = ("dossiers_procedure", "dossiers_person", "dossiers_accessgrant")
        plan = _prepared_plan(sql, params, *tables)
        scans = [line for line in plan.splitlines() if "Index Cond" in line and "queue" in line]
        assert len(scans) == 2, plan  # one range per condition of Position.after
        if position.due is not None:
            assert any("ROW(priority, due, id) > ROW(" in line for line in scans), plan
        else:
            assert any("(priority > " in line for line in scans), plan
            assert any("(id > " in line and "due IS NULL" in line for line in scans), plan
        assert "Index Only Scan using queue_team_order" in plan, plan
