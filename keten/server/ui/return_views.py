"""Return's pages: "Vertrek vastleggen" on a departure procedure's panel, the return-cooperation
register (``/terugkeer/landen``), the departure statistics (``/terugkeer/cijfers``, and as CSV)
and the operations with the partner (``/terugkeer/operaties``: special flights and missions with
their seats and escorts, and the joint requests to countries of origin).
Like every page, they call the service layer only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keten.chain.departure_kinds import DEPARTURE_KINDS
from keten.server.services import (
    departures,
    exchange,
    joint_requests,
    return_escorts,
    return_operations,
    return_register,
    return_stats,
)
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.errors import BadInputError, ServiceError
from keten.server.ui.views import (
    _on,
    _post_data,
    _procedure_panel,
    _version,
    submit,
    with_actor,
)


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


# The forms of /terugkeer/operaties, by their hidden ``action``: what each writes and says.
def _plan(actor: Actor, form: dict[str, Any]) -> str:
    return_operations.plan(actor, form)
    return _("The operation was planned.")


def _escorts(actor: Actor, form: dict[str, Any]) -> str:
    return_escorts.provide(actor, whole_number(form.get("operation"), "operation"), form)
    return _("The escorts were recorded.")


def _propose(actor: Actor, form: dict[str, Any]) -> str:
    joint_requests.propose(actor, form)
    return _("The joint request was recorded as proposed.")


def _step(actor: Actor, form: dict[str, Any]) -> str:
    joint_requests.record_step(actor, whole_number(form.get("request"), "request"), form)
    return _("The step was recorded.")


def _share(actor: Actor, form: dict[str, Any]) -> str:
    exchange.share(actor, form)
    return _("The message is on its way to the partner.")


ACTIONS: dict[str, Callable[[Actor, dict[str, Any]], str]] = {
    "plan": _plan,
    "escorts": _escorts,
    "propose": _propose,
    "step": _step,
    "share": _share,
}


@with_actor
def operations(request: HttpRequest, actor: Actor) -> HttpResponse:
    on = _on(request)

    def write(form: dict[str, Any]) -> tuple[str, str]:
        act = ACTIONS.get(str(form.get("action", "")))
        if act is None:
            raise BadInputError(
                "action",
                f"must be one of {', '.join(ACTIONS)}",
                f"moet een van deze zijn: {', '.join(ACTIONS)}",
            )
        return act(actor, form), "/terugkeer/operaties"

    posted = submit(request, write)
    if isinstance(posted, HttpResponse):
        return posted
    role = actor.role
    listed = return_operations.programme(actor, on)
    requests = joint_requests.listing(actor)
    return render(
        request,
        "keten/return_operations.html",
        {
            "on": on.isoformat(),
            "operations": listed,
            "requests": requests,
            "form": posted.form,
            "error": posted.error,
            "can_plan": role.can(return_operations.RESOURCE, "write"),
            "can_escort": role.can(return_escorts.RESOURCE, "write"),
            "op_kinds": [
                {"id": k, "name": nl, "name_en": en}
                for k, (nl, en) in return_operations.KINDS.items()
            ],
            "request_kinds": [
                {"id": k, "name": nl, "name_en": en} for k, (nl, en) in joint_requests.KINDS.items()
            ],
            "steps": [
                {"id": k, "name": joint_requests.STEPS[k][0], "name_en": joint_requests.STEPS[k][1]}
                for k in joint_requests.NEXT
            ],
            "services": [
                {"id": k, "name": nl, "name_en": en}
                for k, (nl, en) in return_escorts.SERVICES.items()
            ],
            "own_requests": [r for r in requests if not r["received_from"]],
            "share_partners": exchange.writable_partners(actor)
            if exchange.shares_kind(actor, "return_operation_programme")
            else [],
        },
        status=posted.status,
    )
