"""The documents' counting rules (``keten.reports.strategy_counts``), hand-counted on a small
fixed chain built here as report frames; each rule's seed sentence quoted where it applies."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

import pytest

from keten.reports import strategy_counts as sc
from keten.reports.frames import Frames, conform, empty

D = date


class Chain:
    """A chain under construction: procedures with their events and decisions."""

    def __init__(self) -> None:
        self.ids = count(1)
        self.procs: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.decisions: list[tuple[Any, ...]] = []

    def add(self, procedure_type: str, *events: tuple[str, date], regime: str = "pact") -> int:
        pid = next(self.ids)
        first = min(day for _, day in events) if events else None
        self.procs.append(
            (
                pid,
                pid,
                "SYR",
                procedure_type,
                "ind",
                "",
                first,
                None,
                None,
                "open",
                regime,
                None,
                None,
                None,
            )
        )
        self.events.extend((pid, kind, day) for kind, day in events)
        return pid

    def decide(self, pid: int, outcome: str, day: date) -> None:
        self.decisions.append((len(self.decisions) + 1, pid, outcome, day))

    def frames(self) -> Frames:
        return Frames(
            conform("procedures", self.procs),
            conform("events", self.events) if self.events else empty("events"),
            conform("decisions", self.decisions) if self.decisions else empty("decisions"),
            empty("documents"),
            source="test",
        )


ON = D(2026, 9, 30)


def test_three_running_border_procedures_leave_208_of_211() -> None:
    """Seed 002: "Met deze flexibiliteit is het mogelijk om op elk gegeven moment te voldoen
    aan de verplichting om 211 procedures tegelijk te voeren." Running on 30 September: three
    (one of them decided but not ended: the appeal phase still holds the place). Not running:
    one admitted (entry granted) before the day and one departed on it, one that starts after it,
    and an asylum_first procedure (not a border procedure)."""
    c = Chain()
    c.add("border_procedure", ("made_at_border", D(2026, 9, 1)))
    c.add("border_procedure", ("made_at_border", D(2026, 9, 20)), ("lodged", D(2026, 9, 21)))
    c.add("border_procedure", ("made_at_border", D(2026, 9, 2)), ("decided", D(2026, 9, 25)))
    c.add("border_procedure", ("made_at_border", D(2026, 9, 3)), ("entry_granted", D(2026, 9, 9)))
    c.add("border_procedure", ("made_at_border", D(2026, 8, 1)), ("departed", D(2026, 9, 30)))
    c.add("border_procedure", ("made_at_border", D(2026, 10, 1)))
    c.add("asylum_first", ("reported", D(2026, 9, 1)))
    fig = sc.border_capacity(c.frames(), ON)
    assert fig.values == {"open": 3, "capacity": 211, "margin": 208}
    # an entry granted after the day does not end it on the day
    later = Chain()
    later.add(
        "border_procedure", ("made_at_border", D(2026, 9, 1)), ("entry_granted", D(2026, 10, 2))
    )
    assert sc.border_capacity(later.frames(), ON).values["open"] == 1


def test_transfer_decisions_within_two_weeks_of_acceptance() -> None:
    """Seed 002: "Voor beide procedures geldt dat, na bevestiging dan wel akkoord, de IND
    binnen twee weken een besluit moet nemen." In the window: accepted 1 July, decided 15 July
    (Wednesday 15 July is the last day of the two weeks: within) and accepted 1 July, decided
    16 July (late); accepted Saturday 1 August, decided Monday 17 August (16 days, yet within:
    the two weeks end on Saturday 15 August, which moves to the next working day). Not
    counted: a
    decision before the window, a Dublin III case (no two-week term), a tacit acceptance
    (no accepted event)."""
    c = Chain()
    c.add("dublin_outgoing", ("accepted", D(2026, 7, 1)), ("transfer_decision", D(2026, 7, 15)))
    c.add("dublin_outgoing", ("accepted", D(2026, 7, 1)), ("transfer_decision", D(2026, 7, 16)))
    c.add("dublin_outgoing", ("accepted", D(2026, 8, 1)), ("transfer_decision", D(2026, 8, 17)))
    c.add("dublin_outgoing", ("accepted", D(2026, 5, 1)), ("transfer_decision", D(2026, 5, 10)))
    c.add(
        "dublin_outgoing",
        ("accepted", D(2026, 7, 1)),
        ("transfer_decision", D(2026, 7, 3)),
        regime="dublin3",
    )
    c.add("dublin_outgoing", ("request_sent", D(2026, 6, 1)), ("transfer_decision", D(2026, 7, 20)))
    fig = sc.dublin_decision_time(c.frames(), D(2026, 6, 12), ON)
    assert fig.values == {
        "decided": 3,
        "within_term": 2,
        "share_within_term": 66.7,
        "median_days": 15.0,  # 14, 15, 16
    }


def test_registrations_within_five_days() -> None:
    """Seed 002: "De registratie van een verzoek moet binnen 5 dagen na het indienen van de
    aanvraag plaatsvinden." Counted as the catalogue counts it (Reg. 1182/71). Reported
    Saturday 1 August, registered Thursday 6 August (the fifth day: within); made at the
    border 1 August, lodged 8 August without a separate registration (7 days: late);
    reported 3 August, registered the same day (0 days); reported Monday 3 August, registered
    Monday 10 August: 7 calendar days, yet within, because the fifth day is Saturday 8
    August and the term moves to the next working day. Not counted: a Procedures Directive
    case (regime vw2000) and one registered after the window."""
    c = Chain()
    c.add("asylum_first", ("reported", D(2026, 8, 1)), ("registered", D(2026, 8, 6)))
    c.add("border_procedure", ("made_at_border", D(2026, 8, 1)), ("lodged", D(2026, 8, 8)))
    c.add("asylum_first", ("reported", D(2026, 8, 3)), ("registered", D(2026, 8, 3)))
    c.add("asylum_first", ("reported", D(2026, 8, 3)), ("registered", D(2026, 8, 10)))
    c.add(
        "asylum_first",
        ("reported", D(2026, 8, 1)),
        ("registered", D(2026, 8, 30)),
        regime="vw2000",
    )
    c.add("asylum_first", ("reported", D(2026, 9, 28)), ("registered", D(2026, 10, 1)))
    fig = sc.registrations_within_five_days(c.frames(), D(2026, 7, 1), ON)
    assert fig.values == {
        "registered": 4,
        "within_term": 3,
        "share_within_term": 75.0,
        "median_days": 6.0,  # 0, 5, 7, 7
    }


def test_nareis_waiting_counts_open_applications_on_the_day() -> None:
    """Three lodged by 30 September: one decided before it (not waiting), one withdrawn after
    it (still waiting on the day), one open. One lodged after the day does not count."""
    c = Chain()
    c.add("nareis", ("lodged", D(2026, 1, 5)), ("decided", D(2026, 6, 1)))
    c.add("nareis", ("lodged", D(2026, 2, 5)), ("withdrawn", D(2026, 10, 3)))
    c.add("nareis", ("sponsor_permit_granted", D(2025, 12, 1)), ("lodged", D(2026, 3, 5)))
    c.add("nareis", ("lodged", D(2026, 10, 5)))
    assert sc.nareis_waiting(c.frames(), ON).values == {"open": 2}


def test_factsheet_applications_and_decisions_in_a_half_year() -> None:
    """Second half of 2026 (1 July - 31 December): applications by their first 'lodged' day,
    decisions by their date and outcome."""
    c = Chain()
    a = c.add("asylum_first", ("reported", D(2026, 6, 28)), ("lodged", D(2026, 7, 2)))
    c.add("asylum_first", ("reported", D(2026, 5, 1)), ("lodged", D(2026, 5, 3)))  # 1st half
    s = c.add("asylum_subsequent", ("lodged", D(2026, 8, 1)))
    c.add("border_procedure", ("made_at_border", D(2026, 9, 1)), ("lodged", D(2026, 9, 2)))
    c.add("nareis", ("lodged", D(2026, 7, 1)))
    c.add("nareis", ("lodged", D(2026, 12, 31)))
    c.add("nareis", ("lodged", D(2027, 1, 1)))
    c.add("regular_residence", ("lodged", D(2026, 8, 1)))  # not asylum
    c.decide(a, "granted", D(2026, 11, 1))
    c.decide(s, "refused", D(2026, 12, 1))
    c.decide(s, "refused", D(2026, 6, 30))  # first half
    frames = c.frames()
    start, end = D(2026, 7, 1), D(2026, 12, 31)
    assert sc.asylum_applications(frames, start, end).values == {
        "asylum_first": 1,
        "asylum_subsequent": 1,
        "border_procedure": 1,
        "total": 3,
    }
    assert sc.nareis_applications(frames, start, end).values == {"lodged": 2}
    assert sc.asylum_decisions(frames, start, end).values == {
        "granted": 1,
        "refused": 1,
        "total": 2,
    }


def test_nothing_counted_is_no_percentage() -> None:
    fig = sc.dublin_decision_time(Chain().frames(), D(2026, 1, 1), ON)
    assert fig.values["decided"] == 0
    assert fig.values["share_within_term"] is None and fig.values["median_days"] is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [("2026-2", True), ("2026-II", True), ("2026-1", True), ("2026-3", False), ("26-2", False)],
)
def test_half_year_is_parsed_and_bounded(text: str, ok: bool) -> None:
    from keten.reports.factsheet import HalfYearError, half_year

    if ok:
        assert half_year(text, D(2026, 12, 4)).year == 2026
    else:
        with pytest.raises(HalfYearError) as bad:
            half_year(text, D(2026, 12, 4))
        assert "geen halfjaar" in bad.value.nl
    with pytest.raises(HalfYearError) as late:
        half_year("2027-1", D(2026, 12, 4))  # after the current half-year: nothing happened yet
    assert "lopende halfjaar 2026-2" in late.value.nl
    with pytest.raises(HalfYearError):
        half_year("1999-2", D(2026, 12, 4))
