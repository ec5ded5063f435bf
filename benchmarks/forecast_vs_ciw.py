"""Keten's network engine against Ciw on the same open queueing network (issue 5).

The network is the chain's core in days: 100 first asylum applications a day arrive at the IND
(200 servers deciding 75 a day: overloaded, so a backlog builds as in the real chain), 35 % of
the decided cases go to the courts (15 % of judgments send the case back to the IND) and 40 % to
the municipalities for housing (loads about 0.9 and 0.86). Both engines
run the same number of replications of the same horizon; the script reports, per station, the
mean completions, sojourn time and number present over the window, their relative difference
(target: within 2 %) and the ratio of run times (target: Keten at least 20 times faster).

    .venv/bin/python benchmarks/forecast_vs_ciw.py [--runs 20] [--horizon 365] [--dt 0.1]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import date
from pathlib import Path
from typing import TypedDict

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from forecast_ciw_model import simulate_ciw

from keten.forecast.network import Network, NetworkResult, Station, simulate_network

NETWORK = Network(
    stations=(
        Station("IND", servers=200, service_rate=0.375, arrival_rate=100.0),
        Station("rechtbank", servers=60, service_rate=0.5),
        Station("gemeenten", servers=70, service_rate=0.5),
    ),
    routing=((0.0, 0.35, 0.40), (0.15, 0.0, 0.0), (0.0, 0.0, 0.0)),
)
METRICS = ("completions", "mean_sojourn", "mean_present")


class Row(TypedDict):
    """One station's metric: both engines' means, their relative difference and its s.e."""

    station: str
    metric: str
    keten: float
    ciw: float
    rel_diff: float
    rel_se: float
    within_2pct: bool


def _compare(keten: NetworkResult, ciw: NetworkResult) -> list[Row]:
    rows: list[Row] = []
    for i, name in enumerate(keten.names):
        for metric in METRICS:
            k = getattr(keten, metric)[:, i]
            c = getattr(ciw, metric)[:, i]
            diff = (k.mean() - c.mean()) / c.mean()
            # Standard error of the difference of two independent means, relative to Ciw's.
            se = np.sqrt(k.var(ddof=1) / k.size + c.var(ddof=1) / c.size) / c.mean()
            rows.append(
                {
                    "station": name,
                    "metric": metric,
                    "keten": float(k.mean()),
                    "ciw": float(c.mean()),
                    "rel_diff": float(diff),
                    "rel_se": float(se),
                    "within_2pct": bool(abs(diff) <= 0.02),
                }
            )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--horizon", type=float, default=365.0)
    ap.add_argument("--warmup", type=float, default=30.0)
    ap.add_argument("--dt", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args()

    t0 = time.perf_counter()
    keten = simulate_network(
        NETWORK, args.horizon, args.runs, dt=args.dt, seed=args.seed, warmup=args.warmup
    )
    t_keten = time.perf_counter() - t0
    t0 = time.perf_counter()
    ciw = simulate_ciw(NETWORK, args.horizon, args.runs, seed=args.seed, warmup=args.warmup)
    t_ciw = time.perf_counter() - t0
    rows = _compare(keten, ciw)
    result = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {platform.python_version()}, numpy {np.__version__}",
        "runs": args.runs,
        "horizon_days": args.horizon,
        "warmup_days": args.warmup,
        "dt_days": args.dt,
        "seconds_keten": round(t_keten, 2),
        "seconds_ciw": round(t_ciw, 2),
        "speedup": round(t_ciw / t_keten, 1),
        "all_within_2pct": all(r["within_2pct"] for r in rows),
        "rows": rows,
    }
    print(f"Keten {t_keten:.2f} s, Ciw {t_ciw:.2f} s: Keten {t_ciw / t_keten:.1f}x faster")
    print("| station | metric | Keten | Ciw | difference | ±1 s.e. |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['station']} | {r['metric']} | {r['keten']:.3f} | {r['ciw']:.3f} | "
            f"{100 * float(r['rel_diff']):+.2f} % | {100 * float(r['rel_se']):.2f} % |"
        )
    print(f"all means within 2 %: {result['all_within_2pct']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
