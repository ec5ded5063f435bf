"""Upgrading to audit lanes keeps the old records verifiable and loses none of them.

``data/legacy_audit.json`` holds 36 records written by the single-chain audit log (one record
per person, ``person_id``/``subject_id`` columns), as that code wrote them. The test loads them
into a database at migration ``audit 0002``, migrates to the current schema, and checks that
`keten audit verify` passes, that each old record kept its person, that new records append
after them, and that altering an old record is still detected.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.server.live import database_env, keten

LEGACY = Path(__file__).parent / "data" / "legacy_audit.json"

SCRIPT = r"""
import json, sys
from keten.server.setup import django_setup
django_setup()
from django.core.management import call_command
from django.db import connection, transaction

legacy = json.load(open(sys.argv[1]))
call_command("migrate", "audit", "0002", verbosity=0)
columns = list(legacy["records"][0])
with connection.cursor() as cursor:
    for row in legacy["records"]:
        values = [json.dumps(row[c]) if c == "fields" else row[c] for c in columns]
        cursor.execute(
            f"INSERT INTO audit_auditrecord ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            values,
        )
    cursor.execute(
        "INSERT INTO audit_audithead (id, seq, hash) VALUES (1, %s, %s)",
        [legacy["head"]["seq"], legacy["head"]["hash"]],
    )
call_command("migrate", verbosity=0)

from keten.server.audit.log import Context, Entry, append
from keten.server.audit.models import AuditRecord

with transaction.atomic():
    append(Context("ind", "IND", "ind_case_worker", "urn:test"), [
        Entry("person.read", "read", "identity", ("v_number",), ((1, "2000000001"),))
    ])
old = {r["seq"]: r for r in legacy["records"]}
kept = {r.lane_seq: r.subjects for r in AuditRecord.objects.filter(lane=0)}
for seq, row in old.items():
    expected = [[row["person_id"], row["subject_id"]]] if row["person_id"] else []
    assert kept[seq] == expected, (seq, kept[seq], expected)
newest = AuditRecord.objects.order_by("-seq").first()
assert newest.seq == max(old) + 1 and newest.lane == 1 and newest.lane_seq == 1, newest.seq
assert AuditRecord.objects.filter(lane=0).count() == len(old)
print("ok")
"""


def test_legacy_records_survive_the_lane_migration(tmp_path: Path) -> None:
    env = database_env("keten_audit_migration", tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(LEGACY)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-3000:]
    result = keten(env, "audit", "verify", check=False)
    assert result.returncode == 0, result.stderr
    assert f"{len(json.loads(LEGACY.read_text())['records']) + 1} records" in result.stdout

    # An old record altered after the upgrade is still caught by its original hash.
    tamper = (
        "from keten.server.setup import django_setup; django_setup()\n"
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "if connection.vendor == 'postgresql':\n"
        "    c.execute('DROP TRIGGER audit_auditrecord_append_only ON audit_auditrecord')\n"
        "else:\n"
        "    c.execute('DROP TRIGGER audit_auditrecord_no_update')\n"
        "c.execute(\"UPDATE audit_auditrecord SET purpose = 'x' \"\n"
        '          "WHERE lane = 0 AND lane_seq = 7")\n'
    )
    subprocess.run([sys.executable, "-c", tamper], env=env, check=True, timeout=120)
    result = keten(env, "audit", "verify", check=False)
    assert result.returncode == 1
    assert "lane 0, record 7" in result.stderr and "hash does not match" in result.stderr
