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
    PERSON_ROW_FIELDS,
    READ_ERRORS,
    WRITE_ERRORS,
    operation,
    query_int,
)
from keten.server.api.views import KetenView
from keten.server.services import person_duplicates


def _side(name: str) -> Any:
    return inline_serializer(
        name,
        fields={
            **PERSON_ROW_FIELDS,
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
            help_text="merge: person_id is the same person as other_person_id (the "
            "survivor); distinct: two different people.",
        ),
        "person_id": serializers.IntegerField(min_value=1),
        "other_person_id": serializers.IntegerField(min_value=1),
        "person_version": serializers.IntegerField(min_value=1),
        "other_version": serializers.IntegerField(min_value=1),
        "reason": serializers.CharField(max_length=2000),
    },
)
DUPLICATE_DECIDED = inline_serializer(
    "DuplicateDecided",
    fields={
        "decision": serializers.CharField(),
        "person": inline_serializer("DecidedPerson", fields=PERSON_ROW_FIELDS),
        "other": inline_serializer("DecidedOther", fields=PERSON_ROW_FIELDS),
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

    @operation(
        "duplicate_decide",
        "Merge a pair, or record it as two people",
        DUPLICATE_DECIDED,
        "The decision. A merge writes merged_into / merged_from events on both dossiers and "
        "moves nothing: the merged person's records stay on its dossier, which links to the "
        "survivor; search no longer lists it.",
        status=201,
        errors=WRITE_ERRORS,
        request=DUPLICATE_DECISION,
    )
    def post(self, request: Request) -> Response:
        data = person_duplicates.decide(self.actor(request), self.body(request))
        return Response(data, status=201)
