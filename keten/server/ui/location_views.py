"""The location register's pages: ``/locations`` (every location with its places, reserve and
occupancy today; the form to register one, for the roles that run locations) and
``/locations/<code>`` (one location: figures, capacity history, who stays there in the reader's
scope; the form to change its capacity, for its operator). Like every page, they call the
service layer only (``keten.server.services.locations``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from keten.chain.locations import LOCATION_KINDS, location_rules
from keten.server.dossiers.models import CapacityChange
from keten.server.services import locations
from keten.server.services.actor import Actor
from keten.server.services.errors import ServiceError
from keten.server.ui.views import _on, refused, with_actor


def _form(request: HttpRequest) -> dict[str, Any]:
    return {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}


def _registrable(actor: Actor) -> list[Any]:
    """The location kinds the actor's organisation runs: what its form offers."""
    if not actor.role.can("location", "write"):
        return []
    rules = location_rules()
    return [k for k in LOCATION_KINDS.values() if actor.organisation_kind in rules[k.id].operators]


@with_actor
def register_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    on = _on(request)
    form: dict[str, Any] = {}
    error: ServiceError | None = None
    status = 200
    if request.method == "POST":
        form = _form(request)
        try:
            done = locations.register_location(actor, form)
        except ServiceError as exc:
            refused(request, exc)
            error, status = exc, exc.status
        else:
            messages.success(request, _("Location %(name)s registered.") % {"name": done["name"]})
            return HttpResponseRedirect(f"/locations/{done['code']}")
    data = locations.register(actor, on)
    return render(
        request,
        "keten/locations.html",
        {"d": data, "kinds": _registrable(actor), "form": form, "error": error},
        status=status,
    )


@with_actor
def location_page(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    on = _on(request)
    form: dict[str, Any] = {}
    error: ServiceError | None = None
    status = 200
    if request.method == "POST":
        form = _form(request)
        try:
            locations.change_capacity(actor, code, form, _version(form))
        except ServiceError as exc:
            refused(request, exc)
            error, status = exc, exc.status
        else:
            messages.success(request, _("Capacity change recorded."))
            return HttpResponseRedirect(f"/locations/{code}")
    data = locations.location(actor, code, on)
    return render(
        request,
        "keten/location.html",
        {
            "d": data,
            "changes": [
                {"id": c, "text": locations.CHANGES_NL[c], "text_en": en}
                for c, en in CapacityChange.CHANGES
            ],
            "may_change": actor.role.can("location", "write")
            and data["operator"] == actor.organisation,
            "form": form,
            "error": error,
        },
        status=status,
    )


def _version(form: dict[str, Any]) -> int | None:
    raw = str(form.get("version", "")).strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else None
