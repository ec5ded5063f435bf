"""The ministry's policy officer in Debian's chromium, driven by Playwright: from the nav's
"Rapportage" to the monthly management information, asks for February to April 2024 and one
team, and reads the charts and their table views."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.reports.monthly_chain import fixed
from tests.server.live import Server
from tests.server.monthly_db import write
from tests.server.test_browser import orm as _orm
from tests.server.test_browser import page as page  # the module's chromium page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def team(live: Server) -> Iterator[str]:
    name = f"mi-{uuid.uuid4().hex[:6]}"
    _orm(lambda: write(fixed(name)))
    yield name


def test_the_ministry_opens_the_monthly_charts(live: Server, page: Any, team: str) -> None:
    page.goto(f"{live.base}/login")
    page.fill("#id_username", "jenv-beleid")
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.click("header.top a[href='/rapportage']")
    page.wait_for_url(f"{live.base}/rapportage")
    page.click("a[href='/rapportage/maand']")
    page.wait_for_url(f"{live.base}/rapportage/maand")
    assert page.locator("h1").inner_text().startswith("Managementinformatie per maand")
    page.fill("input[name=van]", "2024-02")
    page.fill("input[name=tot]", "2024-04")
    page.fill("input[name=team]", team)
    page.click("#monthly-form button[type=submit]")
    page.wait_for_url(f"{live.base}/rapportage/maand?**")
    for chart in ("#flow-chart", "#lead-chart", "#dwangsom-chart"):
        assert page.locator(f"{chart} svg polyline").count() >= 1, chart
    march = page.locator("#flow-table tr[data-month='2024-03'] td")
    # A, B, E, F, ... counted by hand (tests/reports/monthly_chain.py): 5 in, 3 decided,
    # 6 open and 2 over the term at the end of March, over every organisation
    assert [march.nth(i).inner_text() for i in range(5)] == ["2024-03", "5", "3", "6", "2"]
    lead = page.locator("#lead-table tr[data-month='2024-03'] td")
    assert [lead.nth(i).inner_text() for i in range(3)] == ["2024-03", "30", "48"]
    dwangsom = page.locator("#dwangsom-table tr[data-month='2024-04'] td")
    assert dwangsom.nth(1).inner_text() == "395"
    assert page.locator("#monthly-rows tr[data-organisation='coa']").count() == 2
    shot = os.environ.get("KETEN_SCREENSHOT_DIR")
    if shot:  # docs/reports.md's picture, taken on request
        page.screenshot(path=str(Path(shot) / "monthly.png"), full_page=True)
