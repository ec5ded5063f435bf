"""Monte Carlo over the chain: chunks of replications, optional worker processes, progress.

Replications are simulated in fixed chunks of ``CHUNK``, each with its own seed spawned from the
run's seed. The results therefore depend only on (scenario, runs, seed), never on the number of
worker processes, and the first chunks of a long run equal a shorter run with the same seed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np

from keten.forecast.chain import ChainRun, Timeline, simulate_chunk
from keten.forecast.scenario import Scenario

CHUNK = 250

ProgressCallback = Callable[[int, int], None]  # (done units, total units)


def chunk_sizes(runs: int) -> list[int]:
    if runs < 1:
        raise ValueError("runs must be at least 1")
    full, rest = divmod(runs, CHUNK)
    return [CHUNK] * full + ([rest] if rest else [])


def _one(scenario: Scenario, runs: int, seed: np.random.SeedSequence) -> ChainRun:
    return simulate_chunk(scenario, runs, seed)


def simulate(
    scenario: Scenario,
    runs: int,
    *,
    seed: int | None = None,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> ChainRun:
    """``runs`` replications of ``scenario``; ``seed`` defaults to the scenario's own."""
    base = scenario.seed if seed is None else seed
    sizes = chunk_sizes(runs)
    seeds = np.random.SeedSequence(base).spawn(len(sizes))
    n_steps = Timeline.build(scenario.start, scenario.years, scenario.step_days).n_steps
    total_units = runs * n_steps
    started = time.perf_counter()
    parts: list[ChainRun | None] = [None] * len(sizes)
    if workers <= 1 or len(sizes) == 1:
        done = 0
        for i, (size, ss) in enumerate(zip(sizes, seeds, strict=True)):

            def tick(t: int, size: int = size, done_before: int = done) -> None:
                if progress is not None and (t % 8 == 7 or t == n_steps - 1):
                    progress(done_before + size * (t + 1), total_units)

            parts[i] = simulate_chunk(scenario, size, ss, tick)
            done += size * n_steps
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(_one, scenario, size, ss): i
                for i, (size, ss) in enumerate(zip(sizes, seeds, strict=True))
            }
            done = 0
            for fut in as_completed(futures):
                i = futures[fut]
                parts[i] = fut.result()
                done += sizes[i] * n_steps
                if progress is not None:
                    progress(done, total_units)
    result = ChainRun.concat([p for p in parts if p is not None])
    result.seed = base
    result.seconds = time.perf_counter() - started
    return result


def rich_progress(description: str) -> tuple[ProgressCallback, Callable[[], None]]:
    """A rich progress bar as a callback, and a function that closes it."""
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    bar.start()
    task = bar.add_task(description, total=1)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return update, bar.stop
