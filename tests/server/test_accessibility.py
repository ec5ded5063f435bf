"""Issue 16: "WCAG 2.1 AA checked with axe-core in the browser tests ... an axe-core run on the
main pages with no serious violations". Each role opens its main pages in Debian's chromium
(Dutch first), axe-core (axe-playwright-python's bundled axe.min.js, version and licence in
data/README.md) runs on each with the WCAG 2.0/2.1 A and AA rules, and a serious or critical
violation fails the test, naming the rule, the page and the elements. A page with an error
summary is checked too: a refused form is where an inaccessible page hurts most. To cover a
new page, add it to ``PAGES``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import chromium_page, sign_in
from tests.server.world import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

# user -> its main pages; "{p}" the world's person P, whom every organisation may see.
PAGES: dict[str, list[str]] = {
    "ind": [
        "/queue",
        "/persons",
        "/persons/{p}",
        "/coi/SYR",
        "/persons/new",
        "/dashboard",
        "/queue?procedure_type=nonsense",
        "/queue?overdue=1",
        "/persons?q=omer",
        "/dubbelen",
        "/meldingen",
    ],
    "coa": [
        "/dashboard",
        "/opvang",
        "/uitstroom",
        "/locations",
        "/prognose",
        "/taakstelling",
        "/rapportage/maand",
    ],
    "dtenv": [
        "/bewaring",
        "/bewaring/statistiek",
        "/terugkeer/cijfers",
        "/terugkeer/landen",
        "/terugkeer/operaties",
        "/coi/SYR",
    ],
    "verbindingsambtenaar": ["/uitwisseling"],
    "dvz-opsporingen": ["/uitwisseling"],
    "jenv-beleid": [
        "/dashboard",
        "/rapportage",
        "/rapportage/jaarcijfers",
        "/rapportage/factsheet",
        "/rapportage/strategie",
        "/prognose",
        "/solidariteit",
    ],
    "gemeente-utrecht": ["/taakstelling", "/persons/{p}", "/meldingen"],
    "privacy": ["/audit"],
    "iom": ["/landen", "/landen?q=mar", "/landen/MAR", "/landen/XXA"],
}


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with chromium_page() as opened:
        yield opened


def log_in(page: Any, live: Server, user: str) -> None:
    sign_in(page, live.base, user)


def _violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]},
    )
    found = []
    for v in results.response["violations"]:
        if v.get("impact") in BLOCKING:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
            found.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return found


def test_the_login_page_passes_axe(live: Server, page: Any) -> None:
    page.context.clear_cookies()
    page.goto(f"{live.base}/login")
    assert _violations(page) == []
    # refused: the error stands beside the fields, and the page still passes
    page.fill("#id_username", "ind")
    page.fill("#id_password", "fout")
    page.click("button[type=submit]")
    page.wait_for_selector("#login-error")
    assert _violations(page) == []


@pytest.mark.parametrize("user", sorted(PAGES))
def test_the_main_pages_of_each_role_pass_axe(
    live: Server, world: World, page: Any, user: str
) -> None:
    log_in(page, live, user)
    failed: dict[str, list[str]] = {}
    for path in PAGES[user]:
        page.goto(live.base + path.format(p=world.p))
        if found := _violations(page):
            failed[path] = found
    assert not failed, failed


def test_a_refused_form_with_its_error_summary_passes_axe(live: Server, page: Any) -> None:
    log_in(page, live, "ind")
    page.goto(f"{live.base}/persons/new")
    page.fill("input[name=v_number]", "12")
    page.fill("input[name=given_names]", "Amir")
    page.fill("input[name=surname]", "Haddad")
    page.fill("input[name=birth_date]", "1990-00-00")
    page.select_option("select[name=nationality]", "SYR")
    page.fill("input[name=reason]", "aanmelding aan de balie")
    page.click("form.card button[type=submit]")
    summary = page.wait_for_selector(".error-summary")
    assert summary is not None and "Er is een probleem" in summary.inner_text()
    # the summary links to the refused input, which points back at its message
    link = page.locator(".error-summary a")
    assert link.get_attribute("href") == "#person-v_number"
    field = page.locator("#person-v_number")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("aria-describedby") == "person-v_number-error"
    assert "tien cijfers" in page.inner_text("#person-v_number-error")
    assert _violations(page) == []


def test_the_exchange_request_form_refused_passes_axe(live: Server, page: Any) -> None:
    """The liaison officer's request form (shown only with a partner it is accredited with),
    after a refusal: the summary and the kept input still pass."""
    from tests.server.test_browser import orm
    from tests.server.test_policy_walk import _exchange_partner

    partner = orm(_exchange_partner)
    log_in(page, live, "verbindingsambtenaar")
    page.goto(f"{live.base}/uitwisseling")
    form = page.locator("#send-request")
    form.locator("#send-partner").select_option(partner)
    form.locator("#send-surname").fill("Toegankelijk")
    form.locator("#send-birth_date").fill("1990-13-01")
    form.locator("#send-nationality").fill("SYR")
    form.locator("#send-question").fill("Vraag")
    form.locator("#send-sender_reference").fill("A11Y-1")
    form.locator("#send-reason").fill("toets")
    form.locator("button[type=submit]").click()
    summary = page.wait_for_selector(".error-summary")
    assert summary is not None and "Geboortedatum" in summary.inner_text()
    assert _violations(page) == []
