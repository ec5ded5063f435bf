"""The sample as loaded (``keten server setup`` -> ``keten.server.sample_load``) holds the
court's procedures linked to the decisions they contest, with outcomes, and decisions again
that name the court procedure they follow: checked in the database itself, a fresh one (an
SQLite file, or a PostgreSQL database when KETEN_DATABASE_URL is set)."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.live import database_env, keten

pytestmark = pytest.mark.slow


def _rows(env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    url = env.get("KETEN_DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url) as conn:
            return list(conn.execute(sql).fetchall())
    with sqlite3.connect(env["KETEN_SQLITE_PATH"]) as conn:
        return list(conn.execute(sql).fetchall())


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    tmp: Path = tmp_path_factory.mktemp("appeals_sample")
    env = database_env(f"keten_appeals_sample_{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}", tmp)
    done = keten(env, "server", "setup", "--persons", "600", "--on", "2026-11-25", "--seed", "3")
    assert "persons" in done.stdout, done.stderr
    yield env


COURT = "('appeal', 'interim_relief', 'higher_appeal')"


def test_every_court_procedure_contests_a_decision_of_its_person_before_it(
    sample: dict[str, str],
) -> None:
    rows = _rows(
        sample,
        f"""
        SELECT a.id, a.procedure_type, a.person_id, o.person_id, o.procedure_type,
               d.decided_on, (SELECT MIN(e.day) FROM dossiers_procedureevent e
                              WHERE e.procedure_id = a.id AND e.kind IN ('lodged', 'requested'))
        FROM dossiers_procedure a
        LEFT JOIN dossiers_decision d ON d.id = a.contests_id
        LEFT JOIN dossiers_procedure o ON o.id = d.procedure_id
        WHERE a.procedure_type IN {COURT}
        """,
    )
    assert len(rows) > 50
    for _id, kind, person, owner, contested_type, decided, lodged in rows:
        assert owner == person, rows  # every one linked (a NULL owner fails here too)
        assert (contested_type == "appeal") == (kind == "higher_appeal")
        if lodged is not None:
            assert str(decided) <= str(lodged)


def test_judgments_are_decisions_with_a_court_outcome(sample: dict[str, str]) -> None:
    rows = _rows(
        sample,
        f"""
        SELECT p.procedure_type, e.kind, d.outcome
        FROM dossiers_procedureevent e
        JOIN dossiers_procedure p ON p.id = e.procedure_id
        LEFT JOIN dossiers_decision d ON d.event_id = e.id
        WHERE p.procedure_type IN {COURT}
          AND e.kind IN ('judgment', 'withdrawn', 'decision_withdrawn')
        """,
    )
    judged = [r for r in rows if r[1] == "judgment"]
    assert judged and all(r[2] in ("well_founded", "unfounded", "inadmissible") for r in judged)
    assert all(r[2] is None for r in rows if r[1] != "judgment")  # a withdrawal is no decision
    assert {r[2] for r in judged if r[0] == "appeal"} >= {"well_founded", "unfounded"}


def test_decisions_again_follow_a_well_founded_appeal_or_a_withdrawal(
    sample: dict[str, str],
) -> None:
    rows = _rows(
        sample,
        """
        SELECT e.procedure_id, e.data, d.id
        FROM dossiers_procedureevent e
        LEFT JOIN dossiers_decision d ON d.event_id = e.id
        WHERE e.kind = 'decided_again'
        """,
    )
    assert rows
    for original, data, decision in rows:
        assert decision is not None
        after = (json.loads(data) if isinstance(data, str) else data)["after"]
        ended = _rows(
            sample,
            f"""
            SELECT e.kind, d.outcome, o.procedure_id
            FROM dossiers_procedure a
            JOIN dossiers_decision o ON o.id = a.contests_id
            JOIN dossiers_procedureevent e ON e.procedure_id = a.id
            LEFT JOIN dossiers_decision d ON d.event_id = e.id
            WHERE a.id = {int(after)}
              AND e.kind IN ('judgment', 'withdrawn', 'decision_withdrawn')
            """,
        )
        assert len(ended) == 1
        kind, outcome, contested_procedure = ended[0]
        assert contested_procedure == original
        assert kind == "decision_withdrawn" or (kind == "judgment" and outcome == "well_founded")


def test_detention_appeals_name_a_detention_measure_of_their_person(
    sample: dict[str, str],
) -> None:
    rows = _rows(
        sample,
        """
        SELECT a.person_id, a.subject, m.person_id, m.kind
        FROM dossiers_procedure a
        LEFT JOIN dossiers_measure m ON 'measure:' || m.id = a.subject
        WHERE a.procedure_type = 'detention_appeal'
        """,
    )
    assert rows
    assert all(r[2] == r[0] and r[3] == "detention" for r in rows), rows
