"""A small fixed chain for the monthly management information, counted by hand in
``EXPECTED`` (February to April 2024), and a generator of varied chains for the SQL-equals-
library tests. Plain data: the library tests turn it into frames, the server tests write it
into the database (``tests/server/monthly_db.py``).

The fixed chain, all in one team (``team`` is given by the caller, so tests on a shared
database count only their own rows):

- A asylum_first: started 20 Feb, decided 10 Mar (lead 19 days).
- B asylum_first: started 5 Mar, due 20 Mar, still open: over the term at the end of March and
  April.
- C asylum_first: started 15 Jan, suspended (no due day): open, never over the term.
- D asylum_first, late: started 1 Sep 2023, due 10 Feb, notice of default received 20 Feb, so
  the dwangsom runs from 5 Mar (Awb 4:17 lid 3: "de dag waarop twee weken zijn verstreken na de
  dag waarop ... het bestuursorgaan ... een schriftelijke ingebrekestelling heeft ontvangen"),
  decided 10 Apr: the dwangsom's last day is 9 Apr. It crosses the end of March: March holds
  days 1-27 (14 x 23 + 13 x 35 = 777 euro), April days 28-36 (1 x 35 + 8 x 45 = 395 euro) (Awb
  4:17 lid 2: "De dwangsom bedraagt de eerste veertien dagen € 23 per dag, de daaropvolgende
  veertien dagen € 35 per dag en de overige dagen € 45 per dag").
- E asylum_first: started 1 Mar, decided 31 Mar (the month's last day: decided in March, lead
  30).
- F asylum_first: started 31 Mar, decided 1 Apr (open at the end of March, lead 1).
- G appeal (the court's): decision notified 1 Feb, lodged 15 Feb (its main deadline, the filing
  term, is met then: ``closed_on``), judgment 20 Mar: decided in March, lead 48.
- H appeal: notified 2 Mar, lodged 9 Mar, a judgment on 25 Mar that was withdrawn as mistaken:
  still open.
- I permit_holder_outflow (COA's queue): started 10 Mar, open.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

D = date


@dataclass
class Spec:
    """One procedure with its cache columns and its events (kind, day, withdrawn)."""

    name: str
    procedure_type: str
    organisation: str
    started_on: date | None
    closed_on: date | None = None
    due: date | None = None
    status: str = "open"
    dwangsom_first_day: date | None = None
    dwangsom_last_day: date | None = None
    team: str = ""
    events: list[tuple[str, date, bool]] = field(default_factory=list)


def fixed(team: str) -> list[Spec]:
    s = [
        Spec("A", "asylum_first", "ind", D(2024, 2, 20), D(2024, 3, 10), D(2024, 8, 20), "closed"),
        Spec("B", "asylum_first", "ind", D(2024, 3, 5), None, D(2024, 3, 20)),
        Spec("C", "asylum_first", "ind", D(2024, 1, 15), None, None, "suspended"),
        Spec(
            "D",
            "asylum_first",
            "ind",
            D(2023, 9, 1),
            D(2024, 4, 10),
            D(2024, 2, 10),
            "closed",
            D(2024, 3, 5),
            D(2024, 4, 9),
            events=[("notice_of_default", D(2024, 2, 20), False)],
        ),
        Spec("E", "asylum_first", "ind", D(2024, 3, 1), D(2024, 3, 31), D(2024, 8, 1), "closed"),
        Spec("F", "asylum_first", "ind", D(2024, 3, 31), D(2024, 4, 1), D(2024, 9, 1), "closed"),
        Spec(
            "G",
            "appeal",
            "court",
            D(2024, 2, 1),
            D(2024, 2, 15),
            D(2024, 2, 29),
            "closed",
            events=[
                ("decision_notified", D(2024, 2, 1), False),
                ("lodged", D(2024, 2, 15), False),
                ("judgment", D(2024, 3, 20), False),
            ],
        ),
        Spec(
            "H",
            "appeal",
            "court",
            D(2024, 3, 2),
            D(2024, 3, 9),
            D(2024, 3, 30),
            "closed",
            events=[
                ("decision_notified", D(2024, 3, 2), False),
                ("lodged", D(2024, 3, 9), False),
                ("judgment", D(2024, 3, 25), True),
            ],
        ),
        Spec("I", "permit_holder_outflow", "coa", D(2024, 3, 10), None, D(2024, 6, 16)),
    ]
    for spec in s:
        spec.team = team
    return s


def _figures(
    intake: int,
    decided: int,
    open_: int,
    over: int,
    median: int | None,
    p90: int | None,
    eur: int,
    notices: int,
) -> dict[str, Any]:
    return {
        "intake": intake,
        "decided": decided,
        "open": open_,
        "over_term": over,
        "lead_median": median,
        "lead_p90": p90,
        "dwangsom_eur": eur,
        "notices": notices,
    }


# (month, organisation, procedure_type) -> figures, counted by hand from the list above.
EXPECTED: dict[tuple[str, str, str], dict[str, Any]] = {
    # February: A in; A, C, D open; D over its term of 10 Feb; D's notice. G in and open (the
    # court has not ruled), not over: its filing term was met on 15 Feb.
    ("2024-02", "ind", "asylum_first"): _figures(1, 0, 3, 1, None, None, 0, 1),
    ("2024-02", "court", "appeal"): _figures(1, 0, 1, 0, None, None, 0, 0),
    # March: B, E, F in; A (19 days) and E (30) decided: nearest rank, the median of two is the
    # first, P90 the second; B, C, D, F open; B and D over the term; D's 27 dwangsom days.
    ("2024-03", "ind", "asylum_first"): _figures(3, 2, 4, 2, 19, 30, 777, 0),
    # G judged on 20 Mar (48 days after 1 Feb); H in, its judgment withdrawn: open.
    ("2024-03", "court", "appeal"): _figures(1, 1, 1, 0, 48, 48, 0, 0),
    ("2024-03", "coa", "permit_holder_outflow"): _figures(1, 0, 1, 0, None, None, 0, 0),
    # April: D (222 days) and F (1 day) decided; B and C open, B over; D's last 9 days.
    ("2024-04", "ind", "asylum_first"): _figures(0, 2, 2, 1, 1, 222, 395, 0),
    ("2024-04", "court", "appeal"): _figures(0, 0, 1, 0, None, None, 0, 0),
    ("2024-04", "coa", "permit_holder_outflow"): _figures(0, 0, 1, 0, None, None, 0, 0),
}


TYPES = (
    ("asylum_first", "ind", "beslissen"),
    ("mvv", "ind", "beslissen"),
    ("dublin_outgoing", "ind", "dublin"),
    ("interim_relief", "ind", "dublin"),
    ("appeal", "court", ""),
    ("higher_appeal", "court", ""),
    ("permit_holder_outflow", "coa", "opvang"),
    ("departure", "dtenv", "vertrek"),
)


AROUND = D(2024, 3, 1)


def varied(seed: int, n: int, team_prefix: str, around: date = AROUND) -> list[Spec]:
    """``n`` procedures of many kinds around ``around``: open, closed, suspended, not started,
    due before and after the month ends, dwangsom runs of every length, court procedures with
    and without (withdrawn) judgments, notices of default. Teams are ``team_prefix`` plus a
    letter, so a test can read back only its own."""
    rnd = random.Random(seed)
    out: list[Spec] = []
    for i in range(n):
        ptype, org, _team = rnd.choice(TYPES)
        team = f"{team_prefix}{rnd.choice('ab')}"
        began = around + timedelta(days=rnd.randint(-200, 120))
        start: date | None = began
        status = rnd.choice(["open", "open", "closed", "closed", "closed", "suspended"])
        closed = began + timedelta(days=rnd.randint(0, 150)) if status == "closed" else None
        due = began + timedelta(days=rnd.randint(-5, 180)) if rnd.random() < 0.85 else None
        events: list[tuple[str, date, bool]] = []
        first: date | None = None
        last: date | None = None
        if ptype in ("appeal", "higher_appeal", "interim_relief"):
            for _ in range(rnd.randint(0, 2)):
                kind = rnd.choice(["judgment", "withdrawn", "lodged"])
                day = began + timedelta(days=rnd.randint(0, 200))
                events.append((kind, day, rnd.random() < 0.25))
        elif rnd.random() < 0.4:
            notice = began + timedelta(days=rnd.randint(0, 200))
            events.append(("notice_of_default", notice, rnd.random() < 0.2))
            runs_from = notice + timedelta(days=14)
            runs_to = runs_from + timedelta(days=rnd.randint(0, 60))
            if closed is not None and runs_to >= closed:  # it stops the day before deciding
                runs_to = closed - timedelta(days=1)
            if rnd.random() < 0.7 and runs_from <= runs_to:
                first, last = runs_from, runs_to
        if rnd.random() < 0.03:
            start, status = None, "not_started"
        out.append(
            Spec(
                f"v{seed}-{i}",
                ptype,
                org,
                start,
                closed,
                due,
                status,
                first,
                last,
                team,
                events,
            )
        )
    return out


def frame_rows(specs: list[Spec], first_id: int = 1) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``keten.reports.frames`` for ``specs`` (standing events only), ids from
    ``first_id`` in order."""
    procedures, events = [], []
    for i, s in enumerate(specs):
        pid = first_id + i
        procedures.append(
            {
                "procedure_id": pid,
                "person_id": None,
                "nationality": "",
                "procedure_type": s.procedure_type,
                "organisation": s.organisation,
                "team": s.team,
                "started_on": s.started_on,
                "closed_on": s.closed_on,
                "due": s.due,
                "status": s.status,
                "regime": None,
                "dwangsom_first_day": s.dwangsom_first_day,
                "dwangsom_last_day": s.dwangsom_last_day,
                "contests": None,
            }
        )
        for kind, day, withdrawn in s.events:
            if not withdrawn:
                events.append({"procedure_id": pid, "kind": kind, "day": day})
    return {"procedures": procedures, "events": events}
