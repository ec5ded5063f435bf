"""Finding a person: one query box over every name part, in any order, insensitive to
diacritics and punctuation, with spelling variants; a partial V-number, a BSN, a birth date
and a nationality as filters. Only persons in the reader's scope, never a merged one.

How a name is matched (keten/chain/names.py): each part of the query must match a part of the
name, exactly, as a prefix, as a spelling variant (data/names/variants.csv) or by its consonant
skeleton (a misspelt vowel: "Omer", "Samier"). The query is matched against the register's
distinct names (``SearchName``, through ``SearchNameKey``'s index on every database), not
against every person: names repeat, so a query finds a few names, then their persons through
the index on ``Person.search_name``. On PostgreSQL a part also matches a distinct name by
trigram word similarity (pg_trgm, GIN), which finds a misspelt consonant too ("Rahini" for
"Rahimi"); SQLite does not.

Results are ranked by name: the sum over the query's parts of how each matched (exact 4,
variant 3, prefix 2, similar 1; keten.chain.names), then how close the spelling is (difflib),
then surname, given names, id. Each row says how it matched. A query matching more than
``MAX_NAMES`` different names lists the persons of the best ``MAX_NAMES``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from keten.chain import names
from keten.chain.identity import IdentityError, PartialDate, check_nationality
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import Person, SearchName, SearchNameKey
from keten.server.services import bounds, scope
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_text
from keten.server.services.errors import BadInputError
from keten.server.services.inputs import bsn as valid_bsn
from keten.server.services.policy import check
from keten.server.services.reads import LIST_IDENTITY_FIELDS, person_row

MAX_QUERY = 200
MAX_PAGE = bounds.MAX_PAGE
MIN_V_DIGITS = 4
# A part of the query matches a name part whose trigram word similarity reaches this
# (PostgreSQL): "rahini" ~ "rahimi" is 0.57, "omer" ~ "omar" only 0.4 (the skeleton finds it).
WORD_SIMILARITY = 0.5
MAX_NAMES = 300  # distinct names ranked and listed for one query
MAX_CANDIDATES = 5000  # distinct names read to rank them (a query of one short part)
CHUNK = 500  # names per IN list (SQLite's bound on parameters)
_DAY_FIRST = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")


# -- keeping the keys -----------------------------------------------------------------------


def write_keys(persons: Iterable[Person]) -> None:
    """Derive and store the search keys of ``persons`` (saved rows) from their names: the two
    columns, and the distinct name with its key rows when the register did not hold it yet.
    Every writer of a name calls this in its own transaction (register, correct, the sample
    loader). Two writers adding one new name at once both add its keys: a key row twice
    finds the same name."""
    persons = list(persons)
    if not persons:
        return
    wanted: dict[str, names.NameKeys] = {}
    for p in persons:
        k = names.name_keys(p.given_names, p.surname)
        p.search_name, p.search_skeleton = k.search_name, k.search_skeleton
        wanted[k.search_name] = k
    Person.objects.bulk_update(persons, ["search_name", "search_skeleton"], batch_size=500)
    listed = list(wanted)
    for i in range(0, len(listed), CHUNK):
        chunk = listed[i : i + CHUNK]
        known = set(SearchName.objects.filter(name__in=chunk).values_list("name", flat=True))
        new = [n for n in chunk if n not in known]
        if not new:
            continue
        SearchName.objects.bulk_create([SearchName(name=n) for n in new], ignore_conflicts=True)
        ids = dict(SearchName.objects.filter(name__in=new).values_list("name", "id"))
        SearchNameKey.objects.bulk_create(
            [SearchNameKey(name_id=ids[n], key=key[:64]) for n in new for key in wanted[n].keys],
            batch_size=1000,
        )


# -- reading the query ----------------------------------------------------------------------


def birth_date_filter(raw: str, field: str = "birth_date") -> Q:
    """YYYY-MM-DD or DD-MM-YYYY, 00 for an unknown month or day. A 00 in the query leaves
    that part open; a register entry with 00 where the query names a month or day may be the
    same person and is found too (its birth date is simply less known)."""
    check_text(raw, field, max_len=10)
    value = raw.strip()
    m = _DAY_FIRST.match(value)
    if m:
        value = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    try:
        d = PartialDate.parse(value, field)
    except IdentityError:
        raise BadInputError(
            field,
            f"{raw!r}: expected YYYY-MM-DD or DD-MM-YYYY, 00 for an unknown month or day",
            f"{raw!r}: verwacht JJJJ-MM-DD of DD-MM-JJJJ, 00 voor een onbekende maand of dag",
        ) from None
    y = f"{d.year:04d}"
    if d.month == 0:
        return Q(birth_date__startswith=f"{y}-")
    mm = f"{d.month:02d}"
    if d.day == 0:
        return Q(birth_date__startswith=f"{y}-{mm}-") | Q(birth_date=f"{y}-00-00")
    return Q(birth_date__in=(f"{y}-{mm}-{d.day:02d}", f"{y}-{mm}-00", f"{y}-00-00"))


def _digits(raw: str, field: str) -> str:
    value = re.sub(r"[\s.\-]", "", raw)
    if not value.isdigit() or not MIN_V_DIGITS <= len(value) <= 10:
        raise BadInputError(
            field,
            f"a V-number to search on: {MIN_V_DIGITS} to 10 digits",
            f"een V-nummer om op te zoeken: {MIN_V_DIGITS} tot 10 cijfers",
        )
    return value


def _name_parts(q: str) -> list[str]:
    parts = names.fold(q).split()
    if len(parts) > names.MAX_PARTS:
        raise BadInputError(
            "q",
            f"at most {names.MAX_PARTS} name parts",
            f"ten hoogste {names.MAX_PARTS} naamdelen",
        )
    return parts


def _part_sql(raw: str, postgres: bool) -> tuple[str, list[Any]]:
    """The ids of the distinct names with a part matching the query part ``raw`` (folded)."""
    canonical = names.canonical(raw)
    keys = {canonical, names.SKELETON_MARK + names.skeleton(canonical)}
    conds = ["key IN (" + ", ".join(["%s"] * len(keys)) + ")"]
    params: list[Any] = sorted(keys)
    for prefix in sorted({raw, canonical}):
        if len(prefix) >= 2:  # a one-letter prefix would list half the register
            conds.append("(key >= %s AND key < %s)")
            params += [prefix, prefix + "{"]  # "{" follows "z": every key starting so
    sql = "SELECT name_id FROM dossiers_searchnamekey WHERE " + " OR ".join(conds)
    if postgres and len(raw) >= 4:  # too few trigrams below that to mean anything
        sql = (
            f"SELECT name_id FROM ({sql} UNION "
            "SELECT id FROM dossiers_searchname WHERE %s <%% name) AS m"
        )
        params.append(raw)
    return sql, params


def _trigram_threshold() -> None:
    """Word similarity's threshold for this transaction (PostgreSQL; inside ``atomic``)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(WORD_SIMILARITY)],
            )


