"""The forecast on the web: the shipped scenarios, runs started from the chain as this database
holds it today, their results, two runs compared, and a half-year's national figure carried
into the taakstelling split.

A run is a job (``keten.server.jobs``, kind ``forecast``): starting one writes a queued row and
an audit record and returns at once; a worker (``keten server worker``) counts the open
procedures on the day the run was asked for (``chain_state.open_ages``, as ``keten server
forecast-state`` does), starts the scenario from them and simulates with the existing engine
(``keten.forecast``), reporting its progress per chunk of months simulated. The result keeps
only bands (p10, p50, p90 over the replications) and figures: no person is in it.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from keten.chain.housing_quota import HalfYear
from keten.server.audit.log import Context, Entry, append
from keten.server.jobs.kinds import Progress
from keten.server.jobs.models import DONE, Job
from keten.server.jobs.queue import enqueue
from keten.server.services import taakstelling
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.errors import BadInputError, ContradictionError, NotFoundError
from keten.server.services.inputs import text
from keten.server.services.policy import check, role
from keten.server.services.writing import atomic, reason_of

KIND = "forecast"
# A run of ten years is the scenarios' own horizon (data/forecast/baseline.yaml); two thousand
# replications give bands that no longer move in the first digit, and take a worker about a
# minute on one core. Beyond either, a run only costs the queue.
MAX_YEARS = 10
MAX_RUNS = 2000
DEFAULT_YEARS = 2
DEFAULT_RUNS = 200
PAGE_SIZE = 50
# The chain's stocks the run page draws, in the order of the chain (keten/forecast/metrics.py).
SHOWN_STOCKS = (
    "ind_backlog",
    "nareis_backlog",
    "court_backlog",
    "permit_holders_waiting",
    "return_caseload",
    "occupancy",
)
# The band a national figure is carried from: the median of the replications, stated with it.
CARRIED_BAND = "p50"


# -- scenarios -------------------------------------------------------------------------------


def _scenario_files() -> list[Path]:
    from keten.forecast.scenario import scenario_dir

    return sorted(scenario_dir().glob("*.yaml"))


def _flat(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """A scenario file's settings as (dotted path, value) rows, as the file states them."""
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in _flat(v, f"{prefix}{k}.")]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [row for i, v in enumerate(value) for row in _flat(v, f"{prefix}{i}.")]
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return [(prefix.rstrip("."), shown)]


NOT_ASSUMPTIONS = ("name", "title", "description", "description_nl", "sources", "extends", "seed")


@lru_cache(maxsize=1)
def _scenarios() -> tuple[dict[str, Any], ...]:
    from keten.forecast.scenario import load_scenario

    out = []
    for path in _scenario_files():
        scenario = load_scenario(path)
        own = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out.append(
            {
                "name": scenario.name,
                "title": {"nl": scenario.title.nl, "en": scenario.title.en},
                "description": " ".join(scenario.description.split()),
                "description_nl": " ".join(
                    (scenario.description_nl or scenario.description).split()
                ),
                "extends": own.get("extends", ""),
                "start": scenario.start.isoformat(),
                "years": scenario.years,
                # What this file sets (on top of the one it extends): its assumptions.
                "assumptions": [
                    {"path": p, "value": v}
                    for key, val in own.items()
                    if key not in NOT_ASSUMPTIONS
                    for p, v in _flat(val, f"{key}.")
                ],
                "sources": [s.model_dump() for s in scenario.sources],
            }
        )
    return tuple(out)


def scenarios(actor: Actor) -> dict[str, Any]:
    """The shipped scenarios with their assumptions and the sources of their figures."""
    check(actor.role, "forecast", "read")
    return {"results": list(_scenarios())}


def scenario_names() -> list[str]:
    """The shipped scenarios' names (``data/forecast/*.yaml``)."""
    return [s["name"] for s in _scenarios()]


# -- runs ------------------------------------------------------------------------------------


