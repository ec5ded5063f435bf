"""The main flow in Debian's chromium, driven by Playwright: log in, open the work queue, open
a dossier, record a decision, see the deadline change."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.server.live import Server
from tests.server.sites import site
from tests.server.world import register

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def chromium_page(**context: Any) -> Iterator[Any]:
    """A page in Debian's chromium, Dutch first; ``context``: Playwright's context options (a
    phone's viewport). Skips where chromium is missing outside CI."""
    if not shutil.which("chromium") and os.environ.get("CI") != "true":
        pytest.skip("Debian's chromium is not installed (scripts/test installs it when CI=true)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser.new_context(locale="nl-NL", **context).new_page()
        finally:
            browser.close()


def sign_in(page: Any, base: str, user: str) -> None:
    """Log ``user`` in on the server at ``base`` through the login page (demo password),
    dropping whoever was logged in."""
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("#id_username", user)
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_selector("form[action='/logout']")


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with chromium_page() as opened:
        yield opened


T = TypeVar("T")


def orm(work: Callable[[], T]) -> T:
    """Django's ORM in a thread of its own: Playwright's sync API runs an event loop in this
    one, where Django refuses synchronous database calls."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def test_decide_in_the_browser(live: Server, page: Any) -> None:
    person = register(live, surname="Browsertest")
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/procedures",
        "ind",
        {"procedure_type": "asylum_first", "day": date.today().isoformat(), "reason": "test"},
        headers={"If-Match": f'"{person["version"]}"'},
    )
    assert lodged.status == 201
    proc = lodged.body["id"]

    page.goto(f"{live.base}/login")
    page.fill("#id_username", "ind")
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.base}/queue")
    assert page.locator("h1").inner_text().startswith("Werkvoorraad")  # Dutch first
    assert page.locator("#queue tbody tr").count() > 0
    page.wait_for_selector("#queue-summary strong")  # htmx loaded the totals

    page.goto(f"{live.base}/persons/{person['id']}")
    panel = page.locator(f"#proc-{proc}")
    decision_row = panel.locator("tr[data-deadline=decision]")
    assert decision_row.locator(".deadline-status").get_attribute("data-status") == "open"
    assert panel.locator(".status").inner_text() == "open"
    due_before = decision_row.locator(".deadline-date").inner_text()

    # Decision support: choosing a rule brings its facts as inputs (htmx), running it shows
    # the outcome with its trail, and the decision recorded next carries that trail.
    support = panel.locator("form.support")
    # a detention rule, so not offered first on an asylum case: under "other rules"
    support.locator("details.other-rules summary").click()
    support.locator("select.rules-other").select_option("vc-a5-2.4-detention-amv")
    page.wait_for_selector(f"#proc-{proc} [data-fact=detention_start] input[type=date]")
    support.locator("[data-fact=detention_start] input").fill(date.today().isoformat())
    support.locator("[data-fact=first_encountered_in_supervision] select").select_option("true")
    support.locator("[data-fact=departure_within_days] input").fill("20")
    support.locator("button[type=submit]").click()
    page.wait_for_selector(f"#proc-{proc} .support-result")
    panel = page.locator(f"#proc-{proc}")
    window = panel.locator(".support-result tr[data-check=window_days] strong")
    assert window.inner_text() == "28"  # first encountered: four weeks (Vc A5/2.4 onder c)
    assert panel.locator("[data-fact=departure_within_days] input").input_value() == "20"

    form = panel.locator("form.decide")
    form.locator("select[name=outcome]").select_option("granted")
    form.locator("input[name=grounds]").fill("Vw 2000 art. 29 lid 1")
    form.locator("input[name=reason]").fill("besluit in de browsertest")
    form.locator("button[type=submit]").click()

    page.wait_for_selector(f"#proc-{proc} .decision")
    panel = page.locator(f"#proc-{proc}")
    assert panel.locator(".status").inner_text() == "afgerond"  # closed, in Dutch
    row = panel.locator("tr[data-deadline=decision]")
    assert row.locator(".deadline-status").get_attribute("data-status") == "met"
    assert row.locator(".deadline-status").inner_text() == "op tijd"
    assert row.locator(".deadline-date").inner_text() == due_before  # the date stays, met
    assert "Besluit op de aanvraag op" in row.text_content()  # the trail says what closed it
    assert "ingewilligd" in panel.locator(".decision").inner_text()
    panel.locator(".decision details summary").first.click()
    assert panel.locator(".decision tr[data-check=window_days] strong").inner_text() == "28"
    support = panel.locator(".decision-support")
    assert support.count() == 0  # closed: nothing left to support

    after = live.get(f"/api/v1/procedures/{proc}", "ind").body
    assert after["status"] == "closed" and after["decisions"][0]["outcome"] == "granted"


def test_add_a_measure_in_the_browser(live: Server, page: Any) -> None:
    """htmx swaps the page's main part: first the refusal beside the field with the input
    kept, then the dossier with the new measure."""
    person = register(live, surname="Maatregeltest")
    page.context.clear_cookies()  # a fresh session, as KMar
    page.goto(f"{live.base}/login")
    page.fill("#id_username", "kmar")
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.base}/queue")
    page.goto(f"{live.base}/persons/{person['id']}")
    page.click("#add-measure summary")
    form = page.locator("#add-measure form")
    form.locator("select[name=kind]").select_option("reporting_duty")
    form.locator("input[name=start]").fill(date.today().isoformat())
    form.locator("input[name=end]").fill("2000-01-01")  # before the start
    form.locator("input[name=reason]").fill("meldplicht in de browsertest")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#measure-end-error")
    assert page.url == f"{live.base}/persons/{person['id']}"  # swapped in place by htmx
    # Beside the field without the API's name; in the summary by the label, linked to it.
    assert page.inner_text("#measure-end-error").startswith("mag niet vóór het begin")
    summary = page.locator("#add-measure .error-summary a")
    assert summary.get_attribute("href") == "#measure-end"
    assert summary.inner_text().startswith("Einddatum: mag niet vóór het begin")
    form = page.locator("#add-measure form")
    assert form.locator("input[name=reason]").input_value() == "meldplicht in de browsertest"
    form.locator("input[name=end]").fill("")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("tr[id^=measure-]")
    assert "Meldplicht (art. 54 Vw)" in page.inner_text("tr[id^=measure-]")
    assert page.url == f"{live.base}/persons/{person['id']}"
    measures = live.get(f"/api/v1/persons/{person['id']}/measures", "kmar").body["results"]
    assert [m["kind"] for m in measures] == ["reporting_duty"]


def _login(live: Server, page: Any, user: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live.base}/login")
    page.fill("#id_username", user)
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_coa_moves_a_person_and_withdraws_a_mistake_in_the_browser(live: Server, page: Any) -> None:
    """The COA planner's job: the person stays in an azc; moving them offers the move (and only
    COA's kinds of place), the earlier stay ends on the move's day; a placement entered by
    mistake is withdrawn with the reason, struck through, and the earlier stay runs again."""
    person = register(live, surname="Verhuistest")
    azc = site(live, "coa", "regular")
    emergency = site(live, "coa", "emergency")
    placed = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/placements",
        "coa",
        {"kind": "coa_regular", "site": azc, "start": "2026-01-05", "reason": "x"},
        headers={"If-Match": f'"{person["version"]}"'},
    )
    assert placed.status == 201, placed.text
    _login(live, page, "coa")
    page.goto(f"{live.base}/persons/{person['id']}")
    page.click("#add-placement summary")
    form = page.locator("#add-placement form")
    offered = form.locator("select[name=kind] option").evaluate_all("os => os.map(o => o.value)")
    assert "detention_centre" not in offered and "nidos_family" not in offered
    assert "coa_emergency" in offered
    move = form.locator("input[name=move]")
    assert move.is_checked() and f"testlocatie {azc}" in form.locator("label.move").inner_text()
    form.locator("select[name=kind]").select_option("coa_emergency")
    form.locator("select[name=site]").select_option(emergency)
    form.locator("input[name=start]").fill(date.today().isoformat())
    form.locator("input[name=reason]").fill("capaciteit Budel")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"text=testlocatie {emergency}")
    first = page.locator(f"#placement-{placed.body['id']}")
    assert "beëindigd door COA" in first.inner_text() or "ended by COA" in first.inner_text()

    rows = live.get(f"/api/v1/persons/{person['id']}/placements", "coa").body["results"]
    new = next(r for r in rows if r["site"] == emergency)
    row = page.locator(f"#placement-{new['id']}")
    row.locator("details.withdraw summary").click()
    row.locator("details.withdraw input[name=reason]").fill("verkeerde persoon verhuisd")
    row.locator("details.withdraw button[type=submit]").click()
    page.wait_for_selector(f"#placement-{new['id']}.withdrawn")
    struck = page.locator(f"#placement-{new['id']}")
    assert "als onjuist ingetrokken door COA" in struck.inner_text()
    assert "verkeerde persoon verhuisd" in struck.inner_text()
    assert struck.locator("s").count() == 1
    assert page.locator(f"#placement-{placed.body['id']} details").count() >= 1  # open again
    timeline = page.locator("table.timeline").inner_text()
    assert "als onjuist ingetrokken" in timeline


def test_the_privacy_officer_reviews_refusals_in_the_browser(live: Server, page: Any) -> None:
    """The privacy officer's job: someone probed a dossier outside their scope; she finds it
    by the person's V-number, among the refusals, in local time, and downloads it."""
    person = register(live, surname="Privacytest")
    assert live.get(f"/api/v1/persons/{person['id']}/dossier", "iom").status == 404
    _login(live, page, "privacy")
    page.goto(f"{live.base}/audit")
    page.fill("input[name=v_number]", person["v_number"])
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("#refusals")
    refusals = page.locator("#refusals").inner_text()
    assert "iom (IOM, iom_officer)" in refusals and person["v_number"] in refusals
    assert "refused.not-found" in refusals
    assert page.locator("h2#refusals-title").inner_text() == "Weigeringen"
    records = page.locator("#records tbody tr, #records tr").all_inner_texts()
    assert any("person.register" in r for r in records)  # the IND's registration, newest last
    with page.expect_download() as download:
        page.click("a[href^='/audit.csv']")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("volgnummer,tijd (Europe/Amsterdam),gebruiker")
    assert person["v_number"] in text and "refused.not-found" in text
