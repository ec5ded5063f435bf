"""``/api/v1/return/operations``: special flights and joint identification missions shared
with the Belgian partner (``services/return_operations.py``), thin views as in ``views``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import many, operation
from keten.server.api.views import ON, KetenView
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
    }


OPERATION = inline_serializer("ReturnOperation", fields=_operation_fields())
PROGRAMME = inline_serializer(
    "ReturnOperations",
    fields={"on": serializers.DateField(), "results": many(OPERATION)},
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
