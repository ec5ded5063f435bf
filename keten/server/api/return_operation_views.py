"""``/api/v1/return/operations``: special flights and joint identification missions shared
with the Belgian partner (``services/return_operations.py``) and the escorts on them
(``return_escorts``); ``/api/v1/return/joint-requests``: joint requests to a country of
origin (``joint_requests``). Thin views as in ``views``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import ONE_ERRORS, many, operation
from keten.server.api.views import ON, KetenView
from keten.server.services import joint_requests as jr
from keten.server.services import return_escorts
from keten.server.services import return_operations as ops


def _operation_fields() -> dict[str, Any]:
    return {
        "id": serializers.IntegerField(),
        "kind": serializers.ChoiceField(choices=sorted(ops.KINDS)),
        "kind_text": serializers.CharField(),
        "kind_text_en": serializers.CharField(),
        "destination": serializers.CharField(help_text="ISO 3166-1 alpha-3."),
        "day": serializers.DateField(),
        "seats_offered": serializers.IntegerField(help_text="Seats offered to the partner."),
        "seats_taken": serializers.IntegerField(),
        "seats_free": serializers.IntegerField(),
        "received_from": serializers.CharField(
            allow_null=True, help_text="The partner whose programme listed it; null: own."
        ),
        "received_ref": serializers.CharField(allow_null=True),
        "note": serializers.CharField(allow_blank=True),
        "recorded_by": serializers.CharField(),
        "recorded_org": serializers.CharField(),
        "reason": serializers.CharField(allow_blank=True),
        "escorts": many(ESCORT),
    }


ESCORT = inline_serializer(
    "ReturnOperationEscorts",
    fields={
        "side": serializers.CharField(
            allow_null=True, help_text="The partner's code; null: this organisation's."
        ),
        "service": serializers.ChoiceField(choices=list(return_escorts.SERVICE_IDS)),
        "service_text": serializers.CharField(),
        "service_text_en": serializers.CharField(),
        "escorts": serializers.IntegerField(help_text="Escorts from this side and service."),
    },
)
OPERATION = inline_serializer("ReturnOperation", fields=_operation_fields())
PROGRAMME = inline_serializer(
    "ReturnOperations",
    fields={"on": serializers.DateField(), "results": many(OPERATION)},
)
ESCORT_INPUT = inline_serializer(
    "ReturnOperationEscortInput",
    fields={
        "escorts": serializers.IntegerField(min_value=1, max_value=ops.MAX_SEATS),
        "service": serializers.ChoiceField(choices=list(return_escorts.SERVICE_IDS)),
        "reason": serializers.CharField(max_length=2000),
    },
)
OPERATION_ID = OpenApiParameter("operation_id", int, OpenApiParameter.PATH)
REQUEST_ID = OpenApiParameter("request_id", int, OpenApiParameter.PATH)
STEP = inline_serializer(
    "JointRequestStep",
    fields={
        "status": serializers.ChoiceField(choices=list(jr.ORDER)),
        "status_text": serializers.CharField(),
        "status_text_en": serializers.CharField(),
        "day": serializers.DateField(),
        "note": serializers.CharField(allow_blank=True),
        "recorded_by": serializers.CharField(),
        "recorded_org": serializers.CharField(),
    },
)
JOINT_REQUEST = inline_serializer(
    "JointRequest",
    fields={
        "id": serializers.IntegerField(),
        "kind": serializers.ChoiceField(choices=list(jr.KIND_IDS)),
        "kind_text": serializers.CharField(),
        "kind_text_en": serializers.CharField(),
        "destination": serializers.CharField(help_text="ISO 3166-1 alpha-3."),
        "authority": serializers.CharField(help_text="The authority addressed."),
        "proposed_on": serializers.DateField(),
        "partner": serializers.CharField(),
        "persons_own": serializers.IntegerField(help_text="Persons this side brings."),
        "persons_partner": serializers.IntegerField(help_text="Persons the partner brings."),
        "sources": serializers.CharField(),
        "note": serializers.CharField(allow_blank=True),
        "received_from": serializers.CharField(
            allow_null=True, help_text="The proposer, when the partner proposed it; null: own."
        ),
        "received_ref": serializers.CharField(allow_null=True),
        "status": serializers.ChoiceField(choices=list(jr.ORDER)),
        "status_text": serializers.CharField(),
        "status_text_en": serializers.CharField(),
        "steps": many(STEP),
        "recorded_by": serializers.CharField(),
        "recorded_org": serializers.CharField(),
        "reason": serializers.CharField(allow_blank=True),
    },
)
JOINT_REQUESTS = inline_serializer("JointRequests", fields={"results": many(JOINT_REQUEST)})
PROPOSE_INPUT = inline_serializer(
    "JointRequestProposal",
    fields={
        "kind": serializers.ChoiceField(choices=list(jr.KIND_IDS)),
        "destination": serializers.RegexField("^[A-Za-z]{3}$", max_length=3),
        "authority": serializers.CharField(max_length=200, help_text="e.g. the embassy."),
        "proposed_on": serializers.DateField(help_text="Not before 2015-02-24, not ahead."),
        "partner": serializers.CharField(max_length=64, help_text="e.g. BE-DVZ-BO"),
        "persons_own": serializers.IntegerField(min_value=0, max_value=jr.MAX_PERSONS),
        "persons_partner": serializers.IntegerField(min_value=0, max_value=jr.MAX_PERSONS),
        "sources": serializers.CharField(max_length=2000),
        "note": serializers.CharField(required=False, max_length=2000),
        "reason": serializers.CharField(max_length=2000),
    },
)
STEP_INPUT = inline_serializer(
    "JointRequestStepInput",
    fields={
        "status": serializers.ChoiceField(choices=list(jr.NEXT)),
        "day": serializers.DateField(help_text="Not before the previous step, not ahead."),
        "note": serializers.CharField(required=False, max_length=2000),
        "reason": serializers.CharField(max_length=2000),
    },
)
PLAN_INPUT = inline_serializer(
    "ReturnOperationPlan",
    fields={
        "kind": serializers.ChoiceField(choices=sorted(ops.KINDS)),
        "destination": serializers.RegexField("^[A-Za-z]{3}$", max_length=3),
        "day": serializers.DateField(help_text="The flight's day or the mission's first day."),
        "seats_offered": serializers.IntegerField(min_value=0, max_value=ops.MAX_SEATS),
        "note": serializers.CharField(required=False, max_length=2000),
        "reason": serializers.CharField(max_length=2000),
    },
)


class ReturnOperationsView(KetenView):
    @operation(
        "return_operation_list",
        "Special flights and identification missions from a day on, own and the partner's",
        PROGRAMME,
        "Every operation from `on` on, soonest first, with its seats (no persons).",
        parameters=[ON],
    )
    def get(self, request: Request) -> Response:
        on = self.on(request)
        return Response({"on": on.isoformat(), "results": ops.programme(self.actor(request), on)})

    @operation(
        "return_operation_plan",
        "Plan a special flight or joint identification mission with seats for the partner",
        OPERATION,
        "The operation as planned.",
        status=201,
        errors=(400, 401, 403, 422),
        request=PLAN_INPUT,
    )
    def post(self, request: Request) -> Response:
        return Response(ops.plan(self.actor(request), self.body(request)), status=201)


class ReturnOperationEscortsView(KetenView):
    @operation(
        "return_operation_escort_list",
        "The escorts each side provides on a special flight or mission",
        OPERATION,
        "The operation with its seats and its escorts per side and service (no ratio is set: "
        "no source gives one).",
        errors=ONE_ERRORS,
        parameters=[OPERATION_ID],
    )
    def get(self, request: Request, operation_id: int) -> Response:
        return Response(return_escorts.of_operation(self.actor(request), operation_id))

    @operation(
        "return_operation_escorts",
        "Record escorts this organisation provides on a special flight or mission",
        OPERATION,
        "The operation with its escorts per side and service.",
        status=201,
        errors=(400, 401, 403, 404, 422),
        request=ESCORT_INPUT,
        parameters=[OPERATION_ID],
    )
    def post(self, request: Request, operation_id: int) -> Response:
        found = return_escorts.provide(self.actor(request), operation_id, self.body(request))
        return Response(found, status=201)


class JointRequestsView(KetenView):
    @operation(
        "joint_request_list",
        "Joint requests to countries of origin, own and the partner's",
        JOINT_REQUESTS,
        "Every joint request, newest proposal first, with its steps (counts, no persons).",
    )
    def get(self, request: Request) -> Response:
        return Response({"results": jr.listing(self.actor(request))})

    @operation(
        "joint_request_propose",
        "Propose a joint request to a country of origin with the partner",
        JOINT_REQUEST,
        "The request, proposed; share it as return_joint_request for the partner to agree.",
        status=201,
        errors=(400, 401, 403, 422),
        request=PROPOSE_INPUT,
    )
    def post(self, request: Request) -> Response:
        return Response(jr.propose(self.actor(request), self.body(request)), status=201)


class JointRequestStepView(KetenView):
    @operation(
        "joint_request_step",
        "Record the next step of a joint request: agreed, sent or answered",
        JOINT_REQUEST,
        "The request with its steps.",
        status=201,
        errors=(400, 401, 403, 404, 422),
        request=STEP_INPUT,
        parameters=[REQUEST_ID],
    )
    def post(self, request: Request, request_id: int) -> Response:
        found = jr.record_step(self.actor(request), request_id, self.body(request))
        return Response(found, status=201)
