"""Running the few hot queries written as SQL: prepared once per connection on PostgreSQL.

Django binds parameters on the client, so PostgreSQL parses and plans every statement anew;
for the work-queue page that planning cost more than the query. A server-side cursor with
``prepare=True`` plans each distinct statement once per connection (connections persist,
``CONN_MAX_AGE``). SQLite runs through Django's cursor as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection


def fetch_all(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (``%s`` placeholders) inside the current connection and transaction."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()  # Django's cursor wrapper is untyped
        return rows
