"""The OpenAPI document in the format its URL names, whatever the Accept header says.

drf-spectacular's own view chose YAML or JSON by the Accept header and answered YAML to a client
that sent none, or ``*/*``; fuzzers and client generators fetch ``openapi.json`` and parse it as
JSON. Each URL now has one renderer, with the plain media type every tool reads: JSON
(``application/json``) and YAML (``application/yaml``, RFC 9512).

(Not in ``rendering``: Django REST framework's settings import that module while its own views
are still loading, and these views are REST framework views.)
"""

from __future__ import annotations

from drf_spectacular.renderers import OpenApiJsonRenderer2, OpenApiYamlRenderer2
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView

from keten.server.api.rendering import JSONOnly


class OpenApiJSONView(SpectacularJSONAPIView):
    renderer_classes = [OpenApiJsonRenderer2]  # noqa: RUF012 (REST framework's own attribute)
    content_negotiation_class = JSONOnly


class OpenApiYAMLView(SpectacularYAMLAPIView):
    renderer_classes = [OpenApiYamlRenderer2]  # noqa: RUF012 (REST framework's own attribute)
    content_negotiation_class = JSONOnly
