"""Work queues and the chain dashboard.

A queue is the open procedures of one organisation kind (and team), ordered by the Pact's
mandatory priority (``keten.chain.priority``) and then by the due date of the main deadline,
read from the cache columns through the partial index ``queue_team_order``. For roles scoped to
granted persons the grant is checked row by row while the index is walked in page order,
stopping once the page is full, so authorisation does not turn the list into a scan of the
whole queue (the complaint about Open Zaak's list views).

Pages follow one another by position (``after``, the ``next`` link): the next page starts
after the last row shown, in the queue's order. A queue changes while it is worked (cases are
decided, new ones come in), and a page number would then skip or repeat rows; it would also
make the database walk every row before the page, checking a granted role's grant on each.
Page numbers still work, for a jump into the list.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Count, Q, QuerySet

from keten.catalog.loader import load_catalog
from keten.chain.kinds import PLACEMENT_TYPES
from keten.chain.summary import dwangsom_amount
from keten.reports.tables import Table
from keten.server.audit.log import Entry, append
from keten.server.dossiers.models import AccessGrant, Person, Placement, Procedure
from keten.server.services import access, assignments, border_capacity, scope
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError
from keten.server.services.policy import Role, check, policy, queue_of
from keten.server.services.queue_filters import ALL_QUEUES, QueueFilter, conditions, parse
from keten.server.services.reads import procedure_row
from keten.server.services.sql import fetch_all
from keten.server.services.withdrawals import standing
from keten.time.dated import as_optional_date

OPEN = ("open", "suspended", "not_started")
QUEUE_FIELDS = ("v_number", "name", "birth_date", "nationality", "status", "due")


@dataclass(frozen=True)
class Selection:
    """Which open procedures a role's queue holds; one definition for the ORM (summaries)
    and the SQL of the page (``_page_sql``)."""

    queue: str | None  # organisation kind, None for roles that look across queues
    team: str
    granted_to: str | None  # organisation code when scoped to granted persons
    empty: bool = False


def _selection(actor: Actor, team: str | None, queue: str = "") -> Selection:
    """The role's own queue (and team) by default; ``queue`` another organisation kind's (all
    its teams unless one is named), or "all" for every queue (the dashboard's counts link
    there: every case of a type, whichever queue holds it, so that the list is exactly what
    the dashboard counted; no index serves that order, see docs/workday.md)."""
    role = actor.role
    granted_to = actor.organisation if role.scope == "granted" else None
    empty = role.scope not in ("all", "granted")
    if queue:
        kind: str | None = None if queue == ALL_QUEUES else queue
        return Selection(kind, "" if kind is None else team or "", granted_to, empty)
    own_queue = any(q == role.organisation_kind for q, _ in policy().queues.values())
    team = (role.team if team is None else team) if own_queue else ""
    return Selection(
        queue=role.organisation_kind if own_queue else None,
        team=team or "",
        granted_to=granted_to,
        empty=empty,
    )


def _queue_qs(actor: Actor, team: str | None) -> QuerySet[Procedure]:
    sel = _selection(actor, team)
    qs = Procedure.objects.filter(status__in=OPEN)
    if sel.queue is not None:
        qs = qs.filter(queue=sel.queue)
    if sel.team:
        qs = qs.filter(team=sel.team)
    if sel.granted_to is not None:
        qs = qs.filter(person_id__in=scope.granted_persons(sel.granted_to))
    return qs.none() if sel.empty else qs


_PROCEDURE = Procedure._meta.db_table
_PERSON = Person._meta.db_table
_GRANT = AccessGrant._meta.db_table


class QueueRow(NamedTuple):
    """A page row's procedure columns, in the order the page's SQL selects them."""

    id: int
    person_id: int | None
    procedure_type: str
    status: str
    due: date | None
    deadline_id: str
    priority: int
    dwangsom_first_day: date | None
    dwangsom_last_day: date | None
    queue: str
    team: str
    regime: str | None
    version: int
    stage: str

    @property
    def pk(self) -> int:
        return self.id


ROW_COLUMNS = QueueRow._fields
PERSON_COLUMNS = ("v_number", "given_names", "surname", "birth_date", "nationality")
ORDER = ("priority", "due NULLS LAST", "id")


@dataclass(frozen=True)
class Position:
    """A row's place in the queue's order (priority, due date with none last, id); a page
    given ``after`` a position starts with the first row behind it. Sent to clients as an
    opaque text, so that the order's columns may change without breaking their links."""

    priority: int
    due: date | None
    id: int

    @classmethod
    def of(cls, row: QueueRow) -> Position:
        return cls(row.priority, row.due, row.id)

    def encode(self) -> str:
        raw = f"{self.priority}:{self.due.isoformat() if self.due else ''}:{self.id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Position:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            priority, due, pk = raw.split(":")
            return cls(int(priority), date.fromisoformat(due) if due else None, int(pk))
        except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError
            raise BadInputError(
                "after",
                f"{text!r} is not a position in a queue (follow the page's next link)",
                f"{text!r} is geen plaats in een werkvoorraad (volg de link naar de volgende "
                "pagina)",
            ) from None

    def after(self) -> list[tuple[str, list[Any]]]:
        """The rows behind this position as two conditions, each an index range in the
        queue's order. One row comparison ``(priority, due, id) > (...)`` would do, but it
        is never true for a row without a due date (SQL's NULL), and those rows come last
        within their priority."""
        due: Any = self.due
        if connection.vendor != "postgresql" and due is not None:
            due = due.isoformat()  # SQLite keeps dates as ISO text
        if self.due is None:
            return [
                ("priority = %s AND due IS NULL AND id > %s", [self.priority, self.id]),
                ("priority > %s", [self.priority]),
            ]
        return [
            ("(priority, due, id) > (%s, %s, %s)", [self.priority, due, self.id]),
            ("priority = %s AND due IS NULL", [self.priority]),
        ]


