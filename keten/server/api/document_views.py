"""``/api/v1/reports/factsheet`` and ``/api/v1/reports/strategy``: the chain factsheet per
half-year and the national strategy in the EU model with its live indicators, as data
(``services/factsheet.py``, ``services/strategy_indicators.py``). The HTML and PDF documents
are the pages ``/rapportage/factsheet`` and ``/rapportage/strategie``."""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import many, obj, operation
from keten.server.api.views import KetenView
from keten.server.services import factsheet, strategy_indicators

FACTSHEET = inline_serializer(
    "Factsheet",
    fields={
        "half_year": serializers.CharField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "title": serializers.CharField(),
        "source": obj(),
        "figures": many(obj()),
    },
)

STRATEGY = inline_serializer(
    "StrategyDocument",
    fields={
        "on": serializers.DateField(),
        "window": obj(),
        "title": obj(),
        "source": obj(),
        "indicators": obj(),
        "sections": many(obj()),
    },
)


class FactsheetView(KetenView):
    @operation(
        "reports_factsheet",
        "The chain factsheet of a half-year in the form of seed 001",
        FACTSHEET,
        "Figures only (no persons). `figures`: each subject of the seed's factsheet in order, "
        "with `values` and their `labels`, its `definition`, or `available: false` and "
        "`unavailable` (why Keten cannot give it). Access: `strategy_report` read; a figure "
        "whose source the role may not read is unavailable, not left out.",
        parameters=[
            OpenApiParameter(
                "half_year",
                OpenApiTypes.STR,
                description="The half-year, `2026-1` or `2026-2` (also `2026-I`/`2026-II`); "
                "from 2000-1 to the current half-year (default).",
            )
        ],
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("half_year")
        return Response(factsheet.document(self.actor(request), raw, date.today()))


class StrategyView(KetenView):
    @operation(
        "reports_strategy",
        "The national strategy in the model of Implementing Decision (EU) 2025/503",
        STRATEGY,
        "The model's `sections` and their `components` (what each asks, quoted from seed 002), "
        "the Dutch strategy's passages with their seed line, and the live `indicators` beside "
        "them: border procedures running against 211, transfer decisions within two weeks, "
        "registrations within five days, open nareis applications, detention places. Stocks "
        "on the reference day `on`; flows over the 365 days up to it (`window`).",
        parameters=[
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                description="Reference day (default: today), from 2000-01-01 to today.",
            )
        ],
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("on")
        return Response(strategy_indicators.document(self.actor(request), raw, date.today()))
