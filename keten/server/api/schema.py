"""What the OpenAPI document says the views answer: documentation only, never used to
serialise a response (the views return the service layer's dicts as they are).

Partners generate clients from ``/api/v1/openapi.json``, so every operation has a stable
``operationId`` and names its success body and the problem+json errors it can give. Shapes are
spelled out where the service function builds a flat, fixed dict (``reads.person_json``,
``reads.procedure_row``, ``queues.queue_summary`` …); richer bodies are plain objects with a
description rather than a guess.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers

from keten.server.api.problems import PROBLEM

# keten.server.api.problems.problem: every error body.
PROBLEM_BODY = inline_serializer(
    "Problem",
    fields={
        "type": serializers.CharField(help_text="urn:keten:problem:<code>"),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "field": serializers.CharField(
            required=False, help_text="The field (or header) the first problem is about."
        ),
        "rule": serializers.CharField(required=False, help_text="The rule it breaks."),
        "invalidParams": serializers.ListField(
            required=False,
            child=inline_serializer(
                "InvalidParam",
                fields={
                    "name": serializers.CharField(),
                    "code": serializers.CharField(),
                    "reason": serializers.CharField(),
                },
            ),
        ),
        "currentVersion": serializers.IntegerField(
            required=False, help_text="409 only: the current version (also the ETag)."
        ),
        "current": serializers.DictField(
            required=False, help_text="409 only: the current representation, to merge with."
        ),
    },
)

F = TypeVar("F", bound=Callable[..., Any])

ERRORS: dict[int, str] = {
    400: "Invalid input or JSON: `field` and `rule` name what is wrong.",
    401: "Not authenticated: send `Authorization: Token <key>` or log in.",
    403: "The account has no organisation and role, or the role may not do this.",
    404: "Not found, or outside your scope (the two are not told apart).",
    409: "Stale `If-Match`: `currentVersion` and `current` carry the current state.",
    428: "A write without `If-Match` (or a `version` in the body).",
}
READ_ERRORS = (400, 401, 403)
ONE_ERRORS = (400, 401, 403, 404)
WRITE_ERRORS = (400, 401, 403, 404, 409, 428)


def operation(
    operation_id: str,
    summary: str,
    body: Any,
    answer: str,
    *,
    status: int = 200,
    errors: Iterable[int] = READ_ERRORS,
    **kwargs: Any,
) -> Callable[[F], F]:
    """``extend_schema`` with the success body (``answer`` describes it) and the
    problem+json errors the operation can give."""
    responses: dict[Any, Any] = {status: OpenApiResponse(body, description=answer)}
    for code in errors:
        responses[(code, PROBLEM)] = OpenApiResponse(PROBLEM_BODY, description=ERRORS[code])
    decorate: Callable[[F], F] = extend_schema(
        operation_id=operation_id, summary=summary, responses=responses, **kwargs
    )
    return decorate


def results(name: str, item: Any) -> Any:
    """``{"results": [...]}``: the lists that are not paged."""
    return inline_serializer(name, fields={"results": many(item)})


def many(item: serializers.Field[Any, Any, Any, Any]) -> serializers.ListField:
    """A list of ``item`` (a copy: a field can be bound to one parent only)."""
    return serializers.ListField(child=copy.deepcopy(item))


def obj() -> serializers.DictField:
    """A JSON object whose shape the description gives."""
    return serializers.DictField()


# reads.person_row: a person in a list.
PERSON_ROW_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "id": serializers.IntegerField(),
    "v_number": serializers.CharField(),
    "given_names": serializers.CharField(),
    "surname": serializers.CharField(),
    "birth_date": serializers.CharField(help_text="Partial date: unknown month or day as 00."),
    "nationality": serializers.CharField(),
}
PERSON_ROW = inline_serializer("PersonRow", fields=PERSON_ROW_FIELDS)
FAMILY_MEMBER = inline_serializer(
    "FamilyMember",
    fields={
        "relation": serializers.ChoiceField(choices=["parent", "child", "partner"]),
        **PERSON_ROW_FIELDS,
    },
)

# reads.person_json: identity, with the family members in your scope.
PERSON = inline_serializer(
    "Person",
    fields={
        "id": serializers.IntegerField(),
        "v_number": serializers.CharField(),
        "given_names": serializers.CharField(),
        "surname": serializers.CharField(),
        "sex": serializers.CharField(),
        "birth_date": serializers.CharField(help_text="Partial date: unknown month or day as 00."),
        "birth_date_complete": serializers.BooleanField(),
        "birth_date_display": serializers.CharField(),
        "nationality": serializers.CharField(),
        "nationality_name": serializers.CharField(),
        "bsn": serializers.CharField(allow_null=True),
        "unaccompanied_minor": serializers.BooleanField(),
        "abroad": serializers.BooleanField(),
        "version": serializers.IntegerField(help_text="Send as If-Match with a write."),
        "family": serializers.ListField(child=FAMILY_MEMBER, required=False),
    },
)

# reads.search_persons, with the view's ``next`` link.
PERSON_PAGE = inline_serializer(
    "PersonPage",
    fields={
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "has_next": serializers.BooleanField(),
        "next": serializers.CharField(allow_null=True, help_text="Link to the next page."),
        "results": many(PERSON_ROW),
    },
)

# reads.procedure_row: the cached view of a procedure (queues and lists).
PROCEDURE_ROW = inline_serializer(
    "ProcedureRow",
    fields={
        "id": serializers.IntegerField(),
        "person_id": serializers.IntegerField(allow_null=True),
        "procedure_type": serializers.CharField(),
        "name": serializers.CharField(),
        "name_en": serializers.CharField(),
        "status": serializers.CharField(),
        "overdue": serializers.BooleanField(),
        "deadline": serializers.CharField(),
        "deadline_name": serializers.CharField(),
        "due": serializers.DateField(allow_null=True),
        "days_left": serializers.IntegerField(allow_null=True),
        "priority": serializers.IntegerField(),
        "priority_text": serializers.CharField(),
        "priority_text_en": serializers.CharField(),
        "dwangsom_eur": serializers.IntegerField(),
        "dwangsom_running": serializers.BooleanField(),
        "queue": serializers.CharField(),
        "team": serializers.CharField(),
        "regime": serializers.CharField(allow_null=True),
        "version": serializers.IntegerField(help_text="Send as If-Match with a write."),
    },
)

# queues.work_queue, with the view's ``next`` link.
QUEUE_PAGE = inline_serializer(
    "QueuePage",
    fields={
        "queue": serializers.CharField(),
        "team": serializers.CharField(),
        "on": serializers.DateField(),
        "page": serializers.IntegerField(allow_null=True),
        "after": serializers.CharField(allow_null=True),
        "page_size": serializers.IntegerField(),
        "has_next": serializers.BooleanField(),
        "next_after": serializers.CharField(allow_null=True),
        "next": serializers.CharField(allow_null=True, help_text="Link to the next page."),
        "results": many(obj()),
    },
)

# queues.queue_summary
QUEUE_SUMMARY = inline_serializer(
    "QueueSummary",
    fields={
        "open": serializers.IntegerField(),
        "overdue": serializers.IntegerField(),
        "due_14": serializers.IntegerField(help_text="Due within 14 days."),
        "priority": serializers.IntegerField(help_text="Pact priority 0 or 1."),
        "dwangsom_running": serializers.IntegerField(),
        "dwangsom_exposure_eur": serializers.IntegerField(),
    },
)

# queues.dashboard
DASHBOARD = inline_serializer(
    "Dashboard",
    fields={
        "on": serializers.DateField(),
        "procedures": serializers.ListField(
            child=inline_serializer(
                "DashboardProcedure",
                fields={
                    "procedure_type": serializers.CharField(),
                    "name": serializers.CharField(),
                    "by_status": serializers.DictField(child=serializers.IntegerField()),
                    "missed": serializers.IntegerField(),
                },
            )
        ),
        "deadlines_missed": serializers.IntegerField(),
        "dwangsom_running": serializers.IntegerField(),
        "dwangsom_exposure_eur": serializers.IntegerField(),
        "occupancy": serializers.ListField(
            child=inline_serializer(
                "Occupancy",
                fields={"kind": serializers.CharField(), "n": serializers.IntegerField()},
            )
        ),
    },
)

# views.MeView
ME = inline_serializer(
    "Me",
    fields={
        "username": serializers.CharField(),
        "organisation": serializers.CharField(),
        "role": serializers.CharField(),
        "role_name": serializers.CharField(),
        "team": serializers.CharField(),
        "scope": serializers.CharField(),
        "purpose": serializers.CharField(),
        "allow": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        "procedures": serializers.ListField(child=serializers.CharField()),
    },
)

# views.PolicyView
POLICY = inline_serializer(
    "Policy",
    fields={
        "resources": serializers.DictField(child=serializers.DictField()),
        "roles": serializers.DictField(
            child=inline_serializer(
                "PolicyRole",
                fields={
                    "organisation": serializers.CharField(),
                    "scope": serializers.CharField(),
                    "allow": serializers.DictField(
                        child=serializers.ListField(child=serializers.CharField())
                    ),
                },
            )
        ),
    },
)

# reads.decision_trail
DECISION_TRAIL = inline_serializer(
    "DecisionTrail",
    fields={
        "decision_id": serializers.IntegerField(),
        "rule_trail": serializers.JSONField(),
    },
)

# reads.audit_log
AUDIT_PAGE = inline_serializer(
    "AuditPage",
    fields={
        "results": many(obj()),
        "next_after": serializers.IntegerField(
            allow_null=True, help_text="Pass as `after` for the next records."
        ),
    },
)

# reads.decision_json
DECISION = inline_serializer(
    "Decision",
    fields={
        "id": serializers.IntegerField(),
        "procedure_id": serializers.IntegerField(),
        "outcome": serializers.CharField(),
        "outcome_text": serializers.CharField(),
        "outcome_text_en": serializers.CharField(),
        "grounds": serializers.CharField(),
        "decided_on": serializers.DateField(),
        "recorded_by": serializers.CharField(),
        "recorded_org": serializers.CharField(),
        "reason": serializers.CharField(),
        "rule_trail": serializers.JSONField(
            required=False, help_text="Only for roles that may read the rule trail."
        ),
    },
)

# commands.decide
DECIDED = inline_serializer(
    "Decided",
    fields={"decision": copy.deepcopy(DECISION), "procedure": copy.deepcopy(PROCEDURE_ROW)},
)
