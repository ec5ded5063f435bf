from django.db import migrations

from keten.server.appendonly import install

TABLES = (
    "dossiers_procedureevent",
    "dossiers_dossierevent",
    "dossiers_familylink",
    "dossiers_decision",
    "dossiers_handover",
    "dossiers_protectedrecord",
)
forwards, backwards = install(TABLES)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