def _page_sql(
    sel: Selection,
    filtered: tuple[list[str], list[Any]],
    limit: int,
    offset: int,
    after: Position | None = None,
) -> tuple[str, list[Any]]:
    """The page as one plain SELECT: the page's rows cut from an index-only scan of
    ``queue_team_order`` (which carries every column a row shows), then only those joined to
    their persons (joined before the OFFSET, page 20 read a thousand persons to show fifty).
    Plain SQL, prepared on PostgreSQL, because building and planning this query cost more
    than running it. With ``after`` the rows are cut from the index where the position is,
    not counted off from its start (``offset`` is then not used)."""
    # The statuses are written into the text, not bound: the planner must see them to match
    # the partial index's condition. The rest is bound, and the prepared statement keeps one
    # generic plan (``plan_cache_mode`` in settings).
    where = [f"status IN ({', '.join(repr(s) for s in OPEN)})"]
    params: list[Any] = []
    for column, value in (("queue", sel.queue), ("team", sel.team or None)):
        if value is not None:
            where.append(f"{column} = %s")
            params.append(value)
    # The filters (services/queue_filters.py) read the index's own columns, or the small
    # assignment table.
    where += filtered[0]
    params += filtered[1]
    if sel.granted_to is not None:
        # Checked row by row while walking the queue's index in page order, and stopped once
        # the page is full ("OFFSET 0" keeps PostgreSQL from turning it into a join): as a
        # semi-join it collected and sorted the whole queue first, 40 ms a page for DTenV on
        # the 1M-person database, against 2.5 (page 1) to 13 ms (page 20) this way.
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""  # SQLite: no OFFSET alone
        where.append(
            f"EXISTS (SELECT 1 FROM {_GRANT} g WHERE g.person_id = q.person_id "
            f"AND g.organisation_id = %s{fence})"
        )
        params.append(sel.granted_to)
    order = ", ".join(ORDER)
    rows = f"SELECT {', '.join(ROW_COLUMNS)} FROM {_PROCEDURE} q WHERE {' AND '.join(where)}"
    if after is None:
        page = f"{rows} ORDER BY {order} LIMIT %s OFFSET %s"
        page_params = [*params, limit, offset]
    else:
        # Each range is read in the index's order and stops at ``limit`` rows; the page is
        # the first ``limit`` of the two, sorted (at most twice its size).
        ranges, page_params = [], []
        for i, (condition, values) in enumerate(after.after()):
            ranges.append(f"SELECT * FROM ({rows} AND {condition} ORDER BY {order} LIMIT %s) r{i}")
            page_params += [*params, *values, limit]
        page = f"{' UNION ALL '.join(ranges)} ORDER BY {order} LIMIT %s"
        page_params.append(limit)
    columns = [f"p.{c}" for c in ROW_COLUMNS] + [f"r.{c}" for c in PERSON_COLUMNS]
    sql = (
        f"SELECT {', '.join(columns)} FROM ({page}) p "
        f"LEFT JOIN {_PERSON} r ON r.id = p.person_id "
        f"ORDER BY {', '.join(f'p.{c}' for c in ORDER)}"
    )
    return sql, page_params


