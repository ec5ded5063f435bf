"""``PATCH /api/v1/procedures/{id}/facts``: correct the facts a procedure's deadlines read
(``services/procedure_facts.py``)."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import WRITE_ERRORS, operation
from keten.server.api.views import IF_MATCH, ON, KetenView
from keten.server.services import procedure_facts

FACTS_CORRECTION = inline_serializer(
    "ProcedureFactsCorrection",
    fields={
        "facts": serializers.DictField(
            help_text="Each fact to change with its new value (null: no longer known); a fact "
            "the procedure type declares, with a value it takes (the catalogue, "
            "`GET /api/v1/catalog/procedures`)."
        ),
        "reason": serializers.CharField(
            max_length=2000, help_text="Why: recorded with the change in the dossier and audit."
        ),
        "version": serializers.IntegerField(
            required=False, help_text="The procedure's version, when no `If-Match` is sent."
        ),
    },
)

FACTS_CORRECTED = inline_serializer(
    "ProcedureFactsCorrected",
    fields={
        "id": serializers.IntegerField(),
        "version": serializers.IntegerField(help_text="Send as If-Match with a write."),
        "facts": serializers.DictField(),
        "corrected": serializers.ListField(child=serializers.CharField()),
        "due": serializers.DateField(allow_null=True),
    },
)


class ProcedureFactsView(KetenView):
    @operation(
        "procedure_facts_correct",
        "Correct a procedure's facts (e.g. the detention's group): the deadlines re-derive",
        FACTS_CORRECTED,
        "The procedure after the correction (its row, `facts`, `corrected`: the facts that "
        "changed; ETag: its new version). A value outside the fact's values is 400 naming "
        "`facts.<name>`; one that contradicts the dossier (an amv group for a person the "
        "dossier does not mark as amv) is 422.",
        errors=WRITE_ERRORS,
        etag="The procedure's new version",
        request=FACTS_CORRECTION,
        parameters=[IF_MATCH, ON],
    )
    def patch(self, request: Request, procedure_id: int) -> Response:
        body = self.body(request)
        data = procedure_facts.correct(
            self.actor(request),
            procedure_id,
            body,
            self.if_match(request, body),
            self.on(request),
        )
        return self.with_etag(data)
