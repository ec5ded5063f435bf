"""``keten_audit_append(records jsonb)``: an audit append as one statement on PostgreSQL.

Each element of ``records`` holds a record's columns and its canonical form as computed by
``keten.server.audit.log.canonical``. The function claims a lane no other transaction holds
(else waits for one), chains each record's hash exactly as ``keten.server.audit.log._link``
does (SHA-256 of the previous hash, a newline and the canonical form, in UTF-8, as hex),
inserts the records and moves the lane's head. ``keten audit verify`` recomputes every hash
in Python, so the two definitions are held equal by the tests that verify the live chain.
"""

from typing import Any

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION keten_audit_append(records jsonb) RETURNS void AS $$
DECLARE
    head record;
    r jsonb;
    prev text;
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
    FOR r IN SELECT value FROM jsonb_array_elements(records) LOOP
        n := n + 1;
        INSERT INTO audit_auditrecord (
            lane, lane_seq, trace_id, span_id, parent_span_id, name, status_code,
            start_time, end_time, resource, purpose, actor_user, actor_org, actor_role,
            action, policy_resource, fields, object_ref, subjects, prev_hash, hash
        ) VALUES (
            head.id, n, r->>'trace_id', r->>'span_id', r->>'parent_span_id', r->>'name',
            r->>'status_code', (r->>'start_time')::timestamptz, (r->>'end_time')::timestamptz,
            r->>'resource', r->>'purpose', r->>'actor_user', r->>'actor_org', r->>'actor_role',
            r->>'action', r->>'policy_resource', r->'fields', r->>'object_ref', r->'subjects',
            prev,
            encode(sha256(convert_to(prev || E'\n' || (r->>'canonical'), 'UTF8')), 'hex')
        ) RETURNING hash INTO prev;
    END LOOP;
    UPDATE audit_audithead SET seq = n, hash = prev WHERE id = head.id;
END
$$ LANGUAGE plpgsql;
"""


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, None)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS keten_audit_append(jsonb)", None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_lanes_and_subjects")]
    operations = [migrations.RunPython(create, drop)]
