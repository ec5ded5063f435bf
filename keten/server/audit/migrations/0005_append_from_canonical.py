"""``keten_audit_append(canonicals text)``: the append takes the records' canonical forms only.

A record's canonical form (``keten.server.audit.log.canonical``) holds every column the
record stores, so the columns are read from it and the record crosses to the database once,
not twice (as columns and as the canonical text, in the jsonb argument of migration 0004).
The forms come one per line: compact JSON has no raw line break (one inside a string is
written ``\\n``), and one text parameter is bound as it is, where a text array made psycopg
escape every quote of every record. The hash is unchanged: SHA-256 of the previous hash of
the lane, a newline and the canonical form, in UTF-8, as hex, exactly as
``keten.server.audit.log._link``.
"""

import importlib
from typing import Any

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION keten_audit_append(canonicals text) RETURNS void AS $$
DECLARE
    head record;
    c text;
    r jsonb;
    prev text;
    linked text;
    n bigint;
BEGIN
    SELECT id, seq, hash INTO head FROM audit_audithead WHERE id > 0
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN  -- more writers than lanes: wait for one, spread by backend
        SELECT id, seq, hash INTO head FROM audit_audithead
            WHERE id = 1 + pg_backend_pid() % (SELECT count(*) FROM audit_audithead WHERE id > 0)
            FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the audit log has no lanes: run the migrations';
        END IF;
    END IF;
    prev := head.hash;
    n := head.seq;
    FOREACH c IN ARRAY string_to_array(canonicals, E'\n') LOOP
        n := n + 1;
        r := c::jsonb;
        linked := encode(sha256(convert_to(prev || E'\n' || c, 'UTF8')), 'hex');
        INSERT INTO audit_auditrecord (
            lane, lane_seq, trace_id, span_id, parent_span_id, name, status_code,
            start_time, end_time, resource, purpose, actor_user, actor_org, actor_role,
            action, policy_resource, fields, object_ref, subjects, prev_hash, hash
        ) VALUES (
            head.id, n, r->>'trace_id', r->>'span_id', r->>'parent_span_id', r->>'name',
            r->>'status_code', (r->>'start_time')::timestamptz, (r->>'end_time')::timestamptz,
            r->>'resource', r->>'purpose', r->>'actor_user', r->>'actor_org', r->>'actor_role',
            r->>'action', r->>'policy_resource', r->'fields', r->>'object_ref', r->'subjects',
            prev, linked
        );
        prev := linked;
    END LOOP;
    UPDATE audit_audithead SET seq = n, hash = prev WHERE id = head.id;
END
$$ LANGUAGE plpgsql;
"""


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, None)
        schema_editor.execute("DROP FUNCTION IF EXISTS keten_audit_append(jsonb)", None)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        previous = importlib.import_module("keten.server.audit.migrations.0004_append_function")
        schema_editor.execute(previous.FUNCTION, None)
        schema_editor.execute("DROP FUNCTION IF EXISTS keten_audit_append(text)", None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_append_function")]
    operations = [migrations.RunPython(create, drop)]
