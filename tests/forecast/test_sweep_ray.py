"""Scenario sweeps: locally, and on a local Ray cluster (slow tier)."""

from __future__ import annotations

import pytest

from keten.forecast.scenario import Scenario, with_overrides
from keten.forecast.sweep import grid, run_sweep


def test_grid_is_the_cartesian_product() -> None:
    points = grid({"a": [1, 2], "b": ["x", "y", "z"]})
    assert len(points) == 6
    assert {"a": 2, "b": "z"} in points


def test_local_sweep_responds_to_the_lever(short: Scenario) -> None:
    sc = with_overrides(short, {"years": 2})
    res = run_sweep(sc, grid({"ind.decisions_per_fte_year": [18, 30]}), 8, seed=1)
    assert [r["overrides"] for r in res] == [
        {"ind.decisions_per_fte_year": 18},
        {"ind.decisions_per_fte_year": 30},
    ]
    assert res[1]["ind_backlog"]["p50"][-1] < res[0]["ind_backlog"]["p50"][-1]
    assert all(r["balanced"] == 8 for r in res)


@pytest.mark.slow
def test_sweep_on_a_local_ray_cluster_gives_the_local_results(short: Scenario) -> None:
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'keten[ray]')")
    sc = with_overrides(short, {"years": 2})
    points = grid({"ind.decisions_per_fte_year": [18, 24, 30]})
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        assert ray.is_initialized()
        on_ray = run_sweep(sc, points, 8, seed=1, backend="ray")
        nodes = ray.nodes()
    finally:
        ray.shutdown()
    assert len(nodes) >= 1 and nodes[0]["Alive"]
    local = run_sweep(sc, points, 8, seed=1, backend="local")
    assert on_ray == local
    backlogs = [r["ind_backlog"]["p50"][-1] for r in on_ray]
    assert backlogs[0] > backlogs[1] > backlogs[2]
