"""The national 10-year baseline with 1,000 replications: target under 60 s on 2 cores.

    .venv/bin/python benchmarks/forecast_baseline.py [--runs 1000] [--workers 2]

Prints the wall time, the replications per second and whether every replication conserved its
flows; the report files are not written (that is `keten forecast run`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import date
from pathlib import Path

import numpy as np

from keten.forecast.results import summary
from keten.forecast.run import simulate
from keten.forecast.scenario import baseline_path, load_scenario


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    scenario = load_scenario(baseline_path())
    t0 = time.perf_counter()
    run = simulate(scenario, args.runs, workers=args.workers)
    seconds = time.perf_counter() - t0
    balanced = int(run.ledger.balanced().sum())
    head = summary(run)["headline"]
    result = {
        "date": date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, numpy {np.__version__}",
        "scenario": scenario.name,
        "years": scenario.years,
        "step_days": scenario.step_days,
        "runs": args.runs,
        "workers": args.workers,
        "seconds": round(seconds, 2),
        "target_seconds": 60,
        "balanced_runs": balanced,
        "ind_backlog_p50_last_year": head["ind_backlog"]["p50"][-1],
    }
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
