"""Token authentication that loads the user's organisation and role in the same query, and
remembers the answer for ``TOKEN_CACHE_SECONDS``.

Every API request needs the user, organisation and role (policy and audit); looking them up
was a round trip and an ORM query per request, the largest single cost of a work-queue page
after the page itself (``docs/benchmarks.md``, server). The price of the cache: a revoked
token, a deactivated user or a changed role takes effect within ``TOKEN_CACHE_SECONDS``
(default 30) rather than at once. Set it to 0 to look up every request. A token past its
maximum age (``keten.server.authn.tokens``) is never served from the cache: an entry lives
no longer than its token.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from keten.server.authn import tokens
from keten.server.services import authentication

log = logging.getLogger("keten.server.auth")

_MAX_ENTRIES = 10_000  # a bound, not a tuning knob: more distinct live tokens than staff
_cache: dict[str, tuple[float, Any, Token]] = {}
_lock = threading.Lock()


class TokenExpired(exceptions.AuthenticationFailed):
    """401 naming the rule (``keten.server.api.problems``)."""

    problem_code = "token-expired"
    title = "Token expired"

    def __init__(self, user: Any, expired_at: datetime) -> None:
        super().__init__(f"this token expired at {expired_at.isoformat(timespec='seconds')}")
        self.user = user
        self.expired_at = expired_at
        self.rule = tokens.rule()
        self.rule_nl = tokens.rule_nl()
        self.detail_nl = f"deze sleutel is verlopen op {expired_at.isoformat(timespec='seconds')}"


class KetenTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Token] | None:
        try:
            return super().authenticate(request)
        except TokenExpired as exc:
            authentication.token_expired(exc.user, _address(request), exc.expired_at)
            raise
        except exceptions.AuthenticationFailed as exc:
            # Not audited: an unknown key names no actor. Not throttled: a key is 160 random
            # bits, beyond guessing at any rate a server answers.
            log.warning("API token refused: %s (from %s)", exc.detail, _address(request))
            raise

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        ttl = float(settings.TOKEN_CACHE_SECONDS)
        now = time.monotonic()
        hit = _cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1], hit[2]
        token = (
            Token.objects.select_related("user__membership__organisation").filter(key=key).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        expires = tokens.expires(token)
        left = (expires - timezone.now()).total_seconds()
        if left <= 0:
            raise TokenExpired(token.user, expires)
        if ttl > 0:
            with _lock:
                if len(_cache) >= _MAX_ENTRIES:
                    _cache.clear()
                _cache[key] = (now + min(ttl, left), token.user, token)
        return token.user, token


def _address(request: Request) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))
