"""The COA planner in Debian's chromium (Playwright): registers a location on /locations, places
an arrival into it from the dossier page (the form offers COA's open locations with their free
places), and sees the location's occupancy go up by one on /locations/<code>."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import _login, page  # noqa: F401 (the fixture, shared)
from tests.server.world import register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_coa_places_an_arrival_and_sees_the_occupancy_go_up(live: Server, page: Any) -> None:  # noqa: F811
    _login(live, page, "coa")
    page.goto(f"{live.base}/locations")
    assert page.locator("h1").inner_text().startswith("Locatieregister")  # Dutch first
    form = page.locator("#location-form")
    form.locator("input[name=code]").fill("azc-browsertest")
    form.locator("input[name=name]").fill("azc Browsertest")
    form.locator("select[name=kind]").select_option("regular")
    form.locator("input[name=municipality]").fill("zwolle")
    form.locator("input[name=province]").fill("overijssel")
    form.locator("input[name=opened]").fill("2024-01-01")
    form.locator("input[name=places]").fill("5")
    form.locator("input[name=reserve]").fill("1")
    form.locator("input[name=reason]").fill("nieuwe locatie")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live.base}/locations/azc-browsertest")
    assert page.locator("#occupied").inner_text() == "0"
    assert page.locator("#free").inner_text() == "4"

    person = register(live, surname="Aankomst")
    page.goto(f"{live.base}/persons/{person['id']}")
    page.click("#add-placement summary")
    placement = page.locator("#add-placement form")
    option = placement.locator("select[name=site] option[value=azc-browsertest]")
    assert "4 vrij van 5" in option.inner_text()
    placement.locator("select[name=kind]").select_option("coa_regular")
    placement.locator("select[name=site]").select_option("azc-browsertest")
    placement.locator("input[name=start]").fill(date.today().isoformat())
    placement.locator("input[name=reason]").fill("aankomst")
    placement.locator("button[type=submit]").click()
    page.wait_for_selector("a[href='/locations/azc-browsertest']")

    page.click("a[href='/locations/azc-browsertest']")
    page.wait_for_url(f"{live.base}/locations/azc-browsertest")
    assert page.locator("#occupied").inner_text() == "1"
    assert page.locator("#free").inner_text() == "3"
    assert "Aankomst" in page.locator("#staying").inner_text()