def start_run(actor: Actor, data: dict[str, Any], on: date) -> dict[str, Any]:
    """Queue a run of a shipped scenario from the chain's state on ``on`` (today)."""
    check(actor.role, "forecast", "write")
    if on > date.today():
        raise BadInputError(
            "on",
            f"{on} is after today: a run starts from the chain as it is known",
            f"{on} ligt na vandaag: een run start vanaf de keten zoals die bekend is",
        )
    names = scenario_names()
    scenario = text(data, "scenario", max_len=64)
    if scenario not in names:
        raise BadInputError(
            "scenario",
            f"must be one of: {', '.join(names)}",
            f"moet een van deze zijn: {', '.join(names)}",
        )
    years = whole_number(data.get("years", DEFAULT_YEARS), "years", low=1, high=MAX_YEARS)
    runs = whole_number(data.get("runs", DEFAULT_RUNS), "runs", low=1, high=MAX_RUNS)
    reason = reason_of(data)

    def write() -> Job:
        job = enqueue(
            KIND,
            {"scenario": scenario, "years": years, "runs": runs, "on": on.isoformat()},
            requested_by=actor.username,
            requested_org=actor.organisation,
            requested_role=actor.role.id,
            reason=reason,
        )
        append(
            actor.audit,
            [
                Entry(
                    "forecast.start",
                    "write",
                    "forecast",
                    ("scenario", "years", "runs"),
                    object_ref=f"job:{job.pk}",
                )
            ],
        )
        return job

    job: Job = atomic(write)
    return run_row(job)


def run_row(job: Job) -> dict[str, Any]:
    """A run as listed: what was asked, by whom and why, and how far it is."""
    params = job.params or {}
    return {
        "id": job.pk,
        "url": f"/api/v1/forecast/runs/{job.pk}",
        "page": f"/prognose/runs/{job.pk}",
        "scenario": params.get("scenario"),
        "years": params.get("years"),
        "runs": params.get("runs"),
        "on": params.get("on"),
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "requested_by": job.requested_by,
        "requested_org": job.requested_org,
        "requested_role": job.requested_role,
        "reason": job.reason,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "attempts": job.attempts,
    }


def list_runs(actor: Actor, page: int = 1) -> dict[str, Any]:
    check(actor.role, "forecast", "read")
    rows = Job.objects.filter(kind=KIND).order_by("-id").defer("result")
    total = rows.count()
    first = (page - 1) * PAGE_SIZE
    return {
        "count": total,
        "page": page,
        "page_size": PAGE_SIZE,
        "results": [run_row(j) for j in rows[first : first + PAGE_SIZE]],
    }


def _job(run_id: int) -> Job:
    job = Job.objects.filter(pk=run_id, kind=KIND).first()
    if job is None:
        raise NotFoundError(
            f"no forecast run {run_id}",
            field="run",
            rule="a run listed at /api/v1/forecast/runs",
            detail_nl=f"er is geen prognoserun {run_id}",
            rule_nl="een run uit de lijst /prognose",
        )
    return job


def run_detail(actor: Actor, run_id: int) -> dict[str, Any]:
    """A run with its progress; once done, its result (bands and figures)."""
    check(actor.role, "forecast", "read")
    job = _job(run_id)
    result = job.result if job.status == DONE else None
    error = (job.result or {}).get("error") if job.status != DONE and job.result else None
    return {**run_row(job), "result": result, "error": error}


# -- the job ---------------------------------------------------------------------------------


def _requester(job: Job) -> Actor:
    """The actor who asked for the run, as the worker acts in their name (the capacity they
    may read is what is set beside the bands)."""
    r = role(job.requested_role)
    ctx = Context(job.requested_by, job.requested_org, r.id, r.purpose)
    return Actor(job.requested_by, job.requested_org, r.organisation_kind, r, ctx)


