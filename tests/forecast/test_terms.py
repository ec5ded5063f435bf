"""Statutory terms come from the procedure catalogue, per cohort, in steps."""

from __future__ import annotations

from datetime import date

import numpy as np

from keten.forecast import terms
from keten.time import count_period_array


def test_six_month_term_is_about_26_weeks() -> None:
    steps = terms.term_steps(terms.ASYLUM_DECISION, date(2026, 1, 1), 52, 7)
    # 181-184 days; a decision whose step middle falls after the last day is late.
    assert set(steps.tolist()) == {25, 26}


def test_term_follows_the_legal_calendar_per_day() -> None:
    start = date(2026, 1, 1)
    steps = terms.term_steps(terms.DUBLIN_TRANSFER, start, 400, 1)
    days = np.datetime64(start, "D") + np.arange(400).astype("timedelta64[D]")
    ends = count_period_array(days, terms.DUBLIN_TRANSFER.period, terms.DUBLIN_TRANSFER.counting)
    assert (steps == (ends - days).astype(np.int64)).all()
    # Reg. 1182/71 moves a last day on a weekend: some terms are longer than the raw 6 months.
    assert steps.max() > 184


def test_dublin_limits_and_the_outflow_norm() -> None:
    six = terms.term_steps(terms.DUBLIN_TRANSFER, date(2026, 3, 2), 1, 7)[0]
    eighteen = terms.term_steps(terms.DUBLIN_TRANSFER_ABSCONDED, date(2026, 3, 2), 1, 7)[0]
    assert 25 <= six <= 26
    assert 77 <= eighteen <= 79
    assert terms.term_steps(terms.OUTFLOW_NORM, date(2026, 1, 1), 5, 7).tolist() == [14] * 5


def test_asylum_dwangsom_is_court_only_since_2020() -> None:
    regime = terms.asylum_dwangsom_regime(date(2026, 1, 1))
    assert not regime.runs
    assert "8:55d" in regime.citation or "opschorting" in regime.citation


def test_scenario_term_length() -> None:
    assert terms.asylum_decision_term(6) is terms.ASYLUM_DECISION
    assert terms.asylum_decision_term(15).period.amount == 15


def test_terms_are_the_catalogues_deadlines_including_the_pact() -> None:
    from keten.catalog.derive import Event, derive
    from keten.catalog.loader import get_procedure

    pt = get_procedure("dublin_outgoing")
    for accepted in (date(2026, 3, 2), date(2026, 9, 7)):  # before and under the Pact
        day = np.array([accepted], dtype="datetime64[D]")
        events = [
            Event("lodged", accepted),
            Event("accepted", accepted),
            Event("absconded", accepted),
        ]
        expected = derive(pt, events, on=accepted).deadline("transfer").date
        assert terms.due_days(terms.DUBLIN_TRANSFER_ABSCONDED, day)[0].astype(object) == expected
    # Under the Pact absconding extends the transfer period beyond the 18 months of Dublin III.
    pact = terms.term_steps(terms.DUBLIN_TRANSFER_ABSCONDED, date(2026, 9, 7), 1, 7)[0]
    assert pact > 79
