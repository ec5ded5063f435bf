"""ORM queries over one person's rows: compiled to SQL once per process, run together.

A dossier read is a dozen small indexed queries. Through the ORM each one was built anew
(filters, joins, ordering, the SQL text) and sent in its own round trip, and both cost more
than running it (``docs/benchmarks.md``, server). Here the queries stay written as querysets,
so the models remain their one definition; the compiler's output is kept, each read binds the
person's id into it, and ``fetch`` sends all of a read's queries to PostgreSQL in one round
trip. Rows become the model instances the ORM's own iterator would make: what
``Model.from_db`` returns, ``select_related`` populated.

On PostgreSQL the queries of one read go out as one statement that returns one JSON value:
each query's rows, in its order, as arrays of column values (``_combined``). Sent as a
pipeline of a dozen statements, the client's work per statement (psycopg's pipeline
bookkeeping, the ORM's per-column converters) and the server's (a portal and a snapshot per
statement) cost three times what the rows themselves did (``docs/benchmarks.md``, server). The
JSON values are turned back into Python values by the fields' types (``_FROM_JSON``); a test
holds the instances equal to the ORM's own. Elsewhere (SQLite) each query runs on its own and
the backend's converters apply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import orjson
from django.db import connection, models
from django.db.models import signals
from django.db.models.base import ModelState
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
        # Only the columns whose JSON form is not already the Python value need a call.
        self.from_json = [
            (i, f) for i, f in enumerate(_from_json(c) for c in columns) if f is not _identity
        ]
        self.json_order = _json_order(qs, self.init_list, self.start)
        # Instances made as the ORM's from_db makes them, less its per-field calls (a third
        # of a dossier read's Python): possible when every field is read and no one listens
        # to the model's init signals; the test against the ORM holds the result equal.
        meta = self.model._meta
        self.plain = len(self.init_list) == len(meta.concrete_fields) and not (
            signals.pre_init.has_listeners(self.model)
            or signals.post_init.has_listeners(self.model)
        )

    def make(self, values: Sequence[Any]) -> models.Model:
        if not self.plain:
            return self.model.from_db(self.db, self.init_list, values)
        obj = self.model.__new__(self.model)
        obj._state = ModelState()
        obj._state.adding = False
        obj._state.db = self.db
        obj.__dict__.update(zip(self.init_list, values, strict=True))
        return obj


def _identity(value: Any) -> Any:
    return value


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _moment(value: str | None) -> datetime | None:
    # PostgreSQL writes timestamptz in the session's zone (UTC, set by Django) with its offset.
    return None if value is None else datetime.fromisoformat(value)


# What JSON gives back for each internal type, turned into what the ORM would give. A field
# of another type makes the query fail to compile, rather than load as the wrong type.
_FROM_JSON: dict[str, Callable[[Any], Any]] = {
    "AutoField": _identity,
    "BigAutoField": _identity,
    "BooleanField": _identity,
    "CharField": _identity,
    "TextField": _identity,
    "IntegerField": _identity,
    "BigIntegerField": _identity,
    "PositiveIntegerField": _identity,
    "PositiveSmallIntegerField": _identity,
    "SmallIntegerField": _identity,
    "ForeignKey": _identity,
    "OneToOneField": _identity,
    "JSONField": _identity,  # nested in the JSON as it is, already parsed
    "DateField": _day,
    "DateTimeField": _moment,
}


def _from_json(column: Any) -> Callable[[Any], Any]:
    field = getattr(column, "target", None) or getattr(column, "output_field", None)
    kind = field.get_internal_type() if field is not None else "?"
    if kind not in _FROM_JSON:
        raise ValueError(f"column {column!r}: no JSON form for a {kind}")
    return _FROM_JSON[kind]


def _json_order(qs: models.QuerySet[Any], init_list: list[str], start: int) -> str:
    """The queryset's ordering over the columns ``c0, c1, ...`` of its select list: rows put
    into a JSON array are ordered by the aggregate, not by the subquery they come from."""
    terms = []
    # As the ORM orders: the queryset's ordering, else the model's; else by key, so that
    # the order is always fixed (the query of one person's own row, for one).
    for name in qs.query.order_by or qs.model._meta.ordering or ("pk",):
        assert isinstance(name, str), name
        desc = name.startswith("-")
        name = name.removeprefix("-")
        field = qs.model._meta.pk if name == "pk" else qs.model._meta.get_field(name)
        attname = getattr(field, "attname", None)
        if attname not in init_list:
            raise ValueError(f"order by {name!r}: only the model's own columns are supported")
        terms.append(f"c{start + init_list.index(attname)}{' DESC' if desc else ''}")
    return ", ".join(terms)


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

    def instances(self, rows: list[Any], *, from_json: bool = False) -> list[M]:
        c = self.compiled
        out = []
        if from_json:  # lists, fresh from the JSON: converted in place
            for row in rows:
                for i, f in c.from_json:
                    row[i] = f(row[i])
            converted: Any = rows
        elif c.converters:
            converted = c.compiler.apply_converters(rows, c.converters)
        else:
            converted = rows
        for row in converted:
            obj = c.make(row[c.start : c.end])
            for populator in c.related:
                populator.populate(row, obj)
            out.append(obj)
        return out  # type: ignore[return-value]

    def __call__(self, person_id: int) -> list[M]:
        return fetch((self, person_id))[0]


def fetch(*queries: tuple[PersonRows[Any], int]) -> list[list[Any]]:
    """Run ``(query, person id)`` pairs: as one statement on PostgreSQL, one after another
    elsewhere (``keten.server.services.sql``)."""
    statements = [q.statement(pid) for q, pid in queries]
    if connection.vendor != "postgresql" or len(queries) < 2:
        raw = fetch_many(statements)
        return [q.instances(rows) for (q, _), rows in zip(queries, raw, strict=True)]
    sql = _combined(tuple(q for q, _ in queries))
    params = [p for _, ps in statements for p in ps]
    (document,) = fetch_many([(sql, params)])[0][0]
    return [
        q.instances(rows, from_json=True)
        for (q, _), rows in zip(queries, orjson.loads(document), strict=True)
    ]


_COMBINED: dict[tuple[int, ...], str] = {}


def _combined(queries: Sequence[PersonRows[Any]]) -> str:
    """One statement returning ``[[row, ...], ...]``, a list of rows per query, as JSON text."""
    key = tuple(id(q) for q in queries)
    if key not in _COMBINED:
        parts = []
        for q in queries:
            c = q.compiled
            width = c.compiler.col_count
            assert width is not None  # set by as_sql(), run when compiled
            if width > 100:  # PostgreSQL's limit on a function's arguments
                raise ValueError(f"{c.model.__name__}: {width} columns, at most 100 fit")
            cols = ", ".join(f"c{i}" for i in range(width))
            parts.append(
                f"(SELECT coalesce(json_agg(json_build_array({cols}) ORDER BY {c.json_order}),"
                f" '[]') FROM ({c.sql}) AS t({cols}))"
            )
        _COMBINED[key] = f"SELECT json_build_array({', '.join(parts)})::text"
    return _COMBINED[key]
