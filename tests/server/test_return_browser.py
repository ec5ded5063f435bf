"""DTenV records a departure in Debian's chromium (Playwright): "Vertrek vastleggen" on the
departure procedure's panel, first refused in Dutch (a removal needs its destination), then
recorded; the procedure closes and the month's figures show it.

Seed 002: "Het centrale uitgangspunt van het terugkeerbeleid is ‘zelfstandig als het kan,
gedwongen als het moet’."
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import page  # noqa: F401  (the module's chromium page fixture)
from tests.server.test_departures import departure_case

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_dtenv_records_a_removal_in_the_browser(live: Server, page: Any) -> None:  # noqa: F811
    person, proc = departure_case(live, nationality="ALB")
    page.context.clear_cookies()
    page.goto(f"{live.base}/login")
    page.fill("#id_username", "dtenv")
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.base}/queue")
    assert page.locator("header.top a[href='/terugkeer/landen']").count() == 1

    page.goto(f"{live.base}/persons/{person}")
    form = page.locator(f"#departure-{proc['id']}")
    assert "Vertrek vastleggen" in form.locator("h4").inner_text()  # Dutch first
    form.locator("select[name=how]").select_option("forced")
    form.locator("select[name=escorted]").select_option("true")
    form.locator("input[name=reason]").fill("uitzetting in de browsertest")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#proc-{proc['id']} p.error")
    error = page.inner_text(f"#proc-{proc['id']} p.error")
    assert "Bestemming" in error and "is verplicht" in error and "destination" not in error
    form = page.locator(f"#departure-{proc['id']}")
    assert form.locator("input[name=reason]").input_value() == "uitzetting in de browsertest"
    form.locator("select[name=destination]").select_option("ALB")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#proc-{proc['id']} .status[data-status=closed]")
    panel = page.locator(f"#proc-{proc['id']}")
    assert "Gedwongen vertrokken" in panel.locator("table.events").inner_text()
    assert panel.locator("form.record-departure").count() == 0

    event = live.get(f"/api/v1/procedures/{proc['id']}", "dtenv").body["events"][-1]
    assert event["data"] == {"escorted": True, "destination": "ALB"}
    month = date.today().strftime("%Y-%m")
    page.goto(f"{live.base}/terugkeer/cijfers")
    row = page.locator(f"#departures-by-month tr[data-month='{month}'] td[data-kind=forced]")
    assert int(row.inner_text()) >= 1
