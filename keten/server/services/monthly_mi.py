"""Monthly management information straight from the database: the rules of
``keten.reports.monthly`` as one set-based statement per range of months (a GROUP BY over the
procedure cache columns, joined to a small table of the months), on PostgreSQL and SQLite.

The statement produces ``monthly.Counted`` rows, the library's own; the percentiles, the row
shape and the totals are then the library's (``monthly.table``/``monthly.totals``), so the rule
is written once. ``tests/server/test_monthly_sql.py`` proves the SQL counts what the library
counts on varied fixtures, on both databases.

Scope: figures, never persons (no read of personal data, nothing audited). A role reads the
figures of its own organisation kind's queues, or every organisation's where policy.yaml gives
it ``figures: all`` (the ministry).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction

from keten.catalog.loader import load_catalog
from keten.reports import monthly
from keten.reports.monthly import (
    COURT_END_KINDS,
    COURT_TYPES,
    NOTICE_OF_DEFAULT,
    Counted,
    Month,
    Selection,
)
from keten.reports.tables import to_csv, to_xlsx
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_text
from keten.server.services.errors import BadInputError, ForbiddenError
from keten.server.services.occupancy_sql import remembered
from keten.server.services.policy import check, policy
from keten.server.services.sql import fetch_many
from keten.time.dwangsom import Amounts

EARLIEST_MONTH = Month(2000, 1)  # the chain's earliest event day (services/bounds.py)
DEFAULT_MONTHS = 12

# The names of the inputs in the API; the page passes its Dutch ones (van, tot, ...).
API_NAMES: dict[str, str] = {
    "from": "from",
    "to": "to",
    "organisation": "organisation",
    "team": "team",
    "procedure_type": "procedure_type",
}
PAGE_NAMES: dict[str, str] = {
    "from": "van",
    "to": "tot",
    "organisation": "organisatie",
    "team": "team",
    "procedure_type": "soort",
}


# --- inputs -------------------------------------------------------------------------------


def _month(raw: str, field: str) -> Month:
    check_text(raw, field, max_len=7)
    try:
        found = monthly.parse_month(raw)
    except ValueError:
        raise BadInputError(
            field,
            f"{raw!r} is not a month (expected YYYY-MM)",
            f"‘{raw}’ is geen maand (verwacht JJJJ-MM)",
        ) from None
    if found < EARLIEST_MONTH:
        raise BadInputError(
            field,
            f"must not be before {EARLIEST_MONTH.label}",
            f"mag niet vóór {EARLIEST_MONTH.label} liggen",
        )
    return found


def span(
    raw_from: str | None, raw_to: str | None, on: date, names: Mapping[str, str] = API_NAMES
) -> list[Month]:
    """The months asked for: ``from``..``to`` (YYYY-MM), by default the twelve months up to the
    month of ``on``; at most :data:`monthly.MAX_MONTHS`, not after the month of ``on``."""
    current = Month.of(on)
    last = _month(raw_to, names["to"]) if raw_to else current
    if last > current:
        raise BadInputError(
            names["to"],
            f"must not be after the current month ({current.label})",
            f"mag niet na de huidige maand ({current.label}) liggen",
        )
    if raw_from:
        first = _month(raw_from, names["from"])
    else:
        first = last
        for _ in range(DEFAULT_MONTHS - 1):
            first = (
                Month(first.year - 1, 12)
                if first.month == 1
                else Month(first.year, first.month - 1)
            )
        first = max(first, EARLIEST_MONTH)
    if last < first:
        raise BadInputError(
            names["to"],
            f"must not be before {names['from']} ({first.label})",
            f"mag niet vóór {names['from']} ({first.label}) liggen",
        )
    wanted = monthly.months(first, last)
    if len(wanted) > monthly.MAX_MONTHS:
        raise BadInputError(
            names["from"],
            f"the period may span at most {monthly.MAX_MONTHS} months, not {len(wanted)}",
            f"de periode beslaat ten hoogste {monthly.MAX_MONTHS} maanden, niet {len(wanted)}",
        )
    return wanted


def readable(actor: Actor) -> frozenset[str] | None:
    """The organisation kinds whose figures the actor reads; None: all (``figures: all``)."""
    if actor.role.figures == "all":
        return None
    return frozenset({actor.role.organisation_kind})


def organisation_kinds() -> list[str]:
    """Every organisation kind that holds a queue (policy.yaml ``queues``)."""
    return sorted({org for org, _team in policy().queues.values()})


def selection(
    actor: Actor,
    organisation: str | None,
    team: str | None,
    procedure_type: str | None,
    names: Mapping[str, str] = API_NAMES,
) -> Selection:
    """The reader's scope and the filters, each checked."""
    scope = readable(actor)
    if organisation:
        field = names["organisation"]
        check_text(organisation, field, max_len=32)
        if organisation not in organisation_kinds():
            raise BadInputError(
                field,
                f"must be one of {', '.join(organisation_kinds())}",
                f"moet een van {', '.join(organisation_kinds())} zijn",
            )
        if scope is not None and organisation not in scope:
            raise ForbiddenError(
                f"role {actor.role.id} reads the figures of {', '.join(sorted(scope))} only",
                field=field,
                rule="policy: a role reads the figures of its own organisation's queues",
                detail_nl=f"{field}: de rol ‘{actor.role.name_nl}’ ziet alleen de cijfers van "
                f"{', '.join(sorted(scope))}",
                rule_nl="beleid: een rol ziet de cijfers van de wachtrijen van de eigen "
                "organisatie",
            )
    if team:
        check_text(team, names["team"], max_len=64)
    if procedure_type:
        field = names["procedure_type"]
        check_text(procedure_type, field, max_len=64)
        if procedure_type not in load_catalog():
            raise BadInputError(
                field,
                f"{procedure_type!r} is not a procedure type of the catalogue",
                f"‘{procedure_type}’ is geen soort procedure uit de catalogus",
            )
    return Selection(scope, organisation or None, team or None, procedure_type or None)


