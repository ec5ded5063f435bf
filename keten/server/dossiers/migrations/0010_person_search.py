"""Person search and duplicates (issue 16): the name's search keys on the person, the
register's distinct folded names (``SearchName``) with one row per name key
(``SearchNameKey``), the merge link, the reviewers' decisions on candidate pairs
(append-only), and on PostgreSQL the trigram indexes (pg_trgm) on the distinct names and the
V-number.

The backfill derives the keys in Python (keten.chain.names: the folding and the variant list
are not SQL), once per distinct (given names, surname) pair, and writes them set-based: on
PostgreSQL with COPY into a temporary table, one UPDATE ... FROM for the persons and
INSERT ... SELECT for the names; the indexes are built after the rows are in. On SQLite
(small installations) in batches of 2,000 persons.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from keten.server.appendonly import install

append_only_forwards, append_only_backwards = install(("dossiers_duplicatedecision",))

BATCH_SQLITE = 2_000


def backfill(apps: Any, schema_editor: Any) -> None:
    from keten.chain.names import name_keys

    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        _backfill_postgres(conn, name_keys)
        return
    person = apps.get_model("dossiers", "Person")
    search_name = apps.get_model("dossiers", "SearchName")
    name_key = apps.get_model("dossiers", "SearchNameKey")
    known: set[str] = set()
    last = 0
    while True:
        batch = list(person.objects.filter(pk__gt=last).order_by("pk")[:BATCH_SQLITE])
        if not batch:
            return
        rows: list[Any] = []
        for p in batch:
            k = name_keys(p.given_names, p.surname)
            p.search_name, p.search_skeleton = k.search_name, k.search_skeleton
            if k.search_name not in known:
                known.add(k.search_name)
                n = search_name.objects.create(name=k.search_name)
                rows.extend(name_key(name_id=n.pk, key=key) for key in k.keys)
        person.objects.bulk_update(batch, ["search_name", "search_skeleton"])
        name_key.objects.bulk_create(rows)
        last = batch[-1].pk


def _backfill_postgres(conn: Any, name_keys: Any) -> None:
    with conn.cursor() as outer:
        cur = outer.cursor  # psycopg's own cursor: COPY
        cur.execute("SELECT DISTINCT given_names, surname FROM dossiers_person")
        pairs = cur.fetchall()
        derived = [(g, s, name_keys(g, s)) for g, s in pairs]
        cur.execute(
            "CREATE TEMPORARY TABLE person_search_keys (given_names text, surname text, "
            "search_name text, search_skeleton text) ON COMMIT DROP"
        )
        with cur.copy("COPY person_search_keys FROM STDIN") as copy:
            for g, s, k in derived:
                copy.write_row((g, s, k.search_name, k.search_skeleton))
        cur.execute(
            "UPDATE dossiers_person p SET search_name = k.search_name, "
            "search_skeleton = k.search_skeleton FROM person_search_keys k "
            "WHERE p.given_names = k.given_names AND p.surname = k.surname"
        )
        cur.execute(
            "INSERT INTO dossiers_searchname (name) SELECT DISTINCT search_name "
            "FROM person_search_keys"
        )
        cur.execute("CREATE TEMPORARY TABLE name_keys (name text, key text) ON COMMIT DROP")
        with cur.copy("COPY name_keys FROM STDIN") as copy:
            done: set[str] = set()
            for _, _, k in derived:
                if k.search_name in done:
                    continue
                done.add(k.search_name)
                for key in k.keys:
                    copy.write_row((k.search_name, key))
        cur.execute(
            "INSERT INTO dossiers_searchnamekey (name_id, key) SELECT n.id, k.key "
            "FROM name_keys k JOIN dossiers_searchname n ON n.name = k.name"
        )


POSTGRES_BEFORE = (
    # Since PostgreSQL 13 pg_trgm is a trusted extension: the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Byte order, so that a prefix range (key >= 'om' AND key < 'om{') is what it says.
    'ALTER TABLE dossiers_searchnamekey ALTER COLUMN key TYPE varchar(64) COLLATE "C"',
)
POSTGRES_INDEXES = (
    "CREATE INDEX search_name_trgm ON dossiers_searchname USING gin (name gin_trgm_ops)",
    "CREATE INDEX person_v_number_trgm ON dossiers_person USING gin (v_number gin_trgm_ops)",
)


def postgres_before(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BEFORE:
            schema_editor.execute(sql)


def postgres_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_INDEXES:
            schema_editor.execute(sql)


def drop_postgres_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_name_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS person_v_number_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_appeal_link_and_report_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_name",
            field=models.CharField(blank=True, default="", max_length=400),
        ),
        migrations.AddField(
            model_name="person",
            name="search_skeleton",
            field=models.CharField(blank=True, default="", max_length=400),
        ),
        migrations.AddField(
            model_name="person",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_from",
                to="dossiers.person",
            ),
        ),
        migrations.CreateModel(
            name="SearchName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=400, unique=True)),
            ],
        ),
        migrations.CreateModel(
            name="SearchNameKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64)),
                (
                    "name",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="dossiers.searchname",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="DuplicateDecision",
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
                (
                    "decision",
                    models.CharField(
                        choices=[("merged", "merged"), ("distinct", "distinct")], max_length=16
                    ),
                ),
                (
                    "other",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="dossiers.person",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="dossiers.person",
                    ),
                ),
            ],
            options={"abstract": False},
        ),
        migrations.RunPython(append_only_forwards, append_only_backwards),
        migrations.RunPython(postgres_before, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        # Indexes once the rows are in: building them once is faster than growing them.
        migrations.RunPython(postgres_indexes, drop_postgres_indexes),
        migrations.AddIndex(
            model_name="searchnamekey",
            index=models.Index(fields=["key", "name"], name="search_name_key"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["search_name"], name="person_search_name"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["search_skeleton", "birth_date"], name="person_dup_key"),
        ),
    ]
