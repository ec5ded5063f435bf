from django.db import migrations

from keten.server.appendonly import install

forwards, backwards = install(("audit_auditrecord",))


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
