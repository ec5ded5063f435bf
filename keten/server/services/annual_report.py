"""The IND annual figures through the server: the policy (``annual_report`` read), the year
(bounded), the frames from the database (``report_source``), the library's computation
(``keten.reports.annual``). Only figures leave this module, no person, so, like the other
statistics, the read writes no audit record.

The roles that may read it (IND management, the ministry's policy staff) have scope 'none':
they see no person, and the annual figures are the chain's totals for the IND's products, not a
part of them; a role with a narrower scope is refused by the policy, not shown a part.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.reports import annual
from keten.reports.annual import AnnualReport
from keten.reports.counting import EVENT_KINDS
from keten.reports.frames import Frames
from keten.reports.render import to_json
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_text, whole_number
from keten.server.services.errors import BadInputError
from keten.server.services.policy import check
from keten.server.services.report_source import frames_for

RESOURCE = "annual_report"
# Every procedure type a figure of the annual report counts (its frames need no other).
TYPES: tuple[str, ...] = tuple(
    sorted({t for f in annual.ANNUAL.figures() for t in f.args.get("types", ())})
)


def year_of(raw: str | None, today: date | None = None) -> int:
    """``?year=``: by default the last whole year; from the first year Keten has procedures
    for (Vw 2000, 2001) up to the current year (figures so far)."""
    today = today or date.today()
    if raw is None or raw == "":
        return today.year - 1
    check_text(raw, "year", max_len=4)
    try:
        return whole_number(raw, "year", low=annual.EARLIEST_YEAR, high=today.year)
    except BadInputError as e:
        raise BadInputError(
            "year",
            f"{e.rule}: a year from {annual.EARLIEST_YEAR} (Vw 2000) to this year",
            f"{e.rule_nl}: een jaar van {annual.EARLIEST_YEAR} (Vw 2000) tot en met dit jaar",
        ) from None


def frames(year: int) -> Frames:
    start, end = annual.frames_period(year)
    return frames_for(TYPES, start, end, event_kinds=EVENT_KINDS)


def compute(year: int) -> AnnualReport:
    return annual.compute(frames(year), year)


def report(actor: Actor, raw_year: str | None) -> dict[str, Any]:
    check(actor.role, RESOURCE, "read")
    year = year_of(raw_year)
    return to_json(compute(year))


def result(actor: Actor, raw_year: str | None) -> AnnualReport:
    """The computed report (for the page's CSV and XLSX), after the same checks."""
    check(actor.role, RESOURCE, "read")
    return compute(year_of(raw_year))
