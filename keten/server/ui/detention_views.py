"""The detention pages: the overview ``/bewaring`` for DTenV and DJI (and as CSV), the
statistics ``/bewaring/statistiek`` (and as CSV), the lodge form's fact inputs (drawn by htmx
for the chosen procedure type, proposed from the dossier) and the correction of a
procedure's facts from its panel. Like every page they call the service layer only."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from keten.server.services import detention, detention_stats, procedure_facts
from keten.server.services.actor import Actor
from keten.server.services.errors import ServiceError
from keten.server.ui import procedure_fact_form
from keten.server.ui.views import _on, _post_data, _procedure_panel, _version, with_actor


@with_actor
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    on = _on(request)
    data = detention.overview(actor, on)
    return render(request, "keten/detention.html", {"d": data, "on": on})


OVERVIEW_COLUMNS = (
    ("v_number", "V-nummer"),
    ("surname", "achternaam"),
    ("given_names", "voornamen"),
    ("nationality", "nationaliteit"),
    ("group", "groep"),
    ("basis", "grondslag"),
    ("detained_since", "in bewaring sinds"),
    ("days_held", "dagen in bewaring"),
    ("maximum_length", "maximum"),
    ("maximum_citation", "bron maximum"),
    ("why", "waarom"),
    ("last_day", "laatste dag"),
    ("days_left", "dagen over"),
    ("ggv_placement", "plaatsing GGV uiterlijk"),
    ("court_notice", "kennisgeving rechtbank uiterlijk"),
    ("alerts", "signalen"),
)


def _csv_row(r: dict[str, Any]) -> dict[str, Any]:
    court = r["court_review"]
    return {
        **r["person"],
        "group": r["group"] or "",
        "basis": r["basis"] or "",
        "detained_since": r["detained_since"],
        "days_held": r["days_held"],
        "maximum_length": r["maximum"]["length"],
        "maximum_citation": r["maximum"]["citation"],
        "why": r["maximum"]["why"],
        "last_day": r["last_day"],
        "days_left": r["days_left"],
        "ggv_placement": (r["ggv_placement"] or {}).get("date") or "",
        "court_notice": court.get("date") or "",
        "alerts": "; ".join(a["text"] for a in r["alerts"]),
    }


@with_actor
def overview_csv(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The overview's rows, in the same order, as CSV (read and audited like the page)."""
    data = detention.overview(actor, _on(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bewaring-{data["on"]}.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow([header for _, header in OVERVIEW_COLUMNS])
    for r in data["results"]:
        row = _csv_row(r)
        writer.writerow(["" if row[k] is None else row[k] for k, _ in OVERVIEW_COLUMNS])
    return response


@with_actor
def statistics(request: HttpRequest, actor: Actor) -> HttpResponse:
    data = detention_stats.report(actor, request.GET.get("from"), request.GET.get("to"))
    return render(request, "keten/detention_statistics.html", {"d": data})


STATISTICS_COLUMNS = (
    "month",
    "started",
    "ended",
    "released",
    "removed",
    "days_mean",
    "days_median",
)


@with_actor
def statistics_csv(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Per month, then the period's total, per group and per nationality: one table whose
    first column says which row is which."""
    data = detention_stats.report(actor, request.GET.get("from"), request.GET.get("to"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"bewaring-statistiek-{data['from']}-{data['to']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(["breakdown", *STATISTICS_COLUMNS])
    rows: list[tuple[str, dict[str, Any]]] = [("month", m) for m in data["months"]]
    rows.append(("total", {"month": f"{data['from']}..{data['to']}", **data["total"]}))
    for key in ("by_group", "by_nationality"):
        rows += [(key.removeprefix("by_"), {"month": k, **v}) for k, v in data[key].items()]
    for breakdown, r in rows:
        writer.writerow([breakdown, *("" if r[c] is None else r[c] for c in STATISTICS_COLUMNS)])
    return response


@with_actor
def lodge_facts(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    """The chosen procedure type's facts as inputs for the lodge form (htmx), starting from
    what the dossier proposes (an audited read) or from what was entered."""
    name = request.GET.get("procedure_type", "")
    if not name:
        return HttpResponse("")
    pt = procedure_facts.procedure_type(name)
    # The values typed for this same type come back (a refused lodging, a re-drawn form); a
    # newly chosen type starts from what the dossier proposes.
    entered = request.GET if request.GET.get("facts_for") == name else None
    known = procedure_facts.proposed(actor, person_id, pt, _on(request)) if entered is None else {}
    return render(
        request,
        "keten/_lodge_facts.html",
        {
            "procedure_type": pt.id,
            "fact_fields": procedure_fact_form.fields(pt, entered=entered, known=known),
        },
    )


@require_POST
@with_actor
def correct_facts(request: HttpRequest, actor: Actor, procedure_id: int) -> HttpResponse:
    """Correct the procedure's facts from its panel; the panel answers with the deadlines
    re-derived, or with the refusal beside the fact it names."""
    data = _post_data(request)
    try:
        pt = procedure_facts.procedure_type(data.get("procedure_type", ""))
        procedure_facts.correct(
            actor,
            procedure_id,
            {"facts": procedure_fact_form.as_correction(pt, data), "reason": data.get("reason")},
            _version(request),
            _on(request),
        )
    except ServiceError as exc:
        return _procedure_panel(request, actor, procedure_id, exc, exc.status)
    return _procedure_panel(request, actor, procedure_id)
