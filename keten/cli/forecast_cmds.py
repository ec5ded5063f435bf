"""``keten forecast``: run and compare chain scenarios, and check the engine on one queue."""

from __future__ import annotations

import json
from pathlib import Path

import click

from keten.forecast.scenario import ScenarioError, load_scenario, scenario_dir


def _load(path: str):  # type: ignore[no-untyped-def]
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise click.ClickException(str(exc)) from None


def _require_charts() -> None:
    try:
        import matplotlib  # noqa: F401
        import plotly  # noqa: F401
    except ImportError as exc:
        raise click.ClickException(
            f"reports need the forecast extra ({exc.name} is missing): "
            "pip install 'keten[forecast]', or pass --no-report"
        ) from None


def _simulate(path: str, runs: int, seed: int | None, workers: int, quiet: bool):  # type: ignore[no-untyped-def]
    from keten.forecast.run import rich_progress, simulate

    scenario = _load(path)
    if quiet:
        return simulate(scenario, runs, seed=seed, workers=workers)
    update, stop = rich_progress(f"{scenario.name}: {runs} runs")
    try:
        return simulate(scenario, runs, seed=seed, workers=workers, progress=update)
    finally:
        stop()


@click.group()
def forecast() -> None:
    """Prognose van de migratieketen / chain forecast (MPP): scenarios, bands, reports."""


_runs = click.option("--runs", "-n", default=1000, show_default=True, help="replications")
_seed = click.option("--seed", type=int, default=None, help="default: the scenario's seed")
_workers = click.option(
    "--workers", "-j", default=1, show_default=True, help="worker processes (results do not change)"
)
_quiet = click.option("--quiet", "-q", is_flag=True, help="no progress bar")


@forecast.command("run")
@click.argument("scenario")
@_runs
@click.option("--out", "-o", type=click.Path(path_type=Path), required=True)
@_seed
@_workers
@click.option("--no-report", is_flag=True, help="tables only, no PNG/HTML")
@_quiet
def run_cmd(
    scenario: str,
    runs: int,
    out: Path,
    seed: int | None,
    workers: int,
    no_report: bool,
    quiet: bool,
) -> None:
    """Simulate SCENARIO (a YAML file, or the name of a shipped one) and write the results."""
    from keten.forecast.results import write_tables

    if not no_report:
        _require_charts()
    result = _simulate(scenario, runs, seed, workers, quiet)
    written = write_tables(result, out)
    if not no_report:
        from keten.forecast.report import write_report

        written.update(write_report([result], out))
    balanced = int(result.ledger.balanced().sum())
    click.echo(
        f"{result.scenario.name}: {result.runs} runs in {result.seconds:.1f} s, "
        f"flows conserved in {balanced}/{result.runs} runs"
    )
    for name, path in written.items():
        click.echo(f"  {name}: {path}")
    if balanced != result.runs:
        raise click.ClickException("flow conservation failed: see conservation.csv")


@forecast.command("compare")
@click.argument("scenario_a")
@click.argument("scenario_b")
@_runs
@click.option("--out", "-o", type=click.Path(path_type=Path), required=True)
@_seed
@_workers
@_quiet
def compare_cmd(
    scenario_a: str,
    scenario_b: str,
    runs: int,
    out: Path,
    seed: int | None,
    workers: int,
    quiet: bool,
) -> None:
    """Simulate two scenarios with the same seed and chart them side by side."""
    import polars as pl

    from keten.forecast.results import band_table, write_tables, yearly

    _require_charts()
    from keten.forecast.report import write_report

    a = _simulate(scenario_a, runs, seed, workers, quiet)
    b = _simulate(scenario_b, runs, seed if seed is not None else a.seed, workers, quiet)
    write_tables(a, out / a.scenario.name)
    write_tables(b, out / b.scenario.name)
    ya, yb = band_table(yearly(a), "year"), band_table(yearly(b), "year")
    diff = (
        ya.select("metric", "label_nl", "label_en", "period", pl.col("p50").alias("p50_a"))
        .join(yb.select("metric", "period", pl.col("p50").alias("p50_b")), on=["metric", "period"])
        .with_columns((pl.col("p50_b") - pl.col("p50_a")).alias("difference"))
    )
    out.mkdir(parents=True, exist_ok=True)
    diff.write_csv(out / "compare_year.csv")
    diff.write_parquet(out / "compare_year.parquet")
    written = write_report([a, b], out, stem="compare")
    click.echo(f"{a.scenario.name} vs {b.scenario.name}: {runs} runs each")
    click.echo(f"  compare_year: {out / 'compare_year.csv'}")
    for name, path in written.items():
        click.echo(f"  {name}: {path}")


