"""``/api/v1``: decision letters (``services/letters.py``). Make a letter for a decision, list
a decision's letters, and read one: JSON (with the stored HTML), the HTML itself, or the PDF
rendered from it, chosen by ``?format=`` or else by the ``Accept`` header."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import ONE_ERRORS, WRITE_ERRORS, many, operation
from keten.server.api.views import KetenView
from keten.server.services import letters
from keten.server.services.errors import BadInputError

LETTER_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "id": serializers.IntegerField(),
    "decision_id": serializers.IntegerField(),
    "template_id": serializers.CharField(help_text="The template (data/letters/templates.yaml)."),
    "template_version": serializers.IntegerField(),
    "language": serializers.ChoiceField(choices=["nl", "en"]),
    "sha256": serializers.CharField(help_text="SHA-256 of the stored HTML (UTF-8)."),
    "recorded_by": serializers.CharField(),
    "recorded_org": serializers.CharField(),
    "recorded_at": serializers.DateTimeField(),
    "reason": serializers.CharField(),
    "html_url": serializers.CharField(),
    "pdf_url": serializers.CharField(),
}
LETTER = inline_serializer("Letter", fields=LETTER_FIELDS)
LETTER_WITH_HTML = inline_serializer(
    "LetterWithHtml",
    fields={
        **LETTER_FIELDS,
        "html": serializers.CharField(help_text="The letter exactly as stored."),
        "procedure_id": serializers.IntegerField(),
        "person_id": serializers.IntegerField(),
    },
)
LETTERS = inline_serializer("Letters", fields={"results": many(LETTER)})
LETTER_REQUEST = inline_serializer(
    "LetterRequest",
    fields={
        "language": serializers.ChoiceField(
            choices=["nl", "en"], required=False, help_text="Default nl."
        ),
        "reason": serializers.CharField(
            max_length=2000, help_text="Why: recorded with the letter and in the audit log."
        ),
    },
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "html", "pdf"],
    description="json (the default), html (the letter as stored) or pdf (rendered from the "
    "stored HTML). Without it, `Accept: application/pdf` or `text/html` chooses.",
)
FORMATS = ("json", "html", "pdf")


class DecisionLettersView(KetenView):
    @operation(
        "decision_letters",
        "The letters made for a decision, oldest first",
        LETTERS,
        "Each letter's template, language, SHA-256 of its HTML, who made it, when and why.",
        errors=ONE_ERRORS,
    )
    def get(self, request: Request, decision_id: int) -> Response:
        return Response({"results": letters.of_decision(self.actor(request), decision_id)})

    @operation(
        "decision_letter_make",
        "Make the letter for a decision from the dossier and the rule trail",
        LETTER,
        "The stored letter (201). Refused (422) for a withdrawn decision or one no template "
        "serves; 404 for a decision outside your scope. No version: a letter is a new row "
        "beside a decision that never changes.",
        status=201,
        errors=WRITE_ERRORS,
        request=LETTER_REQUEST,
    )
    def post(self, request: Request, decision_id: int) -> Response:
        body = self.body(request)
        data = letters.make(self.actor(request), decision_id, body, date.today())
        return Response(data, status=201)


def _format(request: Request) -> str:
    raw = request.query_params.get("format")
    if raw is not None:
        if raw not in FORMATS:
            raise BadInputError(
                "format",
                f"{raw!r} is not one of: {', '.join(FORMATS)}",
                f"{raw!r} is geen van: {', '.join(FORMATS)}",
            )
        return raw
    accept = request.headers.get("Accept", "")
    if "application/pdf" in accept:
        return "pdf"
    if "text/html" in accept and "application/json" not in accept:
        return "html"
    return "json"


class LetterView(KetenView):
    @operation(
        "letter_read",
        "One letter: JSON with its HTML, the HTML itself, or the PDF",
        LETTER_WITH_HTML,
        "JSON by default; `text/html` or `application/pdf` with `format` or `Accept`.",
        errors=ONE_ERRORS,
        parameters=[FORMAT],
        media={
            "text/html": OpenApiResponse(OpenApiTypes.STR, description="The letter as stored."),
            "application/pdf": OpenApiResponse(
                OpenApiTypes.BINARY, description="The stored letter rendered as PDF."
            ),
        },
    )
    def get(self, request: Request, letter_id: int) -> Response | HttpResponse:
        actor = self.actor(request)
        fmt = _format(request)
        if fmt == "pdf":
            body, letter = letters.pdf(actor, letter_id)
            reply = HttpResponse(body, content_type="application/pdf")
            reply["Content-Disposition"] = f'inline; filename="brief-{letter["id"]}.pdf"'
            return reply
        letter = letters.read(actor, letter_id)
        if fmt == "html":
            return HttpResponse(letter["html"], content_type="text/html; charset=utf-8")
        return Response(letter)
