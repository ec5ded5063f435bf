"""The location register's pages: ``/locations`` (every location with its places, reserve and
occupancy today; the form to register one, for the roles that run locations) and
``/locations/<code>`` (one location: figures, capacity history, who stays there in the reader's
scope; the form to change its capacity, for its operator). Like every page, they call the
service layer only (``keten.server.services.locations``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from keten.chain.locations import LOCATION_KINDS, location_rules
from keten.server.dossiers.models import CapacityChange
from keten.server.services import locations
from keten.server.services.actor import Actor
from keten.server.ui.views import _on, submit, with_actor


def _registrable(actor: Actor) -> list[Any]:
    """The location kinds the actor's organisation runs: what its form offers."""
    if not actor.role.can("location", "write"):
        return []
    rules = location_rules()
    return [k for k in LOCATION_KINDS.values() if actor.organisation_kind in rules[k.id].operators]


@with_actor
def register_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    on = _on(request)

    def write(form: dict[str, Any]) -> tuple[str, str]:
        done = locations.register_location(actor, form)
        return _("Location %(name)s registered.") % {"name": done["name"]}, (
            f"/locations/{done['code']}"
        )

    posted = submit(request, write)
    if isinstance(posted, HttpResponse):
        return posted
    data = locations.register(actor, on)
    return render(
        request,
        "keten/locations.html",
        {"d": data, "kinds": _registrable(actor), "form": posted.form, "error": posted.error},
        status=posted.status,
    )


@with_actor
def location_page(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    on = _on(request)

    def write(form: dict[str, Any]) -> tuple[str, str]:
        locations.change_capacity(actor, code, form, _version(form))
        return _("Capacity change recorded."), f"/locations/{code}"

    posted = submit(request, write)
    if isinstance(posted, HttpResponse):
        return posted
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
            "form": posted.form,
            "error": posted.error,
        },
        status=posted.status,
    )


def _version(form: dict[str, Any]) -> int | None:
    raw = str(form.get("version", "")).strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else None
