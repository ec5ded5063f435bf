"""DTenV's cooperation with the Belgian partner done on /terugkeer/operaties, in Debian's
chromium (Playwright): a special flight planned (first refused in Dutch for a day before the
declaration, with what was typed kept), the KMar's escorts recorded on it, a joint request to
a country of origin proposed, a step out of order refused and the right one recorded, and the
programme shared with the partner (it waits in the outbox: the walk partner's inbox is closed).

Seed 000 point 3: "gezamenlijke identificatiemissies, uitwisseling van special flight
programmatie en deelname aan elkaars special flights".
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import orm, page, sign_in  # noqa: F401  (page: the fixture)
from tests.server.test_policy_walk import _exchange_partner

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_dtenv_plans_shares_and_proposes_on_the_page(
    live: Server,
    page: Any,  # noqa: F811
) -> None:
    partner = orm(_exchange_partner)
    flight_day = (date.today() + timedelta(days=43)).isoformat()
    sign_in(page, live.base, "dtenv")
    page.goto(f"{live.base}/terugkeer/operaties")
    assert "Een special flight of missie plannen" in page.inner_text("main")
    plan = page.locator("#plan-operation")
    plan.locator("#plan-kind").select_option("special_flight")
    plan.locator("#plan-destination").fill("GEO")
    plan.locator("#plan-day").fill("2014-06-01")  # before the declaration of intent
    plan.locator("#plan-seats").fill("12")
    plan.locator("#plan-reason").fill("charter Tbilisi")
    plan.locator("button[type=submit]").click()
    summary = page.wait_for_selector(".error-summary")
    assert summary is not None
    assert "Dag" in summary.inner_text() and "2015" in summary.inner_text()
    assert page.locator("#plan-destination").input_value() == "GEO"  # nothing lost
    page.locator("#plan-day").fill(flight_day)
    page.locator("#plan-operation button[type=submit]").click()
    page.wait_for_selector("text=De operatie is gepland.")
    # Other tests plan flights and requests on this server too: the row is found by its own
    # day and country, the request by its own authority.
    row = page.locator("#operations tr[data-operation]", has_text="GEO").filter(has_text=flight_day)
    assert flight_day in row.inner_text() and "12" in row.inner_text()
    operation = row.get_attribute("data-operation")

    # The KMar records its escorts on the flight (it may not plan one).
    sign_in(page, live.base, "kmar")
    page.goto(f"{live.base}/terugkeer/operaties")
    assert page.locator("#plan-operation").count() == 0
    escorts = page.locator("#record-escorts")
    escorts.locator("#escort-operation").select_option(operation)
    escorts.locator("#escort-service").select_option("kmar")
    escorts.locator("#escort-count").fill("8")
    escorts.locator("#escort-reason").fill("begeleiding charter")
    escorts.locator("button[type=submit]").click()
    page.wait_for_selector("text=De begeleiders zijn vastgelegd.")
    row = page.locator(f"#operations tr[data-operation='{operation}']")
    assert "8 Koninklijke Marechaussee" in row.inner_text()

    sign_in(page, live.base, "dtenv")
    page.goto(f"{live.base}/terugkeer/operaties")
    propose = page.locator("#propose-request")
    propose.locator("#propose-kind").select_option("travel_documents")
    propose.locator("#propose-destination").fill("GEO")
    propose.locator("#propose-authority").fill("Ambassade van Georgië, Brussel (browsertest)")
    propose.locator("#propose-partner").fill(partner)
    propose.locator("#propose-on").fill(date.today().isoformat())
    propose.locator("#propose-own").fill("6")
    propose.locator("#propose-theirs").fill("4")
    propose.locator("#propose-sources").fill("overleg DT&V-DVZ (browsertest)")
    propose.locator("#propose-reason").fill("laissez-passers Georgië")
    propose.locator("button[type=submit]").click()
    page.wait_for_selector("text=Het gezamenlijke verzoek is vastgelegd als voorgesteld.")
    request_row = page.locator("#joint-requests tr[data-request]", has_text="(browsertest)")
    request = request_row.get_attribute("data-request")
    assert "6 / 4" in request_row.inner_text()

    step = page.locator("#request-step")
    step.locator("#step-request").select_option(request)
    step.locator("#step-status").select_option("sent")  # not yet agreed by the partner
    step.locator("#step-day").fill(date.today().isoformat())
    step.locator("#step-reason").fill("verzonden")
    step.locator("button[type=submit]").click()
    summary = page.wait_for_selector(".error-summary")
    assert summary is not None and "komt na akkoord van de partner" in summary.inner_text()
    page.locator("#step-status").select_option("agreed")
    page.locator("#request-step button[type=submit]").click()
    page.wait_for_selector("text=De stap is vastgelegd.")
    request_row = page.locator(f"#joint-requests tr[data-request='{request}']")
    assert "akkoord van de partner" in request_row.inner_text()

    share = page.locator("#share-programme")
    share.locator("#share-programme-partner").select_option(partner)
    share.locator("#share-programme-reference").fill("DTENV-PROG-BROWSER")
    share.locator("#share-programme-reason").fill("programma met de partner delen")
    share.locator("button[type=submit]").click()
    page.wait_for_selector("text=Het bericht is onderweg naar de partner.")
    sent = live.get("/api/v1/exchange/messages?box=outbox", "dtenv").body["results"]
    mine = [m for m in sent if m["envelope"]["sender_reference"] == "DTENV-PROG-BROWSER"]
    assert len(mine) == 1 and mine[0]["kind"] == "return_operation_programme"
    flights = mine[0]["envelope"]["body"]["operations"]
    assert any(o["destination"] == "GEO" and o["day"] == flight_day for o in flights)
