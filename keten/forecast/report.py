"""Charts of one or more forecast runs: a PNG (matplotlib) and a self-contained HTML (plotly).

Both draw the same panels from the same bands. The HTML embeds plotly.js once, inline, so the
report opens without a network. Labels are Dutch first, English second.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from keten.forecast.chain import ChainRun
from keten.forecast.metrics import METRICS
from keten.forecast.results import Periods, band_of, half_years, monthly, summary, yearly

FloatArray = npt.NDArray[np.float64]
COLOURS = ["#1f5fa8", "#c4512b", "#2e8b57", "#7b4fa0", "#b8860b", "#555555"]


@dataclass(frozen=True)
class Series:
    metric: str
    label: str | None = None  # defaults to the metric's label
    scale: float = 1.0
    dash: bool = False  # a reference line (capacity), drawn without band


@dataclass(frozen=True)
class Panel:
    title: str
    freq: Literal["month", "year", "half_year"]
    series: tuple[Series, ...]
    unit: str = "personen / persons"
    bars: bool = False


PANELS = (
    Panel(
        "Voorraad IND eerste aanleg / IND first-instance backlog",
        "month",
        (Series("ind_backlog"), Series("ind_over_term")),
    ),
    Panel(
        "Doorlooptijd IND (weken) / IND lead time (weeks)",
        "month",
        (Series("lead_time_weeks"), Series("lead_time_weeks_priority")),
        "weken / weeks",
    ),
    Panel(
        "Aandeel binnen wettelijke termijn / Share decided within the statutory term",
        "year",
        (Series("share_within_term"),),
        "aandeel / share",
        bars=True,
    ),
    Panel(
        "Dwangsommen per jaar (mln EUR) / Dwangsom cost per year (EUR million)",
        "year",
        (Series("dwangsom_eur", "Dwangsommen / Dwangsom cost", 1e-6),),
        "mln EUR",
        bars=True,
    ),
    Panel(
        "Bezetting COA tegen capaciteit / COA occupancy against capacity",
        "month",
        (
            Series("occupancy"),
            Series("occupancy_emergency"),
            Series("occupancy_permit_holders"),
            Series("regular_capacity", dash=True),
            Series("capacity_total", dash=True),
        ),
    ),
    Panel(
        "Benodigde noodopvang / Emergency places needed",
        "month",
        (Series("emergency_needed"), Series("reception_shortage")),
    ),
    Panel(
        "Vergunninghouders in opvang / Permit holders waiting for housing",
        "month",
        (Series("permit_holders_waiting"), Series("permit_holders_over_norm")),
    ),
    Panel(
        "Taakstelling per halfjaar / Permit holders to house per half-year",
        "half_year",
        (
            Series("taakstelling", "Taakstelling / To house"),
            Series("housed", "Gehuisvest / Housed"),
        ),
        bars=True,
    ),
    Panel(
        "Vertrek per jaar / Departures per year",
        "year",
        (
            Series("departures_independent"),
            Series("departures_forced"),
            Series("departures_unsupervised"),
            Series("dublin_transfers"),
        ),
        bars=True,
    ),
    Panel(
        "Nareis en beroep / Nareis and appeals pending",
        "month",
        (Series("nareis_backlog"), Series("court_backlog")),
    ),
)


def _label(series: Series) -> str:
    if series.label:
        return series.label
    metric = METRICS.get(series.metric)
    return metric.label() if metric else series.metric


@dataclass(frozen=True)
class _Prepared:
    run: ChainRun
    month: Periods
    year: Periods
    half: Periods

    def periods(self, freq: str) -> Periods:
        return {"month": self.month, "year": self.year, "half_year": self.half}[freq]


def _prepare(runs: list[ChainRun]) -> list[_Prepared]:
    return [_Prepared(r, monthly(r), yearly(r), half_years(r)) for r in runs]


def _x(prep: _Prepared, freq: str) -> list[Any]:
    if freq == "month":
        return list(prep.run.months)
    return prep.periods(freq).labels


def _run_name(run: ChainRun, many: bool) -> str:
    return f"{run.scenario.title.nl} / {run.scenario.title.en}" if many else ""


# -- PNG -------------------------------------------------------------------------------------


def write_png(runs: list[ChainRun], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    preps = _prepare(runs)
    many = len(runs) > 1
    n = len(PANELS)
    cols = 2
    rows = (n + 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(15, 4.2 * rows), squeeze=False)
    for ax, panel in zip(axes.flat, PANELS, strict=False):
        n_series = len(panel.series) * len(preps)
        width = 0.8 / max(1, n_series)
        k = 0
        for ri, prep in enumerate(preps):
            x = _x(prep, panel.freq)
            for si, series in enumerate(panel.series):
                b = band_of(prep.periods(panel.freq), series.metric) * series.scale
                colour = COLOURS[(si + ri * len(panel.series)) % len(COLOURS)]
                name = _label(series) + (f" — {prep.run.scenario.name}" if many else "")
                if panel.bars:
                    pos = np.arange(len(x)) + (k - (n_series - 1) / 2) * width
                    err = np.vstack([b[1] - b[0], b[2] - b[1]])
                    ax.bar(pos, b[1], width, yerr=err, label=name, color=colour, capsize=2)
                    ax.set_xticks(np.arange(len(x)), [str(v) for v in x], rotation=45)
                elif series.dash:
                    ax.plot(x, b[1], "--", color=colour, label=name)
                else:
                    ax.fill_between(x, b[0], b[2], color=colour, alpha=0.2, linewidth=0)
                    ax.plot(x, b[1], color=colour, label=name)
                k += 1
        ax.set_title(panel.title, fontsize=10)
        ax.set_ylabel(panel.unit, fontsize=8)
        ax.legend(fontsize=7, loc="best")
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    title = " | ".join(
        f"{r.scenario.title.nl} / {r.scenario.title.en} ({r.runs} runs, seed {r.seed})"
        for r in runs
    )
    fig.suptitle(f"{title}\nBanden P10-P90, lijn P50 / bands P10-P90, line P50", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.98))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


# -- HTML ------------------------------------------------------------------------------------


def _plotly_panel(panel: Panel, preps: list[_Prepared]) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    many = len(preps) > 1
    for ri, prep in enumerate(preps):
        x = _x(prep, panel.freq)
        xs = [v.isoformat() if hasattr(v, "isoformat") else v for v in x]
        for si, series in enumerate(panel.series):
            b = band_of(prep.periods(panel.freq), series.metric) * series.scale
            colour = COLOURS[(si + ri * len(panel.series)) % len(COLOURS)]
            name = _label(series) + (f" — {prep.run.scenario.name}" if many else "")
            if panel.bars:
                fig.add_bar(
                    x=xs,
                    y=b[1],
                    name=name,
                    marker_color=colour,
                    error_y={"type": "data", "symmetric": False, "array": b[2] - b[1],
                             "arrayminus": b[1] - b[0]},
                )  # fmt: skip
            elif series.dash:
                fig.add_scatter(x=xs, y=b[1], name=name, line={"color": colour, "dash": "dash"})
            else:
                fig.add_scatter(
                    x=xs + xs[::-1],
                    y=np.concatenate([b[2], b[0][::-1]]),
                    fill="toself",
                    fillcolor=colour,
                    opacity=0.2,
                    line={"width": 0},
                    hoverinfo="skip",
                    showlegend=False,
                    name=f"{name} P10-P90",
                )
                fig.add_scatter(x=xs, y=b[1], name=f"{name} (P50)", line={"color": colour})
    fig.update_layout(
        title=panel.title,
        yaxis_title=panel.unit,
        barmode="group",
        height=420,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def _summary_table(runs: list[ChainRun]) -> str:
    rows = []
    names = [
        ("ind_backlog", 1.0),
        ("lead_time_weeks", 1.0),
        ("share_within_term", 1.0),
        ("dwangsom_eur", 1e-6),
        ("occupancy", 1.0),
        ("emergency_needed", 1.0),
        ("permit_holders_waiting", 1.0),
    ]
    for run in runs:
        years = yearly(run)
        head = "".join(f"<th>{html.escape(y)}</th>" for y in years.labels)
        rows.append(
            f"<h3>{html.escape(run.scenario.title.nl)} / {html.escape(run.scenario.title.en)}"
            f"</h3><table><tr><th>P50 (P10-P90)</th>{head}</tr>"
        )
        for name, scale in names:
            b = band_of(years, name) * scale
            digits = 2 if name.startswith("share") else (1 if scale != 1.0 else 0)
            cells = "".join(
                f"<td>{b[1, j]:,.{digits}f}<br><small>{b[0, j]:,.{digits}f}-"
                f"{b[2, j]:,.{digits}f}</small></td>"
                for j in range(len(years.labels))
            )
            label = METRICS[name].label() + (" (mln EUR)" if scale != 1.0 else "")
            rows.append(f"<tr><td>{html.escape(label)}</td>{cells}</tr>")
        rows.append("</table>")
    return "\n".join(rows)


def _sources(runs: list[ChainRun]) -> str:
    out = []
    for run in runs:
        items = "".join(
            f"<tr><td>{html.escape(s.id)}</td><td>{html.escape(s.kind)}</td>"
            f"<td>{html.escape(s.figure)}</td><td>{html.escape(s.source)}</td>"
            f"<td>{html.escape(s.date)}</td><td>{html.escape(s.used_for)}</td></tr>"
            for s in run.scenario.sources
        )
        if items:
            out.append(
                f"<h3>Bronnen / Sources — {html.escape(run.scenario.name)}</h3><table>"
                "<tr><th>id</th><th>soort / kind</th><th>cijfer / figure</th>"
                "<th>bron / source</th><th>datum / date</th><th>gebruikt voor / used for</th>"
                f"</tr>{items}</table>"
            )
    return "\n".join(out)


def write_html(runs: list[ChainRun], path: Path) -> Path:
    preps = _prepare(runs)
    parts = []
    for i, panel in enumerate(PANELS):
        fig = _plotly_panel(panel, preps)
        parts.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0)))
    sums = [summary(r) for r in runs]
    checks = " | ".join(
        f"{s['scenario']}: {s['conservation']['replications_balanced']}/"
        f"{s['conservation']['replications']} replicaties sluiten / replications balance"
        for s in sums
    )
    title = " vs ".join(f"{r.scenario.title.nl} / {r.scenario.title.en}" for r in runs)
    meta = "; ".join(f"{r.scenario.name}: {r.runs} runs, seed {r.seed}" for r in runs)
    doc = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Keten prognose / forecast — {html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.85em; margin-bottom: 1em; }}
td, th {{ border: 1px solid #ccc; padding: 3px 6px; text-align: right; vertical-align: top; }}
td:first-child, th:first-child {{ text-align: left; }}
small {{ color: #666; }}
</style></head><body>
<h1>Keten: prognose migratieketen / chain forecast</h1>
<p>{html.escape(title)}<br>{html.escape(meta)}<br>
Banden P10-P90, lijn P50 / bands P10-P90, line P50. Behoud van stromen / flow conservation:
{html.escape(checks)}</p>
<h2>Kerncijfers per jaar / Headline figures per year</h2>
{_summary_table(runs)}
<h2>Grafieken / Charts</h2>
{"".join(parts)}
<h2>Herkomst van de cijfers / Provenance</h2>
{_sources(runs)}
</body></html>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc, encoding="utf-8")
    return path


def write_report(runs: list[ChainRun], out: Path, stem: str = "report") -> dict[str, Path]:
    return {
        "png": write_png(runs, out / f"{stem}.png"),
        "html": write_html(runs, out / f"{stem}.html"),
    }
