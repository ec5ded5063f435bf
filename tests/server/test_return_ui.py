"""Return's pages and the register's API over real HTTP: the return-cooperation register by
country and day, "Vertrek vastleggen" offered to DTenV only and refusing in Dutch, support offers
in the dossier with the form for IOM only, and the navigation offering a role only what it may.
"""

from __future__ import annotations

from datetime import date

from tests.server.live import Browser, Server
from tests.server.test_departures import departure_case
from tests.server.world import hand_over

TODAY = date.today().isoformat()


def test_the_register_by_country_and_day(live: Server) -> None:
    """Seed 001, footnote 12: "Na april 2021 is het aantal bewaringen van Marokkanen sterk
    gedaald door ontbreken zicht op uitzetting"."""
    after = live.get("/api/v1/return/countries?on=2021-05-03&country=MAR", "dtenv")
    assert after.status == 200, after.text
    (entry,) = after.body["results"]
    assert (entry["aspect"], entry["status"]) == ("forced_return", "no_prospect_of_removal")
    assert entry["quote"].startswith("Na april 2021") and entry["verified"] is False
    assert entry["entry"] == "data/return/cooperation.csv:2" and after.body["register_version"]
    before = live.get("/api/v1/return/countries?on=2021-03-01&country=MAR", "dtenv")
    assert before.body["results"] == [] and before.body["unknown_otherwise"] is True
    bad = live.get("/api/v1/return/countries?country=MA", "dtenv")
    assert bad.status == 400 and bad.body["field"] == "country"
    assert live.get("/api/v1/return/countries", "coa").status == 403


def test_the_register_page_and_the_navigation(live: Server) -> None:
    dtenv = Browser(live.base)
    dtenv.login("dtenv")
    status, html = dtenv.open("/terugkeer/landen?on=2022-01-01")
    assert status == 200
    assert "Terugkeersamenwerking per land" in html and "Marokko" in html
    assert "geen zicht op uitzetting" in html and "Algerije" in html
    assert 'href="/terugkeer/landen"' in html and 'href="/terugkeer/cijfers"' in html
    status, html = dtenv.open("/terugkeer/cijfers?from=2015-03-01&to=2015-04-30")
    assert status == 200 and "Vertrek per maand" in html
    coa = Browser(live.base)
    coa.login("coa")
    status, html = coa.open("/queue")
    assert 'href="/terugkeer/landen"' not in html and 'href="/terugkeer/cijfers"' not in html
    assert coa.open("/terugkeer/landen")[0] == 403
    assert coa.open("/terugkeer/cijfers")[0] == 403


def test_vertrek_vastleggen_is_offered_to_dtenv_and_refuses_in_dutch(live: Server) -> None:
    person, proc = departure_case(live, nationality="DZA")
    dtenv = Browser(live.base)
    dtenv.login("dtenv")
    status, html = dtenv.open(f"/persons/{person}")
    assert status == 200 and "Vertrek vastleggen" in html
    assert f'hx-post="/procedures/{proc["id"]}/departure"' in html
    ind = Browser(live.base)
    ind.login("ind")
    assert "Vertrek vastleggen" not in ind.open(f"/persons/{person}")[1]
    # A removal without its destination: refused in the panel, naming the field, nothing stored.
    status, panel = dtenv.open(
        f"/procedures/{proc['id']}/departure",
        {"how": "forced", "escorted": "true", "day": TODAY, "reason": "uitzetting", "version": "1"},
        headers={"HX-Request": "true"},
    )
    assert status == 200 and "destination" in panel and "is verplicht" in panel
    status, panel = dtenv.open(
        f"/procedures/{proc['id']}/departure",
        {
            "how": "forced",
            "destination": "DZA",
            "escorted": "true",
            "day": TODAY,
            "reason": "uitzetting",
            "version": "1",
        },
        headers={"HX-Request": "true"},
    )
    assert status == 200 and "Gedwongen vertrokken" in panel
    assert "Vertrek vastleggen" not in panel  # the procedure is closed: nothing left to record


def test_support_offers_in_the_dossier_with_the_form_for_iom_only(live: Server) -> None:
    person, _ = departure_case(live, nationality="GEO")
    hand_over(live, person, "dtenv", "rean_referral", "IOM")
    iom = Browser(live.base)
    iom.login("iom")
    status, html = iom.open(f"/persons/{person}")
    assert status == 200 and 'id="add-support_offer"' in html
    version = html.split('name="version" value="', 1)[1].split('"', 1)[0]
    status, html = iom.open(
        f"/persons/{person}/records/support_offer",
        {
            "kind": "cash_contribution",
            "programme": "rean",
            "amount_eur": "",
            "offered_on": TODAY,
            "reason": "REAN",
            "version": version,
        },
    )
    assert status == 400 and "verplicht bij een financiële bijdrage" in html
    status, html = iom.open(
        f"/persons/{person}/records/support_offer",
        {
            "kind": "cash_contribution",
            "programme": "rean",
            "amount_eur": "300",
            "offered_on": TODAY,
            "reason": "REAN",
            "version": version,
        },
    )
    assert status == 200 and "€ 300" in html and "Eenmalige financiële bijdrage" in html
    dtenv = Browser(live.base)
    dtenv.login("dtenv")
    status, html = dtenv.open(f"/persons/{person}")
    assert "Eenmalige financiële bijdrage" in html and 'id="add-support_offer"' not in html
