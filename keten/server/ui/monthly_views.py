"""The monthly management information page (``/rapportage/maand``) and its exports
(``/rapportage/maand.csv``, ``/rapportage/maand.xlsx``): a table per month and group, and
server-drawn charts with a table view beside each. Dutch query names (van, tot, organisatie,
team, soort); like every page, it calls the service layer only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import get_language, pgettext

from keten.catalog.loader import load_catalog
from keten.server.services import monthly_mi
from keten.server.services.actor import Actor
from keten.server.services.errors import BadInputError, ServiceError
from keten.server.services.policy import check
from keten.server.ui.svg_chart import Line, line_chart
from keten.server.ui.views import _on, refused, with_actor

NAMES = monthly_mi.PAGE_NAMES


def _asked(request: HttpRequest) -> dict[str, str | None]:
    return {key: request.GET.get(name) or None for key, name in NAMES.items()}


def _report(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    asked = _asked(request)
    return monthly_mi.report(
        actor,
        asked["from"],
        asked["to"],
        _on(request),
        asked["organisation"],
        asked["team"],
        asked["procedure_type"],
        NAMES,
    )


def _charts(totals: list[dict[str, Any]]) -> dict[str, SafeString]:
    labels = [t["month"] for t in totals]

    def values(key: str) -> list[float | None]:
        return [None if t[key] is None else float(t[key]) for t in totals]

    return {
        "flow": line_chart(
            labels,
            [
                Line(pgettext("monthly", "Intake"), values("intake"), "series-mi-intake"),
                Line(pgettext("monthly", "Decided"), values("decided"), "series-mi-decided"),
                Line(pgettext("monthly", "Open at month end"), values("open"), "series-mi-open"),
                Line(
                    pgettext("monthly", "Over the term"),
                    values("over_term"),
                    "series-mi-over",
                    dashed=True,
                ),
            ],
            pgettext("monthly", "Intake, decided and open per month"),
        ),
        "lead": line_chart(
            labels,
            [
                Line(
                    pgettext("monthly", "Median lead time"),
                    values("lead_median"),
                    "series-mi-decided",
                ),
                Line(
                    pgettext("monthly", "P90 lead time"),
                    values("lead_p90"),
                    "series-mi-over",
                    dashed=True,
                ),
            ],
            pgettext("monthly", "Lead time of the cases decided in the month (days)"),
        ),
        "dwangsom": line_chart(
            labels,
            [
                Line(
                    pgettext("monthly", "Dwangsom forfeited (euro)"),
                    values("dwangsom_eur"),
                    "series-mi-over",
                )
            ],
            pgettext("monthly", "Dwangsom forfeited per month (euro)"),
        ),
    }


def _type_names() -> list[tuple[str, str]]:
    """(procedure type, its name in the page's language), for the filter and the table."""
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    return sorted(
        ((pid, pt.name.get(lang)) for pid, pt in load_catalog().items()), key=lambda t: t[1]
    )


@with_actor
def page(request: HttpRequest, actor: Actor) -> HttpResponse:
    # Who may not read the figures gets the refusal page (403), not a form.
    check(actor.role, "management_information", "read")
    asked = _asked(request)
    error: ServiceError | None = None
    try:
        data = _report(request, actor)
    except BadInputError as exc:
        # A bad month or filter shows beside the form; the page shows the default months.
        refused(request, exc)
        error = exc
        data = monthly_mi.report(actor, None, None, _on(request))
    types = _type_names()
    names = dict(types)
    for row in data["results"]:
        row["type_name"] = names.get(row["procedure_type"], row["procedure_type"])
    return render(
        request,
        "keten/monthly.html",
        {
            "d": data,
            "types": types,
            "asked": asked,
            "error": error,
            "charts": _charts(data["totals"]),
            "query": request.GET.urlencode(),
        },
        status=error.status if error else 200,
    )


@with_actor
def export_csv(request: HttpRequest, actor: Actor) -> HttpResponse:
    data = _report(request, actor)
    response = HttpResponse(
        monthly_mi.exported(data, "csv"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="managementinformatie-{data["from"]}-{data["to"]}.csv"'
    )
    return response


@with_actor
def export_xlsx(request: HttpRequest, actor: Actor) -> HttpResponse:
    data = _report(request, actor)
    response = HttpResponse(
        monthly_mi.exported(data, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="managementinformatie-{data["from"]}-{data["to"]}.xlsx"'
    )
    return response
