"""Monthly management information in the API (``GET /api/v1/reports/monthly``): a thin view
over ``services/monthly_mi.py``. Figures only: intake, decided, open and over the term at month
end, lead time (median, P90), dwangsom forfeited and notices of default per organisation, team,
procedure type and month, within the reader's scope. CSV and XLSX are the page's
(``/rapportage/maand.csv``, ``.xlsx``)."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from keten.server.api.schema import obj, operation, query_text
from keten.server.api.views import ON, KetenView
from keten.server.services import monthly_mi

MONTHLY = inline_serializer(
    "MonthlyManagementInformation",
    fields={
        "from": serializers.CharField(help_text="First month, YYYY-MM."),
        "to": serializers.CharField(help_text="Last month, YYYY-MM."),
        "months": serializers.ListField(child=serializers.CharField()),
        "scope": serializers.JSONField(
            help_text='The organisation kinds whose figures are counted, or "all".'
        ),
        "filters": obj(),
        "organisations": serializers.ListField(child=serializers.CharField()),
        "results": serializers.ListField(
            child=obj(),
            help_text="Per month, organisation (queue kind), team and procedure type: intake, "
            "decided, open, over_term, lead_median, lead_p90 (days, nearest rank; null when "
            "nothing was decided), dwangsom_eur (forfeited, not paid), notices.",
        ),
        "totals": serializers.ListField(child=obj(), help_text="The same figures per month."),
    },
)


class MonthlyView(KetenView):
    @operation(
        "reports_monthly",
        "Monthly management information per organisation, team, procedure type and month",
        MONTHLY,
        "Counted from the procedures' cache columns and events (docs/reports.md); the twelve "
        "months up to today's by default, at most 36 months.",
        parameters=[
            ON,
            query_text("from", "First month (YYYY-MM); default eleven months before `to`."),
            query_text("to", "Last month (YYYY-MM); default the current month."),
            query_text("organisation", "Only this organisation kind's queues (ind, coa, ...)."),
            query_text("team", "Only this team."),
            query_text("procedure_type", "Only this procedure type (catalogue id)."),
        ],
    )
    def get(self, request: Request) -> Response:
        qp = request.query_params
        return Response(
            monthly_mi.report(
                self.actor(request),
                qp.get("from") or None,
                qp.get("to") or None,
                self.on(request),
                qp.get("organisation") or None,
                qp.get("team") or None,
                qp.get("procedure_type") or None,
            )
        )
