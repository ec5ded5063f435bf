"""Database triggers that refuse UPDATE and DELETE on the tables of truth.

Application code already refuses (``AppendOnly.save``); the triggers make the database refuse
too, so a raw SQL statement or a bug elsewhere cannot silently rewrite history. Someone with
the power to drop triggers can still alter rows: the audit log's hash chain detects that.
"""

from __future__ import annotations

from typing import Any


def _sqlite(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
    ]


def _postgres(table: str) -> list[str]:
    return [
        "CREATE OR REPLACE FUNCTION keten_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;",
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION keten_append_only();",
    ]


def _drop(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update;",
            f"DROP TRIGGER IF EXISTS {table}_no_delete;",
        ]
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"]


def install(tables: tuple[str, ...]) -> Any:
    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        make = _sqlite if vendor == "sqlite" else _postgres
        for table in tables:
            for sql in make(table):
                schema_editor.execute(sql, None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in _drop(schema_editor.connection.vendor, table):
                schema_editor.execute(sql, None)

    return forwards, backwards
