"""``/api/v1/solidarity``: the Netherlands' solidarity records and their count against its
share of the pool (``services/solidarity.py``); thin views as in ``views``."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.chain import solidarity_pool
from keten.server.api.schema import many, obj, operation, query_int
from keten.server.api.views import KetenView
from keten.server.services import solidarity

KIND_HELP = "One of: " + ", ".join(sorted(solidarity_pool.KINDS)) + "."

_FIGURE = inline_serializer(
    "SolidarityFigure",
    fields={
        "value": serializers.IntegerField(allow_null=True, help_text="null: unknown."),
        "citation": serializers.CharField(),
        "verified": serializers.BooleanField(),
        "note": serializers.CharField(),
        "note_nl": serializers.CharField(),
    },
)

RECORD: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "id": serializers.IntegerField(),
    "cycle": serializers.IntegerField(),
    "record_type": serializers.ChoiceField(choices=sorted(solidarity.RECORD_TYPES)),
    "record_type_text": serializers.CharField(),
    "record_type_text_en": serializers.CharField(),
    "kind": serializers.CharField(help_text=KIND_HELP),
    "kind_text": serializers.CharField(),
    "kind_text_en": serializers.CharField(),
    "unit": serializers.ChoiceField(choices=["persons", "eur"]),
    "persons": serializers.IntegerField(allow_null=True),
    "amount_eur": serializers.IntegerField(allow_null=True),
    "counterpart": serializers.CharField(allow_null=True),
    "counterpart_name": serializers.CharField(allow_null=True),
    "counterpart_name_en": serializers.CharField(allow_null=True),
    "status": serializers.CharField(),
    "status_text": serializers.CharField(),
    "status_text_en": serializers.CharField(),
    "day": serializers.DateField(),
    "source": serializers.CharField(),
    "supersedes": serializers.IntegerField(allow_null=True),
    "current": serializers.BooleanField(help_text="The last record of its chain."),
    "recorded_by": serializers.CharField(),
    "recorded_org": serializers.CharField(),
    "recorded_at": serializers.DateTimeField(),
    "reason": serializers.CharField(),
}

SOLIDARITY_RECORD = inline_serializer("SolidarityRecord", fields=RECORD)

SOLIDARITY = inline_serializer(
    "Solidarity",
    fields={
        "cycle": serializers.IntegerField(),
        "cycles": serializers.ListField(child=serializers.IntegerField()),
        "reference_amount_eur": _FIGURE,
        "pool": obj(),
        "share": obj(),
        "pledged": obj(),
        "pledged_persons": serializers.IntegerField(),
        "pledged_eur": serializers.IntegerField(),
        "pledged_equivalent_eur": serializers.IntegerField(
            help_text="Euros plus persons at the reference amount per relocation."
        ),
        "share_remaining_eur": serializers.IntegerField(
            allow_null=True, help_text="The share in euros less the equivalent; null: unknown."
        ),
        "reference_key": obj(),
        "key_remaining_eur": serializers.IntegerField(
            allow_null=True,
            help_text="The share by the reference key in euros less the equivalent; null: the "
            "key's figures are incomplete (reference_key.missing says which).",
        ),
        "requests": serializers.DictField(child=serializers.IntegerField()),
        "records": many(SOLIDARITY_RECORD),
    },
)

SOLIDARITY_INPUT = inline_serializer(
    "SolidarityInput",
    fields={
        "cycle": serializers.IntegerField(min_value=solidarity.FIRST_CYCLE),
        "record_type": serializers.ChoiceField(choices=sorted(solidarity.RECORD_TYPES)),
        "kind": serializers.CharField(help_text=KIND_HELP),
        "persons": serializers.IntegerField(
            required=False, help_text="For a relocation or an offset."
        ),
        "amount_eur": serializers.IntegerField(
            required=False, help_text="For a financial contribution or an alternative measure."
        ),
        "counterpart": serializers.CharField(
            required=False, help_text="The other member state (ISO alpha-2); a request needs it."
        ),
        "status": serializers.CharField(
            help_text="pledge: pledged, fulfilled, withdrawn; request: requested, accepted, "
            "refused, fulfilled."
        ),
        "day": serializers.DateField(),
        "source": serializers.CharField(help_text="The document the record rests on."),
        "supersedes": serializers.IntegerField(
            required=False, help_text="The record this one replaces (its chain's last)."
        ),
        "reason": serializers.CharField(),
    },
)


class SolidarityView(KetenView):
    @operation(
        "solidarity",
        "Solidarity pool: the Netherlands' pledges and requests, and their count (figures)",
        SOLIDARITY,
        "A cycle's records, newest first, and the standing pledges counted against the pool "
        "and the Netherlands' share (null when the share is not known).",
        parameters=[query_int("cycle", solidarity.FIRST_CYCLE, solidarity.LAST_CYCLE)],
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("cycle")
        cycle = (
            self.int_param(
                request,
                "cycle",
                date.today().year,
                low=solidarity.FIRST_CYCLE,
                high=solidarity.LAST_CYCLE,
            )
            if raw
            else max(date.today().year, solidarity.FIRST_CYCLE)
        )
        return Response(solidarity.overview(self.actor(request), cycle))

    @operation(
        "solidarity_record",
        "Record a pledge or a request, or a new state of one",
        SOLIDARITY_RECORD,
        "The new record (ETag: its id). A record is new each time, like a registration; a "
        "change names the record it supersedes, and a record superseded already is a conflict "
        "(409, ETag: the id of the record that superseded it).",
        status=201,
        # No If-Match (a new record, like a registration), so never 428.
        errors=(400, 401, 403, 404, 409),
        etag="The new record's id (name it as `supersedes` to change the record)",
        request=SOLIDARITY_INPUT,
    )
    def post(self, request: Request) -> Response:
        data = solidarity.record(self.actor(request), self.body(request))
        return self.with_etag(data, 201, key="id")
