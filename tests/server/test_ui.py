"""The interface: Dutch first with an English translation, refusals as pages, not gaps."""

from __future__ import annotations

import re
from pathlib import Path

from tests.server.live import Browser, Server
from tests.server.world import World

LOCALE = Path(__file__).resolve().parents[2] / "keten" / "server" / "locale"


def test_every_interface_string_has_a_dutch_translation() -> None:
    po = (LOCALE / "nl" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', po, re.M)
    assert len(pairs) > 100
    assert [m for m, t in pairs if not t] == []
    mo = LOCALE / "nl" / "LC_MESSAGES" / "django.mo"
    assert mo.stat().st_mtime >= (mo.with_suffix(".po")).stat().st_mtime - 1


def test_dutch_by_default_english_on_request(live: Server, world: World) -> None:
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open("/queue")
    assert status == 200 and "Werkvoorraad" in html and "Pact" in html
    # An English browser still gets Dutch: the chain works in Dutch.
    status, html = browser.open("/queue", headers={"Accept-Language": "en"})
    assert status == 200 and "Werkvoorraad" in html
    # English only when chosen with the language switch.
    status, _ = browser.open("/i18n/setlang/", {"language": "en", "next": "/queue"})
    status, html = browser.open("/queue")
    assert status == 200 and "Work queue" in html and "Ordered by the Pact" in html
    # The data speaks English too: deadline names and their explanations.
    status, html = browser.open(f"/persons/{world.p}")
    assert "Decision term (Pact)" in html and "Starts from Application lodged" in html
    assert "Beslistermijn (Pact)" not in html


def test_dossier_page_shows_deadlines_with_explanation(live: Server, world: World) -> None:
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open(f"/persons/{world.p}")
    assert status == 200
    # Lodged today: the Pact regime, its decision term and citation, explained step by step.
    assert "Beslistermijn (Pact)" in html and "Verordening (EU) 2024/1348 art. 35 lid 3" in html
    assert "Vangt aan na Aanvraag ingediend" in html
    assert "Beslisondersteuning" in html
    assert 'id="support-unavailable"' in html or "Regel toepassen" in html


def test_out_of_scope_dossier_page_is_not_found(live: Server, world: World) -> None:
    browser = Browser(live.base)
    browser.login("gemeente-utrecht")
    status, html = browser.open(f"/persons/{world.q}")
    assert status == 404 and "Verborgen" not in html
    status, _ = browser.open(f"/persons/{world.p}")
    assert status == 200


def test_privacy_officer_lands_on_the_audit_log(live: Server) -> None:
    browser = Browser(live.base)
    browser.login("privacy")
    status, html = browser.open("/")
    assert status == 200 and "Logboek dataverwerkingen" in html