def work_queue(
    actor: Actor,
    on: date,
    *,
    page: int = 1,
    page_size: int = 50,
    team: str | None = None,
    procedure_type: str = "",
    after: str = "",
    filters: QueueFilter | None = None,
) -> dict[str, Any]:
    """One page of the queue: the ``page``-th (from 1), or the one ``after`` a position a
    previous page gave out as ``next_after``; narrowed by ``filters`` (or, as before them, by
    ``team`` and ``procedure_type``)."""
    check(actor.role, "procedure", "read")
    if page < 1:
        raise BadInputError("page", "must be 1 or more", "moet 1 of meer zijn")
    position = Position.decode(after) if after else None
    if position is not None and page != 1:
        raise BadInputError(
            "page",
            "cannot be combined with 'after', which says where to go on",
            "kan niet samen met 'after', dat al zegt waar de lijst verdergaat",
        )
    if not 1 <= page_size <= 200:
        raise BadInputError("page_size", "must be between 1 and 200", "moet tussen 1 en 200 liggen")
    if filters is None:
        filters = parse({"procedure_type": procedure_type}) if procedure_type else QueueFilter()
        filters = replace(filters, team=team)
    rows, has_next = _rows(actor, on, filters, page_size, (page - 1) * page_size, position)
    results = [row for row, _ in rows]
    subjects = [s for _, s in rows if s is not None]
    if subjects:  # one operation: this page, on every person it shows
        append(
            actor.audit,
            [
                Entry(
                    "queue.read",
                    "read",
                    "procedure",
                    QUEUE_FIELDS,
                    tuple(subjects),
                    object_ref=f"queue:{actor.role.organisation_kind}:"
                    + (f"after:{after}" if after else f"page:{page}"),
                )
            ],
        )
    last = results[-1] if results else None
    return {
        "queue": filters.queue or actor.role.organisation_kind,
        "team": actor.role.team if filters.team is None else filters.team,
        "on": on.isoformat(),
        "page": None if after else page,
        "after": after or None,
        "page_size": page_size,
        "filters": filters.query(),
        "has_next": has_next,
        "next_after": Position(last["priority"], as_optional_date(last["due"]), last["id"]).encode()
        if has_next and last is not None
        else None,
        "results": results,
    }


Subject = tuple[int, str]


