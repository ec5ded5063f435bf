"""The documents a ministry could send: the chain factsheet per half-year
(``/rapportage/factsheet?halfjaar=2026-2``) and the national strategy in the EU model
(``/rapportage/strategie``), each as a page and as PDF (``.pdf``, rendered by weasyprint from
the same HTML). Like every page they call the service layer only; access is the service's
(``strategy_report`` read)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keten.chain.housing_quota import HalfYear
from keten.reports.document_html import STYLE
from keten.server.services import factsheet, strategy_indicators
from keten.server.services.actor import Actor
from keten.server.services.pdf_output import pdf_or_unavailable
from keten.server.ui.views import with_actor

HALF_YEARS_OFFERED = 8  # the half-year picker's choices: the current one and seven before it


def _offered(today: date) -> list[str]:
    h = HalfYear.of(today)
    out = []
    for _ in range(HALF_YEARS_OFFERED):
        out.append(f"{h.year}-{h.half}")
        h = h.previous()
    return out


def _pdf(content: str, filename: str) -> HttpResponse:
    body = pdf_or_unavailable(content, "druk de pagina af vanuit de browser.")
    reply = HttpResponse(body, content_type="application/pdf")
    reply["Content-Disposition"] = f'inline; filename="{filename}"'
    return reply


@with_actor
def factsheet_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    today = date.today()
    body, half = factsheet.html(actor, request.GET.get("halfjaar"), today, standalone=False)
    return render(
        request,
        "keten/document.html",
        {
            "kind": "factsheet",
            "document": body,
            "style": STYLE,
            "half": half,
            "offered": _offered(today),
            "pdf": f"/rapportage/factsheet.pdf?halfjaar={half}",
        },
    )


@with_actor
def factsheet_pdf(request: HttpRequest, actor: Actor) -> HttpResponse:
    html, half = factsheet.html(actor, request.GET.get("halfjaar"), date.today(), standalone=True)
    return _pdf(html, f"factsheet-migratieketen-{half}.pdf")


@with_actor
def strategy_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    today = date.today()
    on = request.GET.get("on")
    body = strategy_indicators.html(actor, on, today, standalone=False)
    suffix = f"?on={strategy_indicators.reference_day(on, today).isoformat()}" if on else ""
    return render(
        request,
        "keten/document.html",
        {
            "kind": "strategy",
            "document": body,
            "style": STYLE,
            "pdf": f"/rapportage/strategie.pdf{suffix}",
        },
    )


@with_actor
def strategy_pdf(request: HttpRequest, actor: Actor) -> HttpResponse:
    html = strategy_indicators.html(actor, request.GET.get("on"), date.today(), standalone=True)
    return _pdf(html, "nationale-strategie-2025-503.pdf")
