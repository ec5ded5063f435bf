"""``/meldingen``: the reader's inbox (deadlines, dwangsom, hand-overs received), mark read, the
horizon in days, and, for an organisation that receives hand-overs, its webhook
subscriptions. Like every page, it calls the service layer only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from keten.server.services import notifications, webhooks
from keten.server.services.actor import Actor
from keten.server.services.errors import ServiceError
from keten.server.ui.views import _post_data, with_actor


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _page(
    request: HttpRequest,
    actor: Actor,
    error: ServiceError | None = None,
    status: int = 200,
    form: dict[str, Any] | None = None,
    created: dict[str, Any] | None = None,
) -> HttpResponse:
    params = {k: request.GET.get(k) for k in ("page", "unread")}
    data = notifications.inbox(actor, params, _lang())
    subs = webhooks.subscriptions(actor) if actor.role.can("subscription", "read") else None
    context = {
        "d": data,
        "unread_only": bool(params["unread"]),
        "subs": subs,
        "can_subscribe": actor.role.can("subscription", "write"),
        "error": error,
        "form": form or {},
        "created": created,
    }
    return render(request, "keten/notifications.html", context, status=status)


@with_actor
def inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _page(request, actor)


@require_POST
@with_actor
def mark_read(request: HttpRequest, actor: Actor, notification_id: int) -> HttpResponse:
    notifications.mark_read(actor, notification_id)
    return redirect("/meldingen")


@require_POST
@with_actor
def mark_all_read(request: HttpRequest, actor: Actor) -> HttpResponse:
    notifications.mark_all_read(actor)
    return redirect("/meldingen")


@require_POST
@with_actor
def settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    data = _post_data(request)
    try:
        notifications.set_days(actor, data)
    except ServiceError as exc:
        return _page(request, actor, exc, exc.status, form={"field": exc.field, "error": exc})
    return redirect("/meldingen")


@require_POST
@with_actor
def subscribe(request: HttpRequest, actor: Actor) -> HttpResponse:
    data = _post_data(request)
    try:
        created = webhooks.subscribe(actor, data)
    except ServiceError as exc:
        form = {"field": exc.field, "error": exc, **data}
        return _page(request, actor, exc, exc.status, form=form)
    return _page(request, actor, created=created, status=201)


@require_POST
@with_actor
def end_subscription(request: HttpRequest, actor: Actor, subscription_id: int) -> HttpResponse:
    data = _post_data(request)
    try:
        webhooks.end_subscription(actor, subscription_id, data)
    except ServiceError as exc:
        return _page(request, actor, exc, exc.status)
    return redirect("/meldingen")
