"""The single queue: closed forms, and the simulation against them."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from keten.cli import cli
from keten.forecast.erlang import ErlangC, UnstableQueueError
from keten.forecast.queue_sim import simulate_queue


def test_mm1_closed_form() -> None:
    lam, mu = 0.8, 1.0
    q = ErlangC(lam, mu, 1)
    rho = lam / mu
    assert q.prob_wait == pytest.approx(rho)
    assert q.mean_wait == pytest.approx(rho / (mu - lam))
    assert q.mean_in_queue == pytest.approx(rho**2 / (1 - rho))
    # P(W > p90) = 0.1 for the exponential tail.
    t = q.wait_quantile(0.9)
    assert q.prob_wait * math.exp(-(mu - lam) * t) == pytest.approx(0.1)


def test_erlang_c_known_value() -> None:
    # Textbook: λ = 2, μ = 1, c = 3 gives C = 4/9, Wq = 4/9.
    q = ErlangC(2.0, 1.0, 3)
    assert q.prob_wait == pytest.approx(4 / 9)
    assert q.mean_wait == pytest.approx(4 / 9)


def test_no_wait_quantile_when_most_do_not_wait() -> None:
    assert ErlangC(1.0, 1.0, 10).wait_quantile(0.9) == 0.0


def test_unstable_queue_is_refused() -> None:
    with pytest.raises(UnstableQueueError):
        ErlangC(5.0, 1.0, 5)


@pytest.mark.parametrize(("lam", "mu", "c"), [(4.0, 1.0, 5), (9.0, 2.0, 6)])
def test_simulation_agrees_with_erlang_c(lam: float, mu: float, c: int) -> None:
    closed = ErlangC(lam, mu, c).as_dict()
    sim = simulate_queue(lam, mu, c, horizon=8000.0, runs=16, seed=7).as_dict()
    assert sim["utilisation"] == pytest.approx(closed["utilisation"], rel=0.01)
    for key in ("mean_wait", "mean_in_queue", "p90_wait"):
        assert sim[key] == pytest.approx(closed[key], rel=0.05), key


def test_simulation_is_reproducible_by_seed() -> None:
    a = simulate_queue(3.0, 1.0, 4, horizon=500.0, runs=4, seed=3)
    b = simulate_queue(3.0, 1.0, 4, horizon=500.0, runs=4, seed=3)
    c = simulate_queue(3.0, 1.0, 4, horizon=500.0, runs=4, seed=4)
    assert a == b
    assert a != c


def test_queue_command_prints_the_four_numbers() -> None:
    result = CliRunner().invoke(
        cli,
        ["forecast", "queue", "--arrival-rate", "4", "--service-rate", "1", "--servers", "5",
         "--horizon", "2000", "--runs", "8", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"mean_wait", "mean_in_queue", "utilisation", "p90_wait"}
    closed = ErlangC(4.0, 1.0, 5)
    assert data["mean_wait"] == pytest.approx(closed.mean_wait, rel=0.15)
    assert data["utilisation"] == pytest.approx(0.8, rel=0.03)


def test_queue_command_rejects_bad_input() -> None:
    result = CliRunner().invoke(
        cli,
        ["forecast", "queue", "-l", "1", "-m", "1", "-c", "0", "-t", "10", "--json"],
    )
    assert result.exit_code != 0
    assert "servers" in result.output
