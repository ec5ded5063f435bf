"""The password check, throttled: Django's ModelBackend behind the lock of
``keten.server.services.authentication``.

A backend rather than the login view: every path that checks a password goes through
``django.contrib.auth.authenticate`` and so through here (the login page today; an admin, a
shell's ``authenticate()`` or a future API login tomorrow), so none can bypass the throttle.
The view only turns a lock into its answer (429, Retry-After, when to try again), which it
reads from the request (``lock_of``).
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from keten.server.authn.lock import Lock
from keten.server.services import authentication

_LOCK = "keten_login_lock"


def lock_of(request: HttpRequest) -> Lock | None:
    """The lock in force after this request's login attempt, if any."""
    lock = getattr(request, _LOCK, None)
    return lock if isinstance(lock, Lock) else None


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = str(request.META.get("REMOTE_ADDR", "")) if request is not None else ""
        attempt = authentication.begin(username, address)
        if isinstance(attempt, Lock):
            _remember(request, attempt)
            # Stop here: no other backend may check the password of a locked name either.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            _remember(request, authentication.failed(attempt))
            return None
        authentication.succeeded(attempt, user)
        return user

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        # ModelBackend's own async path would check the password without the throttle.
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )


def _remember(request: HttpRequest | None, lock: Lock | None) -> None:
    if request is not None and lock is not None:
        setattr(request, _LOCK, lock)
