"""From replications to bands: P10/P50/P90 per month and per year, tables on disk.

A band is taken over replications of the same period; a ratio (lead time, share on time) is
computed per replication from that replication's own sums first, so the band describes ratios
that occurred, not a ratio of medians.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from keten.forecast.chain import ChainRun
from keten.forecast.metrics import FLOWS, METRICS, RATIO_PARTS, RATIOS, STOCKS
from keten.time.periods import add_months

FloatArray = npt.NDArray[np.float64]
QUANTILES = (0.1, 0.5, 0.9)


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _bands(values: FloatArray) -> FloatArray:
    """(R, P) -> (4, P): p10, p50, p90, mean; NaN-aware for ratios."""
    out = np.full((4, values.shape[1]), np.nan)
    ok = ~np.all(np.isnan(values), axis=0)
    if ok.any():
        v = values[:, ok]
        out[:3, ok] = np.nanquantile(v, QUANTILES, axis=0)
        out[3, ok] = np.nanmean(v, axis=0)
    return out


@dataclass(frozen=True)
class Periods:
    labels: list[str]
    values: dict[str, FloatArray]  # metric -> (R, P)


def monthly(run: ChainRun) -> Periods:
    labels = [m.strftime("%Y-%m") for m in run.months]
    values: dict[str, FloatArray] = {**run.flows, **run.stocks}
    for name, (num, den) in RATIO_PARTS.items():
        values[name] = _ratio(run.flows[num], run.flows[den])
    return Periods(labels, values)


def yearly(run: ChainRun) -> Periods:
    n_years = len(run.months) // 12
    labels = [str(run.months[12 * y].year) for y in range(n_years)]
    values: dict[str, FloatArray] = {}
    for name, arr in run.flows.items():
        values[name] = arr[:, : 12 * n_years].reshape(arr.shape[0], n_years, 12).sum(axis=2)
    for name, arr in run.stocks.items():
        values[name] = arr[:, 11 : 12 * n_years : 12]
    for name, (num, den) in RATIO_PARTS.items():
        values[name] = _ratio(values[num], values[den])
    return Periods(labels, values)


def half_years(run: ChainRun) -> Periods:
    """Taakstelling per half-year and what was housed in it.

    Seed 001: the number to house is set from the permits expected "in de periode drie maanden
    voor de start van het kalenderhalfjaar tot drie maanden na de start". Half-years whose window
    starts before the forecast are left out: that part of the window is history, not forecast.
    """
    months = run.months
    grants = run.flows["grants_refugee"] + run.flows["grants_subsidiary"] + run.flows["resettled"]
    labels: list[str] = []
    taak: list[FloatArray] = []
    housed: list[FloatArray] = []
    waiting: list[FloatArray] = []
    for i, m in enumerate(months):
        if m.month not in (1, 7) or i - 3 < 0 or i + 6 > len(months):
            continue
        labels.append(f"{m.year}-{'I' if m.month == 1 else 'II'}")
        taak.append(grants[:, i - 3 : i + 3].sum(axis=1))
        housed.append(run.flows["housed"][:, i : i + 6].sum(axis=1))
        waiting.append(run.stocks["permit_holders_waiting"][:, i + 5])
    if not labels:
        empty = np.zeros((run.runs, 0))
        return Periods([], {"taakstelling": empty, "housed": empty, "waiting_end": empty})
    return Periods(
        labels,
        {
            "taakstelling": np.stack(taak, axis=1),
            "housed": np.stack(housed, axis=1),
            "waiting_end": np.stack(waiting, axis=1),
        },
    )


HALF_YEAR_LABELS = {
    "taakstelling": ("Taakstelling (te huisvesten vergunninghouders)", "Permit holders to house"),
    "housed": ("Gehuisvest in het halfjaar", "Housed in the half-year"),
    "waiting_end": ("Vergunninghouders in opvang aan het eind", "Permit holders waiting at end"),
}


def band_table(periods: Periods, freq: str) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    for name, values in periods.values.items():
        b = _bands(values)
        metric = METRICS.get(name)
        nl, en = (metric.nl, metric.en) if metric else HALF_YEAR_LABELS.get(name, (name, name))
        kind = metric.kind if metric else "flow"
        unit = metric.unit if metric else "personen / persons"
        for j, label in enumerate(periods.labels):
            rows.append(
                {
                    "metric": name,
                    "kind": kind,
                    "label_nl": nl,
                    "label_en": en,
                    "unit": unit,
                    "freq": freq,
                    "period": label,
                    "p10": float(b[0, j]),
                    "p50": float(b[1, j]),
                    "p90": float(b[2, j]),
                    "mean": float(b[3, j]),
                }
            )
    return pl.DataFrame(rows)


def band_of(periods: Periods, name: str) -> FloatArray:
    return _bands(periods.values[name])


def conservation_table(run: ChainRun) -> pl.DataFrame:
    led = run.ledger
    return pl.DataFrame(
        {
            "replication": np.arange(run.runs),
            "stock_start": led.stock_start,
            "inflow": led.inflow,
            "outflow": led.outflow,
            "stock_end": led.stock_end,
            "balanced": led.balanced(),
        }
    )


def summary(run: ChainRun) -> dict[str, Any]:
    years = yearly(run)
    headline = [
        "ind_backlog",
        "lead_time_weeks",
        "share_within_term",
        "dwangsom_eur",
        "occupancy",
        "emergency_needed",
        "permit_holders_waiting",
        "housed",
        "departures_independent",
        "departures_forced",
        "departures_unsupervised",
        "dublin_transfers",
    ]
    per_year: dict[str, dict[str, list[float]]] = {}
    for name in headline:
        b = band_of(years, name)
        per_year[name] = {
            "p10": [round(float(x), 3) for x in b[0]],
            "p50": [round(float(x), 3) for x in b[1]],
            "p90": [round(float(x), 3) for x in b[2]],
        }
    balanced = run.ledger.balanced()
    return {
        "scenario": run.scenario.name,
        "title": {"nl": run.scenario.title.nl, "en": run.scenario.title.en},
        "runs": run.runs,
        "seed": run.seed,
        "start": run.scenario.start.isoformat(),
        "years": years.labels,
        "seconds": round(run.seconds, 3),
        "conservation": {
            "replications_balanced": int(balanced.sum()),
            "replications": int(balanced.size),
        },
        "headline": per_year,
    }


def write_tables(run: ChainRun, out: Path) -> dict[str, Path]:
    """Monthly, yearly and half-year bands (CSV and Parquet), conservation, summary."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "bands_month": band_table(monthly(run), "month"),
        "bands_year": band_table(yearly(run), "year"),
        "taakstelling": band_table(half_years(run), "half_year"),
        "conservation": conservation_table(run),
    }
    written: dict[str, Path] = {}
    for name, df in tables.items():
        df.write_csv(out / f"{name}.csv")
        df.write_parquet(out / f"{name}.parquet")
        written[name] = out / f"{name}.csv"
    path = out / "summary.json"
    path.write_text(json.dumps(summary(run), indent=2, ensure_ascii=False), encoding="utf-8")
    written["summary"] = path
    return written


def month_dates(run: ChainRun) -> list[date]:
    """The first day of each forecast month (for charts)."""
    return [add_months(run.months[0], k).end for k in range(len(run.months))]


__all__ = [
    "FLOWS",
    "RATIOS",
    "STOCKS",
    "Periods",
    "band_of",
    "band_table",
    "conservation_table",
    "half_years",
    "monthly",
    "summary",
    "write_tables",
    "yearly",
]
