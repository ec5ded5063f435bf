"""``/api/v1``: the court's procedures (``services/appeals.py``): lodge one naming the decision
it contests, record how it ended, and the IND's decision again on the original procedure;
thin views like the rest of the API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import DECIDED, ONE_ERRORS, PROCEDURE_ROW, WRITE_ERRORS, operation
from keten.server.api.views import IF_MATCH, ON, KetenView
from keten.server.services import appeals
from keten.server.services.actor import Actor

_REASON = serializers.CharField(max_length=2000, help_text="Why: recorded with the row and audit.")
_DAY = serializers.DateField(help_text="The day it happened (not after today).")


def _version(of: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, help_text=f"The {of}'s version, when no `If-Match` is sent."
    )


APPEAL_LODGING = inline_serializer(
    "AppealLodging",
    fields={
        "procedure_type": serializers.ChoiceField(
            choices=["appeal", "interim_relief", "higher_appeal", "detention_appeal"]
        ),
        "contests": serializers.IntegerField(
            required=False,
            help_text="The decision contested: an IND decision (appeal, interim relief) or a "
            "district court's judgment on an appeal (higher appeal).",
        ),
        "measure": serializers.IntegerField(
            required=False, help_text="Detention appeal: the detention measure's id."
        ),
        "day": _DAY,
        "facts": serializers.DictField(required=False),
        "reason": _REASON,
        "version": _version("person"),
    },
)

APPEAL_OUTCOME = inline_serializer(
    "AppealOutcome",
    fields={
        "ending": serializers.ChoiceField(choices=["judgment", "withdrawn", "decision_withdrawn"]),
        "outcome": serializers.ChoiceField(
            choices=["well_founded", "unfounded", "inadmissible"],
            required=False,
            help_text="The judgment's outcome (only with ending judgment).",
        ),
        "day": _DAY,
        "grounds": serializers.CharField(required=False, max_length=4000),
        "reason": _REASON,
        "version": _version("procedure"),
    },
)

DECISION_AGAIN = inline_serializer(
    "DecisionAgain",
    fields={
        "outcome": serializers.ChoiceField(
            choices=["granted", "refused", "refused_manifestly_unfounded", "inadmissible", "other"]
        ),
        "after": serializers.IntegerField(
            help_text="The court procedure that ended well-founded or by withdrawal."
        ),
        "day": _DAY,
        "grounds": serializers.CharField(required=False, max_length=4000),
        "reason": _REASON,
        "version": _version("procedure"),
    },
)

OUTCOME_RECORDED = inline_serializer(
    "AppealOutcomeRecorded",
    fields={"decision": serializers.DictField(allow_null=True), "procedure": PROCEDURE_ROW},
)


def _etag(data: dict[str, object], version: object, status: int = 201) -> Response:
    response = Response(data, status=status)
    response["ETag"] = f'"{version}"'
    return response


class PersonAppealsView(KetenView):
    @operation(
        "appeal_lodge",
        "Lodge a court procedure naming the decision (or detention) it contests",
        PROCEDURE_ROW,
        "The new court procedure with `contests` (the decision), `measure` and `ending` (ETag: "
        "its version). Refused (422) for a decision of another person, before the decision, a "
        "day after today, a higher appeal not against an appeal's judgment, an appeal against "
        "a judgment, or a second open one of the kind against the same decision.",
        status=201,
        errors=WRITE_ERRORS,
        etag="The new procedure's version",
        request=APPEAL_LODGING,
        parameters=[IF_MATCH, ON],
    )
    def post(self, request: Request, person_id: int) -> Response:
        body = self.body(request)
        actor: Actor = self.actor(request)
        data = appeals.lodge(actor, person_id, body, self.if_match(request, body), self.on(request))
        return _etag(data, data["version"])


class AppealOutcomeView(KetenView):
    @operation(
        "appeal_outcome",
        "Record how a court procedure ended: judgment with outcome, or withdrawn",
        OUTCOME_RECORDED,
        "The judgment's decision (null for a withdrawal) and the procedure after it.",
        status=201,
        errors=WRITE_ERRORS,
        etag="The procedure's new version",
        request=APPEAL_OUTCOME,
        parameters=[IF_MATCH, ON],
    )
    def post(self, request: Request, procedure_id: int) -> Response:
        body = self.body(request)
        data = appeals.record_outcome(
            self.actor(request), procedure_id, body, self.if_match(request, body), self.on(request)
        )
        return _etag(data, data["procedure"]["version"])


class DecidedAgainView(KetenView):
    @operation(
        "procedure_decided_again",
        "The IND's new decision after a well-founded appeal or its withdrawal of the decision",
        DECIDED,
        "The new decision on the original procedure and the procedure after it.",
        status=201,
        errors=WRITE_ERRORS,
        etag="The procedure's new version",
        request=DECISION_AGAIN,
        parameters=[IF_MATCH, ON],
    )
    def post(self, request: Request, procedure_id: int) -> Response:
        body = self.body(request)
        data = appeals.decide_again(
            self.actor(request), procedure_id, body, self.if_match(request, body), self.on(request)
        )
        return _etag(data, data["procedure"]["version"])


class ProcedureAppealsView(KetenView):
    @operation(
        "procedure_appeals",
        "A procedure's court side: what it contests, the appeals against it, decisions again",
        OpenApiTypes.OBJECT,
        "For a court procedure `contests`, `measure` and `ending`; for any procedure "
        "`contested_by` (court procedures against its decisions, each with its ending) and "
        "`decided_again` (day, after).",
        errors=ONE_ERRORS,
    )
    def get(self, request: Request, procedure_id: int) -> Response:
        return Response(appeals.of_procedure(self.actor(request), procedure_id))
