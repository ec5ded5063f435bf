"""What is due for a person: the deadlines and dwangsom of their team's queue, and which of
those are assigned to them.

The team's queue is the one the work queue shows the role (``queues._selection``: the queue of
its organisation kind and its team, only granted persons for a role scoped to them). A role
with no queue of its own (a municipality, DJI, Nidos) is told of hand-overs, not of deadlines
it does not keep. Assignment is read through ``assignments.current_assignees`` only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from keten.server.dossiers.models import Procedure
from keten.server.services import scope
from keten.server.services.actor import Actor
from keten.server.services.assignments import current_assignees
from keten.server.services.errors import BadInputError
from keten.server.services.queues import OPEN, _selection

DEFAULT_DAYS = 7
MIN_DAYS, MAX_DAYS = 1, 60  # a horizon past two months is a report, not a notice
# Cases read for one person and day: a team's queue has some thousands open; the ones due
# within the horizon are a few hundred. Past this the set is cut (``truncated``), and the
# inbox and the digest say "at least".
MAX_CASES = 500


def days_ahead(raw: object) -> int:
    """``raw`` (a form's text or a JSON number) as a horizon in days, 1..60."""
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise BadInputError(
            "days_ahead", "must be a whole number of days", "moet een geheel aantal dagen zijn"
        )
    text = str(raw).strip()
    if not text.isdigit() or not MIN_DAYS <= int(text) <= MAX_DAYS:
        raise BadInputError(
            "days_ahead",
            f"must be a whole number from {MIN_DAYS} to {MAX_DAYS}",
            f"moet een geheel getal van {MIN_DAYS} tot en met {MAX_DAYS} zijn",
        )
    return int(text)


@dataclass(frozen=True)
class Case:
    procedure_id: int
    person_id: int | None
    procedure_type: str
    deadline_id: str
    due: date | None
    dwangsom_first_day: date | None

    def overdue(self, day: date) -> bool:
        return self.due is not None and self.due < day

    def due_soon(self, day: date, horizon: date) -> bool:
        return self.due is not None and day <= self.due <= horizon

    def dwangsom(self, horizon: date) -> bool:
        """Dwangsom runs, or starts within the horizon (``dwangsom_first_day`` reached or near)."""
        return self.dwangsom_first_day is not None and self.dwangsom_first_day <= horizon


@dataclass
class DueSet:
    """What is due in a team's queue on ``day`` looking ``days`` ahead, and what is the
    reader's own (assigned to them)."""

    day: date
    days: int
    team: str
    cases: list[Case] = field(default_factory=list)
    mine: set[int] = field(default_factory=set)
    truncated: bool = False

    @property
    def horizon(self) -> date:
        return self.day + timedelta(days=self.days)

    def counts(self, only_mine: bool = False) -> dict[str, Counter[str]]:
        """Per kind (overdue, due_soon, dwangsom), the number of cases per procedure type."""
        out: dict[str, Counter[str]] = {"overdue": Counter(), "due_soon": Counter()}
        out["dwangsom"] = Counter()
        for case in self.cases:
            if only_mine and case.procedure_id not in self.mine:
                continue
            if case.overdue(self.day):
                out["overdue"][case.procedure_type] += 1
            elif case.due_soon(self.day, self.horizon):
                out["due_soon"][case.procedure_type] += 1
            if case.dwangsom(self.horizon):
                out["dwangsom"][case.procedure_type] += 1
        return out


def due_for(actor: Actor, day: date, days: int) -> DueSet:
    """The open procedures of the actor's team queue that are overdue, due within ``days``, or
    whose dwangsom starts within ``days``; nothing for a role that reads no procedures or
    has no queue of its own."""
    sel = _selection(actor, None)
    found = DueSet(day=day, days=days, team=sel.team)
    if sel.empty or sel.queue is None or not actor.role.can("procedure", "read"):
        return found
    horizon = found.horizon
    qs = Procedure.objects.filter(status__in=OPEN, queue=sel.queue)
    if sel.team:
        qs = qs.filter(team=sel.team)
    if sel.granted_to is not None:
        qs = qs.filter(person_id__in=scope.granted_persons(sel.granted_to))
    qs = qs.filter(Q(due__lte=horizon) | Q(dwangsom_first_day__lte=horizon))
    rows = list(
        qs.order_by("due", "id").values_list(
            "id", "person_id", "procedure_type", "deadline_id", "due", "dwangsom_first_day"
        )[: MAX_CASES + 1]
    )
    found.truncated = len(rows) > MAX_CASES
    found.cases = [Case(*row) for row in rows[:MAX_CASES]]
    assigned = current_assignees(c.procedure_id for c in found.cases)
    found.mine = {pid for pid, who in assigned.items() if who == actor.username}
    return found
