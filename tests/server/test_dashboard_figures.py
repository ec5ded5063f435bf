"""The ministry's dashboard: issue 16, "The ministry's dashboard is empty where COA sees 105
overdue cases". A role that sees no person (scope none) reads the figures its policy gives it:
the ministry's policy staff the whole chain's ("figures: all", policy.yaml), the IND's
management its own organisation's queues, the privacy officer none; counts only, never a
person, and nothing written to the audit log as a read of personal data."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.server.live import Browser, Server

OPEN = ("open", "suspended", "not_started")


def _dashboard(live: Server, user: str) -> dict[str, Any]:
    reply = live.get("/api/v1/dashboard", user)
    assert reply.status == 200, reply.text
    body: dict[str, Any] = reply.body
    return body


def _open_by_type(body: dict[str, Any]) -> dict[str, int]:
    return {r["procedure_type"]: r["by_status"].get("open", 0) for r in body["procedures"]}


def test_the_ministry_reads_the_chain_wide_figures_coa_reads(live: Server) -> None:
    from keten.server.dossiers.models import Procedure

    today = date.today()
    # Counted here from the table itself, not by the code under test.
    overdue = Procedure.objects.filter(status__in=OPEN, due__lt=today).count()
    assert overdue > 0, "the sample has overdue cases, as the demo's COA sees"
    ministry, coa = _dashboard(live, "jenv-beleid"), _dashboard(live, "coa")
    assert ministry["reach"] == "chain"
    assert ministry["deadlines_missed"] == overdue == coa["deadlines_missed"]
    assert _open_by_type(ministry) == _open_by_type(coa)
    assert ministry["dwangsom_exposure_eur"] == coa["dwangsom_exposure_eur"]
    assert ministry["occupancy"] == coa["occupancy"] and ministry["occupancy"]


def test_the_ministrys_figures_name_nobody_and_are_not_logged_as_reads(live: Server) -> None:
    from keten.server.audit.models import AuditRecord

    before = AuditRecord.objects.filter(actor_role="ministry_policy").count()
    body = _dashboard(live, "jenv-beleid")
    text = str(body)
    for personal in ("v_number", "surname", "given_names", "birth_date", "person"):
        assert personal not in text
    assert AuditRecord.objects.filter(actor_role="ministry_policy").count() == before


def test_the_ind_management_reads_its_own_queues_and_the_privacy_officer_none(
    live: Server,
) -> None:
    from keten.server.dossiers.models import Procedure

    management = _dashboard(live, "ind-management")
    assert management["reach"] == "own"
    ind_types = set(Procedure.objects.filter(queue="ind").values_list("procedure_type", flat=True))
    assert ind_types and {r["procedure_type"] for r in management["procedures"]} == ind_types
    everyone = _open_by_type(_dashboard(live, "ind"))
    own = _open_by_type(management)
    for kind in ind_types:  # the IND's queue types are counted whole
        assert (
            own[kind]
            == Procedure.objects.filter(queue="ind", procedure_type=kind, status="open").count()
        )
        assert own[kind] <= everyone[kind]
    assert management["occupancy"] == []  # the IND's queues hold no placement
    privacy = _dashboard(live, "privacy")
    assert privacy["reach"] == "none" and privacy["procedures"] == []
    assert privacy["deadlines_missed"] == 0


def test_the_ministrys_dashboard_page_shows_the_figures(live: Server) -> None:
    from keten.server.dossiers.models import Procedure

    overdue = Procedure.objects.filter(status__in=OPEN, due__lt=date.today()).count()
    browser = Browser(live.base)
    browser.login("jenv-beleid")
    status, html = browser.open("/dashboard")
    assert status == 200
    assert f'<strong class="overdue">{overdue}</strong>' in html
    assert "Cijfers van de hele keten" in html  # says whose figures they are, in Dutch
    assert "Eerste asielaanvraag" in html
