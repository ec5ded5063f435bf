"""``/solidariteit``: the Netherlands' solidarity records for a cycle of the EU pool and their
count against its share; the ministry records pledges and requests here. Calls the service
layer only (``keten.server.services.solidarity``)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from keten.chain import solidarity_pool
from keten.server.services import solidarity
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.errors import ServiceError
from keten.server.ui.views import refused, with_actor


def _cycle(raw: str | None) -> int:
    if not raw:
        return max(date.today().year, solidarity.FIRST_CYCLE)
    return whole_number(raw, "cycle", low=solidarity.FIRST_CYCLE, high=solidarity.LAST_CYCLE)


@with_actor
def solidarity_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    cycle = _cycle(request.GET.get("cycle"))
    form: dict[str, Any] = {}
    error: ServiceError | None = None
    status = 200
    if request.method == "POST":
        form = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            done = solidarity.record(actor, form)
        except ServiceError as exc:
            refused(request, exc)
            error, status = exc, exc.status
        else:
            messages.success(request, _("Solidarity record %(id)d written.") % {"id": done["id"]})
            return HttpResponseRedirect(f"/solidariteit?{urlencode({'cycle': done['cycle']})}")
    data = solidarity.overview(actor, cycle)
    return render(
        request,
        "keten/solidarity.html",
        {
            "d": data,
            "form": form,
            "error": error,
            "can_write": actor.role.can(solidarity.RESOURCE, "write"),
            "kinds": solidarity_pool.KINDS,
            "statuses": solidarity.STATUSES,
            "today": date.today().isoformat(),
        },
        status=status,
    )
