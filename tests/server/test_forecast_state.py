"""``keten server forecast-state``: a forecast scenario started from the open procedures in
the database, checked against the library's own reading of the same sample chain, and run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from keten.catalog.loader import get_procedure
from keten.chain.sample import generate_chain
from keten.chain.summary import summarize
from keten.forecast.scenario import load_scenario
from keten.forecast.start_state import STOCK_TYPES
from tests.server.live import database_env, keten

MADE = date(2026, 11, 25)  # the sample's reference day
COUNTED = date(2026, 6, 30)  # a day in its past: what was open then, not what is open now


def _open_on(day: date) -> dict[str, int]:
    """Per stock, the sample chain's procedures open on ``day``, by the library alone."""
    counts = dict.fromkeys(STOCK_TYPES, 0)
    stock_of = {t: stock for stock, types in STOCK_TYPES.items() for t in types}
    for household in generate_chain(80, MADE, seed=0):
        for proc in household.procedures:
            stock = stock_of.get(proc.procedure_type)
            if stock is None or not proc.events:
                continue
            s = summarize(get_procedure(proc.procedure_type), proc.events, proc.facts)
            begun = s.started_on is not None and s.started_on <= day
            if begun and (s.closed_on is None or s.closed_on > day):
                counts[stock] += 1
    return counts


def test_the_scenario_starts_from_what_was_open_on_the_day(tmp_path: Path) -> None:
    env = database_env("keten_forecast_state", tmp_path)
    keten(env, "server", "setup", "--persons", "80", "--on", MADE.isoformat())
    out = tmp_path / "start.yaml"
    done = keten(env, "server", "forecast-state", "--on", COUNTED.isoformat(), "--out", str(out))
    assert "base start" in done.stdout

    scenario = load_scenario(out)
    state = scenario.initial_state
    assert scenario.start == COUNTED == state.as_of
    expected = _open_on(COUNTED)
    assert sum(expected.values()) > 20  # a sample with something in every stage
    assert {
        "ind_waiting": state.ind_waiting.total,
        "nareis_waiting": state.nareis_waiting.total,
        "court_waiting": state.court_waiting.total,
        "permit_holders_waiting": state.permit_holders_waiting.total,
        "dublin_in_reception": state.dublin_in_reception,
        "return_caseload": state.return_caseload,
    } == expected

    run = keten(
        env,
        "forecast",
        "run",
        str(out),
        "--runs",
        "4",
        "--out",
        str(tmp_path / "fc"),
        "--no-report",
        "--quiet",
    )
    assert (tmp_path / "fc" / "summary.json").exists(), run.stdout


def test_a_day_still_to_come_is_refused(tmp_path: Path) -> None:
    env = database_env("keten_forecast_state_future", tmp_path)
    later = date.today().replace(year=date.today().year + 1).isoformat()
    done = keten(env, "server", "forecast-state", "--on", later, "--out", "x.yaml", check=False)
    assert done.returncode == 2 and "after today" in done.stderr
