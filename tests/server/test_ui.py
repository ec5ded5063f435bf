"""The interface: Dutch first with an English translation, refusals as pages, not gaps."""

from __future__ import annotations

import re
from pathlib import Path

from tests.server.live import Browser, Server
from tests.server.world import World, lodge, register

LOCALE = Path(__file__).resolve().parents[2] / "keten" / "server" / "locale"


def test_every_interface_string_has_a_dutch_translation() -> None:
    po = (LOCALE / "nl" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    # An entry's msgid and msgstr may each run over several quoted lines.
    entries = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', po, re.M)
    pairs = [
        ("".join(re.findall(r'"(.*)"', i)), "".join(re.findall(r'"(.*)"', t))) for i, t in entries
    ]
    pairs = [(m, t) for m, t in pairs if m]  # the header's empty msgid
    assert len(pairs) > 100
    assert any("\n" not in m and len(m) > 80 for m, _ in pairs)  # the long ones are read too
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
    assert "kies een regel" in html and "Vc 2000 A5/2.4" in html  # the rules to choose from


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


def test_the_dossier_speaks_dutch_of_what_happened_and_of_money(live: Server) -> None:
    person = int(register(live)["id"])
    # Lodged before the Pact applies, and the IND put in default after the term: under the
    # Vreemdelingenwet's regime the Tijdelijke wet opschorting dwangsommen IND leaves no
    # dwangsom by law.
    lodged = lodge(live, person, "asylum_first", "2025-01-10")
    assert lodged["regime"] == "vw2000"
    proc = lodged["id"]
    noticed = live.request(
        "POST",
        f"/api/v1/procedures/{proc}/events",
        "ind",
        {"kind": "notice_of_default", "day": "2025-08-01", "reason": "ui test"},
        headers={"If-Match": f'"{lodged["version"]}"'},
    )
    assert noticed.status == 201, noticed.text
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open(f"/persons/{person}")
    assert status == 200
    timeline = html[html.index('<table class="timeline">') :]
    timeline = timeline[: timeline.index("</table>")]
    assert "ingeschreven in het ketendossier" in timeline and ">registered<" not in timeline
    # said in words, rather than as "€ 0,0 (0 dagen)"
    assert "Dwangsom: loopt niet" in html and "€ 0,0" not in html


def test_amounts_in_euros_are_written_as_the_reader_reads_them() -> None:
    from keten.server.ui.templatetags.keten_ui import euro_text

    # Awb art. 4:17: 14 days at EUR 23, 14 at EUR 35 and 14 at EUR 45, at most 42 days.
    assert euro_text(14 * 23 + 14 * 35 + 14 * 45, english=False) == "1.442,00"
    assert euro_text(23.5, english=False) == "23,50" and euro_text("0", english=False) == "0,00"
    assert euro_text(1442, english=True) == "1,442.00"


def test_registering_offers_every_country_and_keeps_what_was_entered(live: Server) -> None:
    """The register form lists every nationality a person can have, not only the frequent
    ones; a refused registration shows the form again as it was filled in."""
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open("/persons/new")
    assert status == 200
    assert '<optgroup label="Meest voorkomend">' in html
    assert '<option value="SYR">Syrisch (SYR)</option>' in html
    assert '<option value="COD">Congo, Democratische Republiek (COD)</option>' in html
    assert '<option value="XXA">staatloos (XXA)</option>' in html

    form = {
        "v_number": "12345",  # not ten digits
        "given_names": "Nieuw",
        "surname": "Persoon",
        "birth_date": "2001-00-00",
        "sex": "f",
        "nationality": "COD",
        "unaccompanied_minor": "on",
        "reason": "aanmelding",
    }
    status, html = browser.open("/persons/new", form)
    # In Dutch, beside the field and in the summary by the field's label (issue 16).
    assert status == 400 and "is geen V-nummer: verwacht tien cijfers" in html
    assert '<a href="#person-v_number">V-nummer: ' in html
    assert 'id="person-v_number" aria-invalid="true"' in html
    assert '<option value="COD" selected>' in html
    assert '<option value="f" selected>' in html
    assert re.search(r'name="unaccompanied_minor" checked', html)
    assert 'value="Nieuw"' in html

    status, html = browser.open("/persons/new", {**form, "v_number": "5647382910"})
    assert status == 200 and "Congo, Democratische Republiek" in html and "(COD)" in html


def test_the_dashboard_names_places_and_procedures_in_the_pages_language(live: Server) -> None:
    browser = Browser(live.base)
    browser.login("coa")
    status, html = browser.open("/dashboard")
    assert status == 200
    assert re.search(r'<tr data-kind="coa_regular"><td>COA reguliere opvang \(azc\)</td>', html)
    assert "<td>Eerste asielaanvraag</td>" in html and "<td>coa_regular</td>" not in html
    browser.open("/i18n/setlang/", {"language": "en", "next": "/dashboard"})
    status, html = browser.open("/dashboard")
    assert "<td>COA regular reception (azc)</td>" in html
    assert "<td>First asylum application</td>" in html


def test_the_queue_names_each_nationality_on_hover(live: Server) -> None:
    person = int(register(live, nationality="ERI")["id"])
    lodge(live, person)
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open("/queue?procedure_type=asylum_first")
    assert status == 200 and '<abbr title="Eritrees">ERI</abbr>' in html


def test_a_refused_correction_link_or_lodging_keeps_what_was_entered(live: Server) -> None:
    """Each of the dossier's own forms, refused, comes back as it was filled in: a birth date
    that is no date, a family member who is not registered, a lodging before the procedure
    type was in force."""
    person = register(live)
    path = f"/persons/{person['id']}"
    browser = Browser(live.base)
    browser.login("ind")

    status, html = browser.open(
        f"{path}/correct",
        {
            "version": str(person["version"]),
            "given_names": "Amina Fatuma",
            "birth_date": "1990-13-40",
            "nationality": "SOM",
            "reason": "paspoort overgelegd",
        },
    )
    assert status == 400 and "birth_date" in html
    assert '<details class="card" open>' in html
    assert 'value="Amina Fatuma"' in html and 'value="1990-13-40"' in html
    assert '<option value="SOM" selected>' in html and 'value="paspoort overgelegd"' in html

    status, html = browser.open(
        f"{path}/family",
        {
            "version": str(person["version"]),
            "relation": "child",
            "other_v_number": "9999999999",
            "reason": "gezinshereniging",
        },
    )
    assert status == 404
    assert '<option value="child" selected>' in html
    assert 'value="9999999999"' in html and 'value="gezinshereniging"' in html

    status, html = browser.open(
        f"{path}/lodge",
        {
            "version": str(person["version"]),
            "procedure_type": "border_procedure",
            "day": "2001-01-01",  # the border procedure is in force from 1 July 2010
            "reason": "aanvraag aan de grens",
        },
    )
    assert status == 400 and "ligt buiten de periode waarin procedure" in html
    assert '<option value="border_procedure" selected>' in html
    assert 'value="2001-01-01"' in html and 'value="aanvraag aan de grens"' in html
