"""The IND annual figures through the server: the policy (``annual_report`` read), the year
(bounded), the frames from the database (``report_source``), the library's computation
(``keten.reports.annual``). Only figures leave this module, no person, so, like the other
statistics, the read writes no audit record.

The roles that may read it (IND management, the ministry's policy staff) have scope 'none':
they see no person, and the annual figures are the chain's totals for the IND's products. A role
given ``annual_report`` with a 'granted' scope is refused (``WHOLE_CHAIN_SCOPES``), not shown
the totals of persons it may not see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.reports import annual
from keten.reports.annual import AnnualReport
from keten.reports.counting import EVENT_READS
from keten.reports.frames import Frames
from keten.reports.render import to_json
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_text, whole_number
from keten.server.services.errors import BadInputError, ForbiddenError
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
    return frames_for(TYPES, start, end, event_reads=EVENT_READS)


def compute(year: int) -> AnnualReport:
    return annual.compute(frames(year), year)


# Scopes whose reader may see the chain's totals: 'none' (sees no person, only figures) and
# 'all' (sees every person anyway). A 'granted' scope sees a part of the chain; the IND's
# annual figures are totals, so such a role is refused rather than shown a total it could not
# otherwise see.
WHOLE_CHAIN_SCOPES = frozenset({"none", "all"})


def _allowed(actor: Actor) -> None:
    check(actor.role, RESOURCE, "read")
    if actor.role.scope not in WHOLE_CHAIN_SCOPES:
        raise ForbiddenError(
            f"role {actor.role.id} sees only the persons granted to it; the annual figures are "
            "the whole chain's",
            field=RESOURCE,
            rule="policy: the annual figures are read by roles with scope 'none' or 'all'",
            detail_nl=f"de rol {actor.role.id} ziet alleen de personen die aan haar zijn "
            "overgedragen; de jaarcijfers gaan over de hele keten",
            rule_nl="beleid: de jaarcijfers zijn voor rollen met bereik 'none' of 'all'",
        )


def report(actor: Actor, raw_year: str | None) -> dict[str, Any]:
    _allowed(actor)
    year = year_of(raw_year)
    return to_json(compute(year))


def result(actor: Actor, raw_year: str | None) -> AnnualReport:
    """The computed report (for the page's CSV and XLSX), after the same checks."""
    _allowed(actor)
    return compute(year_of(raw_year))
