"""application/problem+json (RFC 9457) for every API error, naming the field and the rule.

The body carries ``field`` and ``rule`` for the first problem and ``invalidParams`` (the Dutch
API strategy's extension) for all of them; ``title_nl``, ``detail_nl`` and ``rule_nl`` say the
same in Dutch. A version conflict adds ``currentVersion`` and the current representation, so
the client can merge instead of losing work.

Django answers some requests before a view is reached (a path no route matches, a body over
the upload limit, an error no view caught); under ``/api/`` those are problem+json too
(``api_handler``), never an HTML page a client cannot read.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from keten.server.services import refusals
from keten.server.services.errors import BulkRefusedError, ConflictError, ServiceError

PROBLEM = "application/problem+json"

# The standard answers' titles in Dutch, by status.
TITLES_NL = {
    400: "Ongeldige invoer",
    401: "Niet aangemeld",
    403: "Niet toegestaan",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Versieconflict",
    413: "Verzoek te groot",
    415: "Inhoudstype niet ondersteund",
    422: "In strijd met het dossier",
    428: "Versie vereist",
    429: "Te veel verzoeken",
    500: "Fout in de server",
}


def body(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    field: str | None = None,
    rule: str | None = None,
    title_nl: str | None = None,
    detail_nl: str | None = None,
    rule_nl: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": f"urn:keten:problem:{code}",
        "title": title,
        "title_nl": title_nl or TITLES_NL.get(status, title),
        "status": status,
        "detail": detail,
        "detail_nl": detail_nl or detail,
    }
    if field is not None:
        out["field"] = field
        out["rule"] = rule or detail
        out["rule_nl"] = rule_nl or rule or detail_nl or detail
        out["invalidParams"] = [
            {
                "name": field,
                "code": code,
                "reason": rule or detail,
                "reason_nl": out["rule_nl"],
            }
        ]
    if extra:
        out.update(extra)
    return out


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    field: str | None = None,
    rule: str | None = None,
    detail_nl: str | None = None,
    rule_nl: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    return Response(
        body(
            status,
            code,
            title,
            detail,
            field=field,
            rule=rule,
            detail_nl=detail_nl,
            rule_nl=rule_nl,
            extra=extra,
        ),
        status=status,
        content_type=PROBLEM,
    )


def from_service(exc: ServiceError) -> Response:
    # What a refusal carries beyond field and rule (a possible duplicate's candidates).
    extra: dict[str, Any] | None = getattr(exc, "problem_extra", None)
    if isinstance(exc, ConflictError):
        extra = {"currentVersion": exc.current_version, "current": exc.current}
    if isinstance(exc, BulkRefusedError):  # each refused item named: procedure, field, rule
        extra = {
            "items": exc.items,
            "invalidParams": [
                {
                    "name": f"procedures[{i['procedure']}].{i['field']}",
                    "code": exc.code,
                    "reason": i["rule"],
                    "reason_nl": i["rule_nl"],
                }
                for i in exc.items
            ],
        }
    response = Response(
        body(
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            field=exc.field,
            rule=exc.rule,
            title_nl=exc.title_nl,
            detail_nl=exc.detail_nl,
            rule_nl=exc.rule_nl,
            extra=extra,
        ),
        status=exc.status,
        content_type=PROBLEM,
    )
    if isinstance(exc, ConflictError):
        response["ETag"] = f'"{exc.current_version}"'
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        set_rollback()
        request = context.get("request")
        if request is not None and refusals.is_refusal(exc):
            ids = context.get("kwargs") or {}
            refusals.record(request.user, request.headers, request.method, request.path, ids, exc)
        return from_service(exc)
    if isinstance(exc, Http404):
        return problem(
            404, "not-found", "Not found", "no such resource", detail_nl="deze bron bestaat niet"
        )
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # An expired token names its own rule (keten.server.api.auth.TokenExpired).
        return problem(
            401,
            getattr(exc, "problem_code", "unauthenticated"),
            getattr(exc, "title", "Unauthenticated"),
            str(exc.detail),
            field="Authorization",
            rule=getattr(exc, "rule", "send 'Token <key>' or log in"),
            detail_nl=getattr(exc, "detail_nl", "niet aangemeld of de sleutel is ongeldig"),
            rule_nl=getattr(exc, "rule_nl", "stuur 'Token <sleutel>' of meld u aan"),
        )
    if isinstance(exc, exceptions.ParseError):
        return problem(
            400,
            "invalid-json",
            "Invalid JSON",
            str(exc.detail),
            field="body",
            rule="must be a JSON object",
            detail_nl="de inhoud is geen geldige JSON",
            rule_nl="moet een JSON-object zijn",
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return problem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            str(exc.detail),
            field="Content-Type",
            rule="must be application/json",
            detail_nl="dit inhoudstype wordt niet ondersteund",
            rule_nl="moet application/json zijn",
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        return problem(
            405,
            "method-not-allowed",
            "Method not allowed",
            str(exc.detail),
            detail_nl="deze methode is hier niet toegestaan",
        )
    if isinstance(exc, exceptions.APIException):
        return problem(exc.status_code, "error", "Error", str(exc.detail))
    return None


def _standalone(status: int, code: str, title: str, detail: str, detail_nl: str) -> HttpResponse:
    return HttpResponse(
        orjson.dumps(body(status, code, title, detail, detail_nl=detail_nl)),
        status=status,
        content_type=PROBLEM,
    )


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest) -> HttpResponse:
    return _standalone(404, "not-found", "Not found", "no such resource", "deze bron bestaat niet")


def bad_request(request: HttpRequest) -> HttpResponse:
    return _standalone(
        400, "bad-request", "Bad request", "the request cannot be read", "het verzoek is onleesbaar"
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _standalone(
        500,
        "server-error",
        "Server error",
        "the server failed on this request; the failure is logged",
        "de server faalde bij dit verzoek; de fout is vastgelegd",
    )
