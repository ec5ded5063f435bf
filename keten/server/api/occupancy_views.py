"""``/api/v1/occupancy``: the day's occupancy figures, their time series and where the next
arrivals go (``services/occupancy.py``, ``services/occupancy_series.py``). Figures only, no
personal data; the policy's ``occupancy`` resource says who reads them and of which locations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import operation, query_int, query_text
from keten.server.api.views import ON, KetenView
from keten.server.services import occupancy, occupancy_series
from keten.server.services.bounds import reference_day


def _figures(name: str, *, location: bool) -> Any:
    """A row of figures: a location (with what it is and where), or a sum of them."""
    fields: dict[str, Any] = {
        "key": serializers.CharField(
            help_text="The location's code, the province, the kind, or NL for the nation."
        ),
        "name": serializers.CharField(),
        "locations": serializers.IntegerField(),
        "occupancy": serializers.IntegerField(help_text="Residents on the day."),
        "places": serializers.IntegerField(help_text="Capacity on the day."),
        "reserve": serializers.IntegerField(help_text="Places of it held in reserve."),
        "free": serializers.IntegerField(
            help_text="places - reserve - occupancy; negative when over capacity."
        ),
        "permit_holders": serializers.IntegerField(
            help_text="Residents with a permit_holder_outflow procedure open on the day."
        ),
        "permit_holders_over_norm": serializers.IntegerField(
            help_text="Of them, more than 14 weeks after the permit (seed 001)."
        ),
        "amv": serializers.IntegerField(help_text="Unaccompanied minors."),
        "families": serializers.IntegerField(help_text="Residents in families with minors."),
        "crisis_over_7": serializers.IntegerField(
            help_text="Crisis reception stays past 7 days (seed 001)."
        ),
    }
    if location:
        fields |= {
            "id": serializers.IntegerField(required=False),
            "kind": serializers.CharField(required=False),
            "province": serializers.CharField(required=False),
            "municipality": serializers.CharField(required=False),
            "operator": serializers.CharField(required=False),
            "open": serializers.BooleanField(required=False),
            "name_en": serializers.CharField(required=False, help_text="By kind: its name."),
        }
    return inline_serializer(name, fields=fields)


DAY = inline_serializer(
    "OccupancyDay",
    fields={
        "on": serializers.DateField(),
        "by": serializers.ChoiceField(choices=list(occupancy.BY)),
        "results": serializers.ListField(child=_figures("OccupancyRow", location=True)),
        "national": _figures("OccupancyNational", location=False),
    },
)
SERIES = inline_serializer(
    "OccupancySeries",
    fields={
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "by": serializers.CharField(),
        "key": serializers.CharField(allow_null=True),
        "step": serializers.ChoiceField(choices=["day", "week"]),
        "results": serializers.ListField(
            child=inline_serializer(
                "OccupancySeriesLine",
                fields={
                    "key": serializers.CharField(),
                    "name": serializers.CharField(),
                    "points": serializers.ListField(
                        child=inline_serializer(
                            "OccupancyPoint",
                            fields={
                                "day": serializers.DateField(),
                                "occupancy": serializers.IntegerField(),
                                "places": serializers.IntegerField(),
                                "reserve": serializers.IntegerField(),
                            },
                        )
                    ),
                },
            )
        ),
    },
)
ALLOCATION = inline_serializer(
    "OccupancyAllocation",
    fields={
        "on": serializers.DateField(),
        "arrivals": serializers.IntegerField(),
        "amv": serializers.IntegerField(),
        "placed": serializers.IntegerField(),
        "unplaced": serializers.IntegerField(help_text="Arrivals (not amv) without a place."),
        "unplaced_amv": serializers.IntegerField(),
        "steps": serializers.ListField(
            child=inline_serializer(
                "AllocationStep",
                fields={
                    "step": serializers.CharField(),
                    "name": serializers.CharField(),
                    "name_en": serializers.CharField(),
                    "placed": serializers.IntegerField(),
                },
            )
        ),
        "results": serializers.ListField(
            child=inline_serializer(
                "AllocationPlace",
                fields={
                    "step": serializers.CharField(),
                    "step_name": serializers.CharField(),
                    "step_name_en": serializers.CharField(),
                    "location": serializers.CharField(),
                    "name": serializers.CharField(),
                    "placed": serializers.IntegerField(),
                },
            )
        ),
        "source": serializers.DictField(child=serializers.CharField()),
    },
)
BY = OpenApiParameter("by", str, enum=list(occupancy.BY), description="Default: location.")


class OccupancyView(KetenView):
    @operation(
        "occupancy_read",
        "Occupancy, capacity and reserve per location, province or kind (figures only)",
        DAY,
        "The day's figures of the locations you may see, and their national line.",
        parameters=[ON, BY],
    )
    def get(self, request: Request) -> Response:
        return Response(
            occupancy.day_figures(
                self.actor(request), self.on(request), request.query_params.get("by", "location")
            )
        )


class OccupancySeriesView(KetenView):
    @operation(
        "occupancy_series",
        "Occupancy and capacity over time (figures only)",
        SERIES,
        "Per day, or per week for spans over 120 days; at most 400 days.",
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day (default: 90 days before to)."
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)."),
            OpenApiParameter(
                "by", str, enum=[*occupancy.BY, "national"], description="Default: national."
            ),
            query_text("key", "One location (code), province or kind."),
        ],
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        last = reference_day(qp.get("to"), "to")
        default_first = last - timedelta(days=occupancy_series.DEFAULT_DAYS - 1)
        first = reference_day(qp.get("from"), "from") if qp.get("from") else default_first
        return Response(
            occupancy_series.series(
                self.actor(request), first, last, qp.get("by", "national"), qp.get("key", "")
            )
        )


class OccupancyAllocationView(KetenView):
    @operation(
        "occupancy_allocation",
        "Where the next arrivals go, in the COA's order of escalation (seed 001, 4.1)",
        ALLOCATION,
        "Free regular places first, then reserve, then emergency, then crisis reception; "
        "unaccompanied minors only into places for them; how many find no place.",
        parameters=[
            ON,
            query_int("arrivals", 1, occupancy.MAX_ARRIVALS, "Default 500."),
            query_int("amv", 0, occupancy.MAX_ARRIVALS, "Of them amv (default: today's share)."),
        ],
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        return Response(
            occupancy.allocation(
                self.actor(request), self.on(request), qp.get("arrivals"), qp.get("amv")
            )
        )
