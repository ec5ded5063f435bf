"""JSON out of the API: one renderer, no negotiation.

Every Keten endpoint answers JSON (errors: problem+json, set on the response), so choosing a
renderer per request from the Accept header is work without a choice; and a work-queue page
is fifty rows of plain values, which orjson writes several times faster than ``json``. Lazy
translations and other values orjson does not know are written as their text.
"""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer


def _text(value: Any) -> str:
    return str(value)


class FastJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_text)


class JSONOnly(BaseContentNegotiation):
    """The view's first parser and renderer, whatever the request asks for."""

    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Any, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type
