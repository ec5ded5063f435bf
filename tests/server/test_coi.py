"""Country-of-origin information over real HTTP: the shipped reports, registering and
superseding, the page per country, and a decision's citations (refused when the report was
published after the decision day, or is about another country unless confirmed).

Reports written here are on Eritrea (ERI) and Somalia (SOM), so the shipped Syrian reports
stay as ``data/coi/documents.yaml`` has them."""

from __future__ import annotations

from typing import Any

from tests.server.live import Browser, Server
from tests.server.world import lodge, register

SHIPPED_BY = "keten-landeninformatie"


def _report(live: Server, user: str = "ind", **extra: Any) -> Any:
    body = {
        "country": "ERI",
        "title": "Thematisch ambtsbericht Eritrea (test)",
        "publisher": "Ministerie van Buitenlandse Zaken",
        "kind": "ambtsbericht",
        "published_on": "2026-03-02",
        "reference": "test-ERI-1",
        "summary": "Een samenvatting voor de test.",
        "language": "nl",
        "shareable": True,
        "reason": "nieuw ambtsbericht ontvangen",
        **extra,
    }
    return live.request("POST", "/api/v1/coi", user, body)


def _titles(rows: list[dict[str, Any]]) -> list[str]:
    return [r["title"] for r in rows if r["recorded_by"] == SHIPPED_BY]


def test_the_shipped_syrian_reports_follow_each_other(live: Server) -> None:
    """data/coi/documents.yaml: April 2024 guidance, replaced by the interim one on
    2025-06-23, replaced by the December 2025 one on 2025-12-03; the ambtsbericht from
    2025-06-30 (an upper bound, marked unverified)."""
    days = {
        "2024-01-01": [],
        "2025-01-01": ["Country Guidance: Syria (April 2024)"],
        "2025-07-01": [
            "Algemeen ambtsbericht Syrië (mei 2025)",
            "Interim Country Guidance: Syria (June 2025)",
        ],
        "2026-01-01": [
            "Country Guidance: Syria (December 2025)",
            "Algemeen ambtsbericht Syrië (mei 2025)",
        ],
    }
    for on, expected in days.items():
        reply = live.get(f"/api/v1/coi?country=syr&on={on}", "ind")
        assert reply.status == 200, reply.text
        assert _titles(reply.body["in_force"]) == expected, on
    body = live.get("/api/v1/coi?country=SYR&on=2025-07-01", "ind").body
    shipped = {r["title"]: r for r in body["all"] if r["recorded_by"] == SHIPPED_BY}
    old = shipped["Country Guidance: Syria (April 2024)"]
    assert (old["status"], old["status_text"], old["superseded_on"]) == (
        "superseded",
        "vervangen",
        "2025-06-23",
    )
    assert old["verified"] is True and old["published_on"] == "2024-04-15"
    assert shipped["Algemeen ambtsbericht Syrië (mei 2025)"]["verified"] is False
    # Without a country: every country's reports in force, Afghanistan's among them.
    every = live.get("/api/v1/coi?on=2025-01-01", "ind").body
    assert "Country Guidance: Afghanistan (May 2024)" in _titles(every["in_force"])


def test_register_read_and_supersede(live: Server) -> None:
    first = _report(live)
    assert first.status == 201, first.text
    doc = first.body
    assert (doc["country"], doc["status"], doc["shareable"], doc["received_from"]) == (
        "ERI",
        "in_force",
        True,
        None,
    )
    second = _report(
        live, title="Algemeen ambtsbericht Eritrea (test)", published_on="2026-09-01"
    ).body
    read = live.get(f"/api/v1/coi/{doc['id']}?on=2026-03-01", "dtenv")
    assert read.status == 200 and read.body["status"] == "not_yet_published", read.text

    path = f"/api/v1/coi/{doc['id']}/supersede"
    early = live.request(
        "POST", path, "ind", {"by": second["id"], "day": "2026-08-01", "reason": "nieuw"}
    )
    assert early.status == 422 and early.body["field"] == "day", early.text
    assert "mag niet vóór de publicatie" in early.body["rule_nl"]
    done = live.request(
        "POST", path, "ind", {"by": second["id"], "day": "2026-09-01", "reason": "nieuw"}
    )
    assert done.status == 201, done.text
    assert done.body["superseded_by"] == second["id"]
    assert [e["kind"] for e in done.body["events"]] == ["superseded"]
    again = live.request(
        "POST", path, "ind", {"by": second["id"], "day": "2026-10-01", "reason": "nog eens"}
    )
    assert again.status == 422 and "al vervangen" in again.body["rule_nl"], again.text

    listed = live.get("/api/v1/coi?country=ERI&on=2026-08-31", "ind").body
    assert doc["id"] in [r["id"] for r in listed["in_force"]]
    later = live.get("/api/v1/coi?country=ERI&on=2026-09-01", "ind").body
    assert [r["id"] for r in later["in_force"]] == [second["id"]]
    states = {r["id"]: r["status"] for r in later["all"]}
    assert states[doc["id"]] == "superseded"

    # A report on another country does not replace it.
    somalia = _report(live, country="SOM", title="COI Focus Somalië (test)").body
    other = live.request(
        "POST",
        f"/api/v1/coi/{second['id']}/supersede",
        "ind",
        {"by": somalia["id"], "day": "2026-10-01", "reason": "fout"},
    )
    assert other.status == 422 and other.body["field"] == "by", other.text


