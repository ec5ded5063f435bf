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

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers

from keten.catalog.loader import PROCEDURES_DIR
from keten.chain.kinds import (
    DECISION_OUTCOMES,
    DOCUMENT_TYPES,
    HANDOVER_TYPES,
    MEASURE_TYPES,
    PLACEMENT_TYPES,
)
from keten.chain.support_offers import MAX_AMOUNT_EUR, PROGRAMMES, SUPPORT_KINDS, WITH_AMOUNT
from keten.server.api.problems import PROBLEM
from keten.server.services.bounds import MAX_BODY_BYTES, MAX_ID, MAX_PAGE, MAX_PARAM_LENGTH
from keten.server.services.inputs import MULTILINE_FROM

# keten.server.api.problems.body: every error body, in English and in Dutch.
PROBLEM_BODY = inline_serializer(
    "Problem",
    fields={
        "type": serializers.CharField(help_text="urn:keten:problem:<code>"),
        "title": serializers.CharField(),
        "title_nl": serializers.CharField(help_text="The title in Dutch."),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "detail_nl": serializers.CharField(help_text="The detail in Dutch."),
        "field": serializers.CharField(
            required=False, help_text="The field (or header) the first problem is about."
        ),
        "rule": serializers.CharField(required=False, help_text="The rule it breaks."),
        "rule_nl": serializers.CharField(
            required=False, help_text="The rule in Dutch (with `field`)."
        ),
        "invalidParams": serializers.ListField(
            required=False,
            help_text="With `field`: every problem (the Dutch API strategy's extension).",
            child=inline_serializer(
                "InvalidParam",
                fields={
                    "name": serializers.CharField(),
                    "code": serializers.CharField(),
                    "reason": serializers.CharField(),
                    "reason_nl": serializers.CharField(help_text="The reason in Dutch."),
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
    400: "Invalid input, JSON or query parameter: `field` and `rule` name what is wrong.",
    401: "Not authenticated: send `Authorization: Token <key>` or log in.",
    403: "The account has no organisation and role, or the role may not do this.",
    404: "Not found, or outside your scope (the two are not told apart).",
    409: "Stale `If-Match`: `currentVersion` and `current` carry the current state; or "
    "(`identity-conflict`) a V-number or BSN the register already holds, answered the same "
    "whoever holds it.",
    413: f"The body is larger than {MAX_BODY_BYTES} bytes.",
    415: "The body is not `application/json`.",
    422: "Well-formed, but it contradicts what the dossier holds (a decision before the "
    "application, a second decision): `field` and `rule` say what.",
    428: "A write without `If-Match` (or a `version` in the body).",
    503: "The installation lacks a part this needs (e.g. the exchange's signing key).",
}
# Every operation: a query parameter is held to its bounds (a NUL byte, a megabyte) whether the
# operation reads it or not, and every request needs an account with a role.
READ_ERRORS = (400, 401, 403)
ONE_ERRORS = (400, 401, 403, 404)
# A write on a dossier or procedure that exists: it may be stale (409), name no version (428),
# or contradict the case (422).
WRITE_ERRORS = (400, 401, 403, 404, 409, 422, 428)
# Every operation that reads a body: too large (413), or not JSON (415).
BODY_ERRORS = (413, 415)


def operation(
    operation_id: str,
    summary: str,
    body: Any,
    answer: str,
    *,
    status: int = 200,
    errors: Iterable[int] = READ_ERRORS,
    etag: str | None = None,
    conflict_etag: bool = True,
    media: dict[str, OpenApiResponse] | None = None,
    media_types: tuple[str, ...] = (),
    **kwargs: Any,
) -> Callable[[F], F]:
    """``extend_schema`` with the success body (``answer`` describes it) and the
    problem+json errors the operation can give (with a request body also 413 and 415).
    ``media``: the success answer's other media types (media type -> response).
    ``etag`` documents the ``ETag`` header the success answer carries (what version it is);
    a version conflict (409) carries the current version as ETag (``problems.from_service``);
    ``conflict_etag=False`` where a 409 can only be an identifier conflict, which has none."""
    errors = tuple(errors)
    if kwargs.get("request") is not None:
        errors = (*errors, *(code for code in BODY_ERRORS if code not in errors))
    responses: dict[Any, Any] = {status: OpenApiResponse(body, description=answer)}
    if media:  # the success answer in other media types too (a letter as HTML or PDF)
        responses = {(status, "application/json"): responses[status]}
        responses.update({(status, m): r for m, r in media.items()})
    elif media_types:  # a file (an export) in one of these formats instead of JSON
        responses = {(status, m): OpenApiResponse(body, description=answer) for m in media_types}
    for code in sorted(errors):
        responses[(code, PROBLEM)] = OpenApiResponse(PROBLEM_BODY, description=ERRORS[code])
    if etag is not None:
        kwargs["parameters"] = [
            *kwargs.get("parameters", ()),
            OpenApiParameter(
                "ETag",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=[status, *(409 for _ in (1,) if 409 in errors and conflict_etag)],
                description=f'{etag}, quoted (e.g. `"4"`): send it as `If-Match` with the '
                "next write."
                + (
                    " On a version conflict (409): the current version."
                    if 409 in errors and conflict_etag
                    else ""
                ),
            ),
        ]
    decorate: Callable[[F], F] = extend_schema(
        operation_id=operation_id, summary=summary, responses=responses, **kwargs
    )
    return decorate


# Query parameters are names, codes, days and numbers: one line, short. ``KetenView.initial``
# holds every one to ``bounds.MAX_PARAM_LENGTH`` (400 naming it), whether the operation reads
# it or not.
ONE_LINE = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"  # no control characters (Unicode Cc)


def query_text(name: str, description: str = "", **kwargs: Any) -> OpenApiParameter:
    """A text query parameter, with the bounds every query parameter is held to."""
    schema = {"type": "string", "maxLength": MAX_PARAM_LENGTH, "pattern": ONE_LINE}
    return OpenApiParameter(name, schema, description=description, **kwargs)


def query_int(name: str, low: int, high: int, description: str = "") -> OpenApiParameter:
    """A whole-number query parameter from ``low`` to ``high`` (``bounds.whole_number``)."""
    schema = {"type": "integer", "minimum": low, "maximum": high}
    return OpenApiParameter(name, schema, description=description)


PAGE = query_int("page", 1, MAX_PAGE, "Page number, from 1.")


def page_size(high: int) -> OpenApiParameter:
    return query_int("page_size", 1, high, "Rows per page.")


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
        "merged_into": serializers.IntegerField(
            allow_null=True,
            help_text="Set when this person was merged into another (the survivor's id): "
            "the dossier stays as it was; read the person through the survivor.",
        ),
        "family": serializers.ListField(child=FAMILY_MEMBER, required=False),
    },
)

# person_search.search: a row says how the name matched the query (``q`` only).
NAME_MATCH = inline_serializer(
    "NameMatch",
    fields={
        "query": serializers.CharField(help_text="The query part (folded)."),
        "name": serializers.CharField(help_text="The name part it matched (folded)."),
        "how": serializers.ChoiceField(choices=["exact", "prefix", "variant", "similar"]),
    },
)


def person_row_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """Fresh fields of a person row: a serializer class takes (pops) the fields it is given,
    so PERSON_ROW_FIELDS is spent once PERSON_ROW is made."""
    return {
        "id": serializers.IntegerField(),
        "v_number": serializers.CharField(),
        "given_names": serializers.CharField(),
        "surname": serializers.CharField(),
        "birth_date": serializers.CharField(help_text="Partial date: unknown month or day as 00."),
        "nationality": serializers.CharField(),
    }


PERSON_SEARCH_ROW = inline_serializer(
    "PersonSearchRow",
    fields={
        **person_row_fields(),
        "matched": serializers.ListField(
            child=NAME_MATCH, help_text="How the name matched `q` (empty without `q`)."
        ),
    },
)

# person_search.search, with the view's ``next`` link.
PERSON_PAGE = inline_serializer(
    "PersonPage",
    fields={
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "has_next": serializers.BooleanField(),
        "next": serializers.CharField(allow_null=True, help_text="Link to the next page."),
        "results": many(PERSON_SEARCH_ROW),
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
        "stage": serializers.CharField(
            help_text="Where the case stands: the kind of its latest event ('' before any)."
        ),
        "stage_name": serializers.CharField(allow_null=True),
        "stage_name_en": serializers.CharField(allow_null=True),
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
        "filters": serializers.CharField(help_text="The filters applied, as a query string."),
        "next": serializers.CharField(allow_null=True, help_text="Link to the next page."),
        "results": many(obj()),
    },
)

# border_capacity.Margin.to_json (in the queue summary and the dashboard)
BORDER_CAPACITY = inline_serializer(
    "BorderCapacity",
    allow_null=True,
    help_text="Border procedures running against the Pact's adequate capacity (211, seed "
    "002); null for a role that handles no border procedure outside the chain's dashboard, "
    "and before 12 June 2026.",
    fields={
        "on": serializers.DateField(),
        "running": serializers.IntegerField(help_text="Open border procedures in Keten."),
        "capacity": serializers.IntegerField(),
        "margin": serializers.IntegerField(help_text="Capacity minus running; below 0: over."),
        "reached": serializers.BooleanField(),
        "source": serializers.CharField(),
        "source_en": serializers.CharField(),
        "capacity_citation": serializers.CharField(),
        "places": inline_serializer(
            "BorderPlaces",
            help_text="The places registered at the border locations open on the day "
            "(location kind border) and the persons placed there: a count of beds next to the "
            "count of procedures, not a substitute for it.",
            fields={
                "locations": serializers.IntegerField(),
                "registered": serializers.IntegerField(),
                "reserve": serializers.IntegerField(),
                "occupied": serializers.IntegerField(),
                "free": serializers.IntegerField(),
                "source": serializers.CharField(),
                "source_en": serializers.CharField(),
            },
        ),
        "places_differ": serializers.BooleanField(
            help_text="The registered places differ from the adequate capacity: both are shown."
        ),
    },
)

# queues.queue_summary
QUEUE_SUMMARY = inline_serializer(
    "QueueSummary",
    fields={
        "open": serializers.IntegerField(),
        "overdue": serializers.IntegerField(),
        "due_7": serializers.IntegerField(help_text="Due within 7 days (not yet overdue)."),
        "due_14": serializers.IntegerField(help_text="Due within 14 days (not yet overdue)."),
        "priority": serializers.IntegerField(help_text="Pact priority 0 or 1."),
        "unassigned": serializers.IntegerField(help_text="Assigned to nobody."),
        "mine": serializers.IntegerField(help_text="Assigned to you."),
        "dwangsom_running": serializers.IntegerField(),
        "dwangsom_exposure_eur": serializers.IntegerField(),
        "filters": serializers.DictField(
            child=serializers.CharField(),
            help_text="Per count, the query string of GET /api/v1/queue (and the page /queue) "
            "that lists exactly its cases.",
        ),
        "border_capacity": BORDER_CAPACITY,
    },
)

# queues.dashboard
DASHBOARD = inline_serializer(
    "Dashboard",
    fields={
        "on": serializers.DateField(),
        "reach": serializers.ChoiceField(
            choices=["chain", "own", "scope", "none"],
            help_text="Whose procedures are counted: the whole chain, the role's own "
            "organisation's queues, the persons in its scope, or none.",
        ),
        "procedures": serializers.ListField(
            child=inline_serializer(
                "DashboardProcedure",
                fields={
                    "procedure_type": serializers.CharField(),
                    "name": serializers.CharField(),
                    "name_en": serializers.CharField(),
                    "by_status": serializers.DictField(child=serializers.IntegerField()),
                    "missed": serializers.IntegerField(),
                    "filters": serializers.DictField(
                        child=serializers.CharField(),
                        help_text="Per open status and `missed`: the query string of GET "
                        "/api/v1/queue listing exactly those cases (none for closed ones).",
                    ),
                },
            )
        ),
        "deadlines_missed": serializers.IntegerField(),
        "dwangsom_running": serializers.IntegerField(),
        "filters": serializers.DictField(
            child=serializers.CharField(),
            help_text="`deadlines_missed`, `dwangsom_running`: the queue's query strings.",
        ),
        "dwangsom_exposure_eur": serializers.IntegerField(),
        "occupancy": serializers.ListField(
            child=inline_serializer(
                "Occupancy",
                fields={
                    "kind": serializers.CharField(),
                    "name": serializers.CharField(),
                    "name_en": serializers.CharField(),
                    "n": serializers.IntegerField(),
                },
            )
        ),
        "border_capacity": BORDER_CAPACITY,
    },
)

# taakstelling.overview
TAAKSTELLING = inline_serializer(
    "Taakstelling",
    fields={
        "on": serializers.DateField(),
        "source": serializers.CharField(),
        "current": serializers.CharField(help_text="The current half-year, e.g. 2026-II."),
        "versions": serializers.DictField(
            child=serializers.IntegerField(),
            help_text="Per half-year shown, its version: name it to record on that half-year.",
        ),
        "totals": serializers.ListField(
            child=inline_serializer(
                "TaakstellingTotal",
                fields={
                    "period": serializers.CharField(),
                    "municipalities": serializers.IntegerField(),
                    "announced": serializers.IntegerField(),
                    "quota": serializers.IntegerField(help_text="Sum of the quotas announced."),
                    "realised": serializers.IntegerField(
                        help_text="Realised in the municipalities with a quota."
                    ),
                    "met": serializers.IntegerField(),
                    "not_met": serializers.IntegerField(),
                },
            ),
            help_text="Per half-year, over the municipalities shown.",
        ),
        "next": inline_serializer(
            "TaakstellingNext",
            fields={
                "period": serializers.CharField(),
                "due": serializers.DateField(help_text="Announce by this day."),
                "days_left": serializers.IntegerField(),
                "citation": serializers.CharField(),
                "announced": serializers.IntegerField(
                    help_text="Municipalities (of those you see) announced for it."
                ),
                "municipalities": serializers.IntegerField(),
            },
        ),
        "results": serializers.ListField(
            child=inline_serializer(
                "TaakstellingRow",
                fields={
                    "municipality": serializers.CharField(),
                    "name": serializers.CharField(),
                    "period": serializers.CharField(help_text="Half-year, e.g. 2026-II."),
                    "start": serializers.DateField(),
                    "end": serializers.DateField(help_text="Its last day."),
                    "procedure": serializers.IntegerField(
                        allow_null=True, help_text="The half-year's file; null: none yet."
                    ),
                    "quota": serializers.IntegerField(allow_null=True),
                    "announced_on": serializers.DateField(allow_null=True),
                    "announcement": inline_serializer(
                        "TaakstellingAnnouncement",
                        fields={
                            "due": serializers.DateField(
                                allow_null=True, help_text="Announce by this day."
                            ),
                            "status": serializers.CharField(
                                help_text="The announcement deadline's status (open, met, "
                                "late, overdue)."
                            ),
                        },
                        allow_null=True,
                        help_text="The announcement deadline; null: the half-year has no file "
                        "yet (nothing announced).",
                    ),
                    "housed": serializers.IntegerField(
                        help_text="Persons whose municipal housing began in the half-year."
                    ),
                    "established": serializers.IntegerField(allow_null=True),
                    "realised": serializers.IntegerField(
                        help_text="The established figure, else `housed`."
                    ),
                    "remaining": serializers.IntegerField(allow_null=True),
                    "status": serializers.ChoiceField(
                        choices=["not_announced", "upcoming", "running", "met", "not_met"]
                    ),
                    "closed_on": serializers.DateField(allow_null=True),
                    "days_left": serializers.IntegerField(allow_null=True),
                    "rung": serializers.IntegerField(
                        help_text="Rung of the intervention ladder after this half-year."
                    ),
                    "waiting": serializers.IntegerField(
                        allow_null=True,
                        help_text="Current half-year: matched by COA, not housed yet.",
                    ),
                },
            )
        ),
    },
)

# taakstelling.record
TAAKSTELLING_INPUT = inline_serializer(
    "TaakstellingRecord",
    fields={
        "kind": serializers.ChoiceField(
            choices=["announced", "period_closed"],
            help_text="`announced`: the quota (a later one revises it); `period_closed`: the "
            "result established, optionally with the established number housed.",
        ),
        "period": serializers.CharField(help_text="Half-year, e.g. 2027-I."),
        "day": serializers.DateField(),
        "figures": serializers.ListField(
            required=False,
            help_text="Per municipality its figure; or, to announce, `national` and "
            "`populations` instead.",
            child=inline_serializer(
                "TaakstellingFigure",
                fields={
                    "municipality": serializers.CharField(help_text="e.g. utrecht"),
                    "value": serializers.IntegerField(
                        min_value=0,
                        allow_null=True,
                        help_text="The quota, or the established number housed.",
                    ),
                },
            ),
        ),
        "national": serializers.IntegerField(
            required=False,
            min_value=0,
            help_text="The national quota, split over `populations` in proportion (seed 001, "
            "4.5), whole persons by the largest remainder.",
        ),
        "populations": serializers.DictField(
            required=False,
            child=serializers.IntegerField(min_value=1),
            help_text="Municipality: number of inhabitants.",
        ),
        "reason": serializers.CharField(),
        "version": serializers.IntegerField(
            required=False,
            help_text="The half-year's version you read (`versions` of the list; 0 before any "
            "announcement), unless given as If-Match.",
        ),
    },
)
TAAKSTELLING_RECORDED = inline_serializer(
    "TaakstellingRecorded",
    fields={
        "period": serializers.CharField(),
        "kind": serializers.CharField(),
        "version": serializers.IntegerField(help_text="The half-year's new version."),
        "results": serializers.ListField(child=obj()),
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
        "events": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Procedure type -> the event kinds the role records on a type it does not "
            "handle (policy.yaml `events`).",
        ),
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

# audit_reads.audit_log
AUDIT_PAGE = inline_serializer(
    "AuditPage",
    fields={
        "results": many(obj()),
        "next_after": serializers.IntegerField(
            allow_null=True, help_text="Oldest first: pass as `after` for the next records."
        ),
        "next_before": serializers.IntegerField(
            allow_null=True, help_text="Newest first: pass as `before` for the next records."
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


# -- request bodies: what the service commands read (keten.server.services.commands) ----------
#
# ``text`` fields: a non-blank string, at most ``max_len`` characters (before stripping).
# ``day`` fields: an ISO date, YYYY-MM-DD. Every write needs a ``reason`` (at most 2000
# characters): it goes into the dossier event and the audit trail.


def _reason() -> serializers.CharField:
    return serializers.CharField(
        max_length=2000, help_text="Why: recorded with the write in the dossier and audit log."
    )


def _version() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        help_text="The version the write is based on, when the request sends no `If-Match` "
        "header (the header wins). One of the two is required (else 428).",
    )


def _choices(kinds: dict[str, Any] | Iterable[str]) -> list[str]:
    return sorted(kinds)


def _list(kinds: dict[str, Any]) -> str:
    return ", ".join(f"`{k}`" for k in sorted(kinds))


# The catalogue's procedure types (``keten/catalog/procedures/<id>.yaml``).
PROCEDURE_TYPES = sorted(path.stem for path in PROCEDURES_DIR.glob("*.yaml"))


def _identity(*, required: bool) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """commands._identity: required on registration, each optional on a correction."""
    return {
        "v_number": serializers.RegexField(
            r"^[0-9]{10}$",
            max_length=10,
            required=required,
            help_text="The V-number: ten digits. Unique.",
        ),
        "given_names": serializers.CharField(max_length=200, required=required),
        "surname": serializers.CharField(max_length=200, required=required),
        "birth_date": serializers.RegexField(
            # keten.chain.identity.PartialDate: year 1880-2100, month 00-12, day 00-31
            r"^(18[89][0-9]|19[0-9]{2}|20[0-9]{2}|2100)-(0[0-9]|1[0-2])-(0[0-9]|[12][0-9]|3[01])$",
            max_length=10,
            required=required,
            help_text="Partial date YYYY-MM-DD, 00 for an unknown month or day; year 1880-2100.",
        ),
        "nationality": serializers.RegexField(
            r"^[A-Za-z]{3}$",
            max_length=3,
            required=required,
            help_text=(
                "ISO 3166-1 alpha-3 code of a country (upper-cased), as ICAO Doc 9303 writes "
                "it; XXA stateless, XXX unknown. A code that names no country is refused."
            ),
        ),
        "sex": serializers.ChoiceField(
            choices=["m", "f", "x"],
            required=False,
            allow_null=True,
            help_text="Default (also when null or empty): x." if required else "Null or empty: x.",
        ),
        "bsn": serializers.CharField(
            required=False,
            allow_null=True,
            allow_blank=True,
            help_text="Burgerservicenummer, must pass the elfproef; null or empty: none. Unique.",
        ),
        "unaccompanied_minor": serializers.BooleanField(required=False),
        "abroad": serializers.BooleanField(required=False),
    }


# commands.register_person
PERSON_REGISTRATION = inline_serializer(
    "PersonRegistration",
    fields={
        **_identity(required=True),
        "reason": _reason(),
        "confirm_not_duplicate": serializers.BooleanField(
            required=False,
            help_text="True registers a person who resembles persons in your scope (same "
            "name, spelling aside, and birth date) as someone else; without it such a "
            "registration is refused with 409 `possible-duplicate` listing the `candidates`.",
        ),
    },
)


class _Whole(serializers.Serializer[Any]):
    """A PATCH body whose required fields stay required in the document: drf-spectacular
    documents every PATCH body as partial (all fields optional), as DRF's partial update
    reads it; ``commands.correct_person`` does not, it requires ``reason``."""

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass


# commands.correct_person: at least one identity field (else 400, field `body`).
PERSON_CORRECTION = type(
    "PersonCorrection",
    (_Whole,),
    {**_identity(required=False), "reason": _reason(), "version": _version()},
)

# commands.link_family
FAMILY_LINK = inline_serializer(
    "FamilyLink",
    fields={
        "relation": serializers.ChoiceField(
            choices=["partner", "parent", "child"],
            help_text="What the other person is to this one.",
        ),
        "other_person_id": serializers.IntegerField(
            required=False, help_text="The other person's id; or send `other_v_number`."
        ),
        "other_v_number": serializers.CharField(
            required=False,
            help_text="The other person's V-number (in your scope), when no "
            "`other_person_id` is sent.",
        ),
        "reason": _reason(),
        "version": _version(),
    },
)


def _event_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """commands._event_input"""
    return {
        "kind": serializers.CharField(
            max_length=64,
            help_text="An event of the procedure type (the catalogue, "
            "`GET /api/v1/catalog/procedures`); checked against the procedure's events.",
        ),
        "day": serializers.DateField(),
        "data": serializers.DictField(
            required=False, help_text="Event data the procedure type's rules read."
        ),
    }


# commands.lodge
PROCEDURE_LODGING = inline_serializer(
    "ProcedureLodge",
    fields={
        "procedure_type": serializers.ChoiceField(
            choices=PROCEDURE_TYPES,
            help_text="A catalogue procedure type that your role handles (else 403).",
        ),
        "day": serializers.DateField(
            required=False,
            help_text="The day of the first event; required unless `event` is sent, and then "
            "equal to its day if given.",
        ),
        "event": inline_serializer(
            "ProcedureFirstEvent",
            fields=_event_fields(),
            required=False,
            help_text="The first event; default: the procedure type's opening event on `day`.",
        ),
        "facts": serializers.DictField(
            required=False, help_text="Facts the procedure type's rules read (default {})."
        ),
        "reason": _reason(),
        "version": _version(),
    },
)

# commands.record_event
PROCEDURE_EVENT = inline_serializer(
    "ProcedureEvent", fields={**_event_fields(), "reason": _reason(), "version": _version()}
)

# commands.decide
DECISION_INPUT = inline_serializer(
    "Decide",
    fields={
        "outcome": serializers.ChoiceField(choices=_choices(DECISION_OUTCOMES)),
        "day": serializers.DateField(help_text="The day of the decision (its stop event)."),
        "grounds": serializers.CharField(max_length=4000, required=False),
        "rule_trail": serializers.JSONField(
            required=False,
            help_text="The trail (list) or outcome (object) of the rule that supports it.",
        ),
        "event_kind": serializers.CharField(
            required=False,
            help_text="The stop event to record: one of the procedure type's main deadline "
            "stops (default `decided` where it is one, else the first).",
        ),
        "coi": serializers.ListField(
            child=serializers.JSONField(),
            required=False,
            max_length=20,
            help_text="The COI documents the decision relied on: ids, or objects `{document, "
            "confirm_other_country, confirm_not_in_force}`. Refused (422) when one was "
            "published after the decision day, and, unless confirmed, when it is about "
            "another country than the person's nationality or not in force on the day.",
        ),
        "reason": _reason(),
        "version": _version(),
    },
)

# commands.add_record: the fields depend on the resource in the path (commands._BUILDERS).
RECORD_INPUT_DESCRIPTION = (
    "The body's fields depend on `resource` (besides `reason`, and `version` when no "
    "`If-Match` is sent), one shape each (`MeasureAdd`, `PlacementAdd`, `DocumentAdd`, "
    "`HandoverAdd`, `TextAdd`):\n\n"
    f"- `measures`: `kind` (one of {_list(MEASURE_TYPES)}), `start`; optional `end` (not "
    "before `start`), `legal_basis`.\n"
    f"- `placements`: `kind` (one of {_list(PLACEMENT_TYPES)}), `location`, `start`; "
    "`municipality` (required for `municipal_housing`; a municipality places only in its own "
    "housing); optional `end` (not before `start`).\n"
    f"- `documents`: `kind` (one of {_list(DOCUMENT_TYPES)}), `number`, `issued`; optional "
    "`valid_until` (not before `issued`).\n"
    f"- `handovers`: `kind` (one of {_list(HANDOVER_TYPES)}), `to_org` (an organisation "
    "code), `day`; optional `note`. The receiving organisation gets access to the dossier.\n"
    "- `asylum-motives`, `findings-1f`: `text`.\n"
    f"- `support-offers` (`SupportOfferAdd`): `kind` (one of {_list(SUPPORT_KINDS)}), "
    f"`programme` (one of {_list(PROGRAMMES)}), `offered_on`; `amount_eur` (whole euros, 1 to "
    f"{MAX_AMOUNT_EUR}) required for a cash contribution, only for "
    f"{_list(dict.fromkeys(WITH_AMOUNT, 1))}; optional `note`."
)


def _record(name: str, fields: dict[str, serializers.Field[Any, Any, Any, Any]]) -> Any:
    return inline_serializer(name, fields={**fields, "reason": _reason(), "version": _version()})


def _period() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """commands._period"""
    return {
        "start": serializers.DateField(),
        "end": serializers.DateField(required=False, help_text="Not before `start`."),
    }


# commands.add_record: one shape per resource (commands._BUILDERS); the path's `resource` says
# which (RECORD_INPUT_DESCRIPTION).
RECORD_INPUT = PolymorphicProxySerializer(
    component_name="RecordAdd",
    resource_type_field_name=None,
    serializers=[
        _record(
            "MeasureAdd",
            {
                "kind": serializers.ChoiceField(choices=_choices(MEASURE_TYPES)),
                **_period(),
                "legal_basis": serializers.CharField(required=False, max_length=200),
            },
        ),
        _record(
            "PlacementAdd",
            {
                "kind": serializers.ChoiceField(choices=_choices(PLACEMENT_TYPES)),
                "location": serializers.CharField(max_length=200),
                **_period(),
                "municipality": serializers.CharField(
                    required=False,
                    max_length=64,
                    help_text="Required for kind `municipal_housing`; a municipality places "
                    "only in its own housing.",
                ),
            },
        ),
        _record(
            "DocumentAdd",
            {
                "kind": serializers.ChoiceField(choices=_choices(DOCUMENT_TYPES)),
                "number": serializers.CharField(max_length=32),
                "issued": serializers.DateField(),
                "valid_until": serializers.DateField(
                    required=False, help_text="Not before `issued`."
                ),
            },
        ),
        _record(
            "HandoverAdd",
            {
                "kind": serializers.ChoiceField(choices=_choices(HANDOVER_TYPES)),
                "to_org": serializers.CharField(
                    max_length=64, help_text="The receiving organisation's code."
                ),
                "day": serializers.DateField(),
                "note": serializers.CharField(required=False, max_length=4000),
            },
        ),
        _record(
            "TextAdd",
            {"text": serializers.CharField(max_length=20000)},
        ),
        _record(
            "SupportOfferAdd",
            {
                "kind": serializers.ChoiceField(choices=_choices(SUPPORT_KINDS)),
                "programme": serializers.ChoiceField(choices=_choices(PROGRAMMES)),
                "amount_eur": serializers.IntegerField(
                    required=False, min_value=1, max_value=MAX_AMOUNT_EUR
                ),
                "offered_on": serializers.DateField(),
                "note": serializers.CharField(required=False, max_length=2000),
            },
        ),
    ],
)

# commands.end_record
RECORD_END = inline_serializer(
    "RecordEnd",
    fields={
        "end": serializers.DateField(
            help_text="The end day: not after today, not before the record's start."
        ),
        "reason": _reason(),
        "version": _version(),
    },
)

# Withdrawals (services/corrections.py)
WITHDRAWAL_INPUT = inline_serializer(
    "WithdrawalInput",
    fields={
        "resource": serializers.ChoiceField(
            choices=["event", "decision", "measure", "placement", "handover", "support_offer"],
            help_text="What is withdrawn: a procedure event, a decision (with its stop event), "
            "a measure, a placement, a hand-over or a support offer.",
        ),
        "id": serializers.IntegerField(min_value=1, help_text="The id of that entry."),
        "reason": _reason(),
        "version": _version(),
    },
)
WITHDRAWN = inline_serializer(
    "Withdrawn",
    fields={
        "resource": serializers.CharField(),
        "id": serializers.IntegerField(),
        "withdrawal_id": serializers.IntegerField(),
        "withdrawn_by": serializers.CharField(),
        "withdrawn_org": serializers.CharField(),
        "withdrawn_at": serializers.DateTimeField(),
        "withdrawn_reason": serializers.CharField(),
        "also_withdrawn": serializers.ListField(child=serializers.DictField()),
        "access_withdrawn": serializers.ListField(
            child=serializers.CharField(),
            help_text="Organisations whose access grant the withdrawal closed: it was their "
            "last basis for the person.",
        ),
        "person_version": serializers.IntegerField(),
        "procedure": serializers.DictField(
            required=False,
            help_text="For an event or decision: the procedure's id and its new version.",
        ),
    },
)

# Decision support (keten.server.decision_support, services/support.py)
CHOICE_LABEL = inline_serializer(
    "ChoiceLabel",
    fields={
        "code": serializers.CharField(help_text="The value the rule takes, one of `choices`."),
        "label": serializers.CharField(help_text="In Dutch, as the source text names it."),
        "label_en": serializers.CharField(),
    },
)
RULE_FACT = inline_serializer(
    "RuleFact",
    fields={
        "name": serializers.CharField(),
        "kind": serializers.ChoiceField(
            choices=["bool", "int", "float", "money", "date", "str", "list_str", "list_money"]
        ),
        "required": serializers.BooleanField(),
        "description": serializers.CharField(help_text="In Dutch."),
        "description_en": serializers.CharField(),
        "choices": serializers.ListField(child=serializers.CharField(), allow_null=True),
        "choice_labels": serializers.ListField(
            child=copy.deepcopy(CHOICE_LABEL),
            allow_null=True,
            help_text="One per choice, in the order of `choices`: what a case worker picks from.",
        ),
        "default": serializers.JSONField(allow_null=True),
        "length": serializers.IntegerField(
            allow_null=True, help_text="The number of amounts of a `list_money` fact."
        ),
        "minimum": serializers.FloatField(allow_null=True),
        "maximum": serializers.FloatField(allow_null=True),
    },
)
RULE = inline_serializer(
    "Rule",
    fields={
        "id": serializers.CharField(),
        "citation": serializers.CharField(),
        "title": serializers.CharField(help_text="In Dutch."),
        "title_en": serializers.CharField(),
        "facts": many(RULE_FACT),
    },
)
KNOWN_FACT = inline_serializer(
    "KnownFact",
    fields={
        "value": serializers.JSONField(),
        "source": serializers.CharField(help_text="Where in the dossier it comes from (Dutch)."),
        "source_en": serializers.CharField(),
    },
)
CASE_FACTS = inline_serializer(
    "CaseFacts",
    fields={
        "procedure_id": serializers.IntegerField(),
        "facts": serializers.DictField(
            child=KNOWN_FACT,
            help_text="By the rules' fact names: `birth_date` (when complete) and `age` on "
            "`on`, `nationality`, `unaccompanied_minor` (`unaccompanied`), "
            "`minor_or_family_of_minor`, `application_date`, `first_application_date`, "
            "`asylum_application_date`, the procedure's own facts and event days, "
            "`detention_start` (a running detention, for roles that read measures).",
        ),
        "procedure_type": serializers.CharField(),
        "regime": serializers.CharField(allow_null=True),
        "on": serializers.DateField(help_text="The day ages are counted on (the decision day)."),
        "available": serializers.BooleanField(help_text="Whether keten.rules is installed."),
        "rules": serializers.ListField(
            child=inline_serializer(
                "ApplicableRule",
                fields={
                    "id": serializers.CharField(),
                    "citation": serializers.CharField(),
                    "title": serializers.CharField(),
                    "title_en": serializers.CharField(),
                    "why": serializers.CharField(
                        help_text="What the rule decides on (data/decision_support/"
                        "rule_scope.yaml)."
                    ),
                    "uncertain": serializers.CharField(allow_null=True),
                    "prefilled": serializers.DictField(
                        child=copy.deepcopy(KNOWN_FACT),
                        help_text="The rule's facts the dossier fills in, with their source.",
                    ),
                },
            ),
            help_text="The rules that serve this procedure's type and regime.",
        ),
        "other_rules": serializers.ListField(
            child=inline_serializer(
                "OtherRule",
                fields={
                    "id": serializers.CharField(),
                    "citation": serializers.CharField(),
                    "title": serializers.CharField(),
                    "title_en": serializers.CharField(),
                },
            ),
            help_text="Every other rule (of another procedure type or regime, or a proposed law).",
        ),
    },
)
SUPPORT_RUN = inline_serializer(
    "SupportRun",
    fields={
        "rule": serializers.CharField(help_text="A rule id from `GET /rules`."),
        "facts": serializers.DictField(
            help_text="Fact name to value, as the rule's facts describe them (dates as "
            "YYYY-MM-DD, amounts in euros as decimal text).",
        ),
    },
)
SUPPORT_OUTCOME = inline_serializer(
    "SupportOutcome",
    fields={
        "rule": serializers.CharField(),
        "title": serializers.CharField(),
        "title_en": serializers.CharField(),
        "citation": serializers.CharField(),
        "on": serializers.DateField(),
        "outcome": serializers.DictField(
            help_text="Output name to value; a decision's value is its code, as stored."
        ),
        "trail": serializers.ListField(
            child=obj(),
            help_text="The steps in order: check, value, citation, label ({nl, en}), and for an "
            "output whose value is a code, value_label ({nl, en}): the code as a case worker "
            "reads it.",
        ),
        "version": obj(),
        "parameters": many(obj()),
        "scenario": many(obj()),
        "facts": obj(),
    },
)


# -- the whole document ------------------------------------------------------------------------

# bounds.check_text: no control character (Unicode Cc); a multi-line text
# (inputs.MULTILINE_FROM characters or more) may hold tabs and line breaks. Written with \x
# escapes, which ECMA-262 and Python read alike: schemathesis misread \u escapes in a class
# and generated the very characters the pattern excludes. (A lone surrogate needs no pattern:
# it is no valid JSON text, and the parser refuses it.)
# inputs.text: a text that may not be blank (minLength 1) holds more than blanks.
_NOT_IN_A_LINE = "\\x00-\\x1f\\x7f-\\x9f"
_NOT_IN_TEXT = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
TEXT_PATTERNS = {
    (multiline, required): (
        f"^[^{excluded}]*[^\\s{excluded}][^{excluded}]*$" if required else f"^[^{excluded}]*$"
    )
    for multiline, excluded in ((False, _NOT_IN_A_LINE), (True, _NOT_IN_TEXT))
    for required in (False, True)  # True: more than blanks
}

API_VERSION_HEADER = {
    "schema": {"type": "string"},
    "description": "The API version (Dutch API Design Rules, API-57); on every answer.",
}


def whole_document(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """What holds for every operation, written once (drf-spectacular's postprocessing hook):

    - a path id is a whole number from 1 to ``MAX_ID``: ``KetenView.initial`` refuses any other
      (400) before the view runs;
    - every answer, error or not, carries ``API-Version`` (``ApiVersionMiddleware``);
    - a text in a request body is a text ``inputs.text`` takes (``TEXT_PATTERNS``): a field
      with an enum, a format or a pattern of its own says more already.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: the bodies sent
            continue
        for schema in component.get("properties", {}).values():
            if schema.get("type") != "string" or {"enum", "format", "pattern"} & set(schema):
                continue
            multiline = schema.get("maxLength", 0) >= MULTILINE_FROM
            schema["pattern"] = TEXT_PATTERNS[(multiline, schema.get("minLength", 0) >= 1)]
    for item in result.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            for parameter in op.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    schema.update(format="int64", minimum=1, maximum=MAX_ID)
            for response in op["responses"].values():
                response.setdefault("headers", {})["API-Version"] = API_VERSION_HEADER
    return result
