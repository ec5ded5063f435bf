from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from keten.server.ui import (
    detention_views,
    location_views,
    occupancy_views,
    taakstelling_views,
    views,
)
from keten.server.ui.login_views import KetenLoginView

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home),
    path("login", KetenLoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("queue", views.queue, name="queue"),
    path("queue/summary", views.queue_summary),
    path("persons", views.persons, name="persons"),
    path("persons/new", views.person_new, name="person_new"),
    path("persons/<int:person_id>", views.dossier, name="dossier"),
    path("persons/<int:person_id>/lodge", views.lodge),
    path("persons/<int:person_id>/lodge/facts", detention_views.lodge_facts),
    path("persons/<int:person_id>/correct", views.correct),
    path("persons/<int:person_id>/family", views.family),
    path("persons/<int:person_id>/withdraw", views.withdraw),
    path("persons/<int:person_id>/records/<str:resource>", views.add_record),
    path("persons/<int:person_id>/records/<str:resource>/<int:record_id>/end", views.end_record),
    path("procedures/<int:procedure_id>/event", views.record_event),
    path("procedures/<int:procedure_id>/decide", views.decide),
    path("procedures/<int:procedure_id>/support", views.support),
    path("procedures/<int:procedure_id>/support/form", views.support_form),
    path("procedures/<int:procedure_id>/facts", detention_views.correct_facts),
    path("dashboard", views.dashboard, name="dashboard"),
    path("taakstelling", taakstelling_views.housing_quota, name="taakstelling"),
    path("taakstelling.csv", taakstelling_views.housing_quota_csv),
    path("bewaring", detention_views.overview, name="detention"),
    path("bewaring.csv", detention_views.overview_csv),
    path("bewaring/statistiek", detention_views.statistics, name="detention_statistics"),
    path("bewaring/statistiek.csv", detention_views.statistics_csv),
    path("locations", location_views.register_page, name="locations"),
    path("locations/<str:code>", location_views.location_page, name="location"),
    path("opvang", occupancy_views.opvang, name="opvang"),
    path("opvang.csv", occupancy_views.opvang_csv),
    path("audit", views.audit, name="audit"),
    path("audit.csv", views.audit_csv),
]
