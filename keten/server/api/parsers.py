"""The API's one parser: JSON, bounded in size and depth before it is parsed.

A body is read at most ``MAX_BODY_BYTES`` (+1, to tell a body that is too large), parsed by
orjson (which stops at 1,024 levels, where the standard library's parser ran out of stack and
the request failed with a 500), and then held to ``MAX_BODY_DEPTH``. Every text in it is
checked later, field by field, by the service layer (``bounds.check_text``); a lone surrogate
does not get that far, orjson refuses it as invalid JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

import orjson
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from keten.server.services.bounds import MAX_BODY_BYTES, MAX_BODY_DEPTH, too_large
from keten.server.services.errors import BadInputError


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth > limit:
                return True
            stack.extend((sub, depth + 1) for sub in item if isinstance(sub, dict | list))
    return False


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            request = (parser_context or {}).get("request")
            declared = str(getattr(request, "META", {}).get("CONTENT_LENGTH") or "")
            raise too_large(int(declared) if declared.isdigit() else len(raw))
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if _depth_exceeds(data, MAX_BODY_DEPTH):
            raise BadInputError(
                "body",
                f"is nested more than {MAX_BODY_DEPTH} levels deep",
                f"is dieper dan {MAX_BODY_DEPTH} niveaus genest",
            )
        return data
