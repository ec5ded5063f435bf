"""``/api/v1/detention``: the detention overview for DTenV and DJI, and the detention
statistics (``services/detention.py``, ``services/detention_stats.py``); thin views like the
rest of the API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import many, obj, operation
from keten.server.api.views import ON, KetenView
from keten.server.services import detention, detention_stats

DETENTION_OVERVIEW = inline_serializer(
    "DetentionOverview",
    fields={
        "on": serializers.DateField(),
        "alert_rule": obj(),
        "results": many(obj()),
    },
)

DETENTION_STATISTICS = inline_serializer(
    "DetentionStatistics",
    fields={
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "months": many(obj()),
        "total": obj(),
        "by_group": obj(),
        "by_nationality": obj(),
        "definitions": obj(),
    },
)


def _day_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.DATE, description=description)


class DetentionOverviewView(KetenView):
    @operation(
        "detention_overview",
        "Running detentions: days held, the maximum that applies and why, court review, alerts",
        DETENTION_OVERVIEW,
        "Per running detention the role may see (DTenV: the persons granted to it, DJI: those "
        "it holds), most urgent first: `person`, `group`/`basis` with their Dutch labels, "
        "`detained_since`, `days_held`, `maximum` (date, status, days left, length, citation, "
        "quote, and `why`: the variant of the catalogue that applied), `last_day`, "
        "`days_left`, `ggv_placement`, `court_review` (with `later_reviews`: the catalogue "
        "holds none), every `terms` entry, `alerts` (near, passed, facts_missing) and "
        "`urgency` (fewest days to an open term). `alert_rule` states the rule.",
        parameters=[ON],
    )
    def get(self, request: Request) -> Response:
        return Response(detention.overview(self.actor(request), self.on(request)))


class DetentionStatisticsView(KetenView):
    @operation(
        "detention_statistics",
        "Detention figures per month: started, ended by outcome, days held, group, nationality",
        DETENTION_STATISTICS,
        "Figures only (no persons). `months`: per month `started`, `ended`, `released`, "
        "`removed`, `days_mean`, `days_median` (of the detentions that ended); `total`, "
        "`by_group` and `by_nationality` the same over the period.",
        parameters=[
            _day_parameter(
                "from",
                "First day (whole months are reported; default: the "
                "first of the month a year before `to`).",
            ),
            _day_parameter("to", "Last day (default: today); at most 120 months after `from`."),
        ],
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        return Response(detention_stats.report(self.actor(request), qp.get("from"), qp.get("to")))
