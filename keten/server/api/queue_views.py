"""``/api/v1/queue/...``: the work queue's filters, assignment, bulk hand-over, export and
team (``services/queues.py``, ``assignments.py``, ``queue_handover.py``); thin views like the
rest of the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.reports.tables import to_csv, to_xlsx
from keten.server.api.schema import (
    PAGE,
    QUEUE_PAGE,
    READ_ERRORS,
    WRITE_ERRORS,
    many,
    obj,
    operation,
    page_size,
    query_int,
    query_text,
)
from keten.server.api.views import ON, KetenView
from keten.server.services import assignments, queue_filters, queue_handover, queues
from keten.server.services.errors import BadInputError
from keten.server.services.policy import check

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FILTERS = [
    query_text(
        "queue",
        "Whose queue: an organisation kind (ind, coa, dtenv, ...) or `all` (every queue in your "
        "scope). Default: your role's own.",
    ),
    query_text("team", "Team (default: your role's, in your own queue)."),
    query_text("procedure_type", "A procedure type of the catalogue (GET /api/v1/catalog)."),
    query_text("stage", "Where the case stands: the kind of its latest event."),
    query_text("status", "open, suspended or not_started."),
    query_text("priority", "Pact priority: 0, 1, 2, or `pact` (0 and 1)."),
    query_text("overdue", "1: past the main deadline's due day."),
    query_int(
        "days_left",
        0,
        queue_filters.MAX_DAYS_LEFT,
        "Due from the reference day to this many days after it (not yet overdue).",
    ),
    query_text("dwangsom", "`running`: a penalty for late decision accrues on the day."),
    query_text("assignee", "Assigned to this user."),
    query_text("mine", "1: assigned to me."),
    query_text("unassigned", "1: assigned to nobody."),
]


FILTER_ERRORS = (*READ_ERRORS, 422)  # 422: filters that contradict each other


def filters_of(request: Request) -> queue_filters.QueueFilter:
    return queue_filters.parse(request.query_params)


_PROCEDURES = serializers.ListField(
    child=inline_serializer(
        "QueueItem",
        fields={
            "id": serializers.IntegerField(help_text="The procedure."),
            "version": serializers.IntegerField(
                required=False,
                help_text="The assignment's version as the queue showed it "
                "(`assignment_version`; 0 when never assigned).",
            ),
        },
    ),
    min_length=1,
    max_length=assignments.MAX_BULK,
)

BULK_ASSIGN = inline_serializer(
    "QueueAssign",
    fields={
        "procedures": _PROCEDURES,
        "assignee": serializers.CharField(
            allow_blank=True,
            max_length=150,
            help_text="A member of the team holding the cases (GET /api/v1/queue/team); empty: "
            "release them back to the team's queue.",
        ),
        "reason": serializers.CharField(max_length=2000),
    },
)
BULK_ASSIGNED = inline_serializer(
    "QueueAssigned",
    fields={
        "assignee": serializers.CharField(allow_null=True),
        "assigned": many(obj()),
        "unchanged": serializers.ListField(child=serializers.IntegerField()),
    },
)
BULK_HANDOVER = inline_serializer(
    "QueueHandover",
    fields={
        "procedures": _PROCEDURES,
        "kind": serializers.CharField(help_text="A hand-over kind your organisation may send."),
        "to_org": serializers.CharField(max_length=64, help_text="The receiver's code."),
        "day": serializers.DateField(),
        "note": serializers.CharField(required=False, max_length=4000),
        "reason": serializers.CharField(max_length=2000),
    },
)
BULK_HANDED_OVER = inline_serializer(
    "QueueHandedOver",
    fields={
        "kind": serializers.CharField(),
        "to_org": serializers.CharField(),
        "handed_over": many(obj()),
        "persons": serializers.IntegerField(),
    },
)
TEAM = inline_serializer(
    "QueueTeam",
    fields={
        "queue": serializers.CharField(),
        "team": serializers.CharField(),
        "members": many(obj()),
    },
)

BULK_ANSWER = (
    " All or nothing: when any case is refused, nothing is stored and the answer (422) names "
    "each refused case in `items` (procedure, field, rule, in English and Dutch)."
)


class QueueView(KetenView):
    @operation(
        "queue_page",
        "Work queue: open procedures by Pact priority, then deadline",
        QUEUE_PAGE,
        "One page of the queue, narrowed by the filters; `next` links to the following page "
        "(it carries the filters). Each row names its `assignee` and `assignment_version`. "
        "Filters that together match nothing (mine and unassigned) are refused (422).",
        errors=FILTER_ERRORS,
        parameters=[
            ON,
            PAGE,
            page_size(200),
            query_text(
                "after",
                "Where the page starts: the previous page's next_after (its next "
                "link). Rows decided or added meanwhile neither shift nor repeat rows.",
            ),
            *FILTERS,
        ],
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        data = queues.work_queue(
            self.actor(request),
            self.on(request),
            page=self.int_param(request, "page", 1),
            page_size=self.int_param(request, "page_size", 50, high=200),
            after=qp.get("after", ""),
            filters=filters_of(request),
        )
        return self.paged(request, data)


class QueueAssignView(KetenView):
    @operation(
        "queue_assign",
        "Assign cases of the queue to a team member, or release them (bulk, at most 100)",
        BULK_ASSIGNED,
        "Each case open, of a type your role works, in your scope, its assignment still at the "
        "version you saw; the assignee in the team holding it. Every change an assignment row "
        "(who, when, why) and an audit record." + BULK_ANSWER,
        request=BULK_ASSIGN,
        errors=WRITE_ERRORS,
    )
    def post(self, request: Request) -> Response:
        body = self.body(request)
        assignee = body.get("assignee") or ""
        reason = body.get("reason") or ""
        if not isinstance(assignee, str) or not isinstance(reason, str):
            raise BadInputError("assignee", "must be a text", "moet tekst zijn")
        return Response(
            assignments.assign(self.actor(request), body.get("procedures"), assignee, reason)
        )


class QueueHandoverView(KetenView):
    @operation(
        "queue_handover",
        "Hand over the persons of selected cases to a partner organisation (bulk, at most 100)",
        BULK_HANDED_OVER,
        "One hand-over record per person (policy.yaml `handovers`: who sends which kind to "
        "whom, and what the case must show), granting the receiver access." + BULK_ANSWER,
        request=BULK_HANDOVER,
        errors=WRITE_ERRORS,
    )
    def post(self, request: Request) -> Response:
        return Response(queue_handover.hand_over(self.actor(request), self.body(request)))


class QueueExportView(KetenView):
    @operation(
        "queue_export",
        "The filtered queue as CSV or XLSX (at most 10,000 cases)",
        OpenApiTypes.BINARY,
        "The queue's order, the fields a queue shows; more than 10,000 cases is refused (narrow "
        "the filter). Audited as a read of every person listed.",
        media_types=("text/csv", XLSX),
        errors=FILTER_ERRORS,
        parameters=[
            ON,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["csv", "xlsx"]),
            *FILTERS,
        ],
    )
    def get(self, request: Request) -> HttpResponse:
        return export_response(
            queues.export_queue(self.actor(request), self.on(request), filters_of(request)),
            request.query_params.get("format") or "csv",
        )


def export_response(table: Any, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(to_xlsx([table]), content_type=XLSX)
    else:
        raise BadInputError(
            "format", f"{fmt!r} is not one of: csv, xlsx", f"{fmt!r} is geen van: csv, xlsx"
        )
    response["Content-Disposition"] = f'attachment; filename="werkvoorraad.{fmt}"'
    return response


class QueueTeamView(KetenView):
    @operation(
        "queue_team",
        "Your team: who its cases can be assigned to",
        TEAM,
        "The members of your organisation in your role's team (policy.yaml roles' `team`).",
    )
    def get(self, request: Request) -> Response:
        actor = self.actor(request)
        check(actor.role, "procedure", "read")
        return Response(
            {
                "queue": actor.role.organisation_kind,
                "team": actor.role.team,
                "members": [{"username": u} for u in assignments.my_team(actor)],
            }
        )
