"""Return in the API: recording how a person left, the return-cooperation register and the
departure statistics. Thin views over ``services/departures.py``, ``services/return_register.py``
and ``services/return_stats.py``; support offers go through the dossier's record routes
(``persons/{id}/support-offers``)."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.chain.departure_kinds import DEPARTURE_KINDS
from keten.server.api.schema import PROCEDURE_ROW, WRITE_ERRORS, obj, operation, query_text
from keten.server.api.views import IF_MATCH, ON, KetenView
from keten.server.services import departures, return_register, return_stats

DEPARTURE_INPUT = inline_serializer(
    "DepartureInput",
    fields={
        "how": serializers.ChoiceField(
            choices=sorted(DEPARTURE_KINDS),
            help_text="independent (without support), independent_iom (with IOM/REAN support: "
            "needs the REAN referral), forced (removed), dublin_transfer (after the IND's Dublin "
            "procedure), absconded (unknown destination).",
        ),
        "destination": serializers.CharField(
            required=False,
            max_length=3,
            help_text="ISO 3166-1 alpha-3 code; required except for independent (optional) and "
            "absconded (refused). For a Dublin transfer a state applying Reg. 604/2013.",
        ),
        "escorted": serializers.BooleanField(
            required=False, help_text="For a removal: escorted or not (required)."
        ),
        "day": serializers.DateField(),
        "reason": serializers.CharField(max_length=2000),
        "version": serializers.IntegerField(required=False),
    },
)

REGISTER = inline_serializer(
    "ReturnCooperationRegister",
    fields={
        "on": serializers.DateField(),
        "register_version": serializers.CharField(),
        "register": serializers.CharField(),
        "general": obj(),
        "unknown_otherwise": serializers.BooleanField(),
        "results": serializers.ListField(child=obj()),
        "history": serializers.ListField(child=obj()),
    },
)

STATISTICS = inline_serializer(
    "ReturnStatistics",
    fields={
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "kinds": obj(),
        "total": serializers.IntegerField(),
        "months": serializers.ListField(child=obj()),
        "results": serializers.ListField(child=obj()),
    },
)


class DepartureView(KetenView):
    @operation(
        "procedure_departure_record",
        "Record how the person left (Vertrek vastleggen)",
        PROCEDURE_ROW,
        "The departure procedure after the departure event (ETag: its new version).",
        status=201,
        errors=WRITE_ERRORS,
        etag="The procedure's new version",
        request=DEPARTURE_INPUT,
        parameters=[IF_MATCH, ON],
    )
    def post(self, request: Request, procedure_id: int) -> Response:
        body = self.body(request)
        data = departures.record_departure(
            self.actor(request), procedure_id, body, self.if_match(request, body), self.on(request)
        )
        return self.with_etag(data, 201)


class ReturnCountriesView(KetenView):
    @operation(
        "return_countries",
        "Return cooperation per country on a day (the dated register with its source)",
        REGISTER,
        "The entries in force on `on` (one country with `country`), every entry as history, "
        "and the register's version. A country without an entry is unknown.",
        parameters=[ON, query_text("country", "ISO 3166-1 alpha-3 code, e.g. MAR.")],
    )
    def get(self, request: Request) -> Response:
        return Response(
            return_register.countries(
                self.actor(request), self.on(request), request.query_params.get("country", "")
            )
        )


class ReturnStatisticsView(KetenView):
    @operation(
        "return_statistics",
        "Departures per month by kind, nationality and destination (figures only)",
        STATISTICS,
        "From the recorded departure events; the last year by default.",
        parameters=[
            ON,
            query_text("from", "First day (YYYY-MM-DD); default a year before `to`."),
            query_text("to", "Last day (YYYY-MM-DD); default today."),
        ],
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        return Response(
            return_stats.statistics(
                self.actor(request), qp.get("from"), qp.get("to"), self.on(request)
            )
        )
