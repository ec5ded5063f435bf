"""application/problem+json (RFC 9457) for every API error, naming the field and the rule.

The body carries ``field`` and ``rule`` for the first problem and ``invalidParams`` (the Dutch
API strategy's extension) for all of them. A version conflict adds ``currentVersion`` and the
current representation, so the client can merge instead of losing work.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from keten.server.services.errors import ConflictError, ServiceError

PROBLEM = "application/problem+json"


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    field: str | None = None,
    rule: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"urn:keten:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if field is not None:
        body["field"] = field
        body["rule"] = rule or detail
        body["invalidParams"] = [{"name": field, "code": code, "reason": rule or detail}]
    if extra:
        body.update(extra)
    return Response(body, status=status, content_type=PROBLEM)


def from_service(exc: ServiceError) -> Response:
    extra = None
    if isinstance(exc, ConflictError):
        extra = {"currentVersion": exc.current_version, "current": exc.current}
    response = problem(
        exc.status, exc.code, exc.title, exc.detail, field=exc.field, rule=exc.rule, extra=extra
    )
    if isinstance(exc, ConflictError):
        response["ETag"] = f'"{exc.current_version}"'
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        set_rollback()
        return from_service(exc)
    if isinstance(exc, Http404):
        return problem(404, "not-found", "Not found", "no such resource")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # An expired token names its own rule (keten.server.api.auth.TokenExpired).
        return problem(
            401,
            getattr(exc, "problem_code", "unauthenticated"),
            getattr(exc, "title", "Unauthenticated"),
            str(exc.detail),
            field="Authorization",
            rule=getattr(exc, "rule", "send 'Token <key>' or log in"),
        )
    if isinstance(exc, exceptions.ParseError):
        return problem(
            400,
            "invalid-json",
            "Invalid JSON",
            str(exc.detail),
            field="body",
            rule="must be a JSON object",
        )
    if isinstance(exc, exceptions.APIException):
        return problem(exc.status_code, "error", "Error", str(exc.detail))
    return None
