"""The chain forecast (MPP): people through IND, courts, COA, municipalities and departure.

* ``scenario`` - scenarios as YAML data (levers, starting state, sources) and their validation
* ``terms`` - the statutory terms the forecast uses, read from the procedure catalogue
* ``stocks`` - cohort queues and pipelines, vectorised over replications
* ``chain`` - the simulation of one chunk of replications; ``run`` - Monte Carlo over chunks
* ``results`` - P10/P50/P90 bands per month, year and half-year; tables on disk
* ``report`` - PNG (matplotlib) and self-contained HTML (plotly) reports
* ``sweep`` - parameter sweeps, locally or on Ray
* ``erlang``, ``queue_sim``, ``network`` - closed forms and engines for validation and benchmarks

Charts and Ray are imported only when used, so ``simulate`` needs numpy, polars and pydantic only.
"""

from keten.forecast.chain import ChainRun, Ledger
from keten.forecast.run import simulate
from keten.forecast.scenario import Scenario, ScenarioError, load_scenario, with_overrides

__all__ = [
    "ChainRun",
    "Ledger",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "simulate",
    "with_overrides",
]
