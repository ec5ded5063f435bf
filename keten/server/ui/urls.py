from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from keten.server.ui import return_views, taakstelling_views, views
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
    path("persons/<int:person_id>/correct", views.correct),
    path("persons/<int:person_id>/family", views.family),
    path("persons/<int:person_id>/withdraw", views.withdraw),
    path("persons/<int:person_id>/records/<str:resource>", views.add_record),
    path("persons/<int:person_id>/records/<str:resource>/<int:record_id>/end", views.end_record),
    path("procedures/<int:procedure_id>/event", views.record_event),
    path("procedures/<int:procedure_id>/decide", views.decide),
    path("procedures/<int:procedure_id>/support", views.support),
    path("procedures/<int:procedure_id>/support/form", views.support_form),
    path("procedures/<int:procedure_id>/departure", return_views.record_departure),
    path("dashboard", views.dashboard, name="dashboard"),
    path("taakstelling", taakstelling_views.housing_quota, name="taakstelling"),
    path("taakstelling.csv", taakstelling_views.housing_quota_csv),
    path("terugkeer/landen", return_views.countries, name="return_countries"),
    path("terugkeer/cijfers", return_views.statistics, name="return_statistics"),
    path("terugkeer/cijfers.csv", return_views.statistics_csv),
    path("audit", views.audit, name="audit"),
    path("audit.csv", views.audit_csv),
]
