"""Return's pages: "Vertrek vastleggen" on a departure procedure's panel, the return-cooperation
register (``/terugkeer/landen``), the departure statistics (``/terugkeer/cijfers``, and as CSV)
and the operations with the partner (``/terugkeer/operaties``: special flights and missions with
their seats and escorts, and the joint requests to countries of origin).
Like every page, they call the service layer only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from keten.chain.departure_kinds import DEPARTURE_KINDS
from keten.server.services import (
    departures,
    joint_requests,
    return_operations,
    return_register,
    return_stats,
)
from keten.server.services.actor import Actor
from keten.server.services.errors import ServiceError
from keten.server.ui.views import _on, _post_data, _procedure_panel, _version, with_actor


@require_POST
@with_actor
def record_departure(request: HttpRequest, actor: Actor, procedure_id: int) -> HttpResponse:
    data = _post_data(request)
    try:
        departures.record_departure(actor, procedure_id, data, _version(request), _on(request))
    except ServiceError as exc:
        return _procedure_panel(
            request, actor, procedure_id, exc, exc.status, posted=("departure", data)
        )
    return _procedure_panel(request, actor, procedure_id)


@with_actor
def countries(request: HttpRequest, actor: Actor) -> HttpResponse:
    code = request.GET.get("country", "")
    data = return_register.countries(actor, _on(request), code)
    return render(request, "keten/return_countries.html", {"d": data, "country": code})


@with_actor
def statistics(request: HttpRequest, actor: Actor) -> HttpResponse:
    raw_from, raw_to = request.GET.get("from") or None, request.GET.get("to") or None
    data = return_stats.statistics(actor, raw_from, raw_to, _on(request))
    return render(
        request,
        "keten/return_statistics.html",
        {"d": data, "kinds": DEPARTURE_KINDS.values(), "from": raw_from, "to": raw_to},
    )


@with_actor
def statistics_csv(request: HttpRequest, actor: Actor) -> HttpResponse:
    raw_from, raw_to = request.GET.get("from") or None, request.GET.get("to") or None
    body = return_stats.statistics_csv(actor, raw_from, raw_to, _on(request))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vertrekcijfers.csv"'
    return response


@with_actor
def operations(request: HttpRequest, actor: Actor) -> HttpResponse:
    on = _on(request)
    return render(
        request,
        "keten/return_operations.html",
        {
            "on": on.isoformat(),
            "operations": return_operations.programme(actor, on),
            "requests": joint_requests.listing(actor),
        },
    )
