"""A scenario started from the chain as Keten holds it: stocks and ages from open cases."""

from __future__ import annotations

from datetime import date

import pytest

from keten.forecast.scenario import parse_scenario, raw_scenario
from keten.forecast.start_state import STOCK_TYPES, backlog, initial_state, starting_from

ON = date(2026, 11, 26)


def test_a_stock_s_ages_become_its_age_profile() -> None:
    # 4 cases under a quarter, 2 between half a year and a year, 1 at 150 weeks
    ages = [0.0, 1.5, 12.9, 3.0, 26.0, 51.9, 150.2]
    assert backlog(ages) == {
        "total": 7,
        "age_weeks": [[0, 13, 4 / 7], [26, 52, 2 / 7], [104, 151, pytest.approx(1 / 7)]],
    }
    profile = backlog([5.0] * 3 + [60.0] * 7)["age_weeks"]
    assert sum(row[2] for row in profile) == pytest.approx(1.0, abs=1e-12)


def test_an_empty_stock_is_still_a_valid_backlog() -> None:
    assert backlog([]) == {"total": 0, "age_weeks": [[0, 1, 1.0]]}


def test_every_stock_must_be_counted() -> None:
    ages: dict[str, list[float]] = {stock: [] for stock in STOCK_TYPES}
    del ages["court_waiting"]
    with pytest.raises(ValueError, match="court_waiting"):
        initial_state(ON, ages)


def test_the_scenario_keeps_the_base_levers_and_starts_from_what_was_counted() -> None:
    base = raw_scenario("baseline")
    ages = {stock: [1.0] * (i + 1) for i, stock in enumerate(STOCK_TYPES)}
    state = initial_state(ON, ages)
    assert state["ind_waiting"]["total"] == 1 and state["return_caseload"] == 6
    written = starting_from(base, state, counted_in="a test database")
    scenario = parse_scenario(written)  # the forecast accepts it as it stands
    assert scenario.start == ON == scenario.initial_state.as_of
    assert scenario.initial_state.permit_holders_waiting.total == 4
    assert scenario.ind == parse_scenario(base).ind  # the levers are the base's
    assert scenario.name == "baseline_vanaf_2026-11-26"
    # The base's sources for its own starting figures no longer apply; the count's does.
    assert not [
        s for s in scenario.sources if "initial_state" in s.used_for and s.kind != "register"
    ]
    counted = next(s for s in scenario.sources if s.kind == "register")
    assert "a test database" in counted.source and counted.date == "2026-11-26"
    assert len(scenario.sources) < len(parse_scenario(base).sources) + 1
