"""Running the hot reads' SQL: prepared once per connection on PostgreSQL, several at once.

Django binds parameters on the client, so PostgreSQL parses and plans every statement anew;
for the work-queue page that planning cost more than the query. A server-side cursor with
``prepare=True`` plans each distinct statement once per connection (connections persist,
``CONN_MAX_AGE``), and several statements go in one round trip through psycopg's pipeline.
The statements are written with ``%s`` placeholders, as everywhere in Django, and sent with
PostgreSQL's own ``$1, $2, ...``: psycopg rewrites ``%s`` itself, but caches the rewriting
only for statements under 4 kB, and the dossier's one statement is longer (re-parsing it
cost a tenth of the dossier read). SQLite runs them one by one through Django's cursor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import connection

Statement = tuple[str, Sequence[Any]]  # SQL with %s placeholders, and its parameters


def fetch_many(statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    """The rows of each statement, on the current connection (in its transaction, if any)."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        conn = connection.connection
        if len(statements) == 1:  # no pipeline to set up for one statement
            with psycopg.RawCursor(conn) as cursor:
                cursor.execute(native(statements[0][0]), statements[0][1], prepare=True)
                return [cursor.fetchall()]
        cursors = []
        with conn.pipeline():
            for sql, params in statements:
                cursor = psycopg.RawCursor(conn)
                cursor.execute(native(sql), params, prepare=True)
                cursors.append(cursor)
        out = [cursor.fetchall() for cursor in cursors]
        for cursor in cursors:
            cursor.close()
        return out
    out = []
    with connection.cursor() as django_cursor:
        for sql, params in statements:
            django_cursor.execute(sql, params)
            out.append(django_cursor.fetchall())  # Django's cursor wrapper is untyped
    return out


def fetch_all(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of one statement (``%s`` placeholders)."""
    return fetch_many([(sql, params)])[0]


_NATIVE: dict[str, str] = {}
_PLACEHOLDER = re.compile(r"%s|%%")


def native(sql: str) -> str:
    """``sql`` with PostgreSQL's placeholders: ``%s`` numbered ``$1, $2, ...``, ``%%`` as ``%``
    (Django's escape). Kept per statement: the hot reads send a handful of distinct ones."""
    found = _NATIVE.get(sql)
    if found is None:
        counter = iter(range(1, sql.count("%s") + 1))
        found = _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(counter)}", sql)
        _NATIVE[sql] = found
    return found
