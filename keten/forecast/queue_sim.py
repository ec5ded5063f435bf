"""Exact simulation of one M/M/c first-come-first-served queue, vectorised over replications.

Customers are processed in arrival order with the Kiefer-Wolfowitz recursion: each customer
starts service at the later of its arrival and the earliest moment a server is free. The loop
runs over customers; every step works on all replications at once, so a thousand replications
cost about as much Python as one.

Statistics are taken over the window [warmup, horizon] so that the empty start does not bias
them: the time-average number waiting is the waiting time that falls inside the window divided
by its length (no Little's-law shortcut), utilisation the busy time inside the window divided by
servers x length, and waits are those of customers arriving inside the window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class QueueStats:
    mean_wait: float
    mean_in_queue: float
    utilisation: float
    p90_wait: float
    customers: int

    def as_dict(self) -> dict[str, float]:
        return {
            "mean_wait": self.mean_wait,
            "mean_in_queue": self.mean_in_queue,
            "utilisation": self.utilisation,
            "p90_wait": self.p90_wait,
        }


def _overlap(
    start: npt.NDArray[np.float64], end: npt.NDArray[np.float64], lo: float, hi: float
) -> npt.NDArray[np.float64]:
    return np.asarray(np.clip(np.minimum(end, hi) - np.maximum(start, lo), 0.0, None))


def simulate_queue(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    horizon: float,
    runs: int,
    *,
    seed: int = 0,
    warmup: float | None = None,
) -> QueueStats:
    """Simulate ``runs`` independent replications up to ``horizon`` (same time unit as rates)."""
    if arrival_rate <= 0 or service_rate <= 0 or servers < 1 or horizon <= 0 or runs < 1:
        raise ValueError("rates, horizon and runs must be positive and servers >= 1")
    warm = 0.1 * horizon if warmup is None else warmup
    if not 0 <= warm < horizon:
        raise ValueError("warmup must lie in [0, horizon)")
    rng = np.random.default_rng(seed)
    expected = arrival_rate * horizon
    n_max = int(expected + 6 * np.sqrt(expected) + 10)
    gaps = rng.exponential(1.0 / arrival_rate, size=(n_max, runs))
    arrivals = np.cumsum(gaps, axis=0)
    services = rng.exponential(1.0 / service_rate, size=(n_max, runs))
    # Customers past the horizon never start inside the window; keep them out of every sum.
    n_used = int(np.max(np.argmax(arrivals > horizon, axis=0))) + 1
    free = np.zeros((runs, servers))
    rows = np.arange(runs)
    starts = np.empty((n_used, runs))
    for n in range(n_used):
        server = free.argmin(axis=1)
        earliest = free[rows, server]
        start = np.maximum(arrivals[n], earliest)
        starts[n] = start
        free[rows, server] = start + services[n]
    arr = arrivals[:n_used]
    ends = starts + services[:n_used]
    length = horizon - warm
    in_window = (arr >= warm) & (arr <= horizon)
    waits = (starts - arr)[in_window]
    waiting_time = _overlap(arr, starts, warm, horizon).sum(axis=0)
    busy_time = _overlap(starts, ends, warm, horizon).sum(axis=0)
    return QueueStats(
        mean_wait=float(waits.mean()) if waits.size else 0.0,
        mean_in_queue=float(np.mean(waiting_time / length)),
        utilisation=float(np.mean(busy_time / (servers * length))),
        p90_wait=float(np.quantile(waits, 0.9)) if waits.size else 0.0,
        customers=int(in_window.sum()),
    )
