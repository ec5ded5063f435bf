"""``/api/v1/outflow`` and ``/api/v1/persons/{id}/outflow/{match,lease,move}``: a permit
holder's outflow to a municipality (``services/outflow.py``), thin views like the others
(``api/views.py``), with what the OpenAPI document says they answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import (
    PAGE,
    PERSON_ROW,
    PROCEDURE_ROW,
    READ_ERRORS,
    WRITE_ERRORS,
    many,
    operation,
    page_size,
    query_text,
)
from keten.server.api.views import IF_MATCH, ON, KetenView
from keten.server.services import outflow, outflow_list, outflow_rows
from keten.server.services.bounds import MAX_ID

_DEADLINE = inline_serializer(
    "OutflowDeadline",
    fields={
        "id": serializers.ChoiceField(choices=list(outflow_rows.DEADLINES)),
        "name": serializers.CharField(),
        "name_en": serializers.CharField(),
        "date": serializers.DateField(allow_null=True, help_text="Its day, once it runs."),
        "status": serializers.CharField(help_text="not_started, open, overdue, met, late …"),
        "days_left": serializers.IntegerField(
            allow_null=True, help_text="While it runs: days to its day (negative: over)."
        ),
        "margin": serializers.IntegerField(
            allow_null=True,
            help_text="Once ended: days from the step to the deadline's day (negative: late).",
        ),
        "ended_on": serializers.DateField(allow_null=True),
        "responsible": serializers.CharField(allow_null=True),
        "citation": serializers.CharField(),
    },
)

# outflow_rows.row: one permit holder in outflow.
OUTFLOW_FIELDS: dict[str, Any] = {
    "person": PERSON_ROW,
    "person_version": serializers.IntegerField(help_text="Send as If-Match with a command."),
    "procedure": PROCEDURE_ROW,
    "phase": serializers.ChoiceField(choices=list(outflow_rows.PHASES)),
    "phase_name": serializers.CharField(),
    "phase_name_en": serializers.CharField(),
    "municipality": serializers.CharField(allow_null=True),
    "municipality_name": serializers.CharField(allow_null=True),
    "matched_on": serializers.DateField(allow_null=True),
    "lease": inline_serializer(
        "OutflowLease",
        fields={
            "start": serializers.DateField(),
            "address": serializers.CharField(allow_null=True),
            "signed_on": serializers.CharField(allow_null=True),
        },
        allow_null=True,
    ),
    "moved_out_on": serializers.DateField(allow_null=True),
    "deadlines": many(_DEADLINE),
    "over_norm": serializers.BooleanField(help_text="Past the 14-week norm."),
    "staying": inline_serializer(
        "OutflowStay",
        fields={
            "kind": serializers.CharField(),
            "location": serializers.CharField(),
            "municipality": serializers.CharField(allow_null=True),
            "since": serializers.DateField(),
        },
        allow_null=True,
        help_text="Where the person stays on the day (for roles that read placements).",
    ),
    "actions": serializers.ListField(
        child=serializers.ChoiceField(choices=["match", "lease", "move"]),
        help_text="What your role may do next.",
    ),
}
OUTFLOW_ROW = inline_serializer("OutflowRow", fields=OUTFLOW_FIELDS)
OUTFLOW_PAGE = inline_serializer(
    "OutflowPage",
    fields={
        "on": serializers.DateField(),
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "has_next": serializers.BooleanField(),
        "next": serializers.CharField(allow_null=True, help_text="Link to the next page."),
        "results": many(OUTFLOW_ROW),
    },
)
OUTFLOW_WRITTEN = inline_serializer(
    "OutflowWritten",
    fields={
        **OUTFLOW_FIELDS,
        "person_version": serializers.IntegerField(help_text="Send as If-Match next."),
        "placement": serializers.DictField(required=False, help_text="Move: the placement."),
    },
)


def _reason() -> serializers.CharField:
    return serializers.CharField(max_length=2000, help_text="Why: recorded with the write.")


def _version() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, help_text="The person's version, when no `If-Match` is sent."
    )


def _family() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=outflow.MAX_FAMILY,
        help_text="Ids of family members in the dossier who move along.",
    )


MATCH_INPUT = inline_serializer(
    "OutflowMatch",
    fields={
        "municipality": serializers.CharField(
            max_length=64, help_text="The municipality: `utrecht` or `gemeente-utrecht`."
        ),
        "day": serializers.DateField(help_text="The match's day: not before the permit."),
        "family": _family(),
        "note": serializers.CharField(max_length=4000, required=False),
        "reason": _reason(),
        "version": _version(),
    },
)
LEASE_INPUT = inline_serializer(
    "OutflowLeaseInput",
    fields={
        "address": serializers.CharField(max_length=outflow.ADDRESS_MAX),
        "signed_on": serializers.DateField(help_text="The day the contract was signed."),
        "lease_start": serializers.DateField(
            help_text="The lease's start day: ends phase 2; at most a year ahead."
        ),
        "reason": _reason(),
        "version": _version(),
    },
)
MOVE_INPUT = inline_serializer(
    "OutflowMove",
    fields={
        "day": serializers.DateField(help_text="The move's day: not before the lease starts."),
        "location": serializers.CharField(
            max_length=outflow.ADDRESS_MAX,
            required=False,
            help_text="Where the person lives now (default: the lease's address).",
        ),
        "family": _family(),
        "reason": _reason(),
        "version": _version(),
    },
)

F = TypeVar("F", bound=Callable[..., Any])
_WRITTEN_ANSWER = "The person's outflow after the command (ETag: the person's new version)."


class OutflowListView(KetenView):
    @operation(
        "outflow_list",
        "Permit holders in outflow: the phase and both phases' terms",
        OUTFLOW_PAGE,
        "One page of permit holders in outflow (COA: all; a municipality: those matched to "
        "it), running ones first by the 14-week norm's day; `next` links to the following page.",
        parameters=[
            query_text("phase", f"One of {', '.join(outflow_rows.PHASES)}."),
            query_text("municipality", "Matched to this municipality (`utrecht`)."),
            query_text("over_norm", "`true`: only those past the 14-week norm."),
            ON,
            PAGE,
            page_size(100),
        ],
        errors=READ_ERRORS,
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        chosen = outflow_list.filters(
            qp.get("phase", ""), qp.get("municipality", ""), qp.get("over_norm", "")
        )
        data = outflow_list.outflow_list(
            self.actor(request),
            self.on(request),
            chosen,
            page=self.int_param(request, "page", 1),
            page_size=self.int_param(request, "page_size", 50, high=100),
        )
        return self.paged(request, data)


def _command(operation_id: str, summary: str, body: Any) -> Callable[[F], F]:
    return operation(
        operation_id,
        summary,
        OUTFLOW_WRITTEN,
        _WRITTEN_ANSWER,
        status=201,
        errors=WRITE_ERRORS,
        etag="The person's new version",
        request=body,
        parameters=[IF_MATCH, ON],
    )


class OutflowMatchView(KetenView):
    @_command("outflow_match", "COA matches a permit holder to a municipality", MATCH_INPUT)
    def post(self, request: Request, person_id: int) -> Response:
        body = self.body(request)
        data = outflow.match(
            self.actor(request), person_id, body, self.if_match(request, body), self.on(request)
        )
        return self.with_etag(data, 201, key="person_version")


class OutflowLeaseView(KetenView):
    @_command("outflow_lease", "The municipality records the rental contract", LEASE_INPUT)
    def post(self, request: Request, person_id: int) -> Response:
        body = self.body(request)
        data = outflow.lease(
            self.actor(request), person_id, body, self.if_match(request, body), self.on(request)
        )
        return self.with_etag(data, 201, key="person_version")


class OutflowMoveView(KetenView):
    @_command("outflow_move", "The move into the municipality's housing", MOVE_INPUT)
    def post(self, request: Request, person_id: int) -> Response:
        body = self.body(request)
        data = outflow.move(
            self.actor(request), person_id, body, self.if_match(request, body), self.on(request)
        )
        return self.with_etag(data, 201, key="person_version")
