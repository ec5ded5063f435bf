"""In Debian's chromium (Playwright), as an IND case worker: run the rule the case's
procedure is offered (its facts filled in from the dossier), decide, make the letter, open
the printable letter (on paper only the letter: print media emulation hides the site's
navigation and the page's actions) and download its PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests.server.live import Server
from tests.server.sites import site
from tests.server.test_browser import page  # noqa: F401  (the module's chromium page)
from tests.server.world import lodge, register, version

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BEFORE_PACT = "2026-05-04"


def test_decide_make_print_and_download_the_letter(
    live: Server,
    page: Any,  # noqa: F811
) -> None:
    person = register(
        live, given_names="Amina", surname="Haidari", birth_date="1996-08-21", nationality="AFG"
    )
    code = site(live, "coa", "regular")
    placed = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/placements",
        "coa",
        {
            "kind": "coa_regular",
            "site": code,
            "location": code,
            "start": BEFORE_PACT,
            "reason": "opvang",
        },
        headers={"If-Match": version(live, person["id"])},
    )
    assert placed.status == 201, placed.text
    proc = lodge(live, person["id"], "asylum_first", BEFORE_PACT)

    page.context.clear_cookies()
    page.goto(f"{live.base}/login")
    page.fill("#id_username", "ind")
    page.fill("#id_password", "keten-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live.base}/persons/{person['id']}")
    panel = page.locator(f"#proc-{proc['id']}")

    # The registration-phase rule is offered first on this asylum case; its birth date comes
    # from the dossier, marked as such, and stays editable.
    support = panel.locator("form.support")
    support.locator("select.rules-applicable").select_option("vc-c1-2.1-aanmeldfase")
    birth = support.locator("[data-fact=birth_date]")
    birth.locator("input[type=date]").wait_for()
    assert birth.locator("input").input_value() == "1996-08-21"
    assert "uit het dossier" in birth.inner_text()
    assert birth.locator("input").is_editable()
    support.locator("[data-fact=lodged_with] select").select_option("ind_ter_apel")
    support.locator("button[type=submit]").click()
    page.wait_for_selector(f"#proc-{proc['id']} .support-result")

    panel = page.locator(f"#proc-{proc['id']}")
    form = panel.locator("form.decide")
    form.locator("select[name=outcome]").select_option("refused")
    form.locator("input[name=grounds]").fill(
        "Vw 2000 art. 31: de verklaringen zijn ongeloofwaardig"
    )
    form.locator("input[name=reason]").fill("besluit na het nader gehoor")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#proc-{proc['id']} .decision .make-letter")

    # Make the letter beside the decision: the printable letter opens.
    decision = page.locator(f"#proc-{proc['id']} .decision")
    decision.locator(".make-letter summary").click()
    decision.locator(".make-letter button[type=submit]").click()
    page.wait_for_url(f"{live.base}/brieven/*")
    letter = page.locator("article.letter")
    text = " ".join(letter.inner_text().split())
    assert "Amina Haidari" in text and f"p/a testlocatie {code}" in text
    assert "Dan kunt u beroep instellen bij de rechtbank. Dat moet binnen één week." in text
    assert "model M117-C" in text

    # On paper: the letter only.
    page.emulate_media(media="print")
    assert letter.is_visible()
    assert not page.locator("header.top").is_visible()
    assert not page.locator(".letter-actions").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".letter-actions").is_visible()

    # The PDF is the stored letter.
    with page.expect_download() as download:
        page.locator("a.letter-pdf").click()
    body = Path(download.value.path()).read_bytes()
    assert body.startswith(b"%PDF")
    words = " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages).split()
    )
    assert "beroep instellen bij de rechtbank" in words and "Amina Haidari" in words

    # Back on the dossier the letter is listed beside its decision.
    page.locator(".letter-actions a").first.click()
    page.wait_for_selector(f"#proc-{proc['id']} .decision .letter-link")
