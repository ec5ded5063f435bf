"""In Debian's chromium (issue 16, "What it must show"): an IND case worker finds a person by a
misspelt first name and opens the dossier; registering "Omar Rahimi" a second time shows the
warning with a link to the first, and "toch registreren" registers on confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.test_browser import chromium_page
from tests.server.world import register, v_number

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with chromium_page() as opened:
        yield opened


def _login(page: Any, live: Server, user: str = "ind") -> None:
    page.goto(f"{live.base}/persons")
    if page.locator("form[action='/logout']").count():  # the module's page is logged in
        return
    page.goto(f"{live.base}/login")
    page.fill("#id_username", user)
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_selector("form[action='/logout']")


def test_find_by_a_misspelt_first_name_and_open_the_dossier(live: Server, page: Any) -> None:
    person = register(live, given_names="Samira", surname="Hashimi-Nouri", birth_date="1987-04-12")
    _login(page, live)
    page.goto(f"{live.base}/persons")
    page.fill("input[name=q]", "samiera hashimi nouri")
    page.click("form[role=search] button[type=submit]")
    row = page.locator("table tbody tr", has_text=person["v_number"])
    assert row.count() == 1
    assert "lijkt op: samira" in row.inner_text()
    row.locator(f"a[href='/persons/{person['id']}']").first.click()
    page.wait_for_url(f"**/persons/{person['id']}")
    assert "Hashimi-Nouri" in page.locator("h1").inner_text()


def test_registering_omar_rahimi_twice_shows_the_warning(live: Server, page: Any) -> None:
    first = live.request(
        "POST",
        "/api/v1/persons",
        "ind",
        {
            "v_number": v_number(),
            "given_names": "Omar",
            "surname": "Rahimi",
            "birth_date": "1996-10-01",
            "nationality": "AFG",
            "reason": "aanmelding",
        },
    )
    assert first.status == 201, first.text
    _login(page, live)
    page.goto(f"{live.base}/persons/new")
    second = v_number()
    page.fill("input[name=v_number]", second)
    page.fill("input[name=given_names]", "Omar")
    page.fill("input[name=surname]", "Rahimi")
    page.fill("input[name=birth_date]", "1996-10-01")
    page.select_option("select[name=nationality]", "AFG")
    page.fill("input[name=reason]", "aanmelding Ter Apel")
    page.click("form.card button[type=submit]")
    warning = page.locator("#possible-duplicates")
    assert "mogelijk al geregistreerd" in warning.inner_text()
    assert warning.locator(f"a[href='/persons/{first.body['id']}']").count() == 1
    # The form kept what was typed; "toch registreren" once ticked.
    assert page.input_value("input[name=v_number]") == second
    page.check("input[name=confirm_not_duplicate]")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("h1")
    assert second in page.locator("h1").inner_text()


def test_the_search_page_fits_a_390_pixel_screen(live: Server, page: Any) -> None:
    """Issue 16: "work on a 390-pixel screen": no horizontal page scroll (the result table
    scrolls in its own box)."""
    register(live, given_names="Smal", surname="Schermtest", birth_date="1990-00-00")
    _login(page, live)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live.base}/persons?q=schermtest")
    assert page.locator("table tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
