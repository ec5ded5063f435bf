"""Deadlines for many procedures at once: arrays in, arrays out.

This is the path the work queues and the forecast call. It reproduces the scalar path
(:func:`keten.catalog.derive.derive`) exactly for the same inputs, in the same fixed order: base
length or variant, extensions, suspensions, maximum, calendar rules. It does not explain; ask the
scalar path for the trail of any single row.

Inputs are what the scalar path would have derived from events:

* ``start``: the date of the deadline's start event (``NaT``: not started);
* ``regime_day``: the date of the procedure's regime event (default: ``start``);
* ``facts``: boolean/str/int columns by fact name, and ``event:<kind>`` boolean columns for
  conditions on events;
* ``extensions``: per extension event kind, how many were granted (capped at the catalogue's
  maximum);
* ``suspended_days``: total days the clock stood still (ignored for deadlines the catalogue
  gives no suspension).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import polars as pl

from keten.catalog.loader import get_procedure
from keten.catalog.model import Condition, DeadlineSpec, ProcedureType
from keten.time.counting import Counting, settle_end_array
from keten.time.periods import Period, period_end_array

Days = npt.NDArray[np.datetime64]
Column = npt.NDArray[np.generic]

NAT = np.datetime64("NaT", "D")


def _condition_mask(cond: Condition, facts: Mapping[str, Column], n: int) -> npt.NDArray[np.bool_]:
    if cond.fact is not None:
        column = facts.get(cond.fact)
        if column is None:
            return np.zeros(n, dtype=bool)  # not recorded: not met, as in the scalar path
        return np.asarray(column == cond.equals, dtype=bool)
    if cond.event is not None:
        column = facts.get(f"event:{cond.event}")
        return np.zeros(n, dtype=bool) if column is None else np.asarray(column, dtype=bool)
    if cond.all is not None:
        mask = np.ones(n, dtype=bool)
        for sub in cond.all:
            mask &= _condition_mask(sub, facts, n)
        return mask
    if cond.any is not None:
        mask = np.zeros(n, dtype=bool)
        for sub in cond.any:
            mask |= _condition_mask(sub, facts, n)
        return mask
    assert cond.not_ is not None
    return ~_condition_mask(cond.not_, facts, n)


def _regime_mask(pt: ProcedureType, spec: DeadlineSpec, regime_day: Days) -> npt.NDArray[np.bool_]:
    if spec.regimes is None:
        return np.ones(regime_day.shape, dtype=bool)
    mask = np.zeros(regime_day.shape, dtype=bool)
    for regime in pt.regimes:
        if regime.id in spec.regimes:
            inside = regime_day >= np.datetime64(regime.valid_from, "D")
            if regime.valid_to is not None:
                inside &= regime_day <= np.datetime64(regime.valid_to, "D")
            mask |= inside
    return mask


def _one_spec(
    spec: DeadlineSpec,
    start: Days,
    length: Period,
    counting: Counting,
    extensions: Mapping[str, npt.NDArray[np.int64]],
    suspended: npt.NDArray[np.int64],
) -> Days:
    if spec.backwards:
        raise NotImplementedError(f"{spec.id}: backward deadlines are calendar events, not bulk")
    end = period_end_array(start, length)
    for ext in spec.extensions:
        granted = extensions.get(ext.event)
        if granted is None:
            continue
        granted = np.minimum(granted, ext.max_times)
        for k in range(1, ext.max_times + 1):
            rows = granted >= k
            if rows.any():
                end[rows] = period_end_array(end[rows], ext.length)
    if spec.suspensions:
        end = end + suspended.astype("timedelta64[D]")
    if spec.maximum is not None:
        end = np.minimum(end, period_end_array(start, spec.maximum.length))
    settled = settle_end_array(start, end, length, counting)
    return settled - np.timedelta64(1, "D") if spec.start_day_counts else settled


def bulk_deadline(
    procedure: str,
    deadline: str,
    start: Days,
    *,
    regime_day: Days | None = None,
    facts: Mapping[str, Column] | None = None,
    extensions: Mapping[str, npt.NDArray[np.int64]] | None = None,
    suspended_days: npt.NDArray[np.int64] | None = None,
) -> Days:
    """Due dates of one deadline of one procedure type for every row (``NaT`` if none)."""
    pt = get_procedure(procedure)
    specs = [d for d in pt.deadlines if d.id == deadline]
    if not specs:
        raise KeyError(f"procedure {procedure!r} has no deadline {deadline!r}")
    start = np.asarray(start).astype("datetime64[D]")
    n = start.shape[0]
    regime_day = start if regime_day is None else np.asarray(regime_day).astype("datetime64[D]")
    facts = facts or {}
    extensions = extensions or {}
    suspended = (
        np.zeros(n, dtype=np.int64)
        if suspended_days is None
        else np.asarray(suspended_days, dtype=np.int64)
    )
    out = np.full(n, NAT, dtype="datetime64[D]")
    started = ~np.isnat(start)
    taken = np.zeros(n, dtype=bool)  # the first alternative that applies wins, as in derive
    for spec in specs:
        rows = started & ~taken & _regime_mask(pt, spec, regime_day)
        if spec.applies_if is not None:
            rows &= _condition_mask(spec.applies_if, facts, n)
        taken |= rows
        remaining = rows.copy()
        groups: list[tuple[npt.NDArray[np.bool_], Period, Counting]] = []
        for variant in spec.variants:
            chosen = remaining & _condition_mask(variant.when, facts, n)
            groups.append((chosen, variant.length, variant.counting or spec.counting))
            remaining &= ~chosen
        groups.append((remaining, spec.length, spec.counting))
        for mask, length, counting in groups:
            if not mask.any():
                continue
            idx = np.flatnonzero(mask)
            out[idx] = _one_spec(
                spec,
                start[idx],
                length,
                counting,
                {k: np.asarray(v, dtype=np.int64)[idx] for k, v in extensions.items()},
                suspended[idx],
            )
    return out


def bulk_table(table: pl.DataFrame) -> pl.Series:
    """Due dates for a mixed table with columns ``procedure``, ``deadline``, ``start`` and
    optionally ``regime_day``, ``suspended_days``, ``ext:<event>`` and fact columns.

    Groups rows by (procedure, deadline) and calls :func:`bulk_deadline` per group.
    """
    n = table.height
    out = np.full(n, NAT, dtype="datetime64[D]")
    indexed = table.with_row_index("_row")
    for (procedure, deadline), group in indexed.group_by(["procedure", "deadline"]):
        rows = group["_row"].to_numpy()
        pt = get_procedure(str(procedure))
        fact_cols = {
            name: group[name].to_numpy()
            for name in group.columns
            if name in pt.facts or name.startswith("event:")
        }
        ext_cols = {
            name.removeprefix("ext:"): group[name].to_numpy().astype(np.int64)
            for name in group.columns
            if name.startswith("ext:")
        }
        out[rows] = bulk_deadline(
            str(procedure),
            str(deadline),
            group["start"].to_numpy().astype("datetime64[D]"),
            regime_day=(
                group["regime_day"].to_numpy().astype("datetime64[D]")
                if "regime_day" in group.columns
                else None
            ),
            facts=fact_cols,
            extensions=ext_cols,
            suspended_days=(
                group["suspended_days"].to_numpy() if "suspended_days" in group.columns else None
            ),
        )
    return pl.Series("due", out)
