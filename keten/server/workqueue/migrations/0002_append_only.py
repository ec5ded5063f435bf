"""The assignment history refuses UPDATE and DELETE in the database too (like dossiers 0002):
who was given a case, by whom and why, is evidence when a deadline is missed."""

from django.db import migrations

from keten.server.appendonly import install

forwards, backwards = install(("workqueue_assignment",))


class Migration(migrations.Migration):
    dependencies = [("workqueue", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
