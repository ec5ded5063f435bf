"""``/coi/<code>``: a country's country-of-origin information on a day (the documents in
force, every document with its status), with the forms to register a report and to mark one
replaced by a later one for the roles that write COI. Like every page, it calls the service
layer only (``keten.server.services.coi``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from keten.server.coi.kinds import DOCUMENT_KINDS, LANGUAGES
from keten.server.services import coi, exchange
from keten.server.services.actor import Actor
from keten.server.ui.views import _on, submit, with_actor


@with_actor
def country_page(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    on = _on(request)

    def write(form: dict[str, Any]) -> tuple[str, str]:
        if form.get("action") == "share":
            exchange.share(actor, {**form, "kind": "coi_report"})
            done = _("The report is on its way to the partner.")
        elif form.get("action") == "supersede":
            doc = str(form.get("document", ""))
            coi.supersede(
                actor,
                int(doc) if doc.isascii() and doc.isdecimal() and len(doc) < 20 else 0,
                form,
            )
            done = _("The document was marked as replaced.")
        else:
            coi.register(actor, {**form, "country": code})
            done = _("The document was registered.")
        return done, f"/coi/{code.upper()}"

    posted = submit(request, write)
    if isinstance(posted, HttpResponse):
        return posted
    data = coi.documents(actor, code, on)
    return render(
        request,
        "keten/coi_country.html",
        {
            "d": data,
            "form": posted.form,
            "error": posted.error,
            "kinds": [{"id": k, "name": t.nl, "name_en": t.en} for k, t in DOCUMENT_KINDS.items()],
            "languages": [{"id": k, "name": t.nl, "name_en": t.en} for k, t in LANGUAGES.items()],
            "can_write": actor.role.can(coi.RESOURCE, "write"),
            # Our own shareable reports, for the roles that send COI to the partner.
            "share_partners": exchange.writable_partners(actor)
            if exchange.shares_kind(actor, "coi_report")
            else [],
            "shareable": [
                doc for doc in data["all"] if doc["shareable"] and not doc["received_from"]
            ],
        },
        status=posted.status,
    )
