"""The rows a report counts over (``keten.reports.frames``), read from the database for a period.

Only the rows the period needs. The procedures: those of the asked types started or closed in
the period; the court's procedures that ended in it (their end is an event, not ``closed_on``);
those closed before it with a new decision in it (a decision after a well-founded appeal);
those with a notice of default shortly before it (a dwangsom that runs into it); and the
procedures whose decisions these contest, and the court procedures contesting theirs (a
judgment in the period on a decision of years ago still weighs its product). They are selected
in one pass with the period's predicate (the report indexes of migration 0009 serve it, or a
scan when the period holds most of the table) into a temporary table; the other tables are read
against it: all standing decisions of these procedures, their standing events of the period
(and of the kinds a rule looks back for, ``LOOKBACK_KINDS``, any day), the documents issued in
the period. Withdrawn events and decisions are left out, as ``services/withdrawals.standing``
does.

The same SQL runs on SQLite and PostgreSQL. On PostgreSQL the rows come through ``COPY ... TO
STDOUT`` as CSV and are parsed by polars: a report's period holds about a procedure per person,
and reading them as Python tuples cost more than the query.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import polars as pl
from django.db import connection, transaction

from keten.reports.counting import COURT, NOTICE_OF_DEFAULT
from keten.reports.frames import SCHEMAS, Frames, conform
from keten.server.services.sql import fetch_many

Statement = tuple[str, list[Any]]

# Events a rule reads on days before the period: the notice that a closing in the period
# handles, the court's intake event (counted on its first day).
LOOKBACK_KINDS: tuple[str, ...] = (NOTICE_OF_DEFAULT, *sorted({k for _, k in COURT.intake_event}))
# The court's events that end its procedure. A court procedure received in the period started
# in it (interim relief: on its request) or closed in it (an appeal's main deadline is the
# filing term, stopped by lodging it); one started before and ended in the period is found by
# these events.
COURT_ENDINGS: tuple[str, ...] = ("judgment", COURT.appeal_withdrawn, COURT.ind_withdrew_decision)
DECIDED = "decided"  # a new decision on a procedure closed before the period
# A dwangsom starts two weeks after the notice and runs at most 42 days (Awb 4:17): a run that
# reaches into the period had its notice at most this long before the period's start.
DWANGSOM_REACH = timedelta(weeks=2, days=42)


def _in(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _procedures(types: Sequence[str], start: date, end: date) -> Statement:
    """The procedures the period needs (see the module), with the contract's columns.

    One pass over the procedures with the period's predicate (the report indexes answer it, or
    a scan when the period holds most of them) rather than a set of ids joined back to the
    table: the small sets (the court's events, late decisions, notices, the decisions appeals
    contest) are found first, by their indexes, and tested by membership."""
    t = _in(types)
    court = [x for x in types if x in COURT.types] or ["-"]
    predicate = f"""{{p}}.procedure_type IN ({t})
        AND ({{p}}.started_on BETWEEN %s AND %s OR {{p}}.closed_on BETWEEN %s AND %s
             OR {{p}}.id IN (SELECT id FROM extra))"""

    def where(alias: str) -> str:
        return predicate.format(p=alias)

    def where_params() -> list[Any]:
        return [*types, start, end, start, end]

    sql = f"""
    WITH extra AS (
        SELECT e.procedure_id AS id FROM dossiers_procedureevent e
        JOIN dossiers_procedure p ON p.id = e.procedure_id
        WHERE e.kind IN ({_in(COURT_ENDINGS)}) AND e.day BETWEEN %s AND %s
          AND p.procedure_type IN ({_in(court)}) AND p.started_on < %s
          AND (p.closed_on IS NULL OR p.closed_on < %s)
        UNION
        SELECT e.procedure_id FROM dossiers_procedureevent e
        JOIN dossiers_procedure p ON p.id = e.procedure_id
        WHERE e.kind = %s AND e.day BETWEEN %s AND %s
          AND p.procedure_type IN ({t}) AND p.closed_on < %s
        UNION
        SELECT e.procedure_id FROM dossiers_procedureevent e
        JOIN dossiers_procedure p ON p.id = e.procedure_id
        WHERE e.kind = %s AND e.day BETWEEN %s AND %s AND p.procedure_type IN ({t})
    ),
    contested AS (
        SELECT d.procedure_id AS id FROM dossiers_procedure a
        JOIN dossiers_decision d ON d.id = a.contests_id
        WHERE a.contests_id IS NOT NULL AND {where("a")}
        UNION
        SELECT a.id FROM dossiers_procedure a
        JOIN dossiers_decision d ON d.id = a.contests_id
        JOIN dossiers_procedure c ON c.id = d.procedure_id
        WHERE a.contests_id IS NOT NULL AND {where("c")}
    )
    SELECT p.id AS procedure_id, p.person_id, COALESCE(pe.nationality, '') AS nationality,
           p.procedure_type, p.queue AS organisation, p.team, p.started_on, p.closed_on,
           p.due, p.status, p.regime, p.dwangsom_first_day, p.dwangsom_last_day,
           p.contests_id AS contests
    FROM dossiers_procedure p
    LEFT JOIN dossiers_person pe ON pe.id = p.person_id
    WHERE ({where("p")}) OR p.id IN (SELECT id FROM contested)
    """
    params: list[Any] = [
        *COURT_ENDINGS, start, end, *court, start, start,
        DECIDED, start, end, *types, start,
        NOTICE_OF_DEFAULT, start - DWANGSOM_REACH, end, *types,
        *where_params(), *where_params(), *where_params(),
    ]  # fmt: skip
    return sql, params


# The selected procedures are written once to a temporary table that the other statements read
# (dropped at commit on PostgreSQL, by hand on SQLite).
TEMP_TABLE = "report_procedures"


def statements(
    start: date, end: date, event_reads: Mapping[str, Sequence[str] | None] | None = None
) -> dict[str, Statement]:
    """The four tables' statements over ``TEMP_TABLE`` (``%s`` placeholders), in the
    contract's column order."""
    if event_reads:
        # Each kind a report reads is found by the cheapest road: a kind read on every type
        # through the (kind, day) index, tested against the selection; a kind read on a few
        # types (the court's intake) from the selected procedures of those types through the
        # events' procedure index. Joining every event of every selected procedure read the
        # whole event table for 150,000 rows (2.5 s on 1M persons); the court's `lodged`
        # alone is 1.5M rows of other types.
        parts, params = [], []
        standing = """NOT EXISTS (SELECT 1 FROM dossiers_withdrawal w
                              WHERE w.resource = 'event' AND w.record_id = e.id)"""
        when = f"(e.day BETWEEN %s AND %s OR e.kind IN ({_in(LOOKBACK_KINDS)}))"
        for kind, types in sorted(event_reads.items()):
            if types is None:
                parts.append(
                    f"""SELECT e.procedure_id, e.kind, e.day FROM dossiers_procedureevent e
                    WHERE e.kind = %s AND {when} AND {standing} AND EXISTS (
                        SELECT 1 FROM {TEMP_TABLE} sel WHERE sel.procedure_id = e.procedure_id)"""
                )
                params += [kind, start, end, *LOOKBACK_KINDS]
            else:
                parts.append(
                    f"""SELECT e.procedure_id, e.kind, e.day
                    FROM {TEMP_TABLE} sel JOIN dossiers_procedureevent e
                      ON e.procedure_id = sel.procedure_id
                    WHERE sel.procedure_type IN ({_in(types)}) AND e.kind = %s AND {when}
                      AND {standing}"""
                )
                params += [*types, kind, start, end, *LOOKBACK_KINDS]
        events: Statement = ("\nUNION ALL\n".join(parts), params)
    else:
        events = (
            f"""
            SELECT e.procedure_id, e.kind, e.day
            FROM {TEMP_TABLE} sel JOIN dossiers_procedureevent e
              ON e.procedure_id = sel.procedure_id
            WHERE (e.day BETWEEN %s AND %s OR e.kind IN ({_in(LOOKBACK_KINDS)}))
              AND NOT EXISTS (SELECT 1 FROM dossiers_withdrawal w
                              WHERE w.resource = 'event' AND w.record_id = e.id)
            """,
            [start, end, *LOOKBACK_KINDS],
        )
    return {
        "procedures": (f"SELECT * FROM {TEMP_TABLE}", []),
        "events": events,
        "decisions": (
            f"""
            SELECT d.id, d.procedure_id, d.outcome, d.decided_on
            FROM {TEMP_TABLE} sel JOIN dossiers_decision d ON d.procedure_id = sel.procedure_id
            WHERE NOT EXISTS (SELECT 1 FROM dossiers_withdrawal w
                              WHERE w.resource = 'decision' AND w.record_id = d.id)
            """,
            [],
        ),
        "documents": (
            """
            SELECT r.person_id, r.kind, r.issued FROM dossiers_residencedocument r
            WHERE r.issued BETWEEN %s AND %s
            """,
            [start, end],
        ),
    }


