"""The work queue's filters: which of the queue's open procedures a list shows.

One definition for the page, the API, the export and the counters' links: parsed from the
query's text (each value checked, bounded, and refused with the field and the rule in English
and Dutch), turned into SQL conditions on the queue's own columns (so the walk of the index
``queue_team_order`` in the queue's order stays a walk: every column a filter reads is in the
index), and back into the query string a ``next`` link or a counter's link carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db import connection

from keten.catalog.loader import load_catalog
from keten.server.services.bounds import check_text, whole_number
from keten.server.services.errors import BadInputError, ContradictionError
from keten.server.services.policy import policy
from keten.server.workqueue.models import CurrentAssignment

OPEN = ("open", "suspended", "not_started")
PRIORITIES = ("0", "1", "2", "pact")  # a Pact level (keten.chain.priority), or 0 and 1 together
MAX_DAYS_LEFT = 366  # "due within N days": a year ahead is the longest a planner looks
ALL_QUEUES = "all"
_TRUE = ("1", "true", "on", "ja", "yes")
_FALSE = ("", "0", "false", "off", "nee", "no")
_ASSIGNED = CurrentAssignment._meta.db_table


@dataclass(frozen=True)
class QueueFilter:
    """What a list of the queue is narrowed to; empty fields do not narrow."""

    queue: str = ""  # an organisation kind's queue, "all" for every queue, "" for the role's own
    team: str | None = None  # None: the role's own team (in its own queue)
    procedure_type: str = ""
    stage: str = ""  # the latest event's kind (``Procedure.stage``)
    status: str = ""  # one of the open statuses
    priority: str = ""  # "0", "1", "2" or "pact" (0 and 1)
    overdue: bool = False  # past the main deadline's due day
    days_left: int | None = None  # due from the reference day to N days after it
    dwangsom: str = ""  # "running": a penalty for late decision accrues on the day
    assignee: str = ""  # a username
    mine: bool = False  # assigned to the reader
    unassigned: bool = False

    def query(self, on: date | None = None, **extra: str) -> str:
        """The filter as a query string (for links), with ``on`` when a day was chosen."""
        pairs: dict[str, str] = {}
        if on is not None:
            pairs["on"] = on.isoformat()
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value is False or value == "":
                continue
            pairs[f.name] = "1" if value is True else str(value)
        pairs.update(extra)
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        """Whether anything narrows the list beyond the queue and team."""
        return any(
            getattr(self, f.name) not in (None, False, "")
            for f in fields(self)
            if f.name not in ("queue", "team")
        )


FIELDS = tuple(f.name for f in fields(QueueFilter))


def _flag(params: Mapping[str, Any], name: str) -> bool:
    raw = str(params.get(name) or "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise BadInputError(name, "must be 1 (yes) or 0 (no)", "moet 1 (ja) of 0 (nee) zijn")


def _one_of(params: Mapping[str, Any], name: str, options: tuple[str, ...] | set[str]) -> str:
    raw = str(params.get(name) or "").strip()
    if raw and raw not in options:
        listed = ", ".join(sorted(options))
        raise BadInputError(
            name, f"{raw!r} is not one of: {listed}", f"{raw!r} is geen van: {listed}"
        )
    return raw


def queue_kinds() -> set[str]:
    return {kind for kind, _ in policy().queues.values()}


def stages(procedure_type: str = "") -> set[str]:
    """The event kinds a procedure can stand at: of one type, or of any."""
    catalog = load_catalog()
    types = [catalog[procedure_type]] if procedure_type else list(catalog.values())
    return {e.kind for pt in types for e in pt.events}


def parse(params: Mapping[str, Any]) -> QueueFilter:
    """A filter from a query's values. Unknown values are refused, naming the field and the
    rule; contradictory ones (mine and unassigned, overdue and days left) too."""
    for name in FIELDS:
        value = params.get(name)
        if value is not None and not isinstance(value, str):
            raise BadInputError(name, "must be a text", "moet tekst zijn")
        if value:
            check_text(value, name, max_len=150)
    queue = _one_of(params, "queue", queue_kinds() | {ALL_QUEUES})
    team = params.get("team")
    procedure_type = _one_of(params, "procedure_type", set(load_catalog()))
    stage = str(params.get("stage") or "").strip()
    if stage and stage not in stages(procedure_type):
        where_en = f"of type {procedure_type}" if procedure_type else "of any type"
        where_nl = f"van het type {procedure_type}" if procedure_type else "van enig type"
        raise BadInputError(
            "stage",
            f"{stage!r} is no event a procedure {where_en} can stand at",
            f"{stage!r} is geen gebeurtenis waarop een procedure {where_nl} kan staan",
        )
    days_raw = str(params.get("days_left") or "").strip()
    days_left = whole_number(days_raw, "days_left", low=0, high=MAX_DAYS_LEFT) if days_raw else None
    found = QueueFilter(
        queue=queue,
        team=str(team).strip() if team is not None else None,
        procedure_type=procedure_type,
        stage=stage,
        status=_one_of(params, "status", OPEN),
        priority=_one_of(params, "priority", PRIORITIES),
        overdue=_flag(params, "overdue"),
        days_left=days_left,
        dwangsom=_one_of(params, "dwangsom", ("running",)),
        assignee=str(params.get("assignee") or "").strip(),
        mine=_flag(params, "mine"),
        unassigned=_flag(params, "unassigned"),
    )
    _consistent(found)
    return found


def _consistent(f: QueueFilter) -> None:
    """Filters that together can match nothing are refused, not answered with an empty list
    that looks like an empty queue."""
    pairs = (
        (f.mine and f.unassigned, "unassigned", "mine", "mijn zaken"),
        (bool(f.assignee) and f.unassigned, "unassigned", "assignee", "behandelaar"),
        (f.overdue and f.days_left is not None, "days_left", "overdue", "over de termijn"),
    )
    for clash, name, other_en, other_nl in pairs:
        if clash:
            raise ContradictionError(
                name,
                f"cannot be combined with {other_en}: together they match no case",
                f"kan niet samen met ‘{other_nl}’: samen passen ze op geen enkele zaak",
            )


def _day(value: date) -> Any:
    return value if connection.vendor == "postgresql" else value.isoformat()  # SQLite: text


def conditions(f: QueueFilter, on: date, me: str) -> tuple[list[str], list[Any]]:
    """SQL conditions on the queue's rows (alias ``q``) and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    for column in ("procedure_type", "stage", "status"):
        value = getattr(f, column)
        if value:
            where.append(f"q.{column} = %s")
            params.append(value)
    if f.priority == "pact":
        where.append("q.priority < 2")
    elif f.priority:
        where.append("q.priority = %s")
        params.append(int(f.priority))
    if f.overdue:
        where.append("q.due < %s")
        params.append(_day(on))
    if f.days_left is not None:
        where.append("q.due >= %s AND q.due <= %s")
        params += [_day(on), _day(on + timedelta(days=f.days_left))]
    if f.dwangsom == "running":
        where.append("q.dwangsom_first_day <= %s AND q.dwangsom_last_day >= %s")
        params += [_day(on), _day(on)]
    who = me if f.mine else f.assignee
    if who:
        # A semi-join from the assignee's few cases (index ``assignment_assignee``), which the
        # planner may drive from, rather than a check on every row of the queue.
        where.append(f"q.id IN (SELECT procedure_id FROM {_ASSIGNED} WHERE assignee = %s)")
        params.append(who)
    if f.unassigned:
        where.append(
            f"NOT EXISTS (SELECT 1 FROM {_ASSIGNED} a WHERE a.procedure_id = q.id "
            "AND a.assignee <> '')"
        )
    return where, params
