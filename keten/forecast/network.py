"""A generic open queueing network on the forecast's stocks: the engine Ciw is compared with.

Stations have ``c`` servers with exponential service (rate μ per server), external Poisson
arrivals and probabilistic routing, as Ciw declares a network. Time advances in steps of ``dt``;
each station is a :class:`CohortQueue`, so customers leave in arrival order and the time each
spent at the station is known.

Completions in a step: with at least ``c`` customers present, all servers are busy for the
whole step and completions are Poisson(cμ dt), exact for exponential service (capped at the
number present); with fewer, each present customer completes with probability 1 - e^{-μ dt}.
Customers arriving in a step (from outside or routed) arrive half-way on average: where a
server is free they complete within the step with probability 1 - e^{-μ dt/2}. What remains is
an error of the order of ``dt`` squared at lightly loaded stations; at saturated stations, where
the chain's backlogs are, the completions are exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from keten.forecast.stocks import CohortQueue

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Station:
    name: str
    servers: int
    service_rate: float  # per server, per time unit
    arrival_rate: float = 0.0  # external Poisson arrivals, per time unit


@dataclass(frozen=True)
class Network:
    stations: tuple[Station, ...]
    routing: tuple[tuple[float, ...], ...]  # routing[i][j]: i -> j; the rest leaves

    def __post_init__(self) -> None:
        n = len(self.stations)
        if len(self.routing) != n or any(len(row) != n for row in self.routing):
            raise ValueError("routing must be a square matrix with one row per station")
        for i, row in enumerate(self.routing):
            if any(p < 0 for p in row) or sum(row) > 1 + 1e-12:
                raise ValueError(f"routing row {i}: probabilities must be >= 0 and sum <= 1")


@dataclass
class NetworkResult:
    """Per replication and station, over the window [warmup, horizon]."""

    names: list[str]
    completions: FloatArray  # (R, N)
    mean_sojourn: FloatArray  # (R, N): time from joining to leaving the station
    mean_present: FloatArray  # (R, N): time-average number at the station
    present_end: FloatArray  # (R, N)
    arrivals: FloatArray  # (R,) external arrivals over the whole run
    departures: FloatArray  # (R,) left the network over the whole run
    in_network_end: FloatArray  # (R,)

    def means(self) -> dict[str, dict[str, float]]:
        return {
            name: {
                "completions": float(self.completions[:, i].mean()),
                "mean_sojourn": float(np.nanmean(self.mean_sojourn[:, i])),
                "mean_present": float(self.mean_present[:, i].mean()),
                "present_end": float(self.present_end[:, i].mean()),
            }
            for i, name in enumerate(self.names)
        }


def _leave(
    queue: CohortQueue,
    t: int,
    k: npt.NDArray[np.int64],
    counted: bool,
    completions: FloatArray,
    sojourn_sum: FloatArray,
    dt: float,
) -> npt.NDArray[np.int64]:
    served = queue.serve(t, k)
    if counted:
        completions += served.total
        # Joined during step e, left during step t: (t - e) steps on average. Which of the
        # customers in service leaves does not change the mean (Little's law), so FIFO will do.
        sojourn_sum += served.sum_ages(t, queue.offset) * dt
    return served.total


def simulate_network(
    net: Network,
    horizon: float,
    runs: int,
    *,
    dt: float,
    seed: int = 0,
    warmup: float = 0.0,
) -> NetworkResult:
    rng = np.random.default_rng(seed)
    n_steps = round(horizon / dt)
    first_counted = round(warmup / dt)
    n = len(net.stations)
    # One queue, one stream per station: every station is served in the same array operations.
    queue = CohortQueue(runs, n, n_steps, window=32)
    servers = np.array([s.servers for s in net.stations])
    full_rate = servers * np.array([s.service_rate for s in net.stations]) * dt
    p_single = 1.0 - np.exp(-np.array([s.service_rate for s in net.stations]) * dt)
    lam = np.array([s.arrival_rate for s in net.stations]) * dt
    routing = np.array(net.routing, dtype=np.float64)
    exit_p = np.clip(1.0 - routing.sum(axis=1), 0.0, 1.0)
    probs = np.concatenate([routing, exit_p[:, None]], axis=1)
    completions = np.zeros((runs, n))
    sojourn_sum = np.zeros((runs, n))
    present_sum = np.zeros((runs, n))
    arrivals = np.zeros(runs)
    departures = np.zeros(runs)
    p_half = 1.0 - np.exp(-np.array([s.service_rate for s in net.stations]) * dt / 2)
    for t in range(n_steps):
        counted = t >= first_counted
        present = queue.total.copy()
        if counted:
            present_sum += present
        # Customers present at the start of the step.
        saturated = present >= servers
        k = np.where(
            saturated,
            np.minimum(rng.poisson(full_rate, size=(runs, n)), present),
            rng.binomial(np.where(saturated, 0, present), p_single),
        )
        done = _leave(queue, t, k, counted, completions, sojourn_sum, dt)
        moved = rng.multinomial(done, probs)  # (R, N, N + 1)
        departures += moved[:, :, n].sum(axis=1)
        external = rng.poisson(lam, size=(runs, n))
        arrivals += external.sum(axis=1)
        new = moved[:, :, :n].sum(axis=1) + external
        queue.add(t, new)
        # Arrivals come, on average, half-way through the step: where a server is free they
        # may finish within the remaining half step (without this, each visit to a lightly
        # loaded station would last dt/2 too long).
        free = np.clip(servers - (present - done), 0, None)
        k_new = rng.binomial(np.minimum(new, free), p_half)
        done_new = _leave(queue, t, k_new, counted, completions, sojourn_sum, dt)
        moved = rng.multinomial(done_new, probs)
        departures += moved[:, :, n].sum(axis=1)
        queue.add(t, moved[:, :, :n].sum(axis=1))
    window_steps = max(1, n_steps - first_counted)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_sojourn = np.where(completions > 0, sojourn_sum / completions, np.nan)
    present_end = queue.total.astype(np.float64)
    return NetworkResult(
        names=[s.name for s in net.stations],
        completions=completions,
        mean_sojourn=mean_sojourn,
        mean_present=present_sum / window_steps,
        present_end=present_end,
        arrivals=arrivals,
        departures=departures,
        in_network_end=present_end.sum(axis=1),
    )
