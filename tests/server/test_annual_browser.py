"""The ministry opens the IND annual figures in Debian's chromium (Playwright): the seed's
tables in Dutch, a figure's hover saying what it counts, another year chosen, the CSV offered."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import page  # noqa: F401  (the chromium page fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_ministry_opens_the_annual_figures(live: Server, page: Any) -> None:  # noqa: F811
    page.goto(f"{live.base}/login")
    page.fill("#id_username", "jenv-beleid")
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.goto(f"{live.base}/rapportage")
    page.click("a[href='/rapportage/jaarcijfers']")
    last = date.today().year - 1
    assert page.locator("h1").inner_text().startswith("Jaarcijfers IND")  # Dutch first
    header = page.locator("#section-regular thead").inner_text()
    assert str(last - 1) in header and str(last) in header and "verschil" in header
    row = page.locator("#figure-asylum_handled")
    assert "na gegrond beroep" in row.inner_text()
    assert "afgehandeld" in (row.get_attribute("title") or "")
    assert "niet geregistreerd in Keten" in page.locator("#figure-visa_intake").inner_text()
    shots = os.environ.get("KETEN_SCREENSHOTS")  # docs/img: the screenshot in docs/reports.md
    if shots:
        page.set_viewport_size({"width": 1100, "height": 900})
        page.screenshot(path=str(Path(shots) / "annual_report.png"), full_page=False)
    page.select_option("select[name=jaar]", str(last - 3))
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{live.base}/rapportage/jaarcijfers?jaar={last - 3}")
    assert str(last - 3) in page.locator("h1").inner_text()
    link = page.locator("a[href$='.csv?jaar=" + str(last - 3) + "']")
    assert link.count() == 1
