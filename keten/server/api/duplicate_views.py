"""``/api/v1/duplicates``: the review queue of persons who may be registered twice, and the
reviewer's decision on a pair (merge, or two different people); services/person_duplicates.py
says what a merge does and does not move."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import (
    READ_ERRORS,
    WRITE_ERRORS,
    operation,
    person_row_fields,
    query_int,
)
from keten.server.api.views import IF_MATCH, KetenView
from keten.server.services import person_duplicates


def _side(name: str) -> Any:
    return inline_serializer(
        name,
        fields={
            **person_row_fields(),
            "version": serializers.IntegerField(help_text="Send with the decision."),
        },
    )


DUPLICATE_PAIR = inline_serializer(
    "DuplicatePair",
    fields={
        "person": _side("DuplicateSide"),
        "other": _side("DuplicateOtherSide"),
        "why": serializers.CharField(),
        "why_nl": serializers.CharField(),
    },
)
DUPLICATE_PAGE = inline_serializer(
    "DuplicatePage",
    fields={
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "has_next": serializers.BooleanField(),
        "next": serializers.CharField(allow_null=True),
        "results": serializers.ListField(child=DUPLICATE_PAIR),
    },
)
DUPLICATE_DECISION = inline_serializer(
    "DuplicateDecisionInput",
    fields={
        "decision": serializers.ChoiceField(
            choices=list(person_duplicates.DECISIONS),
            help_text="merge: this person is the same person as other_person_id (the "
            "survivor); distinct: two different people.",
        ),
        "other_person_id": serializers.IntegerField(
            min_value=1, help_text="The other person of the pair (the survivor of a merge)."
        ),
        "other_version": serializers.IntegerField(
            min_value=1, help_text="The other person's version as last read."
        ),
        "version": serializers.IntegerField(
            required=False,
            help_text="This person's version, when no If-Match header is sent.",
        ),
        "reason": serializers.CharField(max_length=2000),
    },
)
DUPLICATE_DECIDED = inline_serializer(
    "DuplicateDecided",
    fields={
        "decision": serializers.CharField(),
        "version": serializers.IntegerField(help_text="This person's new version (ETag)."),
        "person": inline_serializer("DecidedPerson", fields=person_row_fields()),
        "other": inline_serializer("DecidedOther", fields=person_row_fields()),
    },
)


class DuplicatesView(KetenView):
    @operation(
        "duplicate_queue",
        "Pairs of persons who may be registered twice",
        DUPLICATE_PAGE,
        "One page of candidate pairs (same name, spelling aside, and birth date; not yet "
        "decided), the most recently registered first.",
        errors=READ_ERRORS,
        parameters=[query_int("page", 1, person_duplicates.MAX_QUEUE_PAGE, "Page, from 1.")],
    )
    def get(self, request: Request) -> Response:
        data = person_duplicates.review_queue(
            self.actor(request),
            page=self.int_param(request, "page", 1, high=person_duplicates.MAX_QUEUE_PAGE),
        )
        return self.paged(request, data)


class DuplicateDecisionView(KetenView):
    @operation(
        "duplicate_decide",
        "Merge a person into another, or record the pair as two people",
        DUPLICATE_DECIDED,
        "The decision (ETag: this person's new version). A merge writes merged_into / "
        "merged_from events on both dossiers and moves nothing: the merged person's records "
        "stay on its dossier, which links to the survivor; search no longer lists it.",
        status=201,
        errors=WRITE_ERRORS,
        etag="This person's new version",
        request=DUPLICATE_DECISION,
        parameters=[IF_MATCH],
    )
    def post(self, request: Request, person_id: int) -> Response:
        body = self.body(request)
        data = person_duplicates.decide(
            self.actor(request), person_id, body, self.if_match(request, body)
        )
        return self.with_etag(data, 201)
