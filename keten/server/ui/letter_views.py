"""The letter pages: make a letter for a decision (from the dossier, ``/besluiten/<id>/brief``),
read it as a printable page (``/brieven/<id>``: the stored letter inside the site's frame,
which the print stylesheet leaves out) and download it as PDF (``/brieven/<id>.pdf``,
rendered from the stored HTML). Every one goes through ``services/letters.py``."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from keten.server.letters.compose import body_of
from keten.server.services import letters
from keten.server.services.actor import Actor
from keten.server.ui.views import with_actor


@require_POST
@with_actor
def make(request: HttpRequest, actor: Actor, decision_id: int) -> HttpResponse:
    data = {k: request.POST.get(k, "") for k in ("language", "reason")}
    made = letters.make(actor, decision_id, data, date.today())
    return HttpResponseRedirect(f"/brieven/{made['id']}")


@with_actor
def page(request: HttpRequest, actor: Actor, letter_id: int) -> HttpResponse:
    letter = letters.read(actor, letter_id)
    return render(
        request,
        "keten/letter.html",
        {"letter": letter, "body": body_of(letter["html"])},
    )


@with_actor
def pdf(request: HttpRequest, actor: Actor, letter_id: int) -> HttpResponse:
    body, letter = letters.pdf(actor, letter_id)
    reply = HttpResponse(body, content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="brief-{letter["id"]}.pdf"'
    return reply
