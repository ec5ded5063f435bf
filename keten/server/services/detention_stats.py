"""Detention statistics per month: detentions started and ended, by outcome (released,
removed), the days held of those that ended (mean and median, as seed 001 reports them:
"Gemiddelde duur van alle bewaringen, (inclusief gezinnen met kinderen) was in 2020: 46
dagen"), by group and by nationality.

Counted from the dossiers' standing events of the detention procedure (``detained``, and the
first ``released`` or ``removed`` after it), so that the figures and the overview read the
same history. Only figures leave this module, so, like the taakstelling's figures, the read
writes no audit record; who may read them is policy (``detention_statistics``: DTenV, DJI and
the ministry).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from keten.server.dossiers.models import ProcedureEvent
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_text, day_within, latest_day, nl_day, parse_day
from keten.server.services.errors import BadInputError
from keten.server.services.policy import check
from keten.server.services.withdrawals import withdrawn

RESOURCE = "detention_statistics"
DETENTION = "detention"
OUTCOMES = ("released", "removed")
# A report covers at most ten years of months: a longer range is a typing error, and its
# answer (hundreds of months by nationality) no report could use.
MAX_MONTHS = 120
EARLIEST = date(2000, 1, 1)  # the calendar's first year: no detention is dated before it
UNKNOWN_GROUP = "unknown"


@dataclass(frozen=True)
class Detention:
    """One detention procedure as the statistics see it."""

    started: date
    ended: date | None
    outcome: str | None
    group: str
    nationality: str

    @property
    def days(self) -> int | None:
        return None if self.ended is None else (self.ended - self.started).days


@dataclass
class Cell:
    started: int = 0
    ended: int = 0
    by_outcome: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    days: list[int] = field(default_factory=list)

    def add_start(self) -> None:
        self.started += 1

    def add_end(self, d: Detention) -> None:
        self.ended += 1
        if d.outcome in self.by_outcome:
            self.by_outcome[d.outcome] += 1
        if d.days is not None:
            self.days.append(d.days)

    def to_json(self) -> dict[str, Any]:
        return {
            "started": self.started,
            "ended": self.ended,
            **self.by_outcome,
            "days_mean": round(statistics.fmean(self.days), 1) if self.days else None,
            "days_median": statistics.median(self.days) if self.days else None,
        }


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(start: date, end: date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def period(raw_from: str | None, raw_to: str | None, today: date) -> tuple[date, date]:
    """``from`` and ``to`` (YYYY-MM-DD, whole months are reported), by default the twelve
    months up to today; at most ``MAX_MONTHS`` months, ``from`` not after ``to``."""
    last = latest_day(today)
    end = _day(raw_to, "to", last) if raw_to else today
    start = _day(raw_from, "from", last) if raw_from else date(end.year - 1, end.month, 1)
    if start > end:
        raise BadInputError(
            "from",
            f"must not be after to ({end.isoformat()})",
            f"mag niet na to ({nl_day(end)}) liggen",
        )
    if len(_months(start, end)) > MAX_MONTHS:
        raise BadInputError(
            "from",
            f"covers more than {MAX_MONTHS} months: ask for a shorter period",
            f"beslaat meer dan {MAX_MONTHS} maanden: vraag een kortere periode",
        )
    return start, end


def _day(raw: str, name: str, last: date) -> date:
    check_text(raw, name, max_len=10)
    return day_within(parse_day(raw, name), name, EARLIEST, last)


def detentions() -> list[Detention]:
    """Every detention procedure with its first ``detained`` day and its first ending after
    it (withdrawn events left out): one query over the detention's events."""
    rows = (
        ProcedureEvent.objects.filter(
            procedure__procedure_type=DETENTION,
            procedure__person__isnull=False,
            kind__in=("detained", *OUTCOMES),
        )
        .exclude(withdrawn("event"))
        .order_by("procedure_id", "day", "id")
        .values_list(
            "procedure_id", "kind", "day", "procedure__facts", "procedure__person__nationality"
        )
    )
    found: dict[int, dict[str, Any]] = {}
    for pid, kind, day, facts, nationality in rows:
        d = found.setdefault(pid, {"facts": facts or {}, "nationality": nationality})
        if kind == "detained":
            d.setdefault("started", day)
        elif "started" in d and day >= d["started"] and "ended" not in d:
            d["ended"], d["outcome"] = day, kind
    return [
        Detention(
            d["started"],
            d.get("ended"),
            d.get("outcome"),
            str(d["facts"].get("group") or UNKNOWN_GROUP),
            d["nationality"],
        )
        for d in found.values()
        if "started" in d
    ]


def compute(all_: list[Detention], start: date, end: date) -> dict[str, Any]:
    """The figures for the months from ``start`` to ``end`` (pure: the tests feed it a
    hand-built list)."""
    months = _months(start, end)
    total = Cell()
    per_month = {m: Cell() for m in months}
    by_group: dict[str, Cell] = {}
    by_nationality: dict[str, Cell] = {}
    for d in all_:
        cells = [total, by_group.setdefault(d.group, Cell())]
        cells.append(by_nationality.setdefault(d.nationality, Cell()))
        if start <= d.started <= end:
            per_month[_month(d.started)].add_start()
            for c in cells:
                c.add_start()
        if d.ended is not None and start <= d.ended <= end:
            per_month[_month(d.ended)].add_end(d)
            for c in cells:
                c.add_end(d)
    used = {k: c for k, c in by_nationality.items() if c.started or c.ended}
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "months": [{"month": m, **per_month[m].to_json()} for m in months],
        "total": total.to_json(),
        "by_group": {g: c.to_json() for g, c in sorted(by_group.items()) if c.started or c.ended},
        "by_nationality": {
            n: c.to_json() for n, c in sorted(used.items(), key=lambda kv: (-kv[1].started, kv[0]))
        },
        "definitions": {
            "days_held": "days from the detention day to the day of release or removal "
            "(dagen van inbewaringstelling tot opheffing of uitzetting), of detentions that "
            "ended in the period",
            "started": "first 'detained' event in the period",
            "ended": "first 'released' or 'removed' event after it, in the period",
        },
    }


def report(actor: Actor, raw_from: str | None, raw_to: str | None) -> dict[str, Any]:
    check(actor.role, RESOURCE, "read")
    start, end = period(raw_from, raw_to, date.today())
    return compute(detentions(), start, end)