def candidate_names(parts: list[str]) -> list[str]:
    """The distinct folded names matching every query part, best first, at most
    ``MAX_NAMES``."""
    postgres = connection.vendor == "postgresql"
    where: list[str] = []
    params: list[Any] = []
    for raw in parts:
        sql, part_params = _part_sql(raw, postgres)
        where.append(f"id IN ({sql})")
        params += part_params
    with transaction.atomic(savepoint=False):  # inside the search's own, when it has one
        _trigram_threshold()
        with connection.cursor() as cur:
            cur.execute(
                "SELECT name FROM dossiers_searchname WHERE " + " AND ".join(where) + " LIMIT %s",
                [*params, MAX_CANDIDATES],
            )
            found = [str(row[0]) for row in cur.fetchall()]
    query = " ".join(parts)

    def rank(name: str) -> tuple[int, float, str]:
        # A trigram-only match (PostgreSQL) has no part-by-part score: one per part.
        score = names.match(query, name, "").score or len(parts)
        return (-score, -names.ratio(query, name), name)

    return sorted(found, key=rank)[:MAX_NAMES]


# -- the search -----------------------------------------------------------------------------


def search(
    actor: Actor,
    *,
    q: str = "",
    v_number: str = "",
    bsn: str = "",
    birth_date: str = "",
    nationality: str = "",
    page: int = 1,
    page_size: int = 25,
) -> dict[str, Any]:
    check(actor.role, "identity", "read")
    if not 1 <= page <= MAX_PAGE:
        raise BadInputError(
            "page", f"must be between 1 and {MAX_PAGE}", f"moet tussen 1 en {MAX_PAGE} liggen"
        )
    if not 1 <= page_size <= 100:
        raise BadInputError("page_size", "must be between 1 and 100", "moet tussen 1 en 100 liggen")
    for field, value, limit in (
        ("q", q, MAX_QUERY),
        ("v_number", v_number, 14),
        ("bsn", bsn, 9),
        ("nationality", nationality, 3),
    ):
        if value:
            check_text(value, field, max_len=limit)
    q = q.strip()
    qs: QuerySet[Person] = scope.persons(actor).filter(merged_into__isnull=True)
    # One box: digits alone are a BSN when they pass the elfproef, else part of a V-number.
    compact = re.sub(r"[\s.\-]", "", q)
    if compact.isdigit():
        if len(compact) == 9 and _is_bsn(compact):
            bsn, q = bsn or compact, ""
        else:
            v_number, q = v_number or _digits(q, "q"), ""
    if v_number:
        digits = _digits(v_number, "v_number")
        qs = (
            qs.filter(v_number=digits)
            if len(digits) == 10
            else qs.filter(v_number__contains=digits)
        )
    if bsn:
        qs = qs.filter(bsn=valid_bsn(bsn.strip()))
    if nationality:
        try:
            qs = qs.filter(nationality=check_nationality(nationality.strip().upper()))
        except IdentityError as exc:
            raise BadInputError("nationality", exc.rule, exc.rule_nl) from None
    if birth_date:
        qs = qs.filter(birth_date_filter(birth_date))
    parts = _name_parts(q) if q else []
    # One transaction for the names, the persons and the audit record: fewer round trips.
    with transaction.atomic():
        if parts:
            ranked = candidate_names(parts)
            qs = qs.filter(search_name__in=ranked)
            # The persons of the best name first. Ordered by the rank even for one name: by
            # surname alone, PostgreSQL walked the surname index over the whole register.
            order = Case(
                *(When(search_name=n, then=Value(i)) for i, n in enumerate(ranked)),
                default=Value(len(ranked)),
                output_field=IntegerField(),
            )
            qs = qs.annotate(name_rank=order).order_by("name_rank", "surname", "given_names", "id")
        else:
            qs = qs.order_by("surname", "id")
        rows = list(qs[(page - 1) * page_size : page * page_size + 1])
        has_next = len(rows) > page_size
        rows = rows[:page_size]
        if rows:  # one operation on every person listed
            subjects = tuple((p.pk, p.v_number) for p in rows)
            append(
                actor.audit,
                [Entry("person.search", "read", "identity", LIST_IDENTITY_FIELDS, subjects)],
            )
    query = " ".join(parts)
    return {
        "page": page,
        "page_size": page_size,
        "has_next": has_next,
        "results": [_row(p, query) for p in rows],
    }


