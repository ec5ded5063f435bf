"""Lanes and subjects: one record per processing operation, its persons in ``AuditSubject``,
appended to any free lane. Existing records stay as they were hashed, in lane 0, with their
one person (if any) moved to a subject row; their hashes are not recomputed, so tampering
before the migration stays detectable."""

from typing import Any

from django.db import migrations, models

from keten.server.appendonly import install

LANES = 16  # enough for the server's worker threads (3 x 4 by default) to never wait
GENESIS = "0" * 64

install_old, drop_old = install(("audit_auditrecord",))
install_new, drop_new = install(("audit_auditrecord", "audit_auditsubject"))


def move_to_lane_zero(apps: Any, schema_editor: Any) -> None:
    run = schema_editor.execute
    run("UPDATE audit_auditrecord SET lane = 0, lane_seq = seq", None)
    run(
        "INSERT INTO audit_auditsubject (lane, lane_seq, person_id, subject_id) "
        "SELECT 0, seq, person_id, subject_id FROM audit_auditrecord "
        "WHERE person_id IS NOT NULL OR subject_id <> '' ORDER BY seq",
        None,
    )
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
        migrations.CreateModel(
            name="AuditSubject",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("lane", models.PositiveSmallIntegerField()),
                ("lane_seq", models.BigIntegerField()),
                ("person_id", models.BigIntegerField(null=True)),
                ("subject_id", models.CharField(blank=True, max_length=32)),
            ],
        ),
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
        migrations.AddIndex(
            "auditsubject",
            models.Index(fields=["person_id", "lane", "lane_seq"], name="audit_subject_person"),
        ),
        migrations.AddIndex(
            "auditsubject", models.Index(fields=["lane", "lane_seq"], name="audit_subject_record")
        ),
        migrations.RunPython(install_new, drop_new),
    ]
