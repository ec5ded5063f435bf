"""The pages for finding a person (``/persons``: one box for any name part or number, birth
date and nationality beside it) and for the duplicate review (``/dubbelen``: candidate pairs,
merge or tell apart). Like every page, they call the service layer only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keten.server.services import person_duplicates, person_search
from keten.server.services.actor import Actor
from keten.server.services.bounds import whole_number
from keten.server.services.errors import ServiceError
from keten.server.ui.views import _int, _nationality_choices, refused, with_actor

SEARCH_FIELDS = ("q", "v_number", "bsn", "birth_date", "nationality")
HOW_NL = {
    "exact": "exact",
    "prefix": "begint met",
    "variant": "schrijfwijze",
    "similar": "lijkt op",
}


@with_actor
def persons(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = {f: request.GET.get(f, "").strip() for f in SEARCH_FIELDS}
    ctx: dict[str, Any] = {
        "form": form,
        "nationalities": _nationality_choices(),
        "may_review": actor.role.can("duplicate_review", "read"),
    }
    try:
        data = person_search.search(
            actor,
            q=form["q"],
            v_number=form["v_number"],
            bsn=form["bsn"],
            birth_date=form["birth_date"],
            nationality=form["nationality"],
            page=_int(request.GET.get("page"), "page") or 1,
        )
    except ServiceError as exc:
        refused(request, exc)
        return render(request, "keten/persons.html", {**ctx, "error": exc}, status=exc.status)
    query = urlencode({k: v for k, v in form.items() if v})
    return render(request, "keten/persons.html", {**ctx, "data": data, "query": query})


@with_actor
def duplicates(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = _int(request.GET.get("page"), "page") or 1
    data = person_duplicates.review_queue(actor, page=page)
    return render(
        request,
        "keten/duplicates.html",
        {"data": data, "may_decide": actor.role.can("duplicate_review", "write")},
    )


@require_POST
@with_actor
def decide(request: HttpRequest, actor: Actor) -> HttpResponse:
    data: dict[str, Any] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    try:
        person_id = whole_number(data.get("person_id"), "person_id")
        expected = whole_number(data.get("person_version"), "person_version", high=2**31 - 1)
        done = person_duplicates.decide(actor, person_id, data, expected)
    except ServiceError as exc:
        refused(request, exc)
        queue = person_duplicates.review_queue(actor)
        return render(
            request,
            "keten/duplicates.html",
            {"data": queue, "may_decide": True, "error": exc, "form": data},
            status=exc.status,
        )
    if done["decision"] == "merge":
        messages.success(
            request,
            _("%(duplicate)s was merged into %(survivor)s.")
            % {"duplicate": done["person"]["v_number"], "survivor": done["other"]["v_number"]},
        )
    else:
        messages.success(
            request,
            _("%(a)s and %(b)s are recorded as two different people.")
            % {"a": done["person"]["v_number"], "b": done["other"]["v_number"]},
        )
    return HttpResponseRedirect("/dubbelen")
