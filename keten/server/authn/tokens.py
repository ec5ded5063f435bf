"""The API token's maximum age: ``TOKEN_MAX_AGE_DAYS`` after it was created.

DRF's tokens never expire on their own; one copied into a script or a colleague's notes would
work for as long as the account does. A token past its age is refused with 401, naming this
rule; ``keten server setup`` (and ``keten demo``) replace the demo accounts' expired tokens.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token


def max_age() -> timedelta:
    return timedelta(days=float(settings.TOKEN_MAX_AGE_DAYS))


def expires(token: Token) -> datetime:
    created: datetime = token.created
    return created + max_age()


def expired(token: Token, now: datetime | None = None) -> bool:
    return expires(token) <= (now or timezone.now())


def rule_nl() -> str:
    days = f"{float(settings.TOKEN_MAX_AGE_DAYS):g}"
    return (
        f"een API-sleutel geldt {days} dagen vanaf het aanmaken (KETEN_TOKEN_DAYS); "
        "vraag een nieuwe aan"
    )


def rule() -> str:
    days = f"{float(settings.TOKEN_MAX_AGE_DAYS):g}"
    return (
        f"an API token is valid for {days} days after it was created (KETEN_TOKEN_DAYS); "
        "ask for a new one"
    )
