"""The exchange's page (``/uitwisseling``): the liaison officer's work queue of requests from
partner services, each with a form to answer, partly answer or refuse it, and what was sent
with its delivery state. Like every page, it calls the service layer only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from keten.server.exchange.models import OUTCOMES
from keten.server.services import exchange
from keten.server.services.actor import Actor
from keten.server.services.errors import ServiceError
from keten.server.services.exchange_kinds import KINDS
from keten.server.ui.views import _post_data, refused, with_actor


def _page(
    request: HttpRequest,
    actor: Actor,
    error: ServiceError | None = None,
    status: int = 200,
    answering: str = "",
    sending: dict[str, str] | None = None,
) -> HttpResponse:
    inbox = exchange.messages(actor, "inbox")
    outbox = exchange.messages(actor, "outbox")
    for row in (*inbox["results"], *outbox["results"]):
        found = KINDS.get(row["kind"])
        row["kind_name"] = found.name_nl if found else row["kind"]
    return render(
        request,
        "keten/exchange.html",
        {
            "inbox": inbox["results"],
            "outbox": outbox["results"],
            "organisation": inbox["organisation"],
            "outcomes": OUTCOMES,
            # Shared information is taken over, a request answered: the row offers which.
            "informs": {k.id for k in KINDS.values() if k.informs},
            "can_write": actor.role.can(exchange.RESOURCE, "write"),
            "error": error,
            "answering": answering,
            "choices": exchange.request_choices(actor),
            # A refused request keeps what was typed: bad input loses nothing.
            "sending": sending or {},
        },
        status=status,
    )


@with_actor
def page(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _page(request, actor)


def _handle(
    request: HttpRequest,
    actor: Actor,
    message_id: str,
    act: Callable[[Actor, str, dict[str, Any]], object],
) -> HttpResponse:
    """Answer or take over one received message; a refusal shows the page again with the
    message's form open."""
    try:
        act(actor, str(message_id), _post_data(request))
    except ServiceError as exc:
        refused(request, exc)
        return _page(request, actor, exc, exc.status, str(message_id))
    return redirect("/uitwisseling")


@require_POST
@with_actor
def answer(request: HttpRequest, actor: Actor, message_id: str) -> HttpResponse:
    return _handle(request, actor, message_id, exchange.answer)


@require_POST
@with_actor
def take_over(request: HttpRequest, actor: Actor, message_id: str) -> HttpResponse:
    return _handle(request, actor, message_id, exchange.take_over)


PERSON_FIELDS = ("surname", "given_names", "birth_date", "nationality")


def _request_body(form: dict[str, str]) -> dict[str, object]:
    """The form's flat fields as the request the service takes: the person as a nested object
    with at most one partner reference (the API takes up to ten)."""
    person: dict[str, object] = {k: form.get(k, "") for k in PERSON_FIELDS}
    issuer, number = form.get("reference_issuer", ""), form.get("reference_number", "")
    if issuer or number:
        person["foreign_references"] = [{"issuer": issuer, "number": number}]
    body: dict[str, object] = {
        k: v for k, v in form.items() if k not in (*PERSON_FIELDS, "reference_issuer",
                                                   "reference_number") and v != ""
    }  # fmt: skip
    body["person"] = person
    return body


@require_POST
@with_actor
def send_request(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = _post_data(request)
    try:
        exchange.send_request(actor, _request_body(form))
    except ServiceError as exc:
        refused(request, exc)
        return _page(request, actor, exc, exc.status, sending=form)
    return redirect("/uitwisseling")
