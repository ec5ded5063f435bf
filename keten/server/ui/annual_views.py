"""``/rapportage/jaarcijfers``: the IND annual figures for a year against the year before, in
the seed's table layout (vorig jaar, dit jaar, verschil; realisatie, streven, verschil), each
figure with what it counts; and the same as CSV and XLSX (``keten.reports.tables``)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keten.reports.render import to_flat_table, to_json, to_tables
from keten.reports.tables import to_csv, to_xlsx
from keten.server.services import annual_report
from keten.server.services.actor import Actor
from keten.server.ui.views import with_actor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@with_actor
def page(request: HttpRequest, actor: Actor) -> HttpResponse:
    data = annual_report.report(actor, request.GET.get("jaar"))
    years = list(range(date.today().year, 2000, -1))
    return render(request, "keten/annual_report.html", {"d": data, "years": years})


@with_actor
def as_csv(request: HttpRequest, actor: Actor) -> HttpResponse:
    result = annual_report.result(actor, request.GET.get("jaar"))
    response = HttpResponse(to_csv(to_flat_table(result)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jaarcijfers-{result.year}.csv"'
    return response


@with_actor
def as_xlsx(request: HttpRequest, actor: Actor) -> HttpResponse:
    result = annual_report.result(actor, request.GET.get("jaar"))
    response = HttpResponse(to_xlsx(to_tables(result)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="jaarcijfers-{result.year}.xlsx"'
    return response


__all__ = ["as_csv", "as_xlsx", "page", "to_json"]
