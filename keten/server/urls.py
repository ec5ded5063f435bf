"""Top-level routes: the API under /api/v1, the interface at /, static files served locally."""

from django.contrib.staticfiles.views import serve
from django.urls import include, path, re_path

urlpatterns = [
    path("api/v1/", include("keten.server.api.urls")),
    path("", include("keten.server.ui.urls")),
    # The demo and the tests run without a separate static file server; htmx ships in
    # django-htmx's static folder, so nothing is fetched from the network.
    re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}),
]
