"""Where each case stands: the kind of its latest event, cached on the procedure so that a
work-queue page shows it from the queue's index alone (INCLUDE). Filled here from the events
in one statement; from then on every event's transaction keeps it (services/derived.py). On a
large table, build the index beforehand with CREATE INDEX CONCURRENTLY under another name and
swap, to keep the queue readable meanwhile."""

from django.db import migrations, models

FILL = """
UPDATE dossiers_procedure SET stage = COALESCE((
    SELECT e.kind FROM dossiers_procedureevent e
    WHERE e.procedure_id = dossiers_procedure.id
    ORDER BY e.day DESC, e.id DESC LIMIT 1
), '')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_queue_index_covers_page_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="stage",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RemoveIndex(
            model_name="procedure",
            name="queue_team_order",
        ),
        migrations.AddIndex(
            model_name="procedure",
            index=models.Index(
                condition=models.Q(("status__in", ["open", "suspended", "not_started"])),
                fields=["queue", "team", "priority", "due", "id"],
                include=(
                    "person",
                    "procedure_type",
                    "status",
                    "deadline_id",
                    "dwangsom_first_day",
                    "dwangsom_last_day",
                    "regime",
                    "version",
                    "stage",
                ),
                name="queue_team_order",
            ),
        ),
    ]