@forecast.command("queue")
@click.option("--arrival-rate", "-l", type=float, required=True, help="λ, arrivals per unit")
@click.option("--service-rate", "-m", type=float, required=True, help="μ per server")
@click.option("--servers", "-c", type=int, required=True)
@click.option("--horizon", "-t", type=float, required=True, help="simulated time per run")
@click.option("--runs", "-n", type=int, default=20, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--warmup", type=float, default=None, help="default: 10 % of the horizon")
@click.option("--json", "as_json", is_flag=True, help="print JSON only")
def queue_cmd(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    horizon: float,
    runs: int,
    seed: int,
    warmup: float | None,
    as_json: bool,
) -> None:
    """Simulate one M/M/c queue; times are in the unit of the rates."""
    from keten.forecast.erlang import ErlangC, UnstableQueueError
    from keten.forecast.queue_sim import simulate_queue

    try:
        stats = simulate_queue(
            arrival_rate, service_rate, servers, horizon, runs, seed=seed, warmup=warmup
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(stats.as_dict()))
        return
    try:
        closed: dict[str, float] | None = ErlangC(arrival_rate, service_rate, servers).as_dict()
    except UnstableQueueError:
        closed = None
    click.echo(f"{'':16}{'simulated':>12}{'Erlang C':>12}")
    for key, value in stats.as_dict().items():
        ref = f"{closed[key]:12.4f}" if closed else f"{'-':>12}"
        click.echo(f"{key:16}{value:12.4f}{ref}")


@forecast.command("scenarios")
def scenarios_cmd() -> None:
    """List the scenario files shipped with Keten."""
    for path in sorted(scenario_dir().glob("*.yaml")):
        try:
            sc = load_scenario(path)
            click.echo(f"{path.name:32} {sc.title.nl} / {sc.title.en}")
        except ScenarioError as exc:
            click.echo(f"{path.name:32} INVALID: {exc}")


def _parse_lever(text: str) -> tuple[str, list[object]]:
    """``ind.decisions_per_fte_year=20,24,28`` -> the field and its values."""
    import yaml

    if "=" not in text:
        raise click.BadParameter(f"{text!r}: expected FIELD=VALUE[,VALUE...]")
    name, values = text.split("=", 1)
    return name.strip(), [yaml.safe_load(v) for v in values.split(",")]


@forecast.command("sweep")
@click.argument("scenario")
@click.option(
    "--set",
    "levers",
    multiple=True,
    required=True,
    help="FIELD=V1,V2,...; repeat for a grid (e.g. ind.decisions_per_fte_year=20,24,28)",
)
@click.option("--runs", "-n", default=200, show_default=True)
@click.option("--out", "-o", type=click.Path(path_type=Path), required=True)
@_seed
@click.option("--backend", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--ray-address", default=None, help="an existing Ray cluster (default: start one)")
def sweep_cmd(
    scenario: str,
    levers: tuple[str, ...],
    runs: int,
    out: Path,
    seed: int | None,
    backend: str,
    ray_address: str | None,
) -> None:
    """Run SCENARIO for every combination of lever values; one row per point and year."""
    import polars as pl

    from keten.forecast.sweep import SWEEP_METRICS, grid, run_sweep

    sc = _load(scenario)
    points = grid(dict(_parse_lever(text) for text in levers))
    try:
        results = run_sweep(
            sc,
            points,
            runs,
            seed=seed,
            backend=backend,  # type: ignore[arg-type]
            ray_address=ray_address,
            on_done=lambda d, n: click.echo(f"  {d}/{n} points done", err=True),
        )
    except ScenarioError as exc:
        raise click.ClickException(str(exc)) from None
    rows = []
    for res in results:
        for j, year in enumerate(res["years"]):
            row: dict[str, object] = {k: str(v) for k, v in res["overrides"].items()}
            row["year"] = year
            for name in SWEEP_METRICS:
                for q in ("p10", "p50", "p90"):
                    row[f"{name}_{q}"] = res[name][q][j]
            rows.append(row)
    out.mkdir(parents=True, exist_ok=True)
    df = pl.DataFrame(rows)
    df.write_csv(out / "sweep.csv")
    df.write_parquet(out / "sweep.parquet")
    click.echo(f"{len(points)} points x {runs} runs ({backend}): {out / 'sweep.csv'}")