def run_job(job: Job, progress: Progress) -> dict[str, Any]:
    """The ``forecast`` job: count the start state, simulate, keep the bands."""
    from keten.forecast.results import band_of, half_years, monthly, yearly
    from keten.forecast.run import simulate
    from keten.forecast.scenario import parse_scenario, raw_scenario
    from keten.forecast.start_state import initial_state, starting_from
    from keten.server.services.chain_state import open_ages

    params = job.params
    on = date.fromisoformat(params["on"])
    progress(1, "counting the open procedures")
    state = initial_state(on, open_ages(on))
    raw = starting_from(raw_scenario(params["scenario"]), state, counted_in="the Keten database")
    raw["years"] = int(params["years"])
    scenario = parse_scenario(raw, f"forecast run {job.pk}")
    progress(5, "simulating")

    def simulated(done: int, total: int) -> None:
        share = done / total if total else 1.0
        progress(5 + int(90 * share), f"{share:.0%} of {params['runs']} replications simulated")

    run = simulate(scenario, int(params["runs"]), progress=simulated)
    progress(96, "bands computed")
    months = monthly(run)
    years = yearly(run)

    def bands(periods: Any, name: str, digits: int = 0) -> dict[str, list[float]]:
        b = band_of(periods, name)
        return {
            q: [round(float(x), digits) for x in b[i]] for i, q in enumerate(("p10", "p50", "p90"))
        }

    from keten.forecast.metrics import METRICS

    stocks = [
        {
            "metric": name,
            "label_nl": METRICS[name].nl,
            "label_en": METRICS[name].en,
            **bands(months, name),
        }
        for name in SHOWN_STOCKS
    ]
    halves = half_years(run)
    taak = band_of(halves, "taakstelling") if halves.labels else None
    housed = band_of(halves, "housed") if halves.labels else None
    half_rows = [
        {
            "period": label,
            "p10": round(float(taak[0, j])),
            "p50": round(float(taak[1, j])),
            "p90": round(float(taak[2, j])),
            "housed_p50": round(float(housed[1, j])),
        }
        for j, label in enumerate(halves.labels)
        if taak is not None and housed is not None
    ]
    capacity = _capacity(job, on, len(months.labels))
    return {
        "scenario": scenario.name,
        "base": params["scenario"],
        "title": {"nl": scenario.title.nl, "en": scenario.title.en},
        "start": scenario.start.isoformat(),
        "years": scenario.years,
        "runs": run.runs,
        "seed": run.seed,
        "seconds": round(run.seconds, 3),
        "start_state": {
            k: (v["total"] if isinstance(v, dict) else v) for k, v in state.items() if k != "as_of"
        },
        "months": months.labels,
        "stocks": stocks,
        "capacity": capacity,
        "half_years": half_rows,
        "dwangsom_month": bands(months, "dwangsom_eur"),
        "year_labels": years.labels,
        "dwangsom_year": bands(years, "dwangsom_eur"),
        "conservation": {
            "replications_balanced": int(run.ledger.balanced().sum()),
            "replications": int(run.ledger.balanced().size),
        },
    }


def _capacity(job: Job, on: date, months: int) -> list[dict[str, Any]] | None:
    """The reception places registered for each forecast month (today's register with the
    changes already recorded for later days), or None for a requester who may not read them."""
    from keten.server.services.occupancy_forecast import _month_starts, registered_capacity

    actor = _requester(job)
    if not actor.role.can("occupancy", "read"):
        return None
    days = _month_starts(on, months)
    return [
        {"month": d.strftime("%Y-%m"), "places": places, "available": places - reserve}
        for d, (places, reserve) in zip(days, registered_capacity(actor, days), strict=True)
    ]


# -- compare ---------------------------------------------------------------------------------


def _done(job: Job, field: str) -> dict[str, Any]:
    if job.status != DONE or not job.result:
        raise ContradictionError(
            field,
            f"run {job.pk} has not finished (it is {job.status})",
            f"prognoserun {job.pk} is nog niet klaar (status: {job.status})",
        )
    result: dict[str, Any] = job.result
    return result


