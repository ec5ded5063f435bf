"""``/api/v1`` routes: no trailing slashes (Dutch API Design Rules), OpenAPI at stable URLs
(``openapi.json`` JSON, ``openapi.yaml`` YAML)."""

from django.urls import path

from keten.server.api import (
    detention_views,
    location_views,
    occupancy_views,
    outflow_views,
    procedure_facts_views,
    report_views,
    return_views,
    views,
)
from keten.server.api.document import OpenApiJSONView, OpenApiYAMLView

urlpatterns = [
    path("openapi.json", OpenApiJSONView.as_view(), name="openapi"),
    path("openapi.yaml", OpenApiYAMLView.as_view(), name="openapi-yaml"),
    path("me", views.MeView.as_view()),
    path("persons", views.PersonsView.as_view()),
    path("persons/<int:person_id>", views.PersonView.as_view()),
    path("persons/<int:person_id>/family", views.FamilyView.as_view()),
    path("persons/<int:person_id>/procedures", views.PersonProceduresView.as_view()),
    path("persons/<int:person_id>/dossier", views.DossierView.as_view()),
    path("persons/<int:person_id>/withdrawals", views.WithdrawalsView.as_view()),
    path("persons/<int:person_id>/outflow/match", outflow_views.OutflowMatchView.as_view()),
    path("persons/<int:person_id>/outflow/lease", outflow_views.OutflowLeaseView.as_view()),
    path("persons/<int:person_id>/outflow/move", outflow_views.OutflowMoveView.as_view()),
    path("persons/<int:person_id>/<str:resource>", views.PersonRecordsView.as_view()),
    path(
        "persons/<int:person_id>/<str:resource>/<int:record_id>/end",
        views.RecordEndView.as_view(),
    ),
    path("procedures/<int:procedure_id>", views.ProcedureView.as_view()),
    path("procedures/<int:procedure_id>/events", views.ProcedureEventsView.as_view()),
    path("procedures/<int:procedure_id>/decisions", views.DecisionsView.as_view()),
    path("procedures/<int:procedure_id>/support", views.SupportView.as_view()),
    path("procedures/<int:procedure_id>/facts", procedure_facts_views.ProcedureFactsView.as_view()),
    path("procedures/<int:procedure_id>/departure", return_views.DepartureView.as_view()),
    path("decisions/<int:decision_id>/trail", views.DecisionTrailView.as_view()),
    path("queue", views.QueueView.as_view()),
    path("queue/summary", views.QueueSummaryView.as_view()),
    path("dashboard", views.DashboardView.as_view()),
    path("taakstelling", views.TaakstellingView.as_view()),
    path("locations", location_views.LocationsView.as_view()),
    path("locations/<str:code>", location_views.LocationView.as_view()),
    path("locations/<str:code>/capacity", location_views.CapacityView.as_view()),
    path("occupancy", occupancy_views.OccupancyView.as_view()),
    path("occupancy/series", occupancy_views.OccupancySeriesView.as_view()),
    path("occupancy/allocation", occupancy_views.OccupancyAllocationView.as_view()),
    path("outflow", outflow_views.OutflowListView.as_view()),
    path("audit", views.AuditView.as_view()),
    path("catalog/procedures", views.CatalogView.as_view()),
    path("rules", views.RulesView.as_view()),
    path("policy", views.PolicyView.as_view()),
    path("detention", detention_views.DetentionOverviewView.as_view()),
    path("detention/statistics", detention_views.DetentionStatisticsView.as_view()),
    path("reports/annual", report_views.AnnualReportView.as_view()),
    path("return/countries", return_views.ReturnCountriesView.as_view()),
    path("return/statistics", return_views.ReturnStatisticsView.as_view()),
]