def _rows(
    actor: Actor,
    on: date,
    filters: QueueFilter,
    limit: int,
    offset: int,
    position: Position | None,
) -> tuple[list[tuple[dict[str, Any], Subject | None]], bool]:
    """Up to ``limit`` rows of the filtered queue (each with the person it shows, for the
    audit) and whether more follow; each row names its assignee and the assignment's version
    (the optimistic check of an assignment)."""
    sel = _selection(actor, filters.team, filters.queue)
    sql, params = _page_sql(
        sel, conditions(filters, on, actor.username), limit + 1, offset, after=position
    )
    # No transaction: the page is one statement, and the audit append is atomic on its own
    # and happens before the page is returned (keten.server.audit.log).
    raw_rows: list[tuple[Any, ...]] = []
    if not sel.empty:
        raw_rows = fetch_all(sql, params)
    has_next = len(raw_rows) > limit
    raw_rows = raw_rows[:limit]
    held = assignments.current(r[0] for r in raw_rows)
    out: list[tuple[dict[str, Any], Subject | None]] = []
    as_text = connection.vendor != "postgresql"  # SQLite hands dates back as text
    width = len(ROW_COLUMNS)
    for raw in raw_rows:
        proc = QueueRow._make(raw[:width])
        if as_text:
            proc = proc._replace(
                due=as_optional_date(proc.due),
                dwangsom_first_day=as_optional_date(proc.dwangsom_first_day),
                dwangsom_last_day=as_optional_date(proc.dwangsom_last_day),
            )
        row = procedure_row(proc, on)
        who, version = held.get(proc.id, ("", 0))
        row["assignee"] = who or None
        row["assignment_version"] = version
        subject: Subject | None = None
        if proc.person_id is not None:
            v_number, given, surname, birth, nationality = raw[width:]
            row["person"] = {
                "id": proc.person_id,
                "v_number": v_number,
                "name": f"{given} {surname}",
                "birth_date": birth,
                "nationality": nationality,
            }
            subject = (proc.person_id, v_number)
        out.append((row, subject))
    return out, has_next


MAX_EXPORT = 10_000  # rows in one export: a team's overdue cases, not the chain's register


def export_queue(actor: Actor, on: date, filters: QueueFilter, *, limit: int = MAX_EXPORT) -> Table:
    """The filtered queue as one table (only ``QUEUE_FIELDS`` and the case's own columns), in
    the queue's order; refused when it holds more than ``MAX_EXPORT`` rows (narrow the
    filter). Audited as one read of every person listed."""
    check(actor.role, "procedure", "read")
    rows, more = _rows(actor, on, filters, limit, 0, None)
    if more:
        raise BadInputError(
            "filters",
            f"the filtered queue holds more than {limit} cases: narrow the filter "
            "(procedure type, overdue, days left) to export it",
            f"de gefilterde werkvoorraad bevat meer dan {limit} zaken: verfijn het "
            "filter (soort procedure, over de termijn, dagen over) om te exporteren",
        )
    subjects = tuple(s for _, s in rows if s is not None)
    if subjects:
        append(
            actor.audit,
            [
                Entry(
                    "queue.export",
                    "read",
                    "procedure",
                    QUEUE_FIELDS,
                    subjects,
                    object_ref=f"queue:{actor.role.organisation_kind}:export:{filters.query()}",
                )
            ],
        )
    table_rows = []
    for row, _ in rows:
        person = row.get("person") or {}
        table_rows.append(
            (
                row["id"],
                person.get("v_number"),
                person.get("name"),
                person.get("birth_date"),  # a partial date ("1990-00-00") stays text
                person.get("nationality"),
                row["procedure_type"],
                row["name"],
                row["status"],
                row["stage"] or None,
                row["stage_name"],
                row["priority"],
                row["deadline_name"],
                as_optional_date(row["due"]),
                row["days_left"],
                row["dwangsom_eur"],
                row["assignee"],
            )
        )
    return Table("werkvoorraad", EXPORT_COLUMNS, tuple(table_rows))


EXPORT_COLUMNS = (
    "procedure",
    "v_nummer",
    "naam",
    "geboortedatum",
    "nationaliteit",
    "soort",
    "procedure_naam",
    "status",
    "stand",
    "stand_naam",
    "prioriteit",
    "termijn",
    "uiterste_datum",
    "dagen_over",
    "dwangsom_eur",
    "behandelaar",
)