def compare(actor: Actor, a: int, b: int) -> dict[str, Any]:
    """Two finished runs side by side: each stock's median at the end of every year both
    cover, the taakstelling per half-year and the dwangsom per year, with b - a."""
    check(actor.role, "forecast", "read")
    ja, jb = _job(a), _job(b)
    ra, rb = _done(ja, "a"), _done(jb, "b")
    rows: list[dict[str, Any]] = []

    def pair(metric: str, nl: str, en: str, xa: dict[str, float], xb: dict[str, float]) -> None:
        for period in [p for p in xa if p in xb]:
            va, vb = xa[period], xb[period]
            rows.append(
                {
                    "metric": metric,
                    "label_nl": nl,
                    "label_en": en,
                    "period": period,
                    "a": va,
                    "b": vb,
                    "difference": round(vb - va, 2),
                }
            )

    for sa in ra["stocks"]:
        sb = next((s for s in rb["stocks"] if s["metric"] == sa["metric"]), None)
        if sb is None:
            continue
        pair(
            sa["metric"],
            sa["label_nl"],
            sa["label_en"],
            _year_ends(ra["months"], sa["p50"]),
            _year_ends(rb["months"], sb["p50"]),
        )
    pair(
        "taakstelling",
        "Taakstelling (te huisvesten vergunninghouders, p50)",
        "Permit holders to house (p50)",
        {h["period"]: h["p50"] for h in ra["half_years"]},
        {h["period"]: h["p50"] for h in rb["half_years"]},
    )
    pair(
        "dwangsom_eur",
        "Dwangsommen per jaar (EUR, p50)",
        "Dwangsom per year (EUR, p50)",
        dict(zip(ra["year_labels"], ra["dwangsom_year"]["p50"], strict=True)),
        dict(zip(rb["year_labels"], rb["dwangsom_year"]["p50"], strict=True)),
    )
    return {
        "a": {**run_row(ja), "title": ra["title"]},
        "b": {**run_row(jb), "title": rb["title"]},
        "band": CARRIED_BAND,
        "results": rows,
    }


def _year_ends(months: list[str], values: list[float]) -> dict[str, float]:
    """A stock's value at the end of each forecast year (every twelfth month), by its month."""
    return {months[i]: values[i] for i in range(11, len(months), 12)} or (
        {months[-1]: values[-1]} if months else {}
    )


# -- carrying a half-year into the taakstelling -----------------------------------------------


def carry(
    actor: Actor, run_id: int, data: dict[str, Any], expected: int | None, on: date
) -> dict[str, Any]:
    """Announce a half-year's taakstelling from a finished run: the forecast's permit holders
    to house in that half-year (the median of the replications, ``CARRIED_BAND``) as the
    national figure, split over the municipalities by population as the taakstelling service
    does (``taakstelling.record`` with ``national`` and ``populations``). The figure's origin
    (run, scenario, band) is written into the reason every municipality's event carries, and
    into the audit log."""
    check(actor.role, "forecast", "read")
    check(actor.role, "taakstelling", "write")
    job = _job(run_id)
    result = _done(job, "run")
    label = text(data, "period", max_len=16)
    offered = {h["period"]: h for h in result["half_years"]}
    if label not in offered:
        shown = ", ".join(offered) or "none"
        raise BadInputError(
            "period",
            f"must be a half-year this run forecasts: {shown}",
            f"moet een halfjaar uit deze prognose zijn: {shown if offered else 'geen'}",
        )
    period = HalfYear.parse(label)
    if period.end < on:
        raise BadInputError(
            "period",
            f"{label} ended on {period.end}: a past half-year is not announced from a forecast",
            f"{label} is op {period.end} geëindigd: een voorbij halfjaar krijgt geen "
            "taakstelling uit een prognose",
        )
    national = int(offered[label][CARRIED_BAND])
    origin = {
        "run": job.pk,
        "scenario": result["scenario"],
        "band": CARRIED_BAND,
        "national": national,
    }
    why = reason_of(data)
    stated = (
        f"landelijk cijfer uit prognoserun {job.pk} ({result['scenario']}, "
        f"{CARRIED_BAND} = mediaan: {national}): {why}"
    )

    def write() -> dict[str, Any]:
        done = taakstelling.record(
            actor,
            {
                "kind": "announced",
                "period": label,
                "day": data.get("day") or on.isoformat(),
                "national": national,
                "populations": data.get("populations"),
                "reason": stated,
            },
            expected,
            on,
        )
        append(
            actor.audit,
            [
                Entry(
                    "forecast.carry",
                    "write",
                    "taakstelling",
                    ("national", "period", "band"),
                    object_ref=f"job:{job.pk}",
                )
            ],
        )
        return done

    written: dict[str, Any] = atomic(write)
    return {**written, "origin": origin}
