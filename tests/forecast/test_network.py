"""The generic network engine: queueing theory and conservation."""

from __future__ import annotations

import numpy as np
import pytest

from keten.forecast.erlang import ErlangC
from keten.forecast.network import Network, Station, simulate_network


def test_single_station_matches_erlang_c() -> None:
    lam, mu, c = 8.0, 0.5, 20  # ρ = 0.8, service time 2
    net = Network((Station("A", c, mu, lam),), ((0.0,),))
    res = simulate_network(net, 700.0, 8, dt=0.1, seed=3, warmup=100.0)
    closed = ErlangC(lam, mu, c)
    sojourn = closed.mean_wait + 1 / mu
    assert np.nanmean(res.mean_sojourn[:, 0]) == pytest.approx(sojourn, rel=0.03)
    assert res.mean_present[:, 0].mean() == pytest.approx(lam * sojourn, rel=0.03)
    assert res.completions[:, 0].mean() == pytest.approx(lam * 600.0, rel=0.02)


def test_overloaded_station_grows_at_the_drift() -> None:
    net = Network((Station("IND", 10, 1.0, 12.0),), ((0.0,),))
    res = simulate_network(net, 500.0, 16, dt=0.25, seed=1)
    # Saturated: completions are Poisson(cμ) per unit time exactly.
    assert res.completions[:, 0].mean() == pytest.approx(10.0 * 500.0, rel=0.01)
    assert res.present_end[:, 0].mean() == pytest.approx(2.0 * 500.0, rel=0.08)


def test_network_conserves_customers() -> None:
    net = Network(
        (Station("a", 5, 1.0, 3.0), Station("b", 3, 1.0), Station("c", 2, 2.0, 1.0)),
        ((0.0, 0.5, 0.2), (0.3, 0.0, 0.3), (0.0, 0.0, 0.0)),
    )
    res = simulate_network(net, 200.0, 6, dt=0.1, seed=5)
    assert np.array_equal(res.arrivals, res.departures + res.in_network_end)


def test_routing_must_be_substochastic() -> None:
    with pytest.raises(ValueError, match="routing row 0"):
        Network((Station("a", 1, 1.0, 1.0),), ((1.5,),))
