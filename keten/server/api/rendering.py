"""JSON out of the API: one renderer, no negotiation.

Every Keten endpoint answers JSON (errors: problem+json, set on the response), so choosing a
renderer per request from the Accept header is work without a choice; and a work-queue page
is fifty rows of plain values, which orjson writes several times faster than ``json``. Lazy
translations and other values orjson does not know are written as their text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request


def _text(value: Any) -> str:
    return str(value)


class FastJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_text)


class JSONOnly(BaseContentNegotiation):
    """The view's first parser and renderer, whatever the request asks for (also for the
    OpenAPI document: JSON at ``openapi.json``, YAML at ``openapi.yaml``)."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))  # Keten's views always have the JSON renderer
        return first, first.media_type