def similar_persons(
    actor: Actor, given_names: str, surname: str, birth_date: str, *, limit: int = 10
) -> list[Person]:
    """Persons in the actor's scope (not merged) who may be the person named: the surname
    and the first given name each match a part of their name (in any order, by the search's
    rules), and the birth date agrees (a 00 on either side agrees with any month or day).
    No audit record: the caller logs what it shows."""
    first = names.fold(given_names).split()[:1]
    parts = names.fold(surname).split()[: names.MAX_PARTS - 1] + first
    if not parts:
        return []
    qs = scope.persons(actor).filter(
        merged_into__isnull=True, search_name__in=candidate_names(parts)
    )
    qs = qs.filter(birth_date_filter(birth_date) | _less_known(birth_date))
    return list(qs.order_by("id")[:limit])


def _less_known(birth_date: str) -> Q:
    """Register entries whose birth date is less known than ``birth_date`` (YYYY-MM-DD) and
    agrees with it: a person registered as born in 1990-00-00 may be the one born 1990-05-12."""
    y, m, _ = birth_date.split("-")
    return Q(birth_date__in=(f"{y}-00-00", f"{y}-{m}-00"))


def _row(p: Person, query: str) -> dict[str, Any]:
    out = person_row(p)
    out["matched"] = []
    if query:
        m = names.match(query, p.given_names, p.surname)
        # Trigram-only matches (PostgreSQL) have no part-by-part reason: "similar".
        out["matched"] = [{"query": qp, "name": np, "how": how} for qp, np, how in m.how] or [
            {"query": query, "name": f"{p.given_names} {p.surname}", "how": "similar"}
        ]
    return out


def _is_bsn(value: str) -> bool:
    try:
        valid_bsn(value)
    except BadInputError:
        return False
    return True
