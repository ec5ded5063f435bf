"""DTenV records a family's detention from the dossier page and sees the right limit and the
alert on ``/bewaring``, in Debian's chromium driven by Playwright (the pattern of
``test_browser.py``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import page as page  # the module's chromium page fixture
from tests.server.world import register, version

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_dtenv_records_a_family_detention_and_sees_the_two_week_limit(
    live: Server, page: Any
) -> None:
    """Vc 2000 A5/2.4 (seed 004): "Bewaring wordt alleen proportioneel geacht als verwacht mag
    worden dat de uitzetting of overdracht binnen twee weken kan worden gerealiseerd." Detained
    12 days ago, two days are left: inside the alert window of a 2-week limit (3 days)."""
    parent = register(live, "dtenv", surname="Browsergezin", birth_date="1984-03-03")
    child = register(live, "dtenv", surname="Browsergezin", birth_date="2019-05-05")
    linked = live.request(
        "POST",
        f"/api/v1/persons/{parent['id']}/family",
        "dtenv",
        {"relation": "parent", "other_person_id": child["id"], "reason": "gezin"},
        headers={"If-Match": version(live, parent["id"])},
    )
    assert linked.status == 201, linked.text
    detained = (date.today() - timedelta(days=12)).isoformat()
    last_day = (date.today() + timedelta(days=2)).isoformat()

    page.context.clear_cookies()
    page.goto(f"{live.base}/login")
    page.fill("#id_username", "dtenv")
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live.base}/persons/{parent['id']}")

    # Choosing the detention brings its facts (htmx), the group proposed from the family link.
    lodge = page.locator("form[action$='/lodge']")
    lodge.locator("select[name=procedure_type]").select_option("detention")
    group = lodge.locator("[data-fact=group] select")
    page.wait_for_selector("form[action$='/lodge'] [data-fact=group] select")
    page.wait_for_function(
        "() => document.querySelector(\"form[action$='/lodge'] input[name=facts_for]\")"
        "?.value === 'detention'"
    )
    assert group.input_value() == "family"
    assert "minderjarig kind" in lodge.locator("[data-fact=group] .fact-source").inner_text()
    assert "gezin met minderjarigen" in lodge.locator("[data-fact=group]").inner_text()
    lodge.locator("[data-fact=basis] select").select_option("59")
    lodge.locator("input[name=day]").fill(detained)
    lodge.locator("input[name=reason]").fill("inbewaringstelling gezin in de browsertest")
    lodge.locator("button[type=submit]").click()
    page.wait_for_selector("section.procedure table.procedure-facts")
    facts = page.locator("section.procedure table.procedure-facts")
    assert "gezin met minderjarigen" in facts.locator("[data-fact=group]").inner_text()

    page.click("header.top a[href='/bewaring']")
    page.wait_for_selector("#detentions")
    row = page.locator(f"#detentions tr[data-person='{parent['id']}']")
    assert row.locator(".maximum-length").inner_text() == "2 weken"
    why = row.locator(".maximum-why").inner_text()
    assert "Vc 2000 A5/2.4" in why and "binnen twee weken kan worden gerealiseerd" in why
    assert row.locator(".last-day").inner_text() == last_day
    assert row.locator(".days-left").inner_text() == "2"
    near = row.locator(".alerts [data-kind=near][data-deadline=maximum]")
    assert near.count() == 1 and "nog 2 dagen" in near.inner_text()
    assert row.locator(".alerts [data-kind=passed][data-deadline=ggv_placement]").count() == 1
