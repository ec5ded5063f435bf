"""The forecast's pages (``/prognose``): the scenarios with their assumptions and sources, the
runs and a form to start one (roles with write only), a run's progress (htmx polls it) and then
its bands, two runs compared, and a half-year carried into the taakstelling. Every page calls
``services/forecast_runs.py`` only; every chart is drawn on the server with its table beside."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language, pgettext

from keten.chain.housing_quota import HalfYear
from keten.server.services import forecast_runs, taakstelling
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError, ServiceError
from keten.server.ui.svg_chart import Line, line_chart
from keten.server.ui.taakstelling_views import _number
from keten.server.ui.views import _int, _on, refused, with_actor


def _label(row: dict[str, Any]) -> str:
    return str(row["label_en"] if (get_language() or "nl").startswith("en") else row["label_nl"])


@with_actor
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The scenarios, the runs, and (for a role that may) the form that starts a run."""
    can_write = actor.role.can("forecast", "write")
    form: dict[str, str] = {}
    error: ServiceError | None = None
    status = 200
    if request.method == "POST":
        form = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        data: dict[str, Any] = {
            "scenario": form.get("scenario", ""),
            "years": _number(form.get("years", "")),
            "runs": _number(form.get("runs", "")),
            "reason": form.get("reason", ""),
        }
        try:
            row = forecast_runs.start_run(actor, data, _on(request))
        except ServiceError as exc:
            refused(request, exc)
            error, status = exc, exc.status
        else:
            messages.success(
                request, pgettext("forecast", "Forecast run %(id)d queued.") % {"id": row["id"]}
            )
            return HttpResponseRedirect(row["page"])
    page = _int(request.GET.get("page"), "page") or 1
    return render(
        request,
        "keten/forecast.html",
        {
            "scenarios": forecast_runs.scenarios(actor)["results"],
            "runs": forecast_runs.list_runs(actor, page),
            "can_write": can_write,
            "form": form,
            "error": error,
            "defaults": {
                "years": forecast_runs.DEFAULT_YEARS,
                "runs": forecast_runs.DEFAULT_RUNS,
                "max_years": forecast_runs.MAX_YEARS,
                "max_runs": forecast_runs.MAX_RUNS,
            },
        },
        status=status,
    )


