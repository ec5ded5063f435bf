"""A small fixed chain for the annual figures of 2025 against 2024, as frames, with every figure
counted by hand in the comments. The server tests build the same chain through the service
layer (``tests/server/test_annual_report.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.reports.frames import Frames, conform

D = date


def _proc(
    pid: int,
    ptype: str,
    nat: str,
    started: date,
    closed: date | None = None,
    due: date | None = None,
    *,
    contests: int | None = None,
    dwangsom: tuple[date, date] | None = None,
) -> dict[str, Any]:
    return {
        "procedure_id": pid,
        "person_id": pid,
        "nationality": nat,
        "procedure_type": ptype,
        "organisation": "ind",
        "team": "",
        "started_on": started,
        "closed_on": closed,
        "due": due,
        "status": "closed" if closed else "open",
        "regime": None,
        "dwangsom_first_day": dwangsom[0] if dwangsom else None,
        "dwangsom_last_day": dwangsom[1] if dwangsom else None,
        "contests": contests,
    }


def chain() -> Frames:
    procs = [
        # asylum: p1 on time, p2 late, p3 (subsequent) started 2024 and on time, p4 all 2024,
        # p6 (subsequent) open
        _proc(1, "asylum_first", "SYR", D(2025, 1, 10), D(2025, 3, 1), D(2025, 7, 10)),
        _proc(
            2,
            "asylum_first",
            "SYR",
            D(2025, 2, 1),
            D(2025, 9, 15),
            D(2025, 8, 1),
            dwangsom=(D(2025, 8, 24), D(2025, 9, 14)),  # 22 days: 14 x 23 + 8 x 35 = 602
        ),
        _proc(3, "asylum_subsequent", "IRQ", D(2024, 11, 1), D(2025, 1, 20), D(2025, 5, 1)),
        _proc(4, "asylum_first", "AFG", D(2024, 3, 1), D(2024, 6, 1), D(2024, 9, 1)),
        _proc(6, "asylum_subsequent", "ERI", D(2025, 5, 1)),
        # regular residence: late, a dwangsom from 25 Dec 2024 to 10 Jan 2025: 7 days in 2024
        # (7 x 23 = 161), 17 days in all (14 x 23 + 3 x 35 = 427): 266 in 2025
        _proc(
            5,
            "regular_residence",
            "USA",
            D(2024, 9, 1),
            D(2025, 1, 11),
            D(2024, 12, 10),
            dwangsom=(D(2024, 12, 25), D(2025, 1, 10)),
        ),
        # court: a1 contests d1 (well-founded), a2 contests d3 (unfounded), a3 contests d4
        # (lodged 2024, unfounded 2025), a4 contests d2 (the IND withdrew d2), ir1 withdrawn by
        # the alien, ir2 contests d1 too (well-founded)
        _proc(11, "appeal", "SYR", D(2025, 3, 2), D(2025, 3, 10), D(2025, 3, 29), contests=101),
        _proc(12, "appeal", "IRQ", D(2025, 1, 21), D(2025, 2, 1), D(2025, 2, 17), contests=103),
        _proc(13, "appeal", "AFG", D(2024, 6, 2), D(2024, 7, 1), D(2024, 6, 30), contests=104),
        _proc(14, "appeal", "SYR", D(2025, 9, 16), D(2025, 10, 1), D(2025, 10, 14), contests=102),
        _proc(15, "interim_relief", "SYR", D(2025, 3, 11)),
        _proc(16, "interim_relief", "SYR", D(2025, 3, 12), contests=101),
        # complaints: received 5 Jan on time, 1 Mar late, 1 Apr on time
        _proc(21, "complaint", "", D(2025, 1, 5), D(2025, 2, 1), D(2025, 2, 16)),
        _proc(22, "complaint", "", D(2025, 3, 1), D(2025, 5, 1), D(2025, 4, 12)),
        _proc(23, "complaint", "", D(2025, 4, 1), D(2025, 4, 20), D(2025, 5, 13)),
    ]
    # mvv: 26 received in 2024, 74 in 2025 (both show as 50 once rounded: the difference of the
    # unrounded figures is +184.6 %), of which 5 decided in time in 2025 and granted (3 CHN, 2 IND)
    for i in range(26):
        procs.append(_proc(1000 + i, "mvv", "CHN", D(2024, 5, 1)))
    for i in range(74):
        nat = "CHN" if i < 40 else "IND"
        granted = i < 3 or 40 <= i < 42
        procs.append(
            _proc(
                2000 + i,
                "mvv",
                nat,
                D(2025, 2, 1),
                D(2025, 6, 1) if granted else None,
                D(2025, 7, 1),
            )
        )
    events = [
        (1, "decided", D(2025, 3, 1)),
        (1, "decided", D(2025, 9, 1)),  # the new decision after the well-founded appeal
        (2, "notice_of_default", D(2025, 8, 10)),
        (2, "decided", D(2025, 9, 15)),
        (5, "notice_of_default", D(2024, 12, 11)),
        (11, "lodged", D(2025, 3, 10)),
        (11, "judgment", D(2025, 6, 1)),
        (12, "lodged", D(2025, 2, 1)),
        (12, "judgment", D(2025, 5, 1)),
        (13, "lodged", D(2024, 7, 1)),
        (13, "judgment", D(2025, 2, 1)),
        (14, "lodged", D(2025, 10, 1)),
        (14, "decision_withdrawn", D(2025, 11, 1)),
        (15, "requested", D(2025, 3, 11)),
        (15, "withdrawn", D(2025, 4, 1)),
        (16, "requested", D(2025, 3, 12)),
        (16, "judgment", D(2025, 5, 20)),
    ]
    decisions = [
        (101, 1, "refused", D(2025, 3, 1)),
        (102, 2, "granted", D(2025, 9, 15)),
        (103, 3, "refused", D(2025, 1, 20)),
        (104, 4, "refused", D(2024, 6, 1)),
        (105, 1, "granted", D(2025, 9, 1)),  # after the well-founded appeal
        (111, 11, "well_founded", D(2025, 6, 1)),
        (112, 12, "unfounded", D(2025, 5, 1)),
        (113, 13, "unfounded", D(2025, 2, 1)),
        (116, 16, "well_founded", D(2025, 5, 20)),
    ]
    for i in (0, 1, 2, 40, 41):
        decisions.append((3000 + i, 2000 + i, "granted", D(2025, 6, 1)))
    documents = [
        (1, "w_document", D(2025, 1, 15)),
        (2, "w_document", D(2025, 2, 5)),
        (2, "vva_bepaald", D(2025, 9, 20)),
        (4, "w_document", D(2024, 3, 10)),
    ]
    return Frames(
        procedures=conform("procedures", procs),
        events=conform("events", events),
        decisions=conform("decisions", decisions),
        documents=conform("documents", documents),
        source="hand-built chain",
        period=(D(2024, 1, 1), D(2025, 12, 31)),
    )
