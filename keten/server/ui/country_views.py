"""The country register's pages: ``/landen`` (every country on a day: recognition rate, income
group and top 35, safe country, visa; filtered by name or code) and ``/landen/<code>`` (one
country: each fact with its source, publication, verified or not, and every entry it has). Like
every page, they call the service layer only (``keten.server.services.country_register``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keten.chain.country_register import BASES
from keten.server.services import country_register
from keten.server.services.actor import Actor
from keten.server.ui.views import _on, with_actor


@with_actor
def countries_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    q = request.GET.get("q", "")
    data = country_register.countries(actor, _on(request), q)
    return render(request, "keten/countries.html", {"d": data, "q": q})


@with_actor
def country_page(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    data = country_register.country(actor, code, _on(request))
    rates = [
        {"basis": basis, "yearly": yearly, "figure": data["recognition_rate"][basis.id][period]}
        for basis in BASES.values()
        for period, yearly in (("yearly", True), ("quarterly", False))
    ]
    return render(
        request,
        "keten/country.html",
        {"d": data, "rates": rates, "coi_readable": actor.role.can("coi_document", "read")},
    )