# Each count of the queue summary and the filter that lists exactly its cases (the counters
# are links to the queue so filtered).
SUMMARY_FILTERS = {
    "open": QueueFilter(),
    "overdue": QueueFilter(overdue=True),
    "due_7": QueueFilter(days_left=7),
    "due_14": QueueFilter(days_left=14),
    "priority": QueueFilter(priority="pact"),
    "dwangsom_running": QueueFilter(dwangsom="running"),
    "unassigned": QueueFilter(unassigned=True),
    "mine": QueueFilter(mine=True),
}


def queue_summary(actor: Actor, on: date, team: str | None = None) -> dict[str, Any]:
    """Counts and the total dwangsom exposure of a queue (no personal data: not logged), with
    per count the query string (``filters``) of the queue's list of exactly those cases."""
    check(actor.role, "procedure", "read")
    qs = _queue_qs(actor, team)
    week, fortnight = on + timedelta(days=7), on + timedelta(days=14)
    counts = qs.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due__lt=on)),
        due_7=Count("id", filter=Q(due__gte=on, due__lte=week)),
        due_14=Count("id", filter=Q(due__gte=on, due__lte=fortnight)),
        priority=Count("id", filter=Q(priority__lt=2)),
    )
    # Counted from the assignment cache's side (its few rows, by their index), not by a look-up
    # for each of the queue's open cases.
    assigned = qs.filter(assignment__assignee__gt="")
    counts["unassigned"] = counts["open"] - assigned.count()
    counts["mine"] = assigned.filter(assignment__assignee=actor.username).count()
    exposure, running = _exposure(qs, on)
    return {
        **counts,
        "dwangsom_running": running,
        "dwangsom_exposure_eur": exposure,
        "border_capacity": _border_margin(actor, on, chain=False),
        "filters": {name: replace(f, team=team).query(on) for name, f in SUMMARY_FILTERS.items()},
    }


def _exposure(qs: QuerySet[Procedure], on: date) -> tuple[int, int]:
    """Total euros owed on ``on`` and the number of cases with a dwangsom running. Grouped by
    (first, last) day, so the database returns a few thousand pairs, not every case."""
    pairs = (
        qs.filter(dwangsom_first_day__isnull=False, dwangsom_first_day__lte=on)
        .values("dwangsom_first_day", "dwangsom_last_day")
        .annotate(n=Count("id"))
    )
    total = running = 0
    for row in pairs:
        first, last, n = row["dwangsom_first_day"], row["dwangsom_last_day"], row["n"]
        assert first is not None  # filtered on above
        total += n * dwangsom_amount(first, last, on)
        if last is not None and first <= on <= last:
            running += n
    return total, running


def figures_reach(actor: Actor) -> str:
    """Whose procedures the dashboard counts: ``chain`` (every organisation's), ``own`` (the
    queues of the role's organisation kind), ``scope`` (the persons in the role's scope), or
    ``none``. A role that sees no person (scope none) still reads figures when the policy gives
    it management information: the ministry (``figures: all``) the whole chain, the IND's
    management its own queues. Before, such a role got the persons-in-scope count of nobody,
    and the ministry's dashboard was empty where COA saw every overdue case."""
    return role_reach(actor.role)


def role_reach(role: Role) -> str:
    """:func:`figures_reach` from the role alone (the page header asks before any actor)."""
    if role.scope == "all":
        return "chain"
    if role.scope == "granted":
        return "scope"
    if role.can("management_information", "read"):
        return "chain" if role.figures == "all" else "own"
    return "none"


def _figures_base(actor: Actor, reach: str) -> QuerySet[Procedure]:
    if reach == "chain":
        return Procedure.objects.all()
    if reach == "own":
        return Procedure.objects.filter(queue=actor.role.organisation_kind)
    if reach == "scope":
        return scope.procedures(actor)
    return Procedure.objects.none()


