"""Top-level routes: the API under /api/v1, the interface at /, static files served locally.

Requests Django answers before any view (no route matched, a malformed request, an uncaught
error) get problem+json under /api/ and the interface's own pages elsewhere."""

from typing import Any

from django.contrib.staticfiles.views import serve
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views import defaults

from keten.server.api import problems

urlpatterns = [
    path("api/v1/", include("keten.server.api.urls")),
    path("", include("keten.server.ui.urls")),
    # The demo and the tests run without a separate static file server; htmx ships in
    # django-htmx's static folder, so nothing is fetched from the network.
    re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}),
]


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if problems.is_api(request):
        return problems.not_found(request)
    return defaults.page_not_found(request, exception)


def handler400(request: HttpRequest, exception: Exception) -> HttpResponse:
    if problems.is_api(request):
        return problems.bad_request(request)
    return defaults.bad_request(request, exception)


def handler500(request: HttpRequest, *args: Any) -> HttpResponse:
    if problems.is_api(request):
        return problems.server_error(request)
    return defaults.server_error(request)
