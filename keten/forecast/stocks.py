"""The two stock types of the forecast, vectorised over replications and streams.

``CohortQueue``
    A first-in-first-out queue kept as counts per entry step (cohort). Serving with a capacity
    takes from the oldest cohorts first, so the age of everyone served, and of everyone still
    waiting, is known without tracking individuals. Cohorts older than ``head`` are empty, so a
    step only looks at a small window of cohorts: the cost per step does not grow with the
    backlog's age.
``Pipeline``
    People whose exit time is fixed when they enter (a Dublin transfer, the departure period, the
    journey of a nareiziger): counts per release step, like a calendar of future events.

All counts are int64: flows are conserved exactly, and tests can demand equality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def split_proportional(total: IntArray, weights: IntArray | FloatArray) -> IntArray:
    """Split integer ``total`` (shape ``(R,)``) over the last axis of ``weights`` (``(R, S)``).

    Largest-remainder rounding: the parts sum to ``total`` exactly when the weights are not all
    zero. With integer weights and ``total <= weights.sum()`` no part exceeds its weight (a part
    only rounds up where its share has a fraction), which makes this the capacity allocation of
    a processor that shares its work in proportion to the queues (for queues with equal
    service: the same lead time for every stream, as FIFO over all of them would give).
    """
    w = np.asarray(weights, dtype=np.float64)
    wsum = w.sum(axis=-1)
    tot = total.astype(np.float64)
    safe = np.where(wsum > 0, wsum, 1.0)
    share = w * (tot / safe)[..., None]
    base = np.floor(share + 1e-9).astype(np.int64)
    rem = np.where(wsum > 0, total - base.sum(axis=-1), 0)
    frac = share - base
    order = np.argsort(-frac, axis=-1, kind="stable")
    ranks = np.argsort(order, axis=-1, kind="stable")
    base += (ranks < rem[..., None]).astype(np.int64)
    return base


def allocate_capacity(capacity: IntArray, waiting: IntArray) -> IntArray:
    """Capacity ``(R,)`` shared over streams ``(R, S)`` in proportion to what is waiting."""
    usable = np.minimum(capacity, waiting.sum(axis=-1))
    return np.minimum(split_proportional(usable, waiting), waiting)


@dataclass
class Served:
    """What one call of :meth:`CohortQueue.serve` took: cohort indices and counts per window."""

    total: IntArray  # (R, S)
    cohorts: list[IntArray]  # each (R, S, K): cohort index
    taken: list[IntArray]  # each (R, S, K)

    def ages(self, step: int, offset: int) -> list[IntArray]:
        return [step - (idx - offset) for idx in self.cohorts]

    def sum_ages(self, step: int, offset: int) -> IntArray:
        out = np.zeros_like(self.total)
        for idx, taken in zip(self.cohorts, self.taken, strict=True):
            out += (taken * (step - (idx - offset))).sum(axis=-1)
        return out

    def count_where(self, mask_of_cohort: npt.NDArray[np.bool_]) -> IntArray:
        """Served counts whose cohort index ``c`` has ``mask_of_cohort[c]`` true."""
        out = np.zeros_like(self.total)
        for idx, taken in zip(self.cohorts, self.taken, strict=True):
            out += (taken * mask_of_cohort[idx]).sum(axis=-1)
        return out


class CohortQueue:
    """FIFO queue per (replication, stream) with counts per entry step.

    Cohort index ``c`` holds entries of step ``c - offset``; the initial backlog sits in the
    negative steps ``-offset .. -1``.
    """

    def __init__(
        self, runs: int, streams: int, n_steps: int, *, history: int = 0, window: int = 16
    ) -> None:
        self.offset = history
        self.window = window
        n = history + n_steps + 1
        # ``window`` spare cohorts at the end: a window never has to be clipped, so no index
        # repeats inside one scatter.
        self.counts = np.zeros((runs, streams, n + window), dtype=np.int64)
        self.head = np.zeros((runs, streams), dtype=np.int64)
        self.total = np.zeros((runs, streams), dtype=np.int64)
        self._k = np.arange(window, dtype=np.int64)
        # Windows are gathered through a flat view: much cheaper than take_along_axis.
        self._flat = self.counts.reshape(-1)
        n_total = self.counts.shape[2]
        self._base = (np.arange(runs)[:, None] * streams + np.arange(streams)[None, :]) * n_total

    @property
    def n_cohorts(self) -> int:
        return self.counts.shape[2] - self.window

    def index(self, step: int) -> int:
        return step + self.offset

    def add(self, step: int, n: IntArray) -> None:
        """Add entries ``(R, S)`` to the cohort of ``step``."""
        c = self.index(step)
        self.counts[:, :, c] += n
        self.total += n
        np.minimum(self.head, c, out=self.head, where=n > 0)

    def serve(self, step: int, capacity: IntArray, *, min_age: int = 0) -> Served:
        """Serve up to ``capacity`` ``(R, S)`` per stream, oldest cohorts first.

        Only cohorts at least ``min_age`` steps old are eligible (COA needs two weeks to match a
        permit holder with a municipality before housing can start).
        """
        last = self.index(step) - min_age
        remaining = np.minimum(capacity, self.total).astype(np.int64)
        served = np.zeros_like(self.total)
        cohorts: list[IntArray] = []
        taken: list[IntArray] = []
        while True:
            active = (remaining > 0) & (self.head <= last)
            if not active.any():
                break
            idx = self.head[..., None] + self._k
            flat_idx = (self._base + self.head)[..., None] + self._k
            window = self._flat[flat_idx]
            eligible = np.where(idx <= last, window, 0)
            before = np.cumsum(eligible, axis=2) - eligible
            take = np.minimum(np.maximum(remaining[..., None] - before, 0), eligible)
            left = window - take
            self._flat[flat_idx] = left
            got = take.sum(axis=2)
            remaining -= got
            served += got
            # The new head is the first cohort in the window with anyone left, else past it.
            nonempty = (left > 0) & (idx <= last)
            first = np.where(nonempty.any(axis=2), nonempty.argmax(axis=2), self.window)
            self.head = np.minimum(self.head + first, np.maximum(last + 1, self.head))
            cohorts.append(idx)
            taken.append(take)
        self.total -= served
        return Served(served, cohorts, taken)

    def eligible(self, step: int, min_age: int = 0) -> IntArray:
        """Waiting entries at least ``min_age`` steps old: what a server could take now."""
        if min_age <= 0:
            return self.total.copy()
        c = self.index(step)
        young = self.counts[:, :, max(0, c - min_age + 1) : c + 1].sum(axis=2)
        return np.asarray(self.total - young)

    def waiting_older_than(self, step: int, age: int) -> IntArray:
        """Entries still waiting whose age in steps is greater than ``age``: ``(R, S)``."""
        cut = self.index(step) - age  # cohorts < cut are older than `age`
        lo = int(self.head.min())
        if cut <= lo:
            return np.zeros_like(self.total)
        return np.asarray(self.counts[:, :, lo:cut].sum(axis=2), dtype=np.int64)

    def waiting_in_age_range(self, step: int, mask_of_cohort: npt.NDArray[np.bool_]) -> IntArray:
        """Waiting counts in cohorts selected by a boolean mask over cohort indices."""
        lo = int(self.head.min())
        hi = self.index(step) + 1
        sel = np.nonzero(mask_of_cohort[lo:hi])[0] + lo
        if sel.size == 0:
            return np.zeros_like(self.total)
        return np.asarray(self.counts[:, :, sel].sum(axis=2), dtype=np.int64)


class Pipeline:
    """Counts per (replication, stream, release step)."""

    def __init__(self, runs: int, streams: int, n_steps: int, max_delay: int) -> None:
        self.slots = np.zeros((runs, streams, n_steps + max_delay + 2), dtype=np.int64)
        self.total = np.zeros((runs, streams), dtype=np.int64)
        self._s = np.arange(streams)

    @property
    def horizon(self) -> int:
        return self.slots.shape[2]

    def schedule(self, release_step: int | IntArray, n: IntArray) -> None:
        """Put ``n`` ``(R, S)`` in the slot ``release_step`` (a step, or one per stream)."""
        if isinstance(release_step, int | np.integer):
            if release_step >= self.horizon:
                raise ValueError("release step beyond the pipeline's horizon")
            self.slots[:, :, release_step] += n
        else:
            steps = np.asarray(release_step, dtype=np.int64)
            if steps.max() >= self.horizon:
                raise ValueError("release step beyond the pipeline's horizon")
            self.slots[:, self._s, steps] += n
        self.total += n

    def release(self, step: int) -> IntArray:
        out = self.slots[:, :, step].copy()
        self.slots[:, :, step] = 0
        self.total -= out
        return out
