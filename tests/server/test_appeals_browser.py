"""In Debian's chromium (Playwright): the IND's litigation role lodges an appeal against a
refusal from the dossier page and records the court's judgment; the IND's decision officer
then sees the well-founded appeal on the original procedure and decides again."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import page  # noqa: F401  (the module's chromium page)
from tests.server.world import register, version

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _login(live: Server, page: Any, user: str) -> None:  # noqa: F811
    page.context.clear_cookies()
    page.goto(f"{live.base}/login")
    page.fill("#id_username", user)
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_lodge_an_appeal_and_record_the_judgment(live: Server, page: Any) -> None:  # noqa: F811
    person = int(register(live, surname="Rechtbanktest")["id"])
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "ind",
        {
            "procedure_type": "asylum_first",
            "day": (date.today() - timedelta(days=90)).isoformat(),
            "reason": "aanvraag",
        },
        headers={"If-Match": version(live, person)},
    )
    original = lodged.body["id"]
    refused = live.request(
        "POST",
        f"/api/v1/procedures/{original}/decisions",
        "ind",
        {
            "outcome": "refused",
            "day": (date.today() - timedelta(days=30)).isoformat(),
            "grounds": "Vw 2000 art. 31",
            "reason": "afwijzing",
        },
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    decision = refused.body["decision"]["id"]

    _login(live, page, "ind-proces")
    page.goto(f"{live.base}/persons/{person}")
    panel = page.locator(f"#proc-{original}")
    lodge = panel.locator(f"details.lodge-appeal[data-decision='{decision}']")
    lodge.locator("summary").click()
    assert "Beroep instellen" in lodge.locator("summary").inner_text()  # Dutch first
    form = lodge.locator("form")
    form.locator("select[name=procedure_type]").select_option("appeal")
    form.locator("input[name=reason]").fill("beroepschrift ontvangen in de browsertest")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".court .contests")

    appeals = live.get(f"/api/v1/procedures/{original}/appeals", "ind-proces").body
    assert len(appeals["contested_by"]) == 1
    appeal = appeals["contested_by"][0]["id"]
    court = page.locator(f"#proc-{appeal} .court")
    assert "Beroep tegen besluit van" in court.locator(".contests").inner_text()

    outcome = court.locator("form.court-outcome")
    outcome.locator("select[name=ending]").select_option("judgment")
    outcome.locator("select[name=outcome]").select_option("well_founded")
    outcome.locator("input[name=reason]").fill("uitspraak rechtbank")
    outcome.locator("button[type=submit]").click()
    page.wait_for_selector(f"#proc-{appeal} .court-ending")
    ending = page.locator(f"#proc-{appeal} .court-ending")
    assert ending.get_attribute("data-ending") == "judgment"
    assert "gegrond" in ending.inner_text()
    assert page.locator(f"#proc-{appeal} form.court-outcome").count() == 0  # ended once
    assert page.locator(f"#proc-{original} form.decide-again").count() == 0  # not this role

    # The decision officer decides again on the original application.
    _login(live, page, "ind")
    page.goto(f"{live.base}/persons/{person}")
    again = page.locator(f"#proc-{original} form.decide-again")
    again.locator("select[name=outcome]").select_option("granted")
    again.locator("input[name=reason]").fill("nieuw besluit na gegrond beroep")
    again.locator("button[type=submit]").click()
    page.wait_for_selector(f"#proc-{original} .decided-again")
    decisions = live.get(f"/api/v1/procedures/{original}", "ind").body["decisions"]
    assert [d["outcome"] for d in decisions] == ["refused", "granted"]
    assert page.locator("details.lodge-appeal").count() == 0  # the officer lodges no appeal
