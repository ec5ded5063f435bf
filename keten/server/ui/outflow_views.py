"""``/uitstroom``: permit holders on their way from reception to a municipality, with both
phases' terms for COA and for the municipality, and the forms each may use (COA: match; the
municipality: the rental contract and the move). The dossier page shows the same block for one
person (``dossier_block``). Like every page, these call the service layer only
(``keten.server.services.outflow``); the dossier's block is ``outflow_block``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from keten.server.services import outflow, outflow_list, outflow_rows, person_search, reads
from keten.server.services.actor import Actor
from keten.server.services.errors import NotFoundError, ServiceError
from keten.server.services.taakstelling import municipalities
from keten.server.ui.views import (
    _dossier_page,
    _int,
    _on,
    _post_data,
    _version,
    refused,
    with_actor,
)

COMMANDS = {"match": outflow.match, "lease": outflow.lease, "move": outflow.move}
DONE = {
    "match": _("Matched to the municipality."),
    "lease": _("Rental contract recorded."),
    "move": _("Move recorded: the reception placement has ended."),
}
FILTERS = ("phase", "municipality", "over_norm")


def _chosen(request: HttpRequest) -> outflow_list.Filters:
    return outflow_list.filters(*(request.GET.get(name, "") for name in FILTERS))


@with_actor
def outflow_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _page(request, actor)


def _page(
    request: HttpRequest,
    actor: Actor,
    *,
    error: ServiceError | None = None,
    entered: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    on = _on(request)
    chosen = _chosen(request)
    page = _int(request.GET.get("page"), "page") or 1
    data = outflow_list.outflow_list(actor, on, chosen, page=page, page_size=50)
    kept = urlencode({k: v for k in (*FILTERS, "on") if (v := request.GET.get(k))})
    own = actor.organisation_kind == "municipality"
    return render(
        request,
        "keten/outflow.html",
        {
            "d": data,
            "on": on,
            "chosen": chosen,
            "phases": [(k, v[1], v[2]) for k, v in outflow_rows.PHASES.items()],
            "municipalities": sorted(municipalities().items(), key=lambda m: m[1]),
            "can_match": "match" in outflow_rows.actions(actor, "matching", None),
            "own": own,
            "error": error,
            "entered": entered or {},
            "kept": f"{kept}&" if kept else "",
            "page": page,
        },
        status=status,
    )


@require_POST
@with_actor
def command(request: HttpRequest, actor: Actor, person_id: int, name: str) -> HttpResponse:
    """One of the three commands from a row of ``/uitstroom`` or from the dossier page
    (``back=dossier``); a refusal is shown where the form was, with what was entered."""
    run = COMMANDS.get(name)
    if run is None:
        raise NotFoundError(
            f"no command {name!r}",
            field="command",
            rule="match, lease or move",
            detail_nl=f"geen opdracht {name!r}",
            rule_nl="koppelen, huurcontract of verhuizing",
        )
    data = _post_data(request)
    back = data.pop("back", "")
    try:
        run(actor, person_id, data, _version(request), _on(request))
    except ServiceError as exc:
        refused(request, exc)
        if back == "dossier":
            return _dossier_page(
                request, actor, person_id, exc.status, error=exc, outflow_entered=data
            )
        return _page(
            request, actor, error=exc, entered={**data, "person": person_id}, status=exc.status
        )
    messages.success(request, DONE[name])
    if back == "dossier":
        return HttpResponseRedirect(f"/persons/{person_id}")
    return HttpResponseRedirect("/uitstroom")


@require_POST
@with_actor
def match_by_v_number(request: HttpRequest, actor: Actor) -> HttpResponse:
    """COA's match from the top of ``/uitstroom``: the permit holder named by V-number, based
    on the dossier's version as read now (the form was not based on an earlier read)."""
    data = _post_data(request)
    v_number = data.pop("v_number", "")
    try:
        found = person_search.search(actor, v_number=v_number, page_size=1)["results"]
        if not v_number or not found:
            raise NotFoundError(
                f"no person {v_number}",
                field="v_number",
                rule="must exist in your scope",
                detail_nl=f"geen persoon {v_number}",
                rule_nl="moet bestaan en binnen uw bevoegdheid vallen",
            )
        person = reads.get_person(actor, int(found[0]["id"]))
        outflow.match(actor, person["id"], data, person["version"], _on(request))
    except ServiceError as exc:
        refused(request, exc)
        entered = {**data, "v_number": v_number, "person": "new"}
        return _page(request, actor, error=exc, entered=entered, status=exc.status)
    messages.success(request, DONE["match"])
    return HttpResponseRedirect("/uitstroom")