def test_who_may_write_and_what_is_refused(live: Server) -> None:
    refused = _report(live, "dtenv")
    assert refused.status == 403 and refused.body["field"] == "coi_document", refused.text
    assert refused.body["title_nl"] == "Niet toegestaan"
    assert live.get("/api/v1/coi", "coa").status == 403  # COA has no use for COI
    bad = _report(live, country="XXA")
    assert bad.status == 400 and bad.body["field"] == "country", bad.text
    assert "een landenrapport gaat over een land" in bad.body["rule_nl"]
    backwards = _report(live, valid_until="2026-01-01")
    assert backwards.status == 400 and backwards.body["field"] == "valid_until", backwards.text
    assert live.get("/api/v1/coi/987654321", "ind").status == 404


def _decide(live: Server, proc: dict[str, Any], day: str, coi: Any) -> Any:
    version = live.get(f"/api/v1/procedures/{proc['id']}", "ind").headers["ETag"]
    return live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/decisions",
        "ind",
        {
            "outcome": "refused",
            "day": day,
            "grounds": "Vw 2000 art. 31",
            "reason": "besluit met landeninformatie",
            "coi": coi,
        },
        headers={"If-Match": version},
    )


def test_a_decision_cites_only_what_was_published_by_its_day(live: Server) -> None:
    eritrea = _report(live, title="Ambtsbericht Eritrea maart (test)", reference="t-2").body
    july = _report(
        live, title="Ambtsbericht Eritrea juli (test)", reference="t-3", published_on="2026-07-01"
    ).body
    somalia = _report(live, country="SOM", title="Somalië (test)", reference="t-4").body
    person = register(live, nationality="ERI")
    proc = lodge(live, int(person["id"]), "asylum_first", day="2026-04-01")

    # Published in July, after a decision of 1 June: refused, and nothing is stored.
    late = _decide(live, proc, "2026-06-01", [july["id"]])
    assert late.status == 422 and late.body["field"] == "coi", late.text
    assert "na de besluitdatum" in late.body["rule_nl"]
    # A report on Somalia for an Eritrean: refused unless confirmed.
    other = _decide(live, proc, "2026-06-01", [eritrea["id"], somalia["id"]])
    assert other.status == 422 and "bevestig" in other.body["rule_nl"], other.text
    decisions = live.get(f"/api/v1/procedures/{proc['id']}/decisions", "ind").body["results"]
    assert decisions == []  # the refused attempts left no decision behind

    cited = [eritrea["id"], {"document": somalia["id"], "confirm_other_country": True}]
    made = _decide(live, proc, "2026-06-01", cited)
    assert made.status == 201, made.text
    decision = made.body["decision"]["id"]
    reply = live.get(f"/api/v1/decisions/{decision}/coi", "ind")
    assert reply.status == 200, reply.text
    rows = {r["document"]: r for r in reply.body["results"]}
    assert set(rows) == {eritrea["id"], somalia["id"]}
    assert rows[somalia["id"]]["other_country_confirmed"] is True
    assert rows[eritrea["id"]]["other_country_confirmed"] is False
    assert rows[eritrea["id"]]["day"] == "2026-06-01"

    # The dossier shows them beside the decision.
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open(f"/persons/{person['id']}")
    assert status == 200
    assert f'class="coi-cited" data-decision="{decision}"' in html
    assert "Ambtsbericht Eritrea maart (test)" in html
    assert "Landeninformatie waarop het besluit steunt" in html


def test_the_coi_page_in_dutch_and_its_form(live: Server) -> None:
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open("/coi/SYR?on=2026-01-01")
    assert status == 200
    assert "Landeninformatie: Syrië" in html
    assert "Country Guidance: Syria (December 2025)" in html
    assert "Geldend op deze dag" in html and "vervangen" in html
    status, html = browser.open(
        "/coi/SOM",
        {
            "action": "register",
            "title": "COI Focus Somalië, veiligheidssituatie (formulier)",
            "publisher": "CGVS",
            "kind": "cgvs_coi_focus",
            "published_on": "2026-02-01",
            "reference": "formulier-1",
            "summary": "Samenvatting.",
            "language": "nl",
            "reason": "via het formulier",
        },
    )
    assert status == 200 and "Het document is geregistreerd." in html, html[:300]
    assert "COI Focus Somalië, veiligheidssituatie (formulier)" in html
    status, html = browser.open("/coi/SOM", {"action": "register", "title": "", "reason": ""})
    assert status == 400 and "Er is een probleem" in html
    # The country page links to it; a role without COI sees no link.
    assert 'id="coi-link"' in browser.open("/landen/SYR")[1]
    iom = Browser(live.base)
    iom.login("iom")
    assert 'id="coi-link"' not in iom.open("/landen/SYR")[1]
