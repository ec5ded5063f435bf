import django.db.models.deletion
from django.db import migrations, models

from keten.server.appendonly import install

# A letter once made is the letter sent: the database refuses to change or delete it too.
forwards, backwards = install(("letters_letter",))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("dossiers", "0009_appeal_link_and_report_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Letter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recorded_by", models.CharField(max_length=150)),
                ("recorded_org", models.CharField(max_length=64)),
                ("recorded_role", models.CharField(max_length=64)),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                ("reason", models.TextField(blank=True)),
                ("template_id", models.CharField(max_length=64)),
                ("template_version", models.PositiveIntegerField()),
                ("language", models.CharField(max_length=2)),
                ("html", models.TextField()),
                ("sha256", models.CharField(max_length=64)),
                (
                    "decision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="letters",
                        to="dossiers.decision",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["decision", "id"], name="letter_of_decision")],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
