"""In Debian's chromium, driven by Playwright: the ministry's policy staff open the reports,
follow the link to the national strategy in the EU model, and read it with its indicators
beside the components (Dutch first); the PDF link is there."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import page as page  # the module's chromium page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


def _login(live: Server, page: Any) -> None:
    page.context.clear_cookies()
    page.goto(f"{live.base}/login")
    page.fill("#id_username", "jenv-beleid")
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_selector("form[action='/logout']")


def test_the_ministry_opens_the_strategy_document(live: Server, page: Any) -> None:
    _login(live, page)
    page.goto(f"{live.base}/rapportage")
    page.click("text=Nationale strategie in het EU-model")
    page.wait_for_url(f"{live.base}/rapportage/strategie")
    title = page.locator(".title-page h1").inner_text()
    assert title.startswith("Nationale strategie voor asiel- en migratiebeheer 2025-2029")
    border = page.locator("#s2\\.2\\.2 [data-indicator=border_capacity]")
    assert "211" in border.inner_text()
    assert "toereikende capaciteit" in border.inner_text()
    dublin = page.locator("#s2\\.1\\.2 [data-indicator=dublin_decision_time]")
    assert "binnen twee weken" in dublin.inner_text()
    assert page.locator("#pdf-link").get_attribute("href") == "/rapportage/strategie.pdf"
    if os.environ.get("KETEN_SCREENSHOTS"):  # docs/reports.md's picture, made on request
        SHOTS.mkdir(exist_ok=True)
        page.locator("#s2\\.2\\.2").screenshot(path=str(SHOTS / "strategie.png"))


def test_the_ministry_opens_the_factsheet_of_a_half_year(live: Server, page: Any) -> None:
    """The factsheet of the current half-year, the half-year picker, and each subject of seed
    001's list, computed or said unavailable."""
    _login(live, page)
    page.goto(f"{live.base}/rapportage/factsheet")
    assert "Factsheet migratieketen" in page.locator(".title-page h1").inner_text()
    assert page.locator("select[name=halfjaar] option").count() == 8
    night = page.locator("[data-figure=night_shelter]")
    assert "Niet beschikbaar" in night.inner_text()
    assert page.locator("[data-figure=asylum_applications] table").count() == 1
    if os.environ.get("KETEN_SCREENSHOTS"):
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "factsheet.png"), full_page=True)
