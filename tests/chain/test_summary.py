"""The cached summary a work queue reads: which deadline it sorts on and when a procedure is
closed, for the procedure types where the catalogue names its main deadline."""

from __future__ import annotations

from datetime import date

from keten.catalog.derive import Event
from keten.catalog.loader import get_procedure
from keten.chain.summary import summarize

GRANTED = date(2026, 3, 2)


def test_a_permit_holders_outflow_stays_open_after_the_match_until_the_move() -> None:
    """Seed 001: "Conform afspraken met ketenpartners heeft het verblijf van een
    vergunninghouder in de opvang een normtijd van 14 weken. Dit betekent dat een
    vergunninghouder normaal gesproken 14 weken na vergunningverlening de opvang zou verlaten
    voor huisvesting in de gemeente." The match is the first phase (two weeks); the bed is
    freed by the move, so COA's queue keeps the case until then."""
    pt = get_procedure("permit_holder_outflow")
    granted = [Event("permit_granted", GRANTED)]
    matched = [*granted, Event("matched", date(2026, 3, 12))]
    moved = [*matched, Event("lease_start", date(2026, 9, 1)), Event("moved_out", date(2026, 9, 3))]

    waiting = summarize(pt, matched)
    assert waiting.deadline_id == "outflow" and waiting.status == "open"
    assert waiting.due == date(2026, 6, 8)  # 14 weeks after the permit
    assert summarize(pt, granted).due == waiting.due

    housed = summarize(pt, moved)
    assert housed.status == "closed" and housed.closed_on == date(2026, 9, 3)


def test_without_a_named_main_deadline_the_decision_term_leads() -> None:
    pt = get_procedure("regular_residence")
    assert pt.main is None
    assert summarize(pt, [Event("lodged", GRANTED)]).deadline_id == "decision"


def test_the_stage_is_the_latest_event() -> None:
    pt = get_procedure("asylum_first")
    lodged = [Event("reported", date(2026, 7, 1)), Event("lodged", date(2026, 7, 8))]
    assert summarize(pt, lodged).stage == "lodged"
    heard = [*lodged, Event("hearing_report", date(2026, 9, 1))]
    # given in order of day; the latest day wins even when listed first
    assert summarize(pt, [heard[2], *lodged]).stage == "hearing_report"
    # of one day's events, the one given last (the order they were recorded in)
    same_day = [*lodged, Event("aa_started", date(2026, 7, 8))]
    assert summarize(pt, same_day).stage == "aa_started"
    assert summarize(pt, []).stage == ""
