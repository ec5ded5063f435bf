"""Claim: one call computes the deadlines of a million procedures in under 2 s, at least 50 times
faster per procedure than looping over the scalar path.

Both paths run in the same process on the same rows. The scalar path (``derive``: one procedure,
every step explained) is timed on a sample of the rows, because a million calls take minutes;
the ratio is per procedure. On the sample the two paths must also agree date for date.

Run: ``.venv/bin/python benchmarks/deadlines.py [--rows 1000000] [--sample 20000]``
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date, timedelta

import numpy as np
import polars as pl

from keten.catalog.bulk import bulk_table
from keten.catalog.derive import Event, derive
from keten.catalog.loader import get_procedure

ON = date(2026, 11, 25)
# (procedure, deadline, start event, extension event or None, suspension pair or None)
MIX = [
    ("asylum_first", "decision", "lodged", "extended_9m", ("incomplete_notice", "completed")),
    ("regular_residence", "decision", "lodged", "extended", ("incomplete_notice", "completed")),
    ("mvv", "decision", "lodged", "extended", ("incomplete_notice", "completed")),
    ("nareis", "decision", "lodged", "extended_3m", ("dna_requested", "dna_done")),
    ("naturalisation", "decision", "lodged", "extended", None),
    ("complaint", "handling", "received", "postponed", None),
    ("dublin_outgoing", "transfer", "accepted", "absconded", None),
    ("detention", "maximum", "detained", "extended_12m", None),
]


def make_rows(n: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, len(MIX), n)
    start = np.datetime64("2019-01-01") + rng.integers(0, 2700, n).astype("timedelta64[D]")
    return pl.DataFrame(
        {
            "kind": kind,
            "procedure": [MIX[k][0] for k in kind],
            "deadline": [MIX[k][1] for k in kind],
            "start": start,
            "ext": (rng.random(n) < 0.2).astype(np.int64),
            "suspended_days": np.where(rng.random(n) < 0.15, rng.integers(1, 60, n), 0),
        }
    )


def bulk_input(rows: pl.DataFrame) -> pl.DataFrame:
    kinds_by_event: dict[str, list[int]] = {}
    for k, (_, _, _, ext, _) in enumerate(MIX):
        if ext:
            kinds_by_event.setdefault(ext, []).append(k)
    ext_cols = {
        f"ext:{ext}": pl.when(pl.col("kind").is_in(kinds)).then(pl.col("ext")).otherwise(0)
        for ext, kinds in kinds_by_event.items()
    }
    return rows.with_columns(**ext_cols).with_columns(
        # The dublin row's regime follows the asylum application, lodged before acceptance.
        regime_day=pl.col("start")
    )


def scalar(rows: pl.DataFrame) -> list[date | None]:
    out: list[date | None] = []
    for row in rows.iter_rows(named=True):
        proc, deadline, start_kind, ext_kind, susp = MIX[row["kind"]]
        pt = get_procedure(proc)
        start: date = row["start"]
        events = [Event(start_kind, start)]
        events += [Event(k, start) for k in pt.regime_events if k != start_kind]
        if row["ext"] and ext_kind:
            events.append(Event(ext_kind, start + timedelta(days=1)))
        if row["suspended_days"] and susp:
            events.append(Event(susp[0], start + timedelta(days=1)))
            events.append(Event(susp[1], start + timedelta(days=2 + row["suspended_days"])))
        state = derive(pt, events, on=ON)
        out.append(next((d.date for d in state.deadlines if d.id == deadline), None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rows = make_rows(args.rows)
    table = bulk_input(rows)
    bulk_table(table.head(1000))  # load the catalogue and the calendars outside the timing

    bulk_times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        due = bulk_table(table)
        bulk_times.append(time.perf_counter() - t0)
    bulk_s = min(bulk_times)

    sample = rows.head(args.sample)
    t0 = time.perf_counter()
    expected = scalar(sample)
    loop_s = time.perf_counter() - t0

    got = due.head(args.sample).to_list()
    mismatches = sum(1 for a, b in zip(got, expected, strict=True) if a != b)

    per_bulk = bulk_s / args.rows
    per_loop = loop_s / args.sample
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, polars {pl.__version__}"
    )
    print(
        f"bulk:   {args.rows:>9,} procedures in {bulk_s:.3f} s "
        f"(best of {args.repeat}; {per_bulk * 1e6:.2f} us each)"
    )
    print(f"scalar: {args.sample:>9,} procedures in {loop_s:.3f} s ({per_loop * 1e6:.1f} us each)")
    print(f"ratio:  bulk is {per_loop / per_bulk:,.0f}x faster per procedure")
    print(f"check:  {mismatches} of {args.sample:,} sampled due dates differ between the paths")
    print(
        f"target: bulk < 2 s for 1,000,000 -> {'met' if bulk_s < 2 else 'MISSED'}; "
        f">= 50x -> {'met' if per_loop / per_bulk >= 50 else 'MISSED'}"
    )
    if mismatches:
        raise SystemExit("the bulk and scalar paths disagree")


if __name__ == "__main__":
    main()
