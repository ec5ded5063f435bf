"""The reports' front page (``/rapportage``): the reports and the forecast a role may open, and
nothing else. Each report has its own page module; this one only lists them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keten.server.services.actor import Actor
from keten.server.services.errors import ForbiddenError
from keten.server.ui.views import with_actor

# (resource the role needs read on, path, Dutch-first title msgid, what it answers msgid)
REPORTS: tuple[tuple[str, str, str, str], ...] = (
    (
        "annual_report",
        "/rapportage/jaarcijfers",
        "IND annual figures",
        "Applications, decisions and differences per product and year, on time and upheld in "
        "court against their targets, in the form of the IND annual report",
    ),
    (
        "management_information",
        "/rapportage/maand",
        "Monthly management information",
        "Intake, handled, open, over the term, lead time and dwangsom per team, type and month",
    ),
    (
        "strategy_report",
        "/rapportage/factsheet",
        "Chain factsheet",
        "The chain per half-year: intake, reception, decisions, outflow and return",
    ),
    (
        "strategy_report",
        "/rapportage/strategie",
        "National strategy in the EU model",
        "The strategy's sections in the model of Implementing Decision (EU) 2025/503, with the "
        "indicators Keten computes beside each component",
    ),
    (
        "forecast",
        "/prognose",
        "Chain forecast",
        "The baseline and scenarios: bands, occupancy against capacity, taakstelling, dwangsom",
    ),
)


def available(actor: Actor) -> list[dict[str, str]]:
    return [
        {"path": path, "title": title, "about": about}
        for resource, path, title, about in REPORTS
        if actor.role.can(resource, "read")
    ]


@with_actor
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    reports = available(actor)
    if not reports:
        raise ForbiddenError(
            f"role {actor.role.id} may read no report",
            field="rapportage",
            rule="policy: no report resource is allowed to this role",
            detail_nl=f"de rol {actor.role.id} mag geen rapportage inzien",
            rule_nl="beleid: deze rol heeft geen leesrecht op een rapportage",
        )
    return render(request, "keten/reports.html", {"reports": reports})
