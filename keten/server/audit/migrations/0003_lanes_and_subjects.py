"""Lanes and subjects: one record per processing operation, listing the persons it touched,
appended to any free lane. Existing records stay as they were hashed, in lane 0, with their
one person (if any) moved into ``subjects``; their hashes are not recomputed, so tampering
before the migration stays detectable."""

from typing import Any

from django.db import migrations, models

from keten.server.appendonly import install

LANES = 16  # enough for the server's worker threads (3 x 4 by default) to never wait
GENESIS = "0" * 64

install_old, drop_old = install(("audit_auditrecord",))


def move_to_lane_zero(apps: Any, schema_editor: Any) -> None:
    record = apps.get_model("audit", "AuditRecord")
    batch = []
    for seq, person_id, subject_id in record.objects.values_list(
        "seq", "person_id", "subject_id"
    ).iterator(chunk_size=5000):
        subjects = [[person_id, subject_id]] if person_id is not None or subject_id else []
        batch.append(record(seq=seq, lane=0, lane_seq=seq, subjects=subjects))
        if len(batch) == 5000:
            record.objects.bulk_update(batch, ["lane", "lane_seq", "subjects"])
            batch = []
    record.objects.bulk_update(batch, ["lane", "lane_seq", "subjects"])
    head = apps.get_model("audit", "AuditHead")
    old = head.objects.filter(id=1).first()
    if old is not None and old.seq:
        head.objects.create(id=0, seq=old.seq, hash=old.hash)
    head.objects.filter(id=1).delete()
    head.objects.bulk_create([head(id=i, seq=0, hash=GENESIS) for i in range(1, LANES + 1)])


def continue_numbering(apps: Any, schema_editor: Any) -> None:
    """PostgreSQL's new identity column starts at 1; new records must follow the old ones."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "SELECT setval(pg_get_serial_sequence('audit_auditrecord', 'seq'), "
            "COALESCE(MAX(seq), 1), MAX(seq) IS NOT NULL) FROM audit_auditrecord",
            None,
        )


def index_subjects(apps: Any, schema_editor: Any) -> None:
    """Records by person: a GIN index answers ``subjects @> '[[id]]'`` (PostgreSQL only;
    SQLite, for demos, scans)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX audit_subjects ON audit_auditrecord USING gin (subjects jsonb_path_ops)",
            None,
        )


def unindex_subjects(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS audit_subjects", None)


def back_from_lane_zero(apps: Any, schema_editor: Any) -> None:
    raise RuntimeError("the audit log cannot be moved back to a single chain")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [
        migrations.RunPython(drop_old, install_old),
        migrations.AddField(
            "auditrecord",
            "lane",
            models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField("auditrecord", "lane_seq", models.BigIntegerField(null=True)),
        migrations.AddField("auditrecord", "subjects", models.JSONField(default=list)),
        migrations.RunPython(move_to_lane_zero, back_from_lane_zero),
        migrations.AlterField("auditrecord", "lane_seq", models.BigIntegerField()),
        migrations.RemoveIndex("auditrecord", "audit_person"),
        migrations.RemoveField("auditrecord", "person_id"),
        migrations.RemoveField("auditrecord", "subject_id"),
        migrations.RemoveField("auditrecord", "subject_id_type"),
        migrations.AlterField(
            "auditrecord", "seq", models.BigAutoField(primary_key=True, serialize=False)
        ),
        migrations.RunPython(continue_numbering, migrations.RunPython.noop),
        migrations.AddConstraint(
            "auditrecord",
            models.UniqueConstraint(fields=["lane", "lane_seq"], name="audit_lane_seq"),
        ),
        migrations.RunPython(index_subjects, unindex_subjects),
        migrations.RunPython(install_old, drop_old),
    ]
