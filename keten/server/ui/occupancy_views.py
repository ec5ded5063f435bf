"""The COA planner's page ``/opvang``: the day's occupancy per location (sortable), the totals
per province and kind, the national line, occupancy and capacity over time (a chart drawn on
the server and the same figures as a table), where the next arrivals go, and the forecast's
bands against the registered places; and the location table as CSV. Like every page, it calls
the service layer only."""

from __future__ import annotations

import csv
from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from keten.server.services import occupancy, occupancy_forecast, occupancy_series
from keten.server.services.actor import Actor
from keten.server.services.errors import ServiceError
from keten.server.ui.svg_chart import Line, line_chart
from keten.server.ui.views import _on, refused, with_actor

SORTABLE = ("key", "name", "province", "kind", *occupancy.FIGURES)
SERIES_DAYS = 90


def _sorted(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """The rows by a column (``-`` in front: descending); the code order when unknown."""
    column = sort.removeprefix("-")
    if column not in SORTABLE:
        return rows
    return sorted(rows, key=lambda r: (r[column], r["key"]), reverse=sort.startswith("-"))


@with_actor
def opvang(request: HttpRequest, actor: Actor) -> HttpResponse:
    on = _on(request)
    sort = request.GET.get("sort", "key")
    rows = occupancy.per_location(actor, on)
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    located = [
        {**r.as_json(), "kind_name": occupancy.kind_name(str(r.extra["kind"]), lang)} for r in rows
    ]
    day = {
        "results": _sorted(located, sort),
        "national": occupancy.national(rows).as_json(),
        **occupancy.totals(rows),
    }
    # The allocation's own input is checked where it is used: a bad number shows beside its
    # form, the rest of the page stays.
    arrivals = request.GET.get("arrivals", "")
    error: ServiceError | None = None
    try:
        allocation = occupancy.allocation(
            actor, on, arrivals or None, request.GET.get("amv"), rows=rows
        )
    except ServiceError as exc:
        refused(request, exc)
        error = exc
        allocation = occupancy.allocation(actor, on, rows=rows)
    series = occupancy_series.series(actor, on - timedelta(days=SERIES_DAYS - 1), on)
    points = series["results"][0]["points"] if series["results"] else []
    series_chart = line_chart(
        [p["day"][5:] for p in points],
        [
            Line(_("Occupancy"), [p["occupancy"] for p in points], "series-occupancy"),
            Line(_("Places"), [p["places"] for p in points], "series-capacity", dashed=True),
            Line(
                _("Places outside the reserve"),
                [p["places"] - p["reserve"] for p in points],
                "series-available",
                dashed=True,
            ),
        ],
        _("Occupancy and capacity, last %(n)d days") % {"n": SERIES_DAYS},
    )
    forecast = occupancy_forecast.against_capacity(actor, on)
    forecast_chart = None
    if forecast is not None and forecast["months"]:
        months = forecast["months"]
        forecast_chart = line_chart(
            [m["month"] for m in months],
            [
                Line(
                    _("Forecast occupancy (p50, band p10–p90)"),
                    [m["p50"] for m in months],
                    "series-occupancy",
                    low=[m["p10"] for m in months],
                    high=[m["p90"] for m in months],
                ),
                Line(
                    _("Registered places"),
                    [m["places"] for m in months],
                    "series-capacity",
                    dashed=True,
                ),
                Line(
                    _("Places outside the reserve"),
                    [m["available"] for m in months],
                    "series-available",
                    dashed=True,
                ),
            ],
            _("Forecast occupancy against registered capacity"),
        )
    return render(
        request,
        "keten/opvang.html",
        {
            "on": on,
            "d": day,
            "sort": sort,
            "columns": occupancy.FIGURES,
            "header": _header(),
            "allocation": allocation,
            "arrivals": arrivals or allocation["arrivals"],
            "error": error,
            "points": points,
            "series_chart": series_chart,
            "forecast": forecast,
            "forecast_chart": forecast_chart,
        },
        status=error.status if error else 200,
    )


def _header() -> list[tuple[str, str]]:
    """The location table's columns (sort key, label), in the order the rows print them."""
    return [
        ("key", _("Code")),
        ("name", _("Location")),
        ("province", _("Province")),
        ("kind", _("Kind")),
        ("occupancy", _("Residents")),
        ("places", _("Places")),
        ("reserve", _("Reserve")),
        ("free", _("Free")),
        ("permit_holders", _("Permit holders waiting")),
        ("permit_holders_over_norm", _("over 14 weeks")),
        ("amv", _("amv")),
        ("families", _("In families with minors")),
        ("crisis_over_7", _("Crisis > 7 days")),
    ]


CSV_COLUMNS = (
    "key",
    "name",
    "kind",
    "province",
    "municipality",
    "operator",
    *occupancy.FIGURES,
)


@with_actor
def opvang_csv(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The page's location table (the same day, the same locations) as CSV, the national line
    last."""
    on = _on(request)
    rows = occupancy.per_location(actor, on)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="opvang-{on.isoformat()}.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in [r.as_json() for r in rows] + [occupancy.national(rows).as_json()]:
        writer.writerow([row.get(c, "") for c in CSV_COLUMNS])
    return response
