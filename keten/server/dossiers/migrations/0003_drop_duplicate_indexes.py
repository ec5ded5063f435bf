"""Drop three indexes that repeated the foreign keys' own (procedure.person, both sides of a
family link): each cost every insert a second index entry and bought no query anything."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_append_only"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="familylink",
            name="dossiers_fa_parent__f07a05_idx",
        ),
        migrations.RemoveIndex(
            model_name="familylink",
            name="dossiers_fa_other_i_8266a7_idx",
        ),
        migrations.RemoveIndex(
            model_name="procedure",
            name="procedure_person",
        ),
    ]