def dashboard(actor: Actor, on: date) -> dict[str, Any]:
    """Management information: aggregates only, no personal data, over the procedures and
    placements of the persons in the role's scope (the whole chain for scope 'all'), or, for
    a role that sees no person, the figures its policy lets it read (:func:`figures_reach`)."""
    catalog = load_catalog()
    reach = figures_reach(actor)
    base = _figures_base(actor, reach)
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in base.values("procedure_type", "status").annotate(n=Count("id")):
        per[row["procedure_type"]][row["status"]] += row["n"]
    missed = dict(
        base.filter(status__in=OPEN, due__lt=on)
        .values_list("procedure_type")
        .annotate(n=Count("id"))
    )
    exposure = _exposure(base, on)[0]
    # Running only on open cases: the queue lists those, and a decision ends the penalty.
    running = _exposure(base.filter(status__in=OPEN), on)[1]
    # Occupied on ``on``: begun, and not ended by then (an end day still ahead is a plan). Over
    # the same persons as the procedures above: a role scoped to granted persons counts the
    # places of its own persons, not the chain's.
    # The ministry's chain-wide figures count every place too; the IND management's own
    # queues hold no placement.
    placements = Placement.objects.filter(access.running(on), start__lte=on)
    if actor.role.scope == "granted":
        placements = placements.filter(person_id__in=scope.granted_persons(actor.organisation))
    elif reach != "chain":
        placements = placements.none()
    occupied = (
        standing("placement", placements)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    occupancy = [
        {
            "kind": kind,
            "name": PLACEMENT_TYPES[kind].nl if kind in PLACEMENT_TYPES else kind,
            "name_en": PLACEMENT_TYPES[kind].en if kind in PLACEMENT_TYPES else kind,
            "n": n,
        }
        for kind, n in occupied
    ]
    return {
        "on": on.isoformat(),
        "reach": reach,
        "procedures": [
            {
                "procedure_type": pid,
                "name": catalog[pid].name.nl if pid in catalog else pid,
                "name_en": catalog[pid].name.en if pid in catalog else pid,
                "by_status": dict(per[pid]),
                "missed": missed.get(pid, 0),
                "filters": _dashboard_filters(actor, on, pid),
            }
            for pid in sorted(per)
        ],
        "deadlines_missed": sum(missed.values()),
        "dwangsom_running": running,
        "filters": _dashboard_filters(actor, on, None),
        "dwangsom_exposure_eur": exposure,
        "occupancy": occupancy,
        "border_capacity": _border_margin(actor, on, chain=reach == "chain"),
    }


def _border_margin(actor: Actor, on: date, *, chain: bool) -> dict[str, Any] | None:
    """The border procedures running against the adequate capacity (figures only), for the
    roles that handle border procedures and for the dashboards over the whole chain; None for
    the others and before the Pact."""
    if not chain and border_capacity.BORDER_PROCEDURE not in actor.role.procedures:
        return None
    found = border_capacity.margin(on)
    return found.to_json() if found is not None else None


def _dashboard_filters(actor: Actor, on: date, procedure_type: str | None) -> dict[str, str]:
    """The query strings of the queue lists behind a dashboard row's counts (or, without a
    type, behind its totals), across every queue in the role's scope. None for a role that
    may not read the cases (its counts are no links), for closed cases (no queue holds them)
    and for the ministry's half-years (no person: listed on /taakstelling)."""
    if not actor.role.can("procedure", "read") or actor.role.scope not in ("all", "granted"):
        return {}
    if procedure_type is None:
        if actor.role.scope == "granted" and actor.role.can("taakstelling", "read"):
            # A municipality's totals count its own half-years too, which have no person and
            # are in no list of cases: a link would show fewer than the count.
            return {}
        return {
            "deadlines_missed": QueueFilter(queue=ALL_QUEUES, overdue=True).query(on),
            "dwangsom_running": QueueFilter(queue=ALL_QUEUES, dwangsom="running").query(on),
        }
    if queue_of(procedure_type)[0] in ("", "ministry"):
        return {}
    each = QueueFilter(queue=ALL_QUEUES, procedure_type=procedure_type)
    return {
        **{status: replace(each, status=status).query(on) for status in OPEN},
        "missed": replace(each, overdue=True).query(on),
    }
