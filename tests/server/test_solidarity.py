"""The solidarity pool over real HTTP (issue 18 item 5; Reg. (EU) 2024/1351 art. 56-57).

Seed 002 (par. 2.1.3): the cabinet chooses "waarbij het huidige kabinet kiest voor een
financiële bijdrage". The ministry records pledges and requests with their sources; a change is
a new record superseding the last, and the summary counts the standing pledges against the pool
and the Dutch share. Each test works in a cycle of its own (the server is shared).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.server.live import Browser, Reply, Server

PATH = "/api/v1/solidarity"
TODAY = date.today().isoformat()


def _record(live: Server, user: str = "jenv-beleid", **body: Any) -> Reply:
    return live.request(
        "POST",
        PATH,
        user,
        {"day": TODAY, "source": "Kamerbrief solidariteitsbijdrage", "reason": "test", **body},
    )


def test_pledges_are_counted_against_the_share(live: Server) -> None:
    cycle = 2040
    financial = _record(
        live,
        cycle=cycle,
        record_type="pledge",
        kind="financial",
        amount_eur=5_000_000,
        status="pledged",
    )
    assert financial.status == 201, financial.text
    offset = _record(
        live,
        cycle=cycle,
        record_type="pledge",
        kind="offset",
        persons=10,
        status="pledged",
        counterpart="IT",
    )
    assert offset.status == 201, offset.text
    withdrawn = _record(
        live, cycle=cycle, record_type="pledge", kind="relocation", persons=50, status="pledged"
    )
    # Withdrawn: a new record superseding it, with who and why; the old one stays.
    gone = _record(
        live,
        cycle=cycle,
        record_type="pledge",
        kind="relocation",
        persons=50,
        status="withdrawn",
        supersedes=withdrawn.body["id"],
        reason="kabinet kiest financieel",
    )
    assert gone.status == 201, gone.text
    again = _record(
        live,
        cycle=cycle,
        record_type="pledge",
        kind="relocation",
        persons=50,
        status="fulfilled",
        supersedes=withdrawn.body["id"],
    )
    assert again.status == 409, again.text
    assert "gewijzigd" in again.body["detail_nl"]
    request = _record(
        live,
        cycle=cycle,
        record_type="request",
        kind="relocation",
        persons=30,
        status="requested",
        counterpart="EL",
    )
    assert request.status == 400 and request.body["field"] == "counterpart"  # Greece is GR
    request = _record(
        live,
        cycle=cycle,
        record_type="request",
        kind="relocation",
        persons=30,
        status="requested",
        counterpart="GR",
    )
    assert request.status == 201, request.text
    summary = live.get(f"{PATH}?cycle={cycle}", "jenv-beleid").body
    # 5,000,000 euros and 10 persons offset at EUR 20,000 each; the withdrawn 50 do not count
    # and the request is not a pledge.
    assert summary["pledged_eur"] == 5_000_000
    assert summary["pledged_persons"] == 10
    assert summary["pledged_equivalent_eur"] == 5_000_000 + 10 * 20_000
    assert summary["requests"] == {"requested": 1}
    assert summary["pool"] is None  # no pool figures shipped for 2040
    assert summary["share_remaining_eur"] is None
    rows = {r["id"]: r for r in summary["records"]}
    assert rows[withdrawn.body["id"]]["current"] is False
    assert rows[gone.body["id"]]["current"] is True
    assert rows[gone.body["id"]]["reason"] == "kabinet kiest financieel"
    assert rows[request.body["id"]]["counterpart_name"] == "Griekenland"


def test_the_2026_pool_is_shipped_and_the_share_is_said_to_be_unknown(live: Server) -> None:
    summary = live.get(f"{PATH}?cycle=2026", "jenv-beleid").body
    assert summary["pool"]["relocations"]["value"] == 21_000
    assert summary["pool"]["financial_eur"]["value"] == 420_000_000
    assert summary["reference_amount_eur"]["value"] == 20_000
    assert summary["reference_amount_eur"]["verified"] is False
    assert summary["share"]["eur"]["value"] is None
    assert summary["share"]["eur"]["verified"] is False
    assert summary["share_remaining_eur"] is None


def test_the_share_by_the_reference_key_says_what_it_lacks(live: Server) -> None:
    """Reg. (EU) 2024/1351's key (half population, half GDP) needs every member state's GDP;
    none was found, so the API and the page say the share is not computed and why, and no
    remainder is counted against it."""
    summary = live.get(f"{PATH}?cycle=2026", "jenv-beleid").body
    key = summary["reference_key"]
    assert (key["computed"], key["fraction"], key["eur"]) == (False, None, None)
    assert key["missing_nl"] == ["bbp: alle 27"]
    assert key["member_states"] == 27 and key["population"]["value"] == 27
    assert (key["key"]["population_weight"], key["key"]["gdp_weight"]) == (0.5, 0.5)
    assert summary["key_remaining_eur"] is None
    browser = Browser(live.base)
    browser.login("jenv-beleid")
    status, html = browser.open("/solidariteit?cycle=2026")
    assert status == 200
    assert "Nederlands aandeel volgens de referentiesleutel" in html
    assert 'id="key-share">niet berekend<' in html
    assert "Ontbreekt voor de sleutel: bbp: alle 27." in html
    assert "Half bevolking, half totaal bbp van de lidstaten" in html


def test_bad_records_are_refused_in_dutch(live: Server) -> None:
    both = _record(
        live,
        cycle=2041,
        record_type="pledge",
        kind="financial",
        amount_eur=1,
        persons=3,
        status="pledged",
    )
    assert both.status == 400 and both.body["field"] == "persons"
    assert "euro" in both.body["detail_nl"]
    wrong_status = _record(
        live,
        cycle=2041,
        record_type="pledge",
        kind="financial",
        amount_eur=1,
        status="requested",
    )
    assert wrong_status.status == 400 and wrong_status.body["field"] == "status"
    before_pact = _record(
        live, cycle=2025, record_type="pledge", kind="financial", amount_eur=1, status="pledged"
    )
    assert before_pact.status == 400 and before_pact.body["field"] == "cycle"
    no_source = _record(
        live,
        cycle=2041,
        record_type="pledge",
        kind="financial",
        amount_eur=1,
        status="pledged",
        source="",
    )
    assert no_source.status == 400 and "verplicht" in no_source.body["detail_nl"]
    assert live.get(f"{PATH}?cycle=2041", "jenv-beleid").body["records"] == []


def test_only_the_ministry_writes_and_the_dublin_unit_reads(live: Server) -> None:
    assert live.get(PATH, "ind-dublin").status == 200
    refused = _record(
        live,
        "ind-dublin",
        cycle=2042,
        record_type="pledge",
        kind="financial",
        amount_eur=1,
        status="pledged",
    )
    assert refused.status == 403
    assert live.get(PATH, "coa").status == 403


def test_the_page_records_a_pledge(live: Server) -> None:
    browser = Browser(live.base)
    browser.login("jenv-beleid")
    status, html = browser.open("/solidariteit?cycle=2043")
    assert status == 200 and "Solidariteitspool" in html
    status, html = browser.open(
        "/solidariteit?cycle=2043",
        {
            "cycle": "2043",
            "record_type": "pledge",
            "kind": "financial",
            "amount_eur": "1200000",
            "status": "pledged",
            "day": TODAY,
            "source": "Nationaal Implementatieplan",
            "reason": "financiële bijdrage (seed 002)",
        },
    )
    assert status == 200, html[:500]
    assert "1.200.000" in html and "Nationaal Implementatieplan" in html
