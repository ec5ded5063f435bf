"""The reference network in Ciw (from PyPI) and the statistics Keten reports for it.

Kept next to the benchmark: Ciw is a benchmark dependency (the ``bench`` extra), never a
dependency of the library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from keten.forecast.network import Network, NetworkResult

if TYPE_CHECKING:
    import ciw.network  # untyped (ignore_missing_imports): its classes are Any to mypy


def ciw_network(net: Network) -> ciw.network.Network:
    import ciw

    return ciw.create_network(
        arrival_distributions=[
            ciw.dists.Exponential(rate=s.arrival_rate) if s.arrival_rate > 0 else None
            for s in net.stations
        ],
        service_distributions=[ciw.dists.Exponential(rate=s.service_rate) for s in net.stations],
        routing=[list(row) for row in net.routing],
        number_of_servers=[s.servers for s in net.stations],
    )


def simulate_ciw(
    net: Network, horizon: float, runs: int, *, seed: int, warmup: float
) -> NetworkResult:
    """The same statistics as :func:`keten.forecast.network.simulate_network`, from Ciw."""
    import ciw

    n = len(net.stations)
    completions = np.zeros((runs, n))
    sojourn = np.zeros((runs, n))
    present = np.zeros((runs, n))
    present_end = np.zeros((runs, n))
    arrivals = np.zeros(runs)
    departures = np.zeros(runs)
    length = horizon - warmup
    for r in range(runs):
        ciw.seed(seed + r)
        sim = ciw.Simulation(ciw_network(net))
        sim.simulate_until_max_time(horizon)
        for rec in sim.get_all_records():
            if rec.record_type != "service":
                continue
            i = rec.node - 1
            overlap = min(rec.exit_date, horizon) - max(rec.arrival_date, warmup)
            if overlap > 0:
                present[r, i] += overlap
            if warmup <= rec.exit_date <= horizon:
                completions[r, i] += 1
                sojourn[r, i] += rec.exit_date - rec.arrival_date
            if rec.destination == -1:
                departures[r] += 1
        for i, node in enumerate(sim.nodes[1:-1]):
            present_end[r, i] = len(node.all_individuals)
            for ind in node.all_individuals:
                overlap = horizon - max(ind.arrival_date, warmup)
                if overlap > 0:
                    present[r, i] += overlap
        arrivals[r] = departures[r] + present_end[r].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_sojourn = np.where(completions > 0, sojourn / completions, np.nan)
    return NetworkResult(
        names=[s.name for s in net.stations],
        completions=completions,
        mean_sojourn=mean_sojourn,
        mean_present=present / length,
        present_end=present_end,
        arrivals=arrivals,
        departures=departures,
        in_network_end=present_end.sum(axis=1),
    )