def _from_rows(name: str, rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    """Rows to the contract's frame, column by column; SQLite gives dates as ISO text."""
    schema = SCHEMAS[name]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    series = []
    for (column, dtype), values in zip(schema.items(), columns, strict=True):
        s = pl.Series(column, list(values), dtype=None if dtype == pl.Date else dtype, strict=False)
        if dtype == pl.Date and s.dtype == pl.Utf8:
            s = s.str.to_date("%Y-%m-%d")
        series.append(s.cast(dtype))
    return conform(name, pl.DataFrame(series))


# Text columns that hold "" rather than NULL in the database (CSV reads both as empty).
_NOT_NULL_TEXT = {"nationality", "organisation", "team", "status", "procedure_type", "kind"}


def _copied(name: str, statement: Statement) -> pl.DataFrame:
    """One table through PostgreSQL's COPY as CSV, parsed by polars."""
    import psycopg

    connection.ensure_connection()
    conn = connection.connection
    sql = psycopg.ClientCursor(conn).mogrify(statement[0], statement[1])
    buffer = io.BytesIO()
    with conn.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for chunk in copy:
            buffer.write(chunk)
    schema = SCHEMAS[name]
    frame = pl.read_csv(
        buffer.getvalue(),
        has_header=False,
        new_columns=list(schema),
        schema=schema,
    )
    return conform(
        name,
        frame.with_columns([pl.col(c).fill_null("") for c in schema if c in _NOT_NULL_TEXT]),
    )


def frames_for(
    types: Sequence[str],
    start: date,
    end: date,
    source: str = "",
    *,
    event_reads: Mapping[str, Sequence[str] | None] | None = None,
) -> Frames:
    """The frames for the procedures of ``types`` and the period ``start``..``end``; with
    ``event_reads`` (kind -> the types it is read on, None: any), only those events: what the
    report's rules read (``keten.reports.counting.EVENT_READS``)."""
    if not types:
        raise ValueError("frames_for: name the procedure types the report counts")
    sql, params = _procedures(types, start, end)
    wanted = statements(start, end, event_reads)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TEMP TABLE {TEMP_TABLE} ON COMMIT DROP AS {sql}", params)
            cursor.execute(f"ANALYZE {TEMP_TABLE}")
            tables = {name: _copied(name, st) for name, st in wanted.items()}
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{TEMP_TABLE}")
            cursor.execute(f"CREATE TEMP TABLE {TEMP_TABLE} AS {sql}", params)
            rows = fetch_many(list(wanted.values()))
            cursor.execute(f"DROP TABLE temp.{TEMP_TABLE}")
            tables = {name: _from_rows(name, r) for name, r in zip(wanted, rows, strict=True)}
    return Frames(
        procedures=tables["procedures"],
        events=tables["events"],
        decisions=tables["decisions"],
        documents=tables["documents"],
        source=source or "Keten database",
        period=(start, end),
    )
