"""Token authentication that loads the user's organisation and role in the same query, and
remembers the answer for ``TOKEN_CACHE_SECONDS``.

Every API request needs the user, organisation and role (policy and audit); looking them up
was a round trip and an ORM query per request, the largest single cost of a work-queue page
after the page itself (``docs/benchmarks.md``, server). The price of the cache: a revoked
token, a deactivated user or a changed role takes effect within ``TOKEN_CACHE_SECONDS``
(default 30) rather than at once. Set it to 0 to look up every request.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

_MAX_ENTRIES = 10_000  # a bound, not a tuning knob: more distinct live tokens than staff
_cache: dict[str, tuple[float, Any, Token]] = {}
_lock = threading.Lock()


class KetenTokenAuthentication(TokenAuthentication):
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
        if ttl > 0:
            with _lock:
                if len(_cache) >= _MAX_ENTRIES:
                    _cache.clear()
                _cache[key] = (now + ttl, token.user, token)
        return token.user, token
