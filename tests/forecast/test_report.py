"""Tables, PNG and self-contained HTML from `keten forecast run` and `compare`."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from keten.cli import cli
from keten.forecast.results import band_table, half_years, monthly, yearly
from keten.forecast.run import simulate
from keten.forecast.scenario import Scenario, with_overrides


def test_bands_are_ordered_and_cover_every_period(short: Scenario) -> None:
    run = simulate(short, 20, seed=2)
    months = band_table(monthly(run), "month")
    years = band_table(yearly(run), "year")
    assert set(years["period"]) == {"2026", "2027", "2028"}
    assert months.filter(pl.col("metric") == "occupancy").height == 36
    ok = months.drop_nulls(["p10"]).filter(pl.col("p10").is_not_nan())
    assert (ok["p10"] <= ok["p50"]).all() and (ok["p50"] <= ok["p90"]).all()
    # Yearly flows are the sum of the months.
    y = yearly(run).values["housed"]
    assert (y[:, 0] == run.flows["housed"][:, :12].sum(axis=1)).all()


def test_taakstelling_uses_the_three_months_around_the_half_year(short: Scenario) -> None:
    run = simulate(short, 5, seed=2)
    half = half_years(run)
    # The first full window is 2026-II (April-September 2026); 2026-I needs 2025 history.
    assert half.labels[0] == "2026-II"
    grants = run.flows["grants_refugee"] + run.flows["grants_subsidiary"] + run.flows["resettled"]
    assert (half.values["taakstelling"][:, 0] == grants[:, 3:9].sum(axis=1)).all()
    assert (half.values["housed"][:, 0] == run.flows["housed"][:, 6:12].sum(axis=1)).all()


def test_run_command_writes_tables_and_reports(tmp_path: Path, short: Scenario) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "extends: "
        + str(Path(__file__).resolve().parents[2] / "data/forecast/baseline.yaml")
        + "\nyears: 2\nname: kort\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["forecast", "run", str(scenario), "--runs", "6", "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "flows conserved in 6/6 runs" in result.output
    for name in ("bands_month", "bands_year", "taakstelling", "conservation"):
        assert (out / f"{name}.csv").stat().st_size > 0
        assert pl.read_parquet(out / f"{name}.parquet").height > 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["conservation"] == {"replications_balanced": 6, "replications": 6}
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / "report.html").read_text(encoding="utf-8")
    # Self-contained: plotly.js inline, nothing fetched at view time.
    # (the bundle mentions cdn.plot.ly only as the default source of map outlines, unused here)
    assert "<script src=" not in page
    assert "cdn.plot.ly/plotly" not in page
    assert page.count("Plotly.newPlot") >= 10
    assert len(page) > 3_000_000  # plotly.js itself is inline
    assert "Bezetting COA / COA occupancy" in page
    assert "seed002-productivity" in page  # provenance table


@pytest.mark.slow
def test_compare_command(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    base = str(Path(__file__).resolve().parents[2] / "data/forecast/baseline.yaml")
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(f"extends: {base}\nyears: 1\nname: a\n", encoding="utf-8")
    b.write_text(
        f"extends: {base}\nyears: 1\nname: b\nind:\n  decisions_per_fte_year: 30\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["forecast", "compare", str(a), str(b), "--runs", "4", "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    diff = pl.read_csv(out / "compare_year.csv")
    decided = diff.filter(pl.col("metric") == "ind_decisions")
    assert decided["difference"][0] > 0
    assert (out / "compare.html").exists() and (out / "compare.png").exists()
    assert (out / "a" / "bands_year.csv").exists() and (out / "b" / "bands_year.csv").exists()


def test_invalid_scenario_is_reported_with_its_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    base = str(Path(__file__).resolve().parents[2] / "data/forecast/baseline.yaml")
    bad.write_text(f"extends: {base}\ndublin:\n  transfer_share: 2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["forecast", "run", str(bad), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "dublin.transfer_share" in result.output


@pytest.mark.parametrize("runs", [1, 3])
def test_tiny_runs_still_give_bands(short: Scenario, runs: int) -> None:
    run = simulate(with_overrides(short, {"years": 1}), runs, seed=1)
    table = band_table(yearly(run), "year")
    assert table.filter(pl.col("metric") == "ind_backlog")["p50"][0] > 0
