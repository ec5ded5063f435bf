"""The session's absolute lifetime: ``SESSION_COOKIE_AGE`` after login, however busy.

Django's own expiry date moves on each time the session is saved, so a session written to
after login would live on; the time of login, kept in the session, does not move. The cookie
itself has no expiry (``SESSION_EXPIRE_AT_BROWSER_CLOSE``): it goes when the browser closes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LOGIN_AT = "keten_login_at"  # seconds since the epoch


def stamp_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: the session's lifetime starts now."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = time.time()


def ended(session: Any, now: float) -> bool:
    """A logged-in session whose lifetime is over, or that has no time of login (one from
    before this rule: its age is unknown)."""
    if SESSION_KEY not in session:
        return False
    at = session.get(LOGIN_AT)
    return not isinstance(at, int | float) or now - at >= settings.SESSION_COOKIE_AGE


class SessionLifetimeMiddleware:
    """Logs out a session past its lifetime before any view sees its user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if ended(request.session, time.time()):
            logout(request)
            hours = settings.SESSION_COOKIE_AGE / 3600
            messages.info(
                request,
                _(
                    "Your session has ended: a session lasts %(hours)s hours from login. "
                    "Log in again."
                )
                % {"hours": f"{hours:g}"},
            )
        return self.get_response(request)
