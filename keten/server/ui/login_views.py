"""The login page: Django's LoginView, and a locked name or address answered 429.

The password check and its throttle are in the backend (``keten.server.authn.backend``); this
view only says so: status 429 with ``Retry-After``, and on the page when to try again, in the
local time of the chain (Europe/Amsterdam). An unknown name, a wrong password and a lock read
the same whatever the name, so the page never tells whether an account exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.utils import formats, timezone

from keten.server.authn.backend import lock_of


class KetenLoginView(LoginView):
    template_name = "keten/login.html"

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        lock = lock_of(self.request)
        if lock is None:
            return super().form_invalid(form)
        context = self.get_context_data(form=form, locked_until=try_again_at(lock.until))
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(lock.retry_after(timezone.now()))
        return response


def try_again_at(until: datetime) -> str:
    """The local minute from which to try again, rounded up so it is never too early; with
    the day when it is not today."""
    local = timezone.localtime(until)
    minute = local.replace(second=0, microsecond=0)
    if minute < local:
        minute += timedelta(minutes=1)
    if minute.date() == timezone.localdate():
        return formats.time_format(minute, "H:i")
    return formats.date_format(minute, "j F Y H:i")
