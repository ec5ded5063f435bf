"""``/api/v1/locations``: the location register (``services/locations.py``), thin views as in
``views``: parse, call one service function with the request's actor, return its dict. The
bodies are documented here, beside the views, in the shapes ``api/schema.py`` uses."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.chain.locations import LOCATION_KINDS
from keten.server.api.schema import ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, obj, operation
from keten.server.api.views import IF_MATCH, ON, KetenView
from keten.server.dossiers.models import CapacityChange
from keten.server.services import locations
from keten.server.services.locations import MAX_PLACES

CODE = OpenApiParameter(
    "code",
    {"type": "string", "pattern": locations.CODE.pattern, "maxLength": 64},
    OpenApiParameter.PATH,
    description="The location's code, e.g. `azc-ter-apel`.",
)


def _row_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """services/locations.row_json"""
    return {
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "kind": serializers.ChoiceField(choices=sorted(LOCATION_KINDS)),
        "kind_text": serializers.CharField(help_text="The kind's Dutch name."),
        "kind_text_en": serializers.CharField(),
        "operator": serializers.CharField(help_text="The organisation that runs it."),
        "municipality": serializers.CharField(),
        "province": serializers.CharField(),
        "opened": serializers.DateField(),
        "closes": serializers.DateField(allow_null=True),
        "version": serializers.IntegerField(help_text="Send as If-Match with a change."),
        "places": serializers.IntegerField(help_text="Places on the day, the reserve included."),
        "reserve": serializers.IntegerField(help_text="Places held back (reserve capacity)."),
        "occupied": serializers.IntegerField(
            help_text="Persons staying there on the day (services/occupancy_count.py)."
        ),
        "free": serializers.IntegerField(help_text="Places minus reserve minus occupied, >= 0."),
        "full": serializers.BooleanField(
            help_text="Occupied reaches places minus reserve: a placement there is refused "
            "unless marked overcapacity."
        ),
    }


LOCATION_ROW = inline_serializer("LocationRow", fields=_row_fields())
LOCATION_LIST = inline_serializer(
    "LocationRegister",
    fields={
        "on": serializers.DateField(),
        "results": serializers.ListField(child=LOCATION_ROW),
        "totals": inline_serializer(
            "LocationTotals",
            fields={
                "places": serializers.IntegerField(),
                "reserve": serializers.IntegerField(),
                "occupied": serializers.IntegerField(),
            },
        ),
    },
)
LOCATION = inline_serializer(
    "Location",
    fields={
        **_row_fields(),
        "on": serializers.DateField(),
        "history": serializers.ListField(
            child=obj(),
            help_text="Every capacity change: change, change_text, valid_from, places, "
            "reserve, note, recorded_by, recorded_org, recorded_at, reason.",
        ),
        "allows": obj(),
        "persons": serializers.ListField(
            child=obj(),
            help_text="Who stays there on the day, of the persons in your scope (audited).",
        ),
    },
)
LOCATION_INPUT = inline_serializer(
    "LocationRegistration",
    fields={
        "code": serializers.RegexField(locations.CODE.pattern, max_length=64),
        "name": serializers.CharField(max_length=200),
        "kind": serializers.ChoiceField(
            choices=sorted(LOCATION_KINDS),
            help_text="Only an organisation that runs locations of this kind registers one "
            "(data/reception/location_kinds.yaml).",
        ),
        "municipality": serializers.CharField(max_length=64),
        "province": serializers.CharField(max_length=64),
        "opened": serializers.DateField(),
        "places": serializers.IntegerField(min_value=0, max_value=MAX_PLACES),
        "reserve": serializers.IntegerField(
            required=False, min_value=0, max_value=MAX_PLACES, help_text="At most `places`."
        ),
        "note": serializers.CharField(required=False, max_length=2000),
        "reason": serializers.CharField(max_length=2000),
    },
)
CAPACITY_INPUT = inline_serializer(
    "CapacityChange",
    fields={
        "change": serializers.ChoiceField(
            choices=[c for c, _ in CapacityChange.CHANGES],
            help_text="`expansion`/`reduction` to `places`; `reserve` deployed or restored "
            "(`reserve`); `closing` (refused while anyone stays there that day); `opening` "
            "of a closed location.",
        ),
        "valid_from": serializers.DateField(),
        "places": serializers.IntegerField(
            required=False,
            min_value=0,
            max_value=MAX_PLACES,
            help_text="Required for opening, expansion and reduction.",
        ),
        "reserve": serializers.IntegerField(
            required=False, min_value=0, max_value=MAX_PLACES, help_text="At most the places."
        ),
        "until": serializers.DateField(
            required=False,
            help_text="A temporary expansion: the places go back on this day (a reduction "
            "row is written too).",
        ),
        "note": serializers.CharField(required=False, max_length=2000),
        "reason": serializers.CharField(max_length=2000),
        "version": serializers.IntegerField(
            required=False, help_text="The location's version, unless given as If-Match."
        ),
    },
)


class LocationsView(KetenView):
    @operation(
        "location_list",
        "The location register with each location's places, reserve and occupancy",
        LOCATION_LIST,
        "Every registered location on the day (figures only).",
        errors=READ_ERRORS,
        parameters=[ON],
    )
    def get(self, request: Request) -> Response:
        return Response(locations.register(self.actor(request), self.on(request)))

    @operation(
        "location_register",
        "Register a location your organisation runs, with its opening capacity",
        LOCATION,
        "The location (ETag: its version).",
        status=201,
        errors=(400, 401, 403, 422),
        etag="The location's version",
        request=LOCATION_INPUT,
    )
    def post(self, request: Request) -> Response:
        data = locations.register_location(self.actor(request), self.body(request))
        return self.with_etag(data, 201)


class LocationView(KetenView):
    @operation(
        "location_read",
        "One location: figures, capacity history and who stays there (in your scope)",
        LOCATION,
        "The location on the day (ETag: its version).",
        errors=ONE_ERRORS,
        etag="The location's version",
        parameters=[CODE, ON],
    )
    def get(self, request: Request, code: str) -> Response:
        return self.with_etag(locations.location(self.actor(request), code, self.on(request)))


class CapacityView(KetenView):
    @operation(
        "location_capacity_change",
        "Record a change of a location's capacity (its operator only)",
        LOCATION,
        "The location as of the change's first day (ETag: its new version).",
        status=201,
        errors=WRITE_ERRORS,
        etag="The location's new version",
        request=CAPACITY_INPUT,
        parameters=[CODE, IF_MATCH],
    )
    def post(self, request: Request, code: str) -> Response:
        body = self.body(request)
        data = locations.change_capacity(
            self.actor(request), code, body, self.if_match(request, body)
        )
        return self.with_etag(data, 201)
