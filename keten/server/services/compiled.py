"""ORM queries over one person's rows: compiled to SQL once per process, run together.

A dossier read is a dozen small indexed queries. Through the ORM each one was built anew
(filters, joins, ordering, the SQL text) and sent in its own round trip, and both cost more
than running it (``docs/benchmarks.md``, server). Here the queries stay written as querysets,
so the models remain their one definition; the compiler's output is kept, each read binds the
person's id into it, and ``fetch`` sends all of a read's queries to PostgreSQL in one round
trip (psycopg's pipeline mode). Rows become model instances the way the ORM's own iterator
makes them: the backend's converters, ``Model.from_db``, ``select_related`` populated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from keten.server.services.sql import fetch_many

M = TypeVar("M", bound=models.Model)

# Stands for the person's id while compiling; no row has it (ids are positive).
_PERSON = -424_242_424_242


class _Compiled:
    def __init__(self, qs: models.QuerySet[Any]) -> None:
        self.db = qs.db
        self.compiler: SQLCompiler = qs.query.get_compiler(using=qs.db)
        sql, params = self.compiler.as_sql()
        if _PERSON not in params:
            raise ValueError("the query does not filter on the person's id")
        self.sql, self.params = sql, tuple(params)
        info = self.compiler.klass_info
        assert info is not None
        self.model: type[models.Model] = info["model"]
        fields = info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [c[0].target.attname for c in self.compiler.select[self.start : self.end]]
        # The stubs give Django 6.1's signature (a fetch_mode argument); Django 5.2 has none.
        self.related = get_related_populators(  # type: ignore[call-arg]
            info, self.compiler.select, self.db
        )
        # Worked out once here: the ORM's own iterator asks every field for them on every
        # query, which cost more than making the instances.
        columns = [s[0] for s in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(columns)


class PersonRows(Generic[M]):
    """``PersonRows(lambda pid: Measure.objects.filter(person_id=pid).order_by("start"))``:
    calling it with a person's id returns the queryset's instances for that person; ``fetch``
    runs several at once."""

    def __init__(self, build: Callable[[int], models.QuerySet[M]]) -> None:
        self._build = build
        self._compiled: _Compiled | None = None

    @property
    def compiled(self) -> _Compiled:
        if self._compiled is None:
            self._compiled = _Compiled(self._build(_PERSON))
        return self._compiled

    def statement(self, person_id: int) -> tuple[str, list[Any]]:
        c = self.compiled
        return c.sql, [person_id if p == _PERSON else p for p in c.params]

    def instances(self, rows: list[Any]) -> list[M]:
        c = self.compiled
        out = []
        converted = c.compiler.apply_converters(rows, c.converters) if c.converters else rows
        for row in converted:
            obj = c.model.from_db(c.db, c.init_list, row[c.start : c.end])
            for populator in c.related:
                populator.populate(row, obj)
            out.append(obj)
        return out  # type: ignore[return-value]

    def __call__(self, person_id: int) -> list[M]:
        return fetch((self, person_id))[0]


def fetch(*queries: tuple[PersonRows[Any], int]) -> list[list[Any]]:
    """Run ``(query, person id)`` pairs: in one round trip on PostgreSQL, one after another
    elsewhere (``keten.server.services.sql``)."""
    raw = fetch_many([q.statement(pid) for q, pid in queries])
    return [q.instances(rows) for (q, _), rows in zip(queries, raw, strict=True)]
