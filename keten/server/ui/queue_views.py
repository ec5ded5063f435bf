"""The work queue page: filters (a GET form that works without JavaScript), the list with the
assignee of each case, bulk assignment and hand-over of the selected cases, and the export of
the filtered list. Like every page, it calls the service layer only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_POST

from keten.catalog.loader import load_catalog
from keten.chain.kinds import HANDOVER_TYPES
from keten.server.api.queue_views import export_response
from keten.server.organisations.models import Organisation
from keten.server.services import assignments, queue_filters, queue_handover, queues
from keten.server.services.actor import Actor
from keten.server.services.bounds import check_request
from keten.server.services.errors import BulkRefusedError, ServiceError
from keten.server.services.policy import policy, queue_of
from keten.server.ui.views import _int, _on, refused, with_actor

PAGE_SIZE = 50


def _page(
    request: HttpRequest,
    actor: Actor,
    params: QueryDict,
    *,
    error: ServiceError | None = None,
    entered: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The queue as ``params`` filter it; a refused filter shows beside its field (and in the
    summary on top) over the unfiltered queue, a refused bulk action above the list with each
    refused case named."""
    on = _on(request)
    filter_error: ServiceError | None = None
    try:
        filters = queue_filters.parse(params)
    except ServiceError as exc:
        refused(request, exc)
        filter_error, filters, status = exc, queue_filters.QueueFilter(), exc.status
    after = params.get("after", "")
    page = _int(params.get("page"), "page") or 1
    data = queues.work_queue(
        actor, on, page=1 if after else page, page_size=PAGE_SIZE, after=after, filters=filters
    )
    # The links to other pages keep the reference day and the filters the officer chose.
    kept = filters.query(on if params.get("on") else None)
    context = {
        "queue": data,
        "on": on,
        "page": page,
        "kept": f"{kept}&" if kept else "",
        "query": kept,
        "f": filters,
        "filter_error": filter_error,
        "error": error,
        "entered": entered or {},
        "select_all": params.get("select") == "all",
        **_choices(actor, filters),
    }
    return render(request, "keten/queue.html", context, status=status)


def _choices(actor: Actor, filters: queue_filters.QueueFilter) -> dict[str, Any]:
    """What the filter form and the bulk forms offer: the procedure types of this queue, the
    stages of the chosen type (or of the queue's types), the team, and only the actions the
    role may take (policy: ``procedure`` write to assign, ``handover`` write and the hand-over
    table to hand over)."""
    catalog = load_catalog()
    kind, team = actor.role.organisation_kind, actor.role.team
    types = [
        catalog[t]
        for t in sorted(catalog)
        if queue_of(t) == (kind, team) or (filters.queue and queue_of(t)[0] == filters.queue)
    ] or [catalog[t] for t in sorted(catalog)]
    if filters.procedure_type and catalog[filters.procedure_type] not in types:
        types.append(catalog[filters.procedure_type])  # reached from a dashboard's link
    english = (get_language() or "nl").startswith("en")
    stage_of = [catalog[filters.procedure_type]] if filters.procedure_type else types
    stages: dict[str, str] = {}
    for pt in stage_of:
        for e in pt.events:
            stages.setdefault(e.kind, e.name.en if english else e.name.nl)
    sends = policy().handovers_from(actor.organisation_kind)
    orgs = list(Organisation.objects.order_by("name"))
    targets = [
        (HANDOVER_TYPES[kind], [o for o in orgs if o.kind in sends[kind].receivers])
        for kind in sorted(sends)
    ]
    return {
        "types": [(pt.id, pt.name.en if english else pt.name.nl) for pt in types],
        "today": date.today().isoformat(),
        "stages": sorted(stages.items(), key=lambda kv: kv[1].lower()),
        "members": assignments.my_team(actor),
        "can_assign": actor.role.can("procedure", "write") and bool(actor.role.procedures),
        "can_handover": actor.role.can("handover", "write") and bool(sends),
        "handover_targets": [(kind, receivers) for kind, receivers in targets if receivers],
        "max_bulk": assignments.MAX_BULK,
    }


@with_actor
def queue(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _page(request, actor, request.GET)


def _selected(request: HttpRequest) -> list[dict[str, int]]:
    """The ticked rows: each checkbox's value is "procedure:assignment version"."""
    out = []
    for raw in request.POST.getlist("selected")[: assignments.MAX_BULK + 1]:
        pid, _sep, version = raw.partition(":")
        if pid.isdigit() and version.isdigit():
            out.append({"id": int(pid), "version": int(version)})
    return out


def _back(request: HttpRequest) -> QueryDict:
    """The filters the page was showing (a hidden field), checked like any query."""
    back = QueryDict(request.POST.get("back", "")[:2000])
    check_request(back.lists(), {})
    return back


def _bulk(request: HttpRequest, actor: Actor, action: str) -> HttpResponse:
    back = _back(request)
    try:
        if action == "assign":
            done = assignments.assign(
                actor,
                _selected(request),
                request.POST.get("assignee", ""),
                request.POST.get("assign_reason", ""),
            )
            n = len(done["assigned"])
            if done["assignee"]:
                text = ngettext(
                    "%(n)s case assigned to %(who)s.", "%(n)s cases assigned to %(who)s.", n
                ) % {"n": n, "who": done["assignee"]}
            else:
                text = ngettext(
                    "%(n)s case released to the team's queue.",
                    "%(n)s cases released to the team's queue.",
                    n,
                ) % {"n": n}
        else:
            data = {k: request.POST.get(k, "") for k in ("day", "note")}
            # The form's one choice of kind and receiver ("transfer_file:DTenV").
            data["kind"], _sep, data["to_org"] = request.POST.get("target", "").partition(":")
            data["reason"] = request.POST.get("handover_reason", "")
            handed = queue_handover.hand_over(actor, {**data, "procedures": _selected(request)})
            n = handed["persons"]
            text = ngettext(
                "%(n)s person handed over to %(org)s.", "%(n)s persons handed over to %(org)s.", n
            ) % {"n": n, "org": handed["to_org"]}
    except ServiceError as exc:
        refused(request, exc)
        names = ("assignee", "assign_reason", "target", "day", "handover_reason")
        entered: dict[str, Any] = {k: request.POST.get(k, "") for k in names}
        entered["selected"] = {str(s["id"]) for s in _selected(request)}
        status = exc.status if not isinstance(exc, BulkRefusedError) else 422
        return _page(request, actor, back, error=exc, entered=entered, status=status)
    messages.success(request, text)
    return HttpResponseRedirect(f"/queue?{back.urlencode()}" if back else "/queue")


@require_POST
@with_actor
def bulk_assign(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _bulk(request, actor, "assign")


@require_POST
@with_actor
def bulk_handover(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _bulk(request, actor, "handover")


@with_actor
def export(request: HttpRequest, actor: Actor, fmt: str) -> HttpResponse:
    table = queues.export_queue(actor, _on(request), queue_filters.parse(request.GET))
    return export_response(table, fmt)


@with_actor
def queue_summary(request: HttpRequest, actor: Actor) -> HttpResponse:
    data = queues.queue_summary(actor, _on(request))
    return render(request, "keten/_queue_summary.html", {"s": data})
