"""The taakstelling's pages: the figures per municipality and half-year (a matrix, or one
half-year's detail), the ministry's forms to announce, revise, split a national figure or
establish a result, and the figures as CSV. Like every page, they call the service layer only
(``keten.server.services.taakstelling``)."""

from __future__ import annotations

import csv
import re
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from keten.chain.housing_quota import HalfYear
from keten.server.services import taakstelling
from keten.server.services.actor import Actor
from keten.server.ui.views import _int, _on, submit, with_actor


@with_actor
def housing_quota(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The taakstelling per municipality and half-year; the ministry announces quotas or
    establishes a half-year's result here, for every municipality in one form."""
    on = _on(request)
    period = request.GET.get("period", "")

    def write(form: dict[str, Any]) -> tuple[str, str]:
        done = taakstelling.record(
            actor, _quota_figures(form), _int(form.get("version"), "version"), on
        )
        said = _("Recorded for %(n)d municipalities (%(period)s).") % {
            "n": len(done["results"]),
            "period": done["period"],
        }
        return said, f"/taakstelling?{urlencode({'period': done['period']})}"

    posted = submit(request, write)
    if isinstance(posted, HttpResponse):
        return posted
    form = posted.form
    period = form.get("period", period)  # a refused form's half-year is shown again
    data = taakstelling.overview(actor, on, period=period)
    target = period or data["next"]["period"]
    # The form's half-year is usually among those shown (every municipality has a row for
    # each half-year shown); read it on its own only when it is not.
    listed = any(r["period"] == target for r in data["results"])
    shown = data if listed else taakstelling.overview(actor, on, period=target)
    target_rows = [
        {
            **r,
            "entered": form.get(f"value-{r['municipality']}", ""),
            "population": form.get(f"population-{r['municipality']}", ""),
        }
        for r in shown["results"]
        if r["period"] == target
    ]
    days_left = data["next"]["days_left"]
    municipalities = {r["municipality"] for r in data["results"]}
    return render(
        request,
        "keten/taakstelling.html",
        {
            "d": data,
            "period": period,
            "target": target,
            "target_rows": target_rows,
            "target_version": shown["versions"].get(target, 0),
            "late": -days_left if days_left is not None and days_left < 0 else 0,
            # Many municipalities over several half-years read best as one row each.
            "matrix": _quota_matrix(data) if not period and len(municipalities) > 1 else None,
            "can_write": actor.role.can("taakstelling", "write"),
            "form": form,
            "error": posted.error,
        },
        status=posted.status,
    )


QUOTA_COLUMNS = (
    "municipality",
    "name",
    "period",
    "start",
    "end",
    "quota",
    "announced_on",
    "housed",
    "established",
    "realised",
    "remaining",
    "status",
    "closed_on",
    "rung",
    "waiting",
)


@with_actor
def housing_quota_csv(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The rows of the taakstelling page (the same half-years, the same scope) as CSV, for
    the figures that go into reports."""
    data = taakstelling.overview(actor, _on(request), period=request.GET.get("period", ""))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="taakstelling-{data["on"]}.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(QUOTA_COLUMNS)
    for row in data["results"]:
        writer.writerow(["" if row[c] is None else row[c] for c in QUOTA_COLUMNS])
    return response


def _quota_matrix(data: dict[str, Any]) -> dict[str, Any]:
    """The overview's rows as one row per municipality and a column per half-year, with the
    rung and the matched permit holders waiting as of the current half-year."""
    periods = sorted({r["period"] for r in data["results"]}, key=HalfYear.parse)
    by_municipality: dict[str, dict[str, dict[str, Any]]] = {}
    for r in data["results"]:
        by_municipality.setdefault(r["municipality"], {})[r["period"]] = r
    rows = []
    for municipality, cells in sorted(by_municipality.items()):
        now = cells.get(data["current"]) or cells[max(cells, key=HalfYear.parse)]
        rows.append(
            {
                "municipality": municipality,
                "name": now["name"],
                "cells": [cells.get(p) for p in periods],
                "rung": now["rung"],
                "waiting": now["waiting"],
            }
        )
    return {"periods": periods, "rows": rows}


def _quota_figures(form: dict[str, Any]) -> dict[str, Any]:
    """The form's one input per municipality (``value-utrecht``) as the service's ``figures``,
    a municipality left empty not being part of the request; or, from the form that splits a
    national figure, ``national`` and the inhabitants (``population-utrecht``)."""
    common = {k: form.get(k, "") for k in ("kind", "period", "day", "reason")}
    if form.get("mode") == "distribute":
        # The national figure split by population: the inputs are inhabitants, not quotas.
        populations = {
            key.removeprefix("population-"): _number(raw)
            for key, raw in form.items()
            if key.startswith("population-") and raw.strip()
        }
        return {
            **common,
            "kind": "announced",
            "national": _number(form.get("national", "")),
            "populations": populations,
        }
    figures = [
        {"municipality": key.removeprefix("value-"), "value": _number(raw)}
        for key, raw in form.items()
        if key.startswith("value-") and raw.strip()
    ]
    return {**common, "figures": figures}


_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")  # 240.000, as Dutch writes a number


def _number(raw: str) -> Any:
    """A whole number typed in a form ("240.000" read as Dutch writes it), else the text as
    typed, for the service to refuse naming the field: "12.5" is not read as 125."""
    cleaned = raw.strip()
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    value = _int(cleaned) if cleaned.isdigit() else None
    return raw if value is None else value
