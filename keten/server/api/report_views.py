"""``/api/v1/reports/annual``: the IND annual figures (``services/annual_report.py``); a thin
view like the rest of the API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import many, obj, operation
from keten.server.api.views import KetenView
from keten.server.services import annual_report

ANNUAL_REPORT = inline_serializer(
    "AnnualReport",
    fields={
        "report": serializers.CharField(),
        "title_nl": serializers.CharField(),
        "title_en": serializers.CharField(),
        "year": serializers.IntegerField(),
        "previous_year": serializers.IntegerField(),
        "source": serializers.CharField(),
        "rounding": obj(),
        "sections": many(obj()),
    },
)


class AnnualReportView(KetenView):
    @operation(
        "reports_annual",
        "IND annual figures for a year against the year before, in the IND annual report's form",
        ANNUAL_REPORT,
        "Figures only (no persons). `sections` in the order of the IND annual report 2012 (seed "
        "003), each with its `layout` (`year`: previous, current, difference; `year_no_diff`; "
        "`target`: achieved, target, difference in points) and its `figures`: `previous` and "
        "`current` as shown (counts rounded to 50 where the figure's `shape` is `count50`, "
        "shares in percent), `previous_unrounded`/`current_unrounded`, the printed texts, "
        "`difference` (percent on the unrounded figures, or points against the target), "
        "`target` (value, source, `carried` when no source states it for the year), "
        "`counts_nl`/`counts_en` (what it counts), `source` and `uncertain`.",
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="The year (default: last year); from 2001 to the current year.",
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return Response(annual_report.report(self.actor(request), request.query_params.get("year")))
