"""The outflow in Debian's chromium (Playwright, as ``test_browser.py``): the COA planner
matches a permit holder to a municipality on ``/uitstroom``; the municipality's officer logs
in, sees the person with both phases' terms, records the rental contract and the move; COA's
list shows that the person left reception.

Seed 001, 4.5: "fase 1:koppeling door COA ... Normtijd: twee weken"; "fase 2: huisvesting
regelen door gemeente: loopt van het moment van koppelen tot de ingangsdatum van het
huurcontract. Normtijd: tien weken"; "een normtijd van 14 weken".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import _login, page  # noqa: F401  (the browser fixture)
from tests.server.test_outflow_api import permit_holder, today

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_coa_matches_and_the_municipality_records_contract_and_move(
    live: Server,
    page: Any,  # noqa: F811
) -> None:
    day = today()
    granted = day - timedelta(days=10)
    person = permit_holder(live, granted, surname="Uitstroomtest")
    v_number = live.get(f"/api/v1/persons/{person}", "ind").body["v_number"]

    _login(live, page, "coa")
    page.goto(f"{live.base}/uitstroom")
    assert page.locator("h1").inner_text().startswith("Uitstroom")  # Dutch first
    match = page.locator("#match-new")
    match.locator("input[name=v_number]").fill(v_number)
    match.locator("select[name=municipality]").select_option("utrecht")
    match.locator("input[name=day]").fill(day.isoformat())
    match.locator("input[name=reason]").fill("matchinggesprek gevoerd")
    match.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Gekoppeld" in page.locator("p[role=status]").inner_text()
    page.goto(f"{live.base}/uitstroom?municipality=utrecht&phase=housing")
    row = page.locator(f"tr[data-person='{person}']")
    assert row.get_attribute("data-phase") == "housing"
    assert "Utrecht" in row.locator(".municipality").inner_text()

    _login(live, page, "gemeente-utrecht")
    page.goto(f"{live.base}/uitstroom")
    row = page.locator(f"tr[data-person='{person}']")
    # Both phases' terms with their days: phase 1 two weeks from the permit (met by the match
    # today), phase 2 ten weeks from the match, the norm fourteen weeks from the permit.
    phase1 = row.locator("[data-deadline=matching]")
    assert phase1.get_attribute("data-status") == "met"
    assert phase1.locator(".term-date").inner_text() == str(granted + timedelta(weeks=2))
    phase2 = row.locator("[data-deadline=housing]")
    assert phase2.locator(".term-date").inner_text() == str(day + timedelta(weeks=10))
    assert phase2.locator(".term-days").inner_text() == "nog 70 dagen"
    norm = row.locator("[data-deadline=outflow]")
    assert norm.locator(".term-date").inner_text() == str(granted + timedelta(weeks=14))
    assert norm.locator(".term-days").inner_text() == f"nog {14 * 7 - 10} dagen"
    assert row.locator("form.outflow-match").count() == 0  # the match is COA's

    lease = row.locator("form.outflow-lease")
    lease.locator("input[name=address]").fill("Oudegracht 100, Utrecht")
    lease.locator("input[name=signed_on]").fill(day.isoformat())
    lease.locator("input[name=lease_start]").fill(day.isoformat())
    lease.locator("input[name=reason]").fill("huurcontract ontvangen")
    lease.locator("button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator(f"tr[data-person='{person}']")
    assert row.get_attribute("data-phase") == "moving"
    assert row.locator("[data-deadline=housing]").get_attribute("data-status") == "met"
    assert "Oudegracht 100" in row.locator(".lease").inner_text()

    # The dossier shows the same block to the municipality.
    page.goto(f"{live.base}/persons/{person}")
    block = page.locator("#outflow-block")
    assert block.get_attribute("data-phase") == "moving"
    assert (
        block.locator("tr[data-deadline=matching] .deadline-status").get_attribute("data-status")
        == "met"
    )
    move = block.locator("form.outflow-move")
    move.locator("input[name=day]").fill(day.isoformat())
    move.locator("input[name=reason]").fill("sleutel overhandigd")
    move.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#outflow-block").get_attribute("data-phase") == "left"

    _login(live, page, "coa")
    page.goto(f"{live.base}/uitstroom?phase=left&municipality=utrecht")
    row = page.locator(f"tr[data-person='{person}']")
    assert row.get_attribute("data-phase") == "left"
    assert "Uit de opvang vertrokken" in row.locator(".phase").inner_text()
    assert row.locator("[data-deadline=outflow]").get_attribute("data-status") == "met"
    assert "Oudegracht 100" in row.locator(".staying").inner_text()