def _charts(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One chart per stock (p50 with the p10-p90 band), occupancy with the registered places."""
    months: list[str] = result["months"]
    capacity = result.get("capacity")
    out = []
    for stock in result["stocks"]:
        lines = [
            Line(
                # The chart's heading names the stock: the legend stays short enough to
                # sit beside the capacity lines'.
                pgettext("forecast", "Median, band p10–p90"),
                stock["p50"],
                "series-occupancy",
                low=stock["p10"],
                high=stock["p90"],
            )
        ]
        rows = [
            {"month": m, "p10": stock["p10"][i], "p50": stock["p50"][i], "p90": stock["p90"][i]}
            for i, m in enumerate(months)
        ]
        if stock["metric"] == "occupancy" and capacity:
            lines.append(
                Line(
                    pgettext("forecast", "Registered places"),
                    [c["places"] for c in capacity],
                    "series-capacity",
                    dashed=True,
                )
            )
            lines.append(
                Line(
                    pgettext("forecast", "Places outside the reserve"),
                    [c["available"] for c in capacity],
                    "series-available",
                    dashed=True,
                )
            )
            for row, c in zip(rows, capacity, strict=True):
                row["places"] = c["places"]
                row["available"] = c["available"]
        out.append(
            {
                "metric": stock["metric"],
                "title": _label(stock),
                "svg": line_chart(months, lines, _label(stock)),
                "rows": rows,
                "capacity": stock["metric"] == "occupancy" and bool(capacity),
            }
        )
    return out


@with_actor
def run_page(request: HttpRequest, actor: Actor, run_id: int) -> HttpResponse:
    """Progress while the run is queued or running (polled), then its bands."""
    run = forecast_runs.run_detail(actor, run_id)
    context: dict[str, Any] = {"run": run, "can_carry": _can_carry(actor)}
    result = run["result"]
    if result is not None:
        months = result["months"]
        halves = result["half_years"]
        context |= {
            "charts": _charts(result),
            "half_chart": line_chart(
                [h["period"] for h in halves],
                [
                    Line(
                        pgettext("forecast", "Permit holders to house (p50, band p10–p90)"),
                        [h["p50"] for h in halves],
                        "series-occupancy",
                        low=[h["p10"] for h in halves],
                        high=[h["p90"] for h in halves],
                    )
                ],
                pgettext("forecast", "Taakstelling per half-year"),
            )
            if halves
            else None,
            "dwangsom_chart": line_chart(
                months,
                [
                    Line(
                        pgettext("forecast", "Dwangsom per month, EUR (p50, band p10–p90)"),
                        result["dwangsom_month"]["p50"],
                        "series-capacity",
                        low=result["dwangsom_month"]["p10"],
                        high=result["dwangsom_month"]["p90"],
                    )
                ],
                pgettext("forecast", "Dwangsom"),
            ),
            "dwangsom_years": [
                {
                    "year": y,
                    "p10": result["dwangsom_year"]["p10"][i],
                    "p50": result["dwangsom_year"]["p50"][i],
                    "p90": result["dwangsom_year"]["p90"][i],
                }
                for i, y in enumerate(result["year_labels"])
            ],
            "carriable": [h for h in halves if HalfYear.parse(h["period"]).end >= _on(request)],
            "others": [
                r
                for r in forecast_runs.list_runs(actor)["results"]
                if r["status"] == "done" and r["id"] != run_id
            ],
        }
    return render(request, "keten/forecast_run.html", context)


@with_actor
def run_progress(request: HttpRequest, actor: Actor, run_id: int) -> HttpResponse:
    """The progress block htmx polls; once the run has ended, the page reloads itself."""
    run = forecast_runs.run_detail(actor, run_id)
    response = render(request, "keten/_forecast_progress.html", {"run": run})
    if run["status"] in ("done", "failed"):
        response["HX-Refresh"] = "true"
    return response


@with_actor
def compare_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Two finished runs side by side, with b - a."""
    ids = []
    for name in ("a", "b"):
        value = _int(request.GET.get(name), name)
        if value is None:
            raise BadInputError(name, "is required: a run's id", "is verplicht: een run-id")
        ids.append(value)
    found = forecast_runs.compare(actor, ids[0], ids[1])
    a = forecast_runs.run_detail(actor, ids[0])["result"]
    b = forecast_runs.run_detail(actor, ids[1])["result"]
    oa, ob = _stock(a, "occupancy"), _stock(b, "occupancy")
    chart = None
    if a["months"] == b["months"] and oa is not None and ob is not None:
        chart = line_chart(
            a["months"],
            [
                Line(
                    pgettext("forecast", "Run %(id)d (p50)") % {"id": ids[0]},
                    oa["p50"],
                    "series-occupancy",
                ),
                Line(
                    pgettext("forecast", "Run %(id)d (p50)") % {"id": ids[1]},
                    ob["p50"],
                    "series-available",
                ),
            ],
            pgettext("forecast", "COA occupancy, two runs"),
        )
    rows = [{**r, "label": _label(r)} for r in found["results"]]
    return render(
        request,
        "keten/forecast_compare.html",
        {"c": found, "rows": rows, "chart": chart},
    )


def _stock(result: dict[str, Any], metric: str) -> dict[str, Any] | None:
    return next((s for s in result["stocks"] if s["metric"] == metric), None)


def _can_carry(actor: Actor) -> bool:
    return actor.role.can("forecast", "read") and actor.role.can("taakstelling", "write")


@with_actor
def carry_page(request: HttpRequest, actor: Actor, run_id: int) -> HttpResponse:
    """Propose a half-year's forecast figure as the national taakstelling, split over the
    municipalities by population (the taakstelling's own split)."""
    on = _on(request)
    run = forecast_runs.run_detail(actor, run_id)
    period = request.GET.get("period", "") or request.POST.get("period", "")
    form: dict[str, str] = {}
    error: ServiceError | None = None
    status = 200
    if request.method == "POST":
        form = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        data = {
            "period": period,
            "day": form.get("day", ""),
            "reason": form.get("reason", ""),
            "populations": {
                key.removeprefix("population-"): _number(raw)
                for key, raw in form.items()
                if key.startswith("population-") and raw.strip()
            },
        }
        try:
            done = forecast_runs.carry(
                actor, run_id, data, _int(form.get("version"), "version"), on
            )
        except ServiceError as exc:
            refused(request, exc)
            error, status = exc, exc.status
        else:
            messages.success(
                request,
                pgettext(
                    "forecast", "Announced %(national)d for %(period)s from forecast run %(id)d."
                )
                % {"national": done["origin"]["national"], "period": period, "id": run_id},
            )
            return HttpResponseRedirect(f"/taakstelling?period={done['period']}")
    halves = (run["result"] or {}).get("half_years", [])
    chosen = next((h for h in halves if h["period"] == period), None)
    version = 0
    if chosen is not None:
        try:
            version = taakstelling.half_year_version(HalfYear.parse(period))
        except ValueError:
            version = 0
    return render(
        request,
        "keten/forecast_carry.html",
        {
            "run": run,
            "period": period,
            "chosen": chosen,
            "halves": halves,
            "version": version,
            "municipalities": [
                {"code": code, "name": name, "entered": form.get(f"population-{code}", "")}
                for code, name in sorted(taakstelling.municipalities().items())
            ],
            "form": form,
            "error": error,
            "can_carry": _can_carry(actor),
            "on": on,
        },
        status=status,
    )
