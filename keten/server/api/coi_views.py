"""``/api/v1/coi``: country-of-origin information (``services/coi.py``) and the documents a
decision cites (``services/coi_citations.py``), thin views as in ``views``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import ONE_ERRORS, many, obj, operation
from keten.server.api.views import ON, KetenView
from keten.server.coi.kinds import DOCUMENT_KINDS, LANGUAGES, STATUSES
from keten.server.services import coi, coi_citations

COUNTRY = OpenApiParameter(
    "country",
    {"type": "string", "pattern": "^[A-Za-z]{3}$", "maxLength": 3},
    OpenApiParameter.QUERY,
    description="ISO 3166-1 alpha-3 code, e.g. `SYR`; without it, every country's documents "
    "in force.",
)


def _document_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """services/coi.document_json"""
    return {
        "id": serializers.IntegerField(),
        "country": serializers.CharField(),
        "country_name_nl": serializers.CharField(),
        "country_name_en": serializers.CharField(),
        "title": serializers.CharField(),
        "publisher": serializers.CharField(),
        "kind": serializers.ChoiceField(choices=sorted(DOCUMENT_KINDS)),
        "kind_text": serializers.CharField(),
        "kind_text_en": serializers.CharField(),
        "published_on": serializers.DateField(),
        "valid_until": serializers.DateField(allow_null=True),
        "superseded_on": serializers.DateField(allow_null=True),
        "superseded_by": serializers.IntegerField(allow_null=True),
        "on": serializers.DateField(help_text="The day the status is for."),
        "status": serializers.ChoiceField(choices=sorted(STATUSES)),
        "status_text": serializers.CharField(),
        "status_text_en": serializers.CharField(),
        "reference": serializers.CharField(help_text="URL or document number."),
        "summary": serializers.CharField(),
        "language": serializers.ChoiceField(choices=sorted(LANGUAGES)),
        "language_text": serializers.CharField(),
        "language_text_en": serializers.CharField(),
        "shareable": serializers.BooleanField(
            help_text="May be sent to the Belgian partner (CGVS)."
        ),
        "received_from": serializers.CharField(allow_null=True),
        "received_ref": serializers.CharField(allow_null=True),
        "verified": serializers.BooleanField(
            help_text="False for a shipped sample whose day or title could not be confirmed."
        ),
        "source_note": serializers.CharField(allow_blank=True),
        "recorded_by": serializers.CharField(),
        "recorded_org": serializers.CharField(),
        "recorded_at": serializers.DateTimeField(),
        "reason": serializers.CharField(allow_blank=True),
        "events": serializers.ListField(
            child=obj(),
            help_text="kind (superseded), day, superseded_by, recorded_by, recorded_org, "
            "recorded_at, reason.",
        ),
    }


COI_DOCUMENT = inline_serializer("CoiDocument", fields=_document_fields())
COI_LIST = inline_serializer(
    "CoiDocuments",
    fields={
        "on": serializers.DateField(),
        "country": serializers.CharField(allow_null=True),
        "country_name_nl": serializers.CharField(allow_null=True),
        "country_name_en": serializers.CharField(allow_null=True),
        "in_force": many(COI_DOCUMENT),
        # Every document of the country (empty without one).
        "all": many(COI_DOCUMENT),
    },
)
COI_INPUT = inline_serializer(
    "CoiDocumentRegistration",
    fields={
        "country": serializers.RegexField("^[A-Za-z]{3}$", max_length=3),
        "title": serializers.CharField(max_length=300),
        "publisher": serializers.CharField(max_length=200),
        "kind": serializers.ChoiceField(choices=sorted(DOCUMENT_KINDS)),
        "published_on": serializers.DateField(),
        "valid_until": serializers.DateField(required=False),
        "reference": serializers.CharField(max_length=500),
        "summary": serializers.CharField(max_length=coi.MAX_SUMMARY),
        "language": serializers.ChoiceField(choices=sorted(LANGUAGES)),
        "shareable": serializers.BooleanField(required=False),
        "reason": serializers.CharField(max_length=2000),
    },
)
SUPERSEDE_INPUT = inline_serializer(
    "CoiSupersede",
    fields={
        "by": serializers.IntegerField(min_value=1, help_text="The document that replaces it."),
        "day": serializers.DateField(help_text="The first day it no longer holds."),
        "reason": serializers.CharField(max_length=2000),
    },
)
CITATIONS = inline_serializer(
    "DecisionCoiCitations",
    fields={
        "decision_id": serializers.IntegerField(),
        "decided_on": serializers.DateField(),
        "results": serializers.ListField(
            child=obj(),
            help_text="document, country, title, publisher, published_on, reference, language, "
            "day, other_country_confirmed, not_in_force_confirmed, recorded_by, recorded_at.",
        ),
    },
)


class CoiDocumentsView(KetenView):
    @operation(
        "coi_list",
        "Country-of-origin information: the documents in force on a day (landeninformatie)",
        COI_LIST,
        "The documents in force on `on`, and for one country every document with its status.",
        parameters=[COUNTRY, ON],
    )
    def get(self, request: Request) -> Response:
        return Response(
            coi.documents(
                self.actor(request), request.query_params.get("country"), self.on(request)
            )
        )

    @operation(
        "coi_register",
        "Register a country-of-origin report",
        COI_DOCUMENT,
        "The document as registered.",
        status=201,
        errors=(400, 401, 403, 422),
        request=COI_INPUT,
    )
    def post(self, request: Request) -> Response:
        return Response(coi.register(self.actor(request), self.body(request)), status=201)


class CoiDocumentView(KetenView):
    @operation(
        "coi_read",
        "One country-of-origin document with its status on a day and its events",
        COI_DOCUMENT,
        "The document.",
        errors=ONE_ERRORS,
        parameters=[ON],
    )
    def get(self, request: Request, document_id: int) -> Response:
        return Response(coi.document(self.actor(request), document_id, self.on(request)))


class CoiSupersedeView(KetenView):
    @operation(
        "coi_supersede",
        "End a document's force: a later report on the same country replaces it",
        COI_DOCUMENT,
        "The document as of the day it is replaced.",
        status=201,
        errors=(400, 401, 403, 404, 422),
        request=SUPERSEDE_INPUT,
    )
    def post(self, request: Request, document_id: int) -> Response:
        data = coi.supersede(self.actor(request), document_id, self.body(request))
        return Response(data, status=201)


class DecisionCoiView(KetenView):
    @operation(
        "decision_coi_read",
        "The country-of-origin documents a decision relied on",
        CITATIONS,
        "The decision's COI citations, oldest first.",
        errors=ONE_ERRORS,
    )
    def get(self, request: Request, decision_id: int) -> Response:
        return Response(coi_citations.of_decision(self.actor(request), decision_id))
