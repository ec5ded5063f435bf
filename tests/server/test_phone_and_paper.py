"""A case worker on a phone and on paper, in Debian's chromium: a 390-pixel screen shows the
page at its own width (nothing but a table wider than the screen), a printed dossier has no
navigation or forms and every folded explanation opened, and the language changes only when a
language is chosen, never by an arrow key on the switch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import chromium_page
from tests.server.world import World, register

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    with chromium_page(viewport=PHONE, is_mobile=True) as opened:
        yield opened


def _log_in(live: Server, page: Any, user: str = "ind") -> None:
    """Log in unless the module's page still is (its header then holds a log-out button)."""
    page.goto(f"{live.base}/queue")
    if "/login" not in page.url:
        return
    page.fill("#id_username", user)
    page.fill("#id_password", "keten-demo")
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_load_state()


def _dossier(live: Server) -> tuple[int, int]:
    person = register(live, surname="Telefoontest")
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/procedures",
        "ind",
        {"procedure_type": "asylum_first", "day": date.today().isoformat(), "reason": "test"},
        headers={"If-Match": f'"{person["version"]}"'},
    )
    assert lodged.status == 201, lodged.text
    return person["id"], lodged.body["id"]


def _page_overflow(page: Any) -> int:
    """How many pixels the page is wider than the screen (tables scroll within themselves)."""
    # Against the screen, not window.innerWidth: a mobile browser widens its layout viewport
    # to the content, so innerWidth grows with the very overflow being measured.
    return int(page.evaluate("document.documentElement.scrollWidth")) - PHONE["width"]


def test_a_phone_shows_the_queue_and_the_dossier_at_its_own_width(
    live: Server, world: World, phone: Any
) -> None:
    person, _ = _dossier(live)
    _log_in(live, phone)
    # Without a viewport a phone lays the page out 980 pixels wide and shrinks it.
    assert phone.evaluate("window.innerWidth") == PHONE["width"]
    # The world's person P has every kind of record: its forms hold the longest selects.
    for path in ("/queue", f"/persons/{person}", f"/persons/{world.p}", "/dashboard"):
        phone.goto(f"{live.base}{path}")
        assert _page_overflow(phone) <= 0, path
        assert "{#" not in phone.inner_text("body"), path  # no template source on the page


def test_a_long_select_in_a_form_keeps_to_a_phone_screen(
    live: Server, world: World, phone: Any
) -> None:
    """A select is as wide as its longest option (a location's name, a hand-over's receiver):
    on a phone it must take the screen's width, not widen the page. COA's dossier forms
    (placement, hand-over) are inline forms, where a label held its select at full width."""
    phone.context.clear_cookies()
    _log_in(live, phone, "coa")
    try:
        phone.goto(f"{live.base}/persons/{world.p}")
        phone.evaluate(
            """() => { for (const d of document.querySelectorAll('details')) d.open = true;
                 for (const s of document.querySelectorAll('main select')) {
                   const o = document.createElement('option');
                   o.textContent = 'Uitspraak van de Afdeling bestuursrechtspraak '.repeat(3);
                   s.appendChild(o); } }"""
        )
        assert phone.locator("main form.inline select").count() > 0
        assert _page_overflow(phone) <= 0
    finally:
        phone.context.clear_cookies()  # the module's other tests work as the IND


def test_a_printed_dossier_has_no_navigation_or_forms_and_its_explanations_open(
    live: Server, phone: Any
) -> None:
    person, proc = _dossier(live)
    _log_in(live, phone)
    phone.goto(f"{live.base}/persons/{person}")
    trail = phone.locator(f"#proc-{proc} tr[data-deadline] details").first
    assert trail.get_attribute("open") is None  # folded on the screen
    phone.emulate_media(media="print")
    try:
        assert not phone.locator("header.top").is_visible()
        assert not phone.locator(f"#proc-{proc} form").first.is_visible()
        # a folded form (correct the facts, link a family member) is not printed either
        assert not phone.locator("details:has(form)").first.is_visible()
        assert phone.locator("h1").is_visible()
        phone.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert trail.get_attribute("open") is not None
        assert trail.locator("ol.trail li").first.is_visible()
        phone.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert trail.get_attribute("open") is None  # folded again on the screen
    finally:
        phone.emulate_media(media="screen")


def test_an_arrow_key_on_the_language_switch_changes_nothing(live: Server, phone: Any) -> None:
    _log_in(live, phone)
    phone.goto(f"{live.base}/queue")
    heading = phone.locator("h1").inner_text()
    assert heading.startswith("Werkvoorraad")
    english = phone.locator("form.language button[value=en]")
    english.focus()
    for key in ("ArrowDown", "ArrowUp", "ArrowRight"):
        phone.keyboard.press(key)
    phone.wait_for_timeout(300)
    assert phone.locator("h1").inner_text() == heading  # still Dutch: nothing was chosen
    assert phone.locator("form.language button[value=nl]").get_attribute("aria-current") == "true"
    english.click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text().startswith("Work queue")
    assert phone.locator("form.language button[value=en]").is_disabled()
    phone.locator("form.language button[value=nl]").click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == heading
