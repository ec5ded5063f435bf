"""The 1F exchange done as its officers do it, in Debian's chromium (Playwright) against two
Keten servers (NL-IND-1F and BE-DVZ-BO, the fixture of ``test_exchange_two_servers``): NL's
liaison officer writes a request on /uitwisseling, is first refused in Dutch for a birth date
that is not one (what was typed stays), sends it; BE's liaison officer finds it in the work
queue and answers it on the page; NL's page shows the answer.

Seed 000 point 5: "De informatie-uitwisseling gebeurt voor de DVZ via ... Bureau Opsporingen,
voor de IND ... Unit 1F".
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.test_browser import page, sign_in  # noqa: F401  (page: the chromium fixture)
from tests.server.test_exchange_two_servers import (  # noqa: F401
    BE,
    BE_LIAISON,
    CGVS,
    LIAISON,
    UNIT_1F,
    Node,
    pair,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _login(page: Any, node: Node, user: str, path: str = "/uitwisseling") -> None:  # noqa: F811
    base = f"http://127.0.0.1:{node.port}"
    sign_in(page, base, user)
    page.goto(f"{base}{path}")


def test_a_1f_request_written_answered_and_read_in_the_browser(
    pair: tuple[Node, Node],  # noqa: F811
    page: Any,  # noqa: F811
) -> None:
    nl, be = pair
    _login(page, nl, LIAISON)
    form = page.locator("#send-request")
    assert "Nieuw verzoek aan een partnerdienst" in form.inner_text()
    # Only partners the officer is accredited with today are offered (LU-DI-1 has lapsed).
    offered = form.locator("#send-partner option").all_inner_texts()
    assert any(BE in o for o in offered) and not any("LU-DI-1" in o for o in offered)
    form.locator("#send-partner").select_option(BE)
    form.locator("#send-surname").fill("Browserman")
    form.locator("#send-given_names").fill("Karim")
    form.locator("#send-birth_date").fill("1980-02-30")  # no such day
    form.locator("#send-nationality").fill("IRQ")
    form.locator("#send-reference_issuer").fill("BE-DVZ")
    form.locator("#send-reference_number").fill("OV 7654321")
    form.locator("#send-question").fill("Is betrokkene in België op grond van 1F uitgesloten?")
    form.locator("#send-sender_reference").fill("IND-1F-BROWSER-1")
    form.locator("#send-reason").fill("verblijfsaanvraag; 1F-melding uit België")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    summary = page.inner_text(".error-summary")
    assert "Geboortedatum" in summary and "birth_date" not in summary, summary
    form = page.locator("#send-request")
    assert form.locator("#send-surname").input_value() == "Browserman"  # nothing lost
    assert form.locator("#send-sender_reference").input_value() == "IND-1F-BROWSER-1"
    form.locator("#send-birth_date").fill("1980-02-00")  # month known, day not
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#exchange-outbox td:has-text('1F')")
    sent_row = page.locator("#exchange-outbox tr[data-message]").first
    message_id = sent_row.get_attribute("data-message")
    assert "wacht op de ontvangstbevestiging" in sent_row.inner_text()
    nl.work()  # the sender's job delivers it

    _login(page, be, BE_LIAISON)
    row = page.locator(f"#exchange-inbox tr[data-message='{message_id}']")
    assert "Browserman" in row.inner_text() and "OV 7654321" in row.inner_text()
    assert "open" in row.locator(".status").inner_text()
    page.locator(f"#outcome-{message_id}").select_option("partly_answered")
    page.locator(f"#answer-{message_id}").fill("Uitgesloten in 2019; de feiten volgen.")
    page.locator(f"#refusal-{message_id}").fill("Het dossier van het CGVS volgt apart.")
    page.locator(f"#reference-{message_id}").fill("BO-2026-77")
    page.locator(f"#reason-{message_id}").fill("verzoek van IND Unit 1F")
    page.locator(f"#answer-{message_id} >> xpath=ancestor::form//button").click()
    page.wait_for_selector(f"#exchange-inbox tr[data-message='{message_id}'] .status")
    status = page.locator(f"#exchange-inbox tr[data-message='{message_id}'] .status")
    assert "deels beantwoord" in status.inner_text()
    be.work()

    _login(page, nl, LIAISON)
    sent_row = page.locator(f"#exchange-outbox tr[data-message='{message_id}']")
    assert "bezorgd" in sent_row.inner_text() and "deels beantwoord" in sent_row.inner_text()
    answer = page.locator("#exchange-inbox tr[data-message]", has_text="Uitgesloten in 2019")
    assert answer.count() == 1 and "BO-2026-77" in answer.inner_text()


def test_a_coi_report_shared_and_taken_over_in_the_browser(
    pair: tuple[Node, Node],  # noqa: F811
    page: Any,  # noqa: F811
) -> None:
    """Unit 1F shares a report from the country's COI page; the CGVS's COI officer takes it
    over on its exchange page and finds it on its own COI page as received from NL."""
    nl, be = pair
    made = nl.call(
        "POST",
        "/api/v1/coi",
        UNIT_1F,
        {
            "country": "ERI",
            "title": "Ambtsbericht Eritrea (gedeeld in de browser)",
            "publisher": "Ministerie van Buitenlandse Zaken",
            "kind": "ambtsbericht",
            "published_on": "2026-03-02",
            "reference": "browser-ERI-share",
            "summary": "Samenvatting.",
            "language": "nl",
            "shareable": True,
            "reason": "ambtsbericht ontvangen",
        },
    )
    assert made.status == 201, made.text
    _login(page, nl, UNIT_1F, "/coi/ERI")
    form = page.locator("#coi-share")
    assert "Een rapport delen met de partnerdienst" in page.inner_text("main")
    form.locator("#share-document").select_option(str(made.body["id"]))
    form.locator("#share-partner").select_option(BE)
    form.locator("#share-reference").fill("IND-COI-BROWSER")
    form.locator("#share-reason").fill("landeninformatie Eritrea voor de partner")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Het rapport is onderweg naar de partner.")
    nl.work()

    _login(page, be, CGVS)
    row = page.locator("#exchange-inbox tr[data-message]", has_text="gedeeld in de browser")
    message_id = row.get_attribute("data-message")
    page.locator(f"#takeover-reason-{message_id}").fill("COI overnemen")
    page.locator(f"#takeover-reason-{message_id} >> xpath=ancestor::form//button").click()
    status = page.locator(f"#exchange-inbox tr[data-message='{message_id}'] .status")
    assert "overgenomen" in status.inner_text()
    page.goto(f"http://127.0.0.1:{be.port}/coi/ERI")
    stored = page.locator("tr[data-status]", has_text="gedeeld in de browser")
    assert "ontvangen van NL-IND-1F" in stored.inner_text()
    # A received report is not offered for sharing again.
    assert page.locator("#coi-share").count() == 0
