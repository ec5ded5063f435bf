"""The chain simulation: conservation in every run, reproducibility, responses to levers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keten.forecast.chain import ChainRun
from keten.forecast.results import FloatArray, band_of, yearly
from keten.forecast.run import CHUNK, simulate
from keten.forecast.scenario import Scenario, load_scenario, with_overrides

RUNS = 24


def _sim(sc: Scenario, overrides: dict[str, Any] | None = None, runs: int = RUNS) -> ChainRun:
    return simulate(with_overrides(sc, overrides) if overrides else sc, runs, seed=11)


def _year_p50(run: ChainRun, name: str) -> FloatArray:
    p50: FloatArray = band_of(yearly(run), name)[1]  # numpy types a row of an array as Any
    return p50


def _assert_conserved(run: ChainRun) -> None:
    led = run.ledger
    assert led.balanced().all()
    # Month by month too: start + cumulative (inflow - outflow) = persons in the chain.
    net = np.cumsum(run.flows["inflow_total"] - run.flows["outflow_total"], axis=1)
    assert np.array_equal(led.stock_start[:, None] + net, run.stocks["stock_total"])


def test_baseline_conserves_flows_in_every_run(short: Scenario) -> None:
    run = _sim(short, runs=40)
    _assert_conserved(run)
    assert run.flows["inflow_total"].sum() > 0 and run.flows["outflow_total"].sum() > 0


@pytest.mark.parametrize(
    "name", ["asielnoodmaatregelenwet.yaml", "hoge_instroom.yaml", "productiviteit_gelijk.yaml"]
)
def test_shipped_scenarios_conserve_flows(name: str) -> None:
    run = _sim(with_overrides(load_scenario(name), {"years": 3}), runs=8)
    _assert_conserved(run)


def test_daily_steps_conserve_and_agree_with_weekly(short: Scenario) -> None:
    weekly = _sim(with_overrides(short, {"years": 1}), runs=16)
    daily = _sim(with_overrides(short, {"years": 1, "step_days": 1}), runs=16)
    _assert_conserved(daily)
    for name in ("ind_decisions", "housed", "first_applications"):
        w, d = _year_p50(weekly, name)[0], _year_p50(daily, name)[0]
        assert d == pytest.approx(w, rel=0.05), name


@settings(max_examples=12, deadline=None)
@given(
    rec=st.floats(0.0, 0.95),
    dublin=st.floats(0.0, 0.6),
    appeal=st.floats(0.0, 1.0),
    staff=st.floats(0.0, 3000.0),
    housing=st.floats(0.0, 30000.0),
    law=st.booleans(),
    pact=st.booleans(),
)
def test_conservation_holds_for_any_levers(
    short: Scenario,
    rec: float,
    dublin: float,
    appeal: float,
    staff: float,
    housing: float,
    law: bool,
    pact: bool,
) -> None:
    sc = with_overrides(
        short,
        {
            "years": 1,
            "groups.0.recognition_rate": rec * 0.97,
            "groups.1.dublin_share": dublin,
            "appeal.appeal_rate": appeal,
            "ind.asylum_staff_fte": [{"from": "2026-01-01", "value": staff}],
            "housing.housed_per_half_year": [{"from": "2026-01-01", "value": housing}],
            "emergency_measures_act.in_force": "2026-01-01" if law else None,
            "ind.pact_prioritisation_from": "2026-06-12" if pact else None,
        },
    )
    _assert_conserved(simulate(sc, 3, seed=1))


def test_reproducible_by_seed(short: Scenario) -> None:
    sc = with_overrides(short, {"years": 1})
    a, b = simulate(sc, 6, seed=3), simulate(sc, 6, seed=3)
    c = simulate(sc, 6, seed=4)
    for k in a.flows:
        assert np.array_equal(a.flows[k], b.flows[k])
    assert not np.array_equal(a.flows["ind_decisions"], c.flows["ind_decisions"])


def test_results_do_not_depend_on_worker_count(short: Scenario) -> None:
    sc = with_overrides(short, {"years": 1})
    one = simulate(sc, CHUNK + 4, seed=9, workers=1)
    two = simulate(sc, CHUNK + 4, seed=9, workers=2)
    for k in one.stocks:
        assert np.array_equal(one.stocks[k], two.stocks[k])
    # A shorter run with the same seed is a prefix of the longer one.
    prefix = simulate(sc, 4, seed=9)
    assert not np.array_equal(prefix.flows["housed"], one.flows["housed"][:4])
    first_chunk = simulate(sc, CHUNK, seed=9)
    assert np.array_equal(first_chunk.flows["housed"], one.flows["housed"][:CHUNK])


def test_progress_reaches_the_total(short: Scenario) -> None:
    seen: list[tuple[int, int]] = []
    simulate(
        with_overrides(short, {"years": 1}), 3, seed=1, progress=lambda d, t: seen.append((d, t))
    )
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_accounting_identities(short: Scenario) -> None:
    run = _sim(short)
    f, s = run.flows, run.stocks
    assert (f["decided_within_term"] <= f["ind_decisions"]).all()
    assert (f["ind_decisions_priority"] <= f["ind_decisions"]).all()
    assert (f["housed_within_norm"] <= f["housed"]).all()
    assert (f["dublin_transfers"] + f["dublin_absconded"] + f["dublin_expired"]).sum() <= (
        f["dublin_claims"].sum() + short.initial_state.dublin_in_reception * RUNS
    )
    assert (s["ind_over_term"] <= s["ind_backlog"]).all()
    assert (s["permit_holders_over_norm"] <= s["permit_holders_waiting"]).all()
    assert np.allclose(s["emergency_needed"], np.maximum(0, s["occupancy"] - s["regular_capacity"]))
    by_type = s["occupancy_regular"] + s["occupancy_emergency"] + s["reception_shortage"]
    assert np.allclose(by_type, s["occupancy"])
    assert (s["occupancy_permit_holders"] <= s["occupancy"]).all()
    grants = f["grants_refugee"] + f["grants_subsidiary"]
    assert (grants + f["refusals"] + f["withdrawn"] == f["ind_decisions"]).all()
    # Before the Pact (12 June 2026) nobody is prioritised.
    assert f["ind_decisions_priority"][:, :5].sum() == 0


def test_starting_state_is_the_scenarios(short: Scenario) -> None:
    run = _sim(short, runs=4)
    ist = short.initial_state
    start = (
        ist.ind_waiting.total
        + ist.court_waiting.total
        + ist.nareis_waiting.total
        + ist.permit_holders_waiting.total
        + ist.dublin_in_reception
        + ist.return_caseload
    )
    assert (run.ledger.stock_start == start).all()
    # The first month's lead time reflects the old backlog, not new cases.
    first = run.flows["lead_time_weeks_sum"][:, 0] / run.flows["ind_decisions"][:, 0]
    assert (first > 52).all()


# -- levers --------------------------------------------------------------------------------------


def test_more_productivity_means_less_backlog_and_shorter_lead_times(short: Scenario) -> None:
    low = _sim(short, {"ind.decisions_per_fte_year": 20})
    high = _sim(short, {"ind.decisions_per_fte_year": 30})
    assert (_year_p50(high, "ind_backlog") < _year_p50(low, "ind_backlog")).all()
    assert _year_p50(high, "lead_time_weeks")[-1] < _year_p50(low, "lead_time_weeks")[-1]
    assert _year_p50(high, "dwangsom_eur")[-1] < _year_p50(low, "dwangsom_eur")[-1]


def test_clearing_the_backlog_first_lowers_then_raises_the_share_on_time(
    baseline: Scenario,
) -> None:
    """Extra capacity first decides old, late cases (the on-time share dips), then new ones."""
    sc = with_overrides(baseline, {"years": 6})
    low = _sim(sc, {"ind.decisions_per_fte_year": 20})
    high = _sim(sc, {"ind.decisions_per_fte_year": 30})
    share_low = _year_p50(low, "share_within_term")
    share_high = _year_p50(high, "share_within_term")
    assert share_high[2] < share_low[2]
    assert share_high[-1] > share_low[-1]


def test_flat_productivity_leaves_a_larger_backlog() -> None:
    base = _sim(with_overrides(load_scenario("baseline.yaml"), {"years": 3}))
    flat = _sim(with_overrides(load_scenario("productiviteit_gelijk.yaml"), {"years": 3}))
    assert _year_p50(flat, "ind_backlog")[-1] > _year_p50(base, "ind_backlog")[-1]


def test_higher_inflow_raises_backlog_and_occupancy(short: Scenario) -> None:
    band = {"from": "2026-01-01", "low": 34000, "mid": 40000, "high": 46000}
    high = _sim(short, {"inflow.first_applications": [band]})
    base = _sim(short)
    assert (_year_p50(high, "ind_backlog") > _year_p50(base, "ind_backlog")).all()
    assert (_year_p50(high, "occupancy") > _year_p50(base, "occupancy")).all()


def test_regular_capacity_reduces_emergency_places_needed(short: Scenario) -> None:
    base = _sim(short)
    more = _sim(short, {"reception.regular_capacity": [{"from": "2026-01-01", "value": 61000}]})
    a = band_of(yearly(base), "emergency_needed")[1]
    b = band_of(yearly(more), "emergency_needed")[1]
    assert (b <= a).all() and b[0] < a[0]
    # Occupancy itself does not depend on the number of beds.
    assert np.array_equal(base.stocks["occupancy"], more.stocks["occupancy"])


def test_detention_places_raise_forced_departures(short: Scenario) -> None:
    few = _sim(short, {"detention.places": [{"from": "2025-01-01", "value": 500}]})
    many = _sim(short, {"detention.places": [{"from": "2025-01-01", "value": 1500}]})
    assert (_year_p50(many, "departures_forced") > _year_p50(few, "departures_forced")).all()


def test_emergency_measures_act_cuts_nareis(short: Scenario) -> None:
    base = _sim(short)
    law = _sim(short, {"emergency_measures_act.in_force": "2026-01-01"})
    assert (_year_p50(law, "nareis_lodged") < _year_p50(base, "nareis_lodged")).all()


def test_shorter_permits_bring_extensions_forward(short: Scenario) -> None:
    sc = with_overrides(short, {"years": 4, "emergency_measures_act.in_force": "2026-01-01"})
    three = _sim(sc)
    five = _sim(sc, {"emergency_measures_act.permit_years": 5})
    assert _year_p50(three, "extension_workload")[-1] > 0
    assert _year_p50(five, "extension_workload").sum() == 0
    assert _year_p50(three, "ind_decisions")[-1] < _year_p50(five, "ind_decisions")[-1]


def test_housing_capacity_empties_reception_of_permit_holders(short: Scenario) -> None:
    slow = _sim(short, {"housing.housed_per_half_year": [{"from": "2026-01-01", "value": 5000}]})
    fast = _sim(short, {"housing.housed_per_half_year": [{"from": "2026-01-01", "value": 12000}]})
    assert (
        _year_p50(fast, "permit_holders_waiting") < _year_p50(slow, "permit_holders_waiting")
    ).all()
    assert (
        _year_p50(fast, "share_housed_within_norm")[-1]
        > _year_p50(slow, "share_housed_within_norm")[-1]
    )


def test_pact_prioritisation_shortens_lead_times_for_minors_and_families(short: Scenario) -> None:
    on = _sim(short)
    off = _sim(short, {"ind.pact_prioritisation_from": None})
    prio_on = _year_p50(on, "lead_time_weeks_priority")[1]
    prio_off = _year_p50(off, "lead_time_weeks_priority")[1]
    assert prio_on < prio_off
    assert prio_on < _year_p50(on, "lead_time_weeks")[1]


def test_dublin_transfers_follow_the_success_rate(short: Scenario) -> None:
    low = _sim(short, {"dublin.transfer_share": 0.1, "dublin.transfer_share_pact": 0.1})
    high = _sim(short, {"dublin.transfer_share": 0.4, "dublin.transfer_share_pact": 0.4})
    assert (_year_p50(high, "dublin_transfers") > _year_p50(low, "dublin_transfers")).all()
    # Expired claims come back to the IND: fewer transfers, more decisions to take.
    assert _year_p50(low, "dublin_expired").sum() > _year_p50(high, "dublin_expired").sum()
