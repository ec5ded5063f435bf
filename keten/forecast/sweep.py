"""Scenario sweeps: many parameter sets, each a Monte Carlo run, locally or on Ray.

Every point is simulated with the same seed, so differences between points come from the
levers, not from the random numbers (common random numbers), and a point gives the same numbers
whichever backend ran it. Ray is optional (``pip install 'keten[ray]'``); the local backend
needs nothing beyond Keten itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, Literal

from keten.forecast.results import band_of, yearly
from keten.forecast.run import simulate
from keten.forecast.scenario import Scenario, with_overrides

SWEEP_METRICS = (
    "ind_backlog",
    "lead_time_weeks",
    "share_within_term",
    "dwangsom_eur",
    "occupancy",
    "emergency_needed",
    "permit_holders_waiting",
    "nareis_lodged",
    "departures_forced",
)

Backend = Literal["local", "ray"]


def grid(levers: dict[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """The cartesian product of lever values: ``{"a": [1, 2], "b": [3]}`` -> two points."""
    names = list(levers)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*levers.values())]


def run_point(
    scenario: Scenario, overrides: dict[str, Any], runs: int, seed: int
) -> dict[str, Any]:
    """One sweep point: P10/P50/P90 per year of the sweep metrics (small, picklable)."""
    sc = with_overrides(scenario, overrides) if overrides else scenario
    run = simulate(sc, runs, seed=seed)
    years = yearly(run)
    out: dict[str, Any] = {
        "overrides": overrides,
        "years": years.labels,
        "balanced": int(run.ledger.balanced().sum()),
        "runs": runs,
    }
    for name in SWEEP_METRICS:
        b = band_of(years, name)
        out[name] = {"p10": b[0].tolist(), "p50": b[1].tolist(), "p90": b[2].tolist()}
    return out


def run_sweep(
    scenario: Scenario,
    points: list[dict[str, Any]],
    runs: int,
    *,
    seed: int | None = None,
    backend: Backend = "local",
    ray_address: str | None = None,
    on_done: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Simulate every point; results come back in the order of ``points``."""
    base = scenario.seed if seed is None else seed
    if backend == "local":
        results = []
        for i, point in enumerate(points):
            results.append(run_point(scenario, point, runs, base))
            if on_done is not None:
                on_done(i + 1, len(points))
        return results
    if backend == "ray":
        return _run_on_ray(scenario, points, runs, base, ray_address, on_done)
    raise ValueError(f"backend must be 'local' or 'ray', not {backend!r}")


def _run_on_ray(
    scenario: Scenario,
    points: list[dict[str, Any]],
    runs: int,
    seed: int,
    address: str | None,
    on_done: Callable[[int, int], None] | None,
) -> list[dict[str, Any]]:
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise RuntimeError("the ray backend needs Ray: pip install 'keten[ray]'") from exc
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    try:
        remote = ray.remote(run_point)
        shared = ray.put(scenario)
        pending = {remote.remote(shared, p, runs, seed): i for i, p in enumerate(points)}
        results: list[dict[str, Any] | None] = [None] * len(points)
        done = 0
        waiting = list(pending)
        while waiting:
            ready, waiting = ray.wait(waiting, num_returns=1)
            for ref in ready:
                results[pending[ref]] = ray.get(ref)
                done += 1
                if on_done is not None:
                    on_done(done, len(points))
        return [r for r in results if r is not None]
    finally:
        if started_here:
            ray.shutdown()
