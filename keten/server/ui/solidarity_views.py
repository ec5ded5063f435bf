"""``/solidariteit``: the Netherlands' solidarity records for a cycle of the EU pool and their
count against its share; the ministry records pledges and requests here. Calls the service
layer only (``keten.server.services.solidarity``)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from keten.chain import solidarity_pool
from keten.server.services import solidarity
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.ui.views import submit, with_actor


def _cycle(raw: str | None) -> int:
    if not raw:
        return max(date.today().year, solidarity.FIRST_CYCLE)
    return whole_number(raw, "cycle", low=solidarity.FIRST_CYCLE, high=solidarity.LAST_CYCLE)


@with_actor
def solidarity_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    cycle = _cycle(request.GET.get("cycle"))

    def write(form: dict[str, Any]) -> tuple[str, str]:
        done = solidarity.record(actor, form)
        return _("Solidarity record %(id)d written.") % {"id": done["id"]}, (
            f"/solidariteit?{urlencode({'cycle': done['cycle']})}"
        )

    posted = submit(request, write)
    if isinstance(posted, HttpResponse):
        return posted
    data = solidarity.overview(actor, cycle)
    return render(
        request,
        "keten/solidarity.html",
        {
            "d": data,
            "form": posted.form,
            "error": posted.error,
            "can_write": actor.role.can(solidarity.RESOURCE, "write"),
            "kinds": solidarity_pool.KINDS,
            "statuses": solidarity.STATUSES,
            "today": date.today().isoformat(),
        },
        status=posted.status,
    )