# --- the statement ------------------------------------------------------------------------


def _diff(later: str, earlier: str) -> str:
    """Whole days from ``earlier`` to ``later`` (both DATE expressions)."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _least(a: str, b: str) -> str:
    return f"LEAST({a}, {b})" if connection.vendor == "postgresql" else f"MIN({a}, {b})"


def _greatest(a: str, b: str) -> str:
    return f"GREATEST({a}, {b})" if connection.vendor == "postgresql" else f"MAX({a}, {b})"


def _forfeited_sql(days: str, amounts: Amounts | None) -> str:
    """``monthly.forfeited_through`` as an SQL expression over a day count (0 without amounts
    in force: before 1 October 2009)."""
    if amounts is None:
        return "0"
    left = _least(_greatest(days, "0"), str(int(amounts.max_days)))
    terms, offset = [], 0
    for band in amounts.bands:
        width = _greatest(f"{left} - {offset}", "0")
        if band.days is not None:
            width = _least(width, str(int(band.days)))
        terms.append(f"{int(band.eur_per_day)} * {width}")
        offset += band.days or 0
    return "(" + " + ".join(terms) + ")"


def _in(values: Sequence[str]) -> tuple[str, list[str]]:
    return "(" + ", ".join(["%s"] * len(values)) + ")", list(values)


def _filters(alias: str, sel: Selection) -> tuple[str, list[Any]]:
    sql, params = "", []
    if sel.organisations is not None:
        placeholders, values = _in(sorted(sel.organisations) or [""])
        sql += f" AND {alias}.queue IN {placeholders}"
        params += values
    for column, value in (
        ("queue", sel.organisation),
        ("team", sel.team),
        ("procedure_type", sel.procedure_type),
    ):
        if value is not None:
            sql += f" AND {alias}.{column} = %s"
            params.append(value)
    return sql, params


def _months_cte(wanted: Sequence[Month]) -> tuple[str, list[Any]]:
    cast = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    rows = ", ".join(f"(%s, {cast}, {cast})" for _ in wanted)
    params: list[Any] = []
    for m in wanted:
        params += [m.label, m.first, m.last]
    return f"m(label, ms, me) AS (VALUES {rows})", params


_STANDING = """NOT EXISTS (
    SELECT 1 FROM dossiers_withdrawal w WHERE w.resource = 'event' AND w.record_id = e.id)"""


def _procedures_cte(
    wanted: Sequence[Month], sel: Selection, decided_only: bool
) -> tuple[str, list[Any]]:
    """The CTEs ``m`` (the months), ``court`` (each procedure's first standing judgment or
    withdrawal: read from the event index alone, used only for the court's types) and ``p``
    (the procedures that can count in the months, with their end ``e``). ``decided_only``:
    only those ended within the months (the lead times), else every one active in them."""
    court, court_params = _in(sorted(COURT_TYPES))
    ends, end_params = _in(COURT_END_KINDS)
    months_cte, month_params = _months_cte(wanted)
    where, where_params = _filters("p", sel)
    ended = f"CASE WHEN p.procedure_type IN {court} THEN c.ended ELSE p.closed_on END"
    # Not yet closed cannot have ended; a court's end is its event's day. Naming the other
    # types lets PostgreSQL read the window from the index on (type, closed_on).
    others, other_params = _in(sorted(set(load_catalog()) - COURT_TYPES))
    if decided_only:
        window = (
            f"AND ((p.procedure_type IN {others} AND p.closed_on BETWEEN %s AND %s)"
            f" OR p.procedure_type IN {court})"
        )
        window_params: list[Any] = [*other_params, wanted[0].first, wanted[-1].last]
    else:
        # most of what is active is still open: one pass over the table is cheaper here
        window = f"AND (p.closed_on IS NULL OR p.closed_on >= %s OR p.procedure_type IN {court})"
        window_params = [wanted[0].first]
    sql = f"""
WITH {months_cte},
court AS (
    SELECT e.procedure_id, MIN(e.day) AS ended
    FROM dossiers_procedureevent e
    WHERE e.kind IN {ends} AND {_STANDING}
    GROUP BY e.procedure_id
),
p AS (
    SELECT p.queue AS org, p.team, p.procedure_type AS ptype, p.started_on AS s, p.due,
           p.closed_on, {ended} AS e,
           p.dwangsom_first_day AS df, p.dwangsom_last_day AS dl
    FROM dossiers_procedure p
    LEFT JOIN court c ON c.procedure_id = p.id
    WHERE p.started_on IS NOT NULL AND p.started_on <= %s
      {window}{where}
)"""
    params = [
        *month_params,
        *end_params,
        *court_params,
        wanted[-1].last,
        *window_params,
        *court_params,
        *where_params,
    ]
    return sql, params


def _counts_statement(wanted: Sequence[Month], sel: Selection) -> tuple[str, list[Any]]:
    """One row per month and group: intake, decided, open, over the term, dwangsom."""
    amounts = monthly.amounts_of(wanted[-1])
    ctes, params = _procedures_cte(wanted, sel, decided_only=False)
    open_at_end = "(p.e IS NULL OR p.e > m.me)"
    through_end = _diff(_least("p.dl", "m.me"), "p.df") + " + 1"
    before_start = _least(_diff("m.ms", "p.df"), through_end)
    dwangsom = (
        f"CASE WHEN p.df IS NOT NULL AND p.dl IS NOT NULL THEN "
        f"{_forfeited_sql(through_end, amounts)} - {_forfeited_sql(before_start, amounts)} "
        f"ELSE 0 END"
    )
    sql = f"""{ctes}
SELECT m.label, p.org, p.team, p.ptype,
       SUM(CASE WHEN p.s >= m.ms THEN 1 ELSE 0 END),
       SUM(CASE WHEN {open_at_end} THEN 0 ELSE 1 END),
       SUM(CASE WHEN {open_at_end} THEN 1 ELSE 0 END),
       SUM(CASE WHEN {open_at_end} AND p.due IS NOT NULL AND p.due < m.me
                 AND (p.closed_on IS NULL OR p.closed_on > m.me) THEN 1 ELSE 0 END),
       SUM({dwangsom})
FROM p JOIN m ON p.s <= m.me AND (p.e IS NULL OR p.e >= m.ms)
GROUP BY m.label, p.org, p.team, p.ptype
"""
    return sql, params


def _leads_statement(wanted: Sequence[Month], sel: Selection) -> tuple[str, list[Any]]:
    """The lead-time histogram: per month, group and whole days, how many were decided."""
    ctes, params = _procedures_cte(wanted, sel, decided_only=True)
    sql = f"""{ctes}
SELECT m.label, p.org, p.team, p.ptype, {_diff("p.e", "p.s")} AS lead, COUNT(*)
FROM p JOIN m ON p.s <= m.me AND p.e >= m.ms AND p.e <= m.me
GROUP BY m.label, p.org, p.team, p.ptype, lead
"""
    return sql, params


def _notices_statement(wanted: Sequence[Month], sel: Selection) -> tuple[str, list[Any]]:
    months_cte, month_params = _months_cte(wanted)
    where, where_params = _filters("p", sel)
    sql = f"""
WITH {months_cte}
SELECT m.label, p.queue, p.team, p.procedure_type, COUNT(*)
FROM dossiers_procedureevent e
JOIN dossiers_procedure p ON p.id = e.procedure_id
JOIN m ON e.day >= m.ms AND e.day <= m.me
WHERE e.kind = %s AND e.day >= %s AND e.day <= %s AND {_STANDING}{where}
GROUP BY m.label, p.queue, p.team, p.procedure_type
"""
    return sql, [
        *month_params,
        NOTICE_OF_DEFAULT,
        wanted[0].first,
        wanted[-1].last,
        *where_params,
    ]


def _amount_runs(wanted: Sequence[Month]) -> list[list[Month]]:
    """The months in runs with the same Awb 4:17 amounts: one statement per run (one run until
    the amounts change)."""
    runs: list[list[Month]] = []
    for m in wanted:
        if runs and monthly.amounts_of(runs[-1][-1]) == monthly.amounts_of(m):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def counted(wanted: Sequence[Month], sel: Selection) -> list[Counted]:
    """``monthly.count`` over the database: the statements go in one round trip."""
    out: dict[tuple[str, str, str, str], Counted] = {}

    def row(label: str, org: str, team: str, ptype: str) -> Counted:
        key = (label, org, team or "", ptype)
        if key not in out:
            out[key] = Counted(*key)
        return out[key]

    runs = _amount_runs(wanted)
    statements = [_counts_statement(run, sel) for run in runs]
    statements += [_leads_statement(wanted, sel), _notices_statement(wanted, sel)]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # As for occupancy (occupancy_sql.py): planning estimates put these statements over
            # jit_above_cost, and compiling them cost more than running them.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        *counts, leads, notices = fetch_many(statements)
    for rows in counts:
        for label, org, team, ptype, intake, decided, n_open, over, eur in rows:
            c = row(label, org, team, ptype)
            for name, value in (
                ("intake", intake),
                ("decided", decided),
                ("open", n_open),
                ("over_term", over),
                ("dwangsom_eur", eur),
            ):
                c.counts[name] = int(value or 0)
    for label, org, team, ptype, lead, n in leads:
        row(label, org, team, ptype).lead[int(lead)] = int(n)
    for label, org, team, ptype, n in notices:
        row(label, org, team, ptype).counts["notices"] = int(n)
    return sorted(out.values(), key=lambda c: c.key)


# --- the report ---------------------------------------------------------------------------


def report(
    actor: Actor,
    raw_from: str | None,
    raw_to: str | None,
    on: date,
    organisation: str | None = None,
    team: str | None = None,
    procedure_type: str | None = None,
    names: Mapping[str, str] = API_NAMES,
) -> dict[str, Any]:
    """The monthly management information the actor may read, for the months asked."""
    check(actor.role, "management_information", "read")
    wanted = span(raw_from, raw_to, on, names)
    sel = selection(actor, organisation, team, procedure_type, names)
    rows = remembered(
        "monthly_mi",
        (wanted[0], wanted[-1], sel),
        lambda: counted(wanted, sel),
    )
    scope = readable(actor)
    return {
        "from": wanted[0].label,
        "to": wanted[-1].label,
        "months": [m.label for m in wanted],
        "scope": sorted(scope) if scope is not None else "all",
        "filters": {
            "organisation": sel.organisation,
            "team": sel.team,
            "procedure_type": sel.procedure_type,
        },
        "organisations": organisation_kinds() if scope is None else sorted(scope),
        "results": monthly.table(rows),
        "totals": monthly.totals(rows, wanted),
    }


def exported(data: Mapping[str, Any], form: str) -> bytes:
    """The report as CSV (its per-group table) or XLSX (both tables), via keten.reports.tables."""
    tables = monthly.tables(data["results"], data["totals"])
    if form == "csv":
        return to_csv(tables[0]).encode("utf-8")
    return to_xlsx(tables)
